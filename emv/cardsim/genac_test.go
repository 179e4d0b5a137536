package cardsim

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// online runs a transaction that goes online and is approved: first
// GENERATE AC for an ARQC (with CDA on CDA cards), the issuer's ARPC by
// EXTERNAL AUTHENTICATE or in the CDOL2 data, second GENERATE AC for a TC.
// It checks both cryptograms with emv/issuer and both CDA signatures with
// emv/oda, and returns the terminal.
func online(t *testing.T, p Preset, mode ODAMode, t0 bool, arpcOK bool) (*term, genac) {
	t.Helper()
	prof := presetProfile(t, p, mode)
	card := newCard(t, prof, Config{T0: t0})
	x := newTerm(t, card, t0)
	app := &prof.Applications[0]
	x.start(app.AID)
	keys := app.Keys

	p1 := emv.RequestARQC
	if mode == CDA {
		p1 |= emv.RequestCDA
	}
	if mode == DDA || mode == CDA {
		// The terminal's DDA, which sets the ICC dynamic number 9F4C the
		// CDOL1 asks for.
		ddol, _ := emv.AppendDOLData(nil, x.data[0x9F49], x.value)
		r := x.must(emv.InternalAuthenticate(ddol))
		sdad, err := oda.VerifyDDA(keys.ICC.Public(), sdadOf(t, r), ddol)
		if err != nil {
			t.Fatalf("VerifyDDA: %v", err)
		}
		x.data[0x9F4C] = sdad.IDN
	}
	cdol1, err := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	if err != nil {
		t.Fatal(err)
	}
	r1 := x.must(emv.GenerateAC(p1, cdol1))
	g1 := parseGenAC(t, r1)
	if g1.cid.Type() != emv.ARQC {
		t.Fatalf("first GENERATE AC: CID %v, want ARQC", g1.cid)
	}
	if mode == CDA {
		sdad, err := oda.VerifyCDA(keys.ICC.Public(), oda.CDA{UN: x.data[0x9F37], PDOLData: x.pdol, CDOL1Data: cdol1, Response: r1})
		if err != nil {
			t.Fatalf("VerifyCDA first: %v", err)
		}
		g1.ac = sdad.AC
	}
	if err := issuer.VerifyCryptogram(p.CVN, TestIMK, app.PAN, app.PSN, x.cryptogramData(g1), g1.ac); err != nil {
		t.Fatalf("ARQC does not verify: %v", err)
	}
	// The issuer side as a host does it, from field 55 data.
	if prof.Applications[0].AID[0] == 0xA0 {
		d := x.cryptogramData(g1)
		d[0x4F] = app.AID
		d[0x9F26] = g1.ac
		if cvn, err := issuer.Verify(TestIMK, app.PAN, app.PSN, d); err != nil || cvn != p.CVN {
			t.Fatalf("issuer.Verify = %v, %v; want %v", cvn, err, p.CVN)
		}
	}

	// Issuer response.
	arc := []byte("00")
	code := arc
	if p.CVN.ARPCMethod() == 2 {
		code = []byte{0x00, 0x80, 0x00, 0x00}
	}
	arpc, err := issuer.ARPC(p.CVN, TestIMK, app.PAN, app.PSN, x.cryptogramData(g1), g1.ac, code)
	if err != nil {
		t.Fatal(err)
	}
	if !arpcOK {
		arpc[0] ^= 1
	}
	iad, err := issuer.IssuerAuthenticationData(p.CVN, arpc, code, nil)
	if err != nil {
		t.Fatal(err)
	}
	x.data[0x8A] = arc
	if app.issuerAuthInCDOL2() {
		x.data[0x91] = iad
	} else {
		r := x.ex(emv.ExternalAuthenticate(iad))
		want := emv.SWSuccess
		if !arpcOK {
			want = 0x6300
		}
		if r.SW != want {
			t.Fatalf("EXTERNAL AUTHENTICATE: %v, want %v", r.SW, want)
		}
	}
	cdol2, err := emv.AppendDOLData(nil, x.data[0x8D], x.value)
	if err != nil {
		t.Fatal(err)
	}
	r2 := x.must(emv.GenerateAC(emv.RequestTC|p1&emv.RequestCDA, cdol2))
	g2 := parseGenAC(t, r2)
	if mode == CDA && g2.cid.Type() == emv.TC {
		sdad, err := oda.VerifyCDA(keys.ICC.Public(), oda.CDA{UN: x.data[0x9F37], PDOLData: x.pdol, CDOL1Data: cdol1, CDOL2Data: cdol2, Response: r2})
		if err != nil {
			t.Fatalf("VerifyCDA second: %v", err)
		}
		g2.ac = sdad.AC
	}
	if err := issuer.VerifyCryptogram(p.CVN, TestIMK, app.PAN, app.PSN, x.cryptogramData(g2), g2.ac); err != nil {
		t.Fatalf("second cryptogram (%v) does not verify: %v", g2.cid, err)
	}
	return x, g2
}

func TestOnlineTransactionEveryPreset(t *testing.T) {
	for _, p := range Presets() {
		for _, mode := range []ODAMode{NoODA, SDA, DDA, CDA} {
			for _, t0 := range []bool{false, true} {
				name := p.Name + "/" + mode.String()
				if t0 {
					name += "/T=0"
				}
				t.Run(name, func(t *testing.T) {
					x, g2 := online(t, p, mode, t0, true)
					if g2.cid.Type() != emv.TC {
						t.Fatalf("second GENERATE AC: %v, want TC", g2.cid)
					}
					st := x.card.State()
					if st.IssuerAuth != IssuerAuthPassed {
						t.Errorf("IssuerAuth = %v, want passed", st.IssuerAuth)
					}
					if st.LastOnlineATC != st.ATC {
						t.Errorf("last online ATC %04X, ATC %04X: want equal after online approval", st.LastOnlineATC, st.ATC)
					}
				})
			}
		}
	}
}

func TestWrongARPC(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			x, g2 := online(t, p, SDA, false, false)
			st := x.card.State()
			if st.IssuerAuth != IssuerAuthFailed {
				t.Errorf("IssuerAuth = %v, want failed", st.IssuerAuth)
			}
			app := x.card.apps[0].def
			want := emv.TC
			if app.IssuerAuthRequired {
				want = emv.AAC
			}
			if g2.cid.Type() != want {
				t.Errorf("second GENERATE AC after a wrong ARPC: %v, want %v", g2.cid, want)
			}
			if st.LastOnlineATC == st.ATC {
				t.Errorf("last online ATC updated after failed issuer authentication")
			}
		})
	}
}

// TestCardRiskManagement checks the card's answer to the first GENERATE AC
// for each request, and how the offline count moves it.
func TestCardRiskManagement(t *testing.T) {
	p := Presets()[0]
	tests := []struct {
		name      string
		request   byte
		atc, last uint16
		pinUsed   int
		blocked   bool
		want      emv.CID
	}{
		{"AAC requested", emv.RequestAAC, 0x10, 0x0E, 0, false, emv.AAC},
		{"ARQC requested", emv.RequestARQC, 0x10, 0x0E, 0, false, emv.ARQC},
		{"TC within the lower limit", emv.RequestTC, 0x10, 0x0E, 0, false, emv.TC},
		{"TC beyond the lower limit goes online", emv.RequestTC, 0x10, 0x0B, 0, false, emv.ARQC},
		{"TC with PIN try limit exceeded goes online", emv.RequestTC, 0x10, 0x0E, 3, false, emv.ARQC},
		{"blocked application declines", emv.RequestARQC, 0x10, 0x0E, 0, true, emv.AAC},
		{"TC never rises above the request", emv.RequestTC, 0x10, 0x10, 0, false, emv.TC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof := presetProfile(t, p, SDA)
			a := &prof.Applications[0]
			a.ATC, a.LastOnline, a.PINTriesUsed, a.Blocked = tt.atc, tt.last, tt.pinUsed, tt.blocked
			card := newCard(t, prof, Config{})
			x := newTerm(t, card, false)
			r := x.ex(emv.Select(a.AID, false))
			x.collect(r.Data)
			x.must(emv.GetProcessingOptions(nil))
			for _, tag := range []tlv.Tag{0x8C} {
				x.data[tag] = a.CDOL1
			}
			cdol1, _ := emv.AppendDOLData(nil, a.CDOL1, x.value)
			g := parseGenAC(t, x.must(emv.GenerateAC(tt.request, cdol1)))
			if g.cid.Type() != tt.want {
				t.Fatalf("CID %v, want %v", g.cid, tt.want)
			}
			d := x.cryptogramData(g)
			d[0x82] = card.apps[0].aip[:]
			if err := issuer.VerifyCryptogram(p.CVN, TestIMK, a.PAN, a.PSN, d, g.ac); err != nil {
				t.Fatalf("cryptogram: %v", err)
			}
		})
	}
}

func TestUnableToGoOnline(t *testing.T) {
	for _, tt := range []struct {
		name string
		last uint16
		want emv.CID
	}{
		{"within the upper limit", 0x0C, emv.TC},
		{"beyond the upper limit", 0x08, emv.AAC},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prof := presetProfile(t, Presets()[0], SDA)
			a := &prof.Applications[0]
			a.LastOnline = tt.last
			card := newCard(t, prof, Config{})
			x := newTerm(t, card, false)
			x.start(a.AID)
			cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
			x.must(emv.GenerateAC(emv.RequestARQC, cdol1))
			x.data[0x8A] = []byte("Y3")
			cdol2, _ := emv.AppendDOLData(nil, x.data[0x8D], x.value)
			g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestTC, cdol2)))
			if g.cid.Type() != tt.want {
				t.Fatalf("CID %v, want %v", g.cid, tt.want)
			}
			if g.iad[4]&0x01 == 0 {
				t.Errorf("CVR %X: 'unable to go online' not set", g.iad[4:7])
			}
		})
	}
}

func TestGenerateACErrors(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	a := &prof.Applications[0]
	card := newCard(t, prof, Config{})
	x := newTerm(t, card, false)
	x.must(emv.Select(a.AID, false))
	cdol1, _ := emv.AppendDOLData(nil, a.CDOL1, x.value)
	if r := x.ex(emv.GenerateAC(emv.RequestARQC, cdol1)); r.SW != emv.SWConditionsNotSatisfied {
		t.Errorf("GENERATE AC before GPO: %v, want 6985", r.SW)
	}
	x.must(emv.GetProcessingOptions(nil))
	if r := x.ex(emv.GenerateAC(emv.RequestARQC, cdol1[1:])); r.SW != emv.SWWrongLength {
		t.Errorf("short CDOL1 data: %v, want 6700", r.SW)
	}
	if r := x.ex(emv.GenerateAC(0xC0, cdol1)); r.SW != swWrongP1P2 {
		t.Errorf("P1 C0: %v, want 6A86", r.SW)
	}
	x.must(emv.GenerateAC(emv.RequestTC, cdol1))
	if r := x.ex(emv.GenerateAC(emv.RequestTC, cdol1)); r.SW != emv.SWConditionsNotSatisfied {
		t.Errorf("second GENERATE AC after a TC: %v, want 6985", r.SW)
	}
}

func TestCDANotForAAC(t *testing.T) {
	prof := presetProfile(t, Presets()[2], CDA)
	a := &prof.Applications[0]
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.start(a.AID)
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestAAC|emv.RequestCDA, cdol1)))
	if g.cid.Type() != emv.AAC || g.sdad != nil || g.ac == nil {
		t.Fatalf("AAC with CDA requested: CID %v, SDAD %d bytes, AC %X; want AAC with 9F26 and no 9F4B", g.cid, len(g.sdad), g.ac)
	}
}

func TestCDAForAAC(t *testing.T) {
	prof := presetProfile(t, Presets()[2], CDA)
	a := &prof.Applications[0]
	a.CDAForAAC = true
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.start(a.AID)
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	r := x.must(emv.GenerateAC(emv.RequestAAC|emv.RequestCDA, cdol1))
	g := parseGenAC(t, r)
	if g.cid.Type() != emv.AAC || g.sdad == nil || g.ac != nil {
		t.Fatalf("AAC with CDA requested from a card that signs AACs: CID %v, SDAD %d bytes, AC %X; want a signed AAC without 9F26", g.cid, len(g.sdad), g.ac)
	}
	sdad, err := oda.VerifyCDA(a.Keys.ICC.Public(), oda.CDA{UN: x.data[0x9F37], PDOLData: x.pdol, CDOL1Data: cdol1, Response: r})
	if err != nil {
		t.Fatal(err)
	}
	if emv.CID(sdad.CID).Type() != emv.AAC {
		t.Errorf("signed CID %02X", sdad.CID)
	}
}

func TestCertificateChain(t *testing.T) {
	for _, p := range Presets() {
		for _, mode := range []ODAMode{SDA, DDA, CDA} {
			t.Run(p.Name+"/"+mode.String(), func(t *testing.T) {
				prof := presetProfile(t, p, mode)
				a := &prof.Applications[0]
				card := newCard(t, prof, Config{})
				x := newTerm(t, card, false)
				x.start(a.AID)
				if !bytes.Equal(x.static, card.StaticData(0)) {
					t.Fatalf("static data read %X, card says %X", x.static, card.StaticData(0))
				}
				store, err := oda.NewStore(a.Keys.CAPK)
				if err != nil {
					t.Fatal(err)
				}
				capk, err := store.Lookup(oda.RID(a.AID[:5]), x.data[0x8F][0])
				if err != nil {
					t.Fatal(err)
				}
				chk := oda.Checks{PAN: x.data[0x5A], Date: mustDate("2026-01-15")}
				ic, err := oda.RecoverIssuerCertificate(capk, x.data[0x90])
				if err != nil {
					t.Fatal(err)
				}
				ipk, err := ic.Verify(x.data[0x92], x.data[0x9F32], chk)
				if err != nil {
					t.Fatalf("issuer certificate: %v", err)
				}
				if mode == SDA {
					if _, err := oda.VerifySSAD(ipk, x.data[0x93], x.static); err != nil {
						t.Fatalf("SDA: %v", err)
					}
				}
				_, hasICC := x.data[0x9F46]
				if wantICC := mode != SDA || a.Keys.PIN == nil; hasICC != wantICC {
					t.Fatalf("ICC certificate present %v, want %v", hasICC, wantICC)
				}
				if hasICC {
					cc, err := oda.RecoverICCCertificate(ipk, x.data[0x9F46])
					if err != nil {
						t.Fatal(err)
					}
					if _, err := cc.Verify(x.data[0x9F48], x.data[0x9F47], x.static, chk); err != nil {
						t.Fatalf("ICC certificate: %v", err)
					}
				}
				if v, ok := x.data[0x9F2D]; ok {
					pc, err := oda.RecoverICCPINCertificate(ipk, v)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := pc.Verify(x.data[0x9F2F], x.data[0x9F2E], nil, chk); err != nil {
						t.Fatalf("ICC PIN certificate: %v", err)
					}
				}
				// A changed static data object must break the chain.
				bad := bytes.Clone(x.static)
				bad[len(bad)-1] ^= 1
				if mode == SDA {
					if _, err := oda.VerifySSAD(ipk, x.data[0x93], bad); !errors.Is(err, oda.ErrHash) {
						t.Errorf("SDA over changed data: %v, want ErrHash", err)
					}
				}
			})
		}
	}
}

// TestOtherCryptogramVersions personalises the ready-made profiles with the
// other versions emv/issuer implements, and runs the online transaction.
func TestOtherCryptogramVersions(t *testing.T) {
	for _, tt := range []struct {
		base Preset
		cvn  issuer.CVN
	}{
		{Presets()[1], issuer.VisaCVN22},
		{Presets()[2], issuer.MastercardCVN17},
		{Presets()[3], issuer.MastercardCVN21},
	} {
		p := Preset{Name: tt.cvn.String(), CVN: tt.cvn, New: func(mode ODAMode, o Options) (*Profile, error) {
			prof, err := tt.base.New(mode, o)
			if err == nil {
				prof.Applications[0].CVN = tt.cvn
			}
			return prof, err
		}}
		t.Run(p.Name, func(t *testing.T) {
			x, g2 := online(t, p, CDA, false, true)
			if g2.cid.Type() != emv.TC {
				t.Fatalf("second GENERATE AC: %v, want TC", g2.cid)
			}
			// Scripts: the versions derive the secure messaging key from
			// the ARQC, incremented per command.
			a := x.card.apps[0]
			s, err := issuer.NewScript(tt.cvn, issuer.ScriptKeys{SMI: TestIMKSMI, SMC: TestIMKSMC, AC: TestIMK}, a.pan, a.psn, g2.atc, x.card.t.arqc[:])
			if err != nil {
				t.Fatal(err)
			}
			if sw := x.script(s.PINChange("8642", "")); !sw.OK() {
				t.Fatalf("PIN CHANGE: %v", sw)
			}
			if sw := x.script(s.ApplicationBlock()); !sw.OK() {
				t.Fatalf("APPLICATION BLOCK: %v", sw)
			}
			if r := x.ex(emv.Verify(emv.PlaintextPIN, pinBlock(t, "8642"))); !r.SW.OK() {
				t.Fatalf("VERIFY with the changed PIN: %v", r.SW)
			}
		})
	}
}

// TestCVR reads the card verification results back with issuer.ParseIAD
// after an online transaction with offline PIN and CDA.
func TestCVR(t *testing.T) {
	for _, tt := range []struct {
		preset      Preset
		first, last []byte // CVR after the first and second GENERATE AC
	}{
		// Visa: length 03; ARQC, GENAC2 not requested, PIN performed; DDA
		// performed. Then TC after ARQC, and "issuer authentication not
		// performed after online authorisation": no EXTERNAL AUTHENTICATE.
		{Presets()[0], unhex("03A40002"), unhex("03640402")},
		// Mastercard: ARQC, PIN performed and successful; CDA in GENAC1;
		// PIN try counter 3; domestic; nothing in byte 5. Then TC, CDA in
		// GENAC2 too, issuer authentication performed.
		{Presets()[2], unhex("A5400302" + "0000"), unhex("6570030200" + "00")},
	} {
		t.Run(tt.preset.Name, func(t *testing.T) {
			prof := presetProfile(t, tt.preset, CDA)
			a := &prof.Applications[0]
			a.LastOnline = a.ATC // not a new card
			x := newTerm(t, newCard(t, prof, Config{}), false)
			if tt.preset.CVN >= issuer.MastercardCVN16 {
				x.data[0x9F1A] = a.Country[:]
			}
			x.start(a.AID)
			x.must(emv.Verify(emv.PlaintextPIN, pinBlock(t, TestPIN)))
			cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
			g1 := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestARQC|emv.RequestCDA, cdol1)))
			d1, err := issuer.ParseIAD(a.AID, g1.iad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(d1.CVR, tt.first) {
				t.Errorf("CVR after the first GENERATE AC %X, want %X", d1.CVR, tt.first)
			}
			x.data[0x8A] = []byte("00")
			x.data[0x91] = make([]byte, 10)
			if a.issuerAuthInCDOL2() {
				sdad, err := oda.VerifyCDA(a.Keys.ICC.Public(), oda.CDA{UN: x.data[0x9F37], PDOLData: x.pdol, CDOL1Data: cdol1, Response: g1.raw})
				if err != nil {
					t.Fatal(err)
				}
				arpc, _ := issuer.ARPC(tt.preset.CVN, TestIMK, a.PAN, a.PSN, x.cryptogramData(g1), sdad.AC, []byte("00"))
				x.data[0x91], _ = issuer.IssuerAuthenticationData(tt.preset.CVN, arpc, []byte("00"), nil)
			}
			cdol2, _ := emv.AppendDOLData(nil, x.data[0x8D], x.value)
			g2 := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestTC|emv.RequestCDA, cdol2)))
			d2, err := issuer.ParseIAD(a.AID, g2.iad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(d2.CVR, tt.last) {
				t.Errorf("CVR after the second GENERATE AC (%v) %X, want %X", g2.cid, d2.CVR, tt.last)
			}
		})
	}
}
