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

func TestFaultStatus(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	aid := prof.Applications[0].AID
	card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultStatus, INS: 0xA8, Nth: 1, SW: emv.SWConditionsNotSatisfied}}})
	x := newTerm(t, card, false)
	x.must(emv.Select(aid, false))
	if r := x.ex(emv.GetProcessingOptions(nil)); r.SW != emv.SWConditionsNotSatisfied || len(r.Data) != 0 {
		t.Fatalf("GPO with a substituted status: %X %v, want 6985 alone", r.Data, r.SW)
	}
	// Only the first GPO: after re-selection the card answers.
	x.must(emv.Select(aid, false))
	x.must(emv.GetProcessingOptions(nil))
}

func TestFaultWarningKeepsData(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultStatus, INS: 0xA4, SW: emv.SWFileDeactivated}}})
	x := newTerm(t, card, false)
	if r := x.ex(emv.Select(prof.Applications[0].AID, false)); r.SW != emv.SWFileDeactivated || len(r.Data) == 0 {
		t.Fatalf("SELECT with 6283 substituted: %d bytes %v", len(r.Data), r.SW)
	}
}

func TestFaultDrop(t *testing.T) {
	prof := presetProfile(t, Presets()[2], CDA)
	a := &prof.Applications[0]
	for _, tag := range []tlv.Tag{0x5A, 0x8C, 0x94, 0x9F46} {
		card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultDrop, INS: 0xB2, Tag: tag}, {Kind: FaultDrop, INS: 0xA8, Tag: tag}}})
		x := newTerm(t, card, false)
		x.collect(x.must(emv.Select(a.AID, false)))
		r := x.must(emv.GetProcessingOptions(nil))
		if tag == 0x94 {
			if _, err := tlv.Find(r, 0x94); err == nil {
				t.Errorf("GPO response %X still has the AFL", r)
			}
			continue
		}
		x.collect(r)
		entries, _ := emv.ParseAFL(x.data[0x94])
		for _, e := range entries {
			for rec := e.First; rec <= e.Last; rec++ {
				b := x.must(emv.ReadRecord(e.SFI, rec))
				if err := tlv.Validate(b); err != nil {
					t.Fatalf("record after dropping %v: %v", tag, err)
				}
				x.collect(b)
			}
		}
		if _, ok := x.data[tag]; ok {
			t.Errorf("tag %v still read after FaultDrop", tag)
		}
	}
}

func TestFaultRetag(t *testing.T) {
	prof := presetProfile(t, Presets()[2], NoODA) // format 2: the AFL is a TLV
	a := &prof.Applications[0]
	card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultRetag, INS: 0xB2, Nth: 1, Tag: 0x71}}})
	x := newTerm(t, card, false)
	x.collect(x.must(emv.Select(a.AID, false)))
	x.collect(x.must(emv.GetProcessingOptions(nil)))
	entries, _ := emv.ParseAFL(x.data[0x94])
	r := x.must(emv.ReadRecord(entries[0].SFI, entries[0].First))
	o, err := tlv.DecodeOne(r)
	if err != nil || o.Tag != 0x71 || len(o.Children) == 0 {
		t.Fatalf("retagged record %X: %v", r, err)
	}
	if r2 := x.must(emv.ReadRecord(entries[0].SFI, entries[0].First)); r2[0] != 0x70 {
		t.Errorf("second read %X: the fault fired again", r2)
	}
	if FaultRetag.String() != "retag template" {
		t.Error(FaultRetag.String())
	}
}

func TestFaultBadSignature(t *testing.T) {
	prof := presetProfile(t, Presets()[0], CDA)
	a := &prof.Applications[0]
	card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultBadSignature, INS: 0x88}, {Kind: FaultBadSignature, INS: 0xAE}}})
	x := newTerm(t, card, false)
	x.start(a.AID)
	ddol, _ := emv.AppendDOLData(nil, x.data[0x9F49], x.value)
	if _, err := oda.VerifyDDA(a.Keys.ICC.Public(), sdadOf(t, x.must(emv.InternalAuthenticate(ddol))), ddol); err == nil {
		t.Error("DDA signature verifies despite FaultBadSignature")
	}
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	r := x.must(emv.GenerateAC(emv.RequestARQC|emv.RequestCDA, cdol1))
	_, err := oda.VerifyCDA(a.Keys.ICC.Public(), oda.CDA{UN: x.data[0x9F37], PDOLData: x.pdol, CDOL1Data: cdol1, Response: r})
	if err == nil {
		t.Error("CDA signature verifies despite FaultBadSignature")
	}
}

func TestFaultBadCertificate(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultBadSignature, INS: 0xB2}}})
	x := newTerm(t, card, false)
	x.start(prof.Applications[0].AID)
	capk := prof.Applications[0].Keys.CAPK
	if _, err := oda.RecoverIssuerCertificate(capk, x.data[0x90]); err == nil {
		t.Error("issuer certificate recovers despite FaultBadSignature")
	}
}

func TestFaultCorruptIsSeeded(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	run := func(seed uint64) [][]byte {
		card := newCard(t, prof, Config{FaultSeed: seed, Faults: []Fault{{Kind: FaultCorrupt, INS: 0xB2, Probability: 0.5}}})
		x := newTerm(t, card, false)
		x.must(emv.Select(prof.Applications[0].AID, false))
		x.must(emv.GetProcessingOptions(nil))
		var out [][]byte
		for rec := byte(1); rec <= 2; rec++ {
			for range 4 {
				out = append(out, x.ex(emv.ReadRecord(2, rec)).Data)
			}
		}
		return out
	}
	a, b := run(42), run(42)
	corrupted := 0
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("response %d differs between runs with the same seed", i)
		}
		if tlv.Validate(a[i]) != nil || !bytes.Equal(a[i], newCard(t, prof, Config{}).apps[0].records[recKey(2, byte(1+i/4))]) {
			corrupted++
		}
	}
	if corrupted == 0 || corrupted == len(a) {
		t.Errorf("%d of %d responses corrupted with probability 0.5", corrupted, len(a))
	}
}

func TestFaultMute(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultMute, INS: 0xA4, Nth: 2}}})
	x := emv.Transport{Card: card}
	if _, err := x.Exchange(emv.Select(PSEName, false)); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Exchange(emv.Select(PSEName, false)); !errors.Is(err, ErrFault) {
		t.Fatalf("second SELECT: %v, want ErrFault", err)
	}
}

func TestFaultDoesNotChangeRecords(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultBadSignature, INS: 0xB2, Nth: 5}, {Kind: FaultCorrupt, INS: 0xB2, Nth: 1}}})
	before := bytes.Clone(card.apps[0].records[recKey(3, 1)])
	before1 := bytes.Clone(card.apps[0].records[recKey(1, 1)])
	x := newTerm(t, card, false)
	x.must(emv.Select(prof.Applications[0].AID, false))
	x.must(emv.GetProcessingOptions(nil))
	x.ex(emv.ReadRecord(1, 1))
	for rec := byte(1); rec <= 2; rec++ {
		x.ex(emv.ReadRecord(2, rec))
	}
	x.ex(emv.ReadRecord(3, 1))
	x.ex(emv.ReadRecord(3, 1))
	if !bytes.Equal(card.apps[0].records[recKey(3, 1)], before) || !bytes.Equal(card.apps[0].records[recKey(1, 1)], before1) {
		t.Fatal("a fault changed the card's records")
	}
}

func TestFaultCID(t *testing.T) {
	for _, tt := range []struct {
		name    string
		request byte
		cid     emv.CID
	}{
		{"TC when an ARQC was asked for", emv.RequestARQC, emv.TC},
		{"ARQC with advice", emv.RequestTC, emv.ARQC | 0x08},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prof := presetProfile(t, Presets()[2], CDA)
			a := &prof.Applications[0]
			card := newCard(t, prof, Config{Faults: []Fault{{Kind: FaultCID, INS: 0xAE, Nth: 1, CID: tt.cid}}})
			x := newTerm(t, card, false)
			x.start(a.AID)
			cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
			r := x.must(emv.GenerateAC(tt.request|emv.RequestCDA, cdol1))
			g := parseGenAC(t, r)
			if g.cid != tt.cid {
				t.Fatalf("CID %v, want %v", g.cid, tt.cid)
			}
			sdad, err := oda.VerifyCDA(a.Keys.ICC.Public(), oda.CDA{UN: x.data[0x9F37], PDOLData: x.pdol, CDOL1Data: cdol1, Response: r})
			if err != nil {
				t.Fatalf("CDA: %v", err)
			}
			if err := issuer.VerifyCryptogram(a.CVN, TestIMK, a.PAN, a.PSN, x.cryptogramData(g), sdad.AC); err != nil {
				t.Fatalf("cryptogram: %v", err)
			}
		})
	}
}
