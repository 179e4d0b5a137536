package cardsim

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv"
)

// raw sends command bytes straight to the card.
func raw(t *testing.T, c *Card, cmd []byte) ([]byte, emv.StatusWord) {
	t.Helper()
	b, err := c.Transmit(cmd)
	if err != nil {
		t.Fatal(err)
	}
	r, err := emv.ParseResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	return r.Data, r.SW
}

func TestT0(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	aid := prof.Applications[0].AID
	card := newCard(t, prof, Config{T0: true})
	// Case 4 without Le: 61xx, then GET RESPONSE.
	sel := append([]byte{0x00, 0xA4, 0x04, 0x00, byte(len(aid))}, aid...)
	data, sw := raw(t, card, sel)
	if len(data) != 0 || sw.SW1() != 0x61 {
		t.Fatalf("SELECT over T=0: %X %v, want 61xx alone", data, sw)
	}
	n := int(sw.SW2())
	part, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, byte(n - 5)})
	if len(part) != n-5 || sw != emv.SWBytesAvailable|5 {
		t.Fatalf("GET RESPONSE of %d: %d bytes %v, want 6105", n-5, len(part), sw)
	}
	rest, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, 0x05})
	if len(rest) != 5 || !sw.OK() {
		t.Fatalf("GET RESPONSE of the rest: %d bytes %v", len(rest), sw)
	}
	if fci := append(part, rest...); !bytes.Equal(fci, card.apps[0].fci) {
		t.Fatalf("FCI over T=0 %X, want %X", fci, card.apps[0].fci)
	}
	if _, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, 0x00}); sw != emv.SWConditionsNotSatisfied {
		t.Errorf("GET RESPONSE with nothing waiting: %v, want 6985", sw)
	}
	// Case 2 with Le 00: 6Cxx, then the exact length.
	if _, sw := raw(t, card, []byte{0x80, 0xA8, 0x00, 0x00, 0x02, 0x83, 0x00}); sw.SW1() != 0x61 {
		t.Fatalf("GPO over T=0: %v, want 61xx", sw)
	}
	_, sw = raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, 0x00})
	if sw.SW1() != 0x6C {
		t.Fatalf("GET RESPONSE with Le 00 for fewer bytes: %v, want 6Cxx", sw)
	}
	if _, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, sw.SW2()}); !sw.OK() {
		t.Fatalf("GET RESPONSE with the right Le: %v", sw)
	}
	_, sw = raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, 0x00})
	if sw.SW1() != 0x6C {
		t.Fatalf("READ RECORD with Le 00 over T=0: %v, want 6Cxx", sw)
	}
	rec, sw := raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, sw.SW2()})
	if !sw.OK() || !bytes.Equal(rec, card.apps[0].records[recKey(1, 1)]) {
		t.Fatalf("READ RECORD with the right Le: %X %v", rec, sw)
	}
}

func TestT1LeShort(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	card := newCard(t, prof, Config{})
	raw(t, card, append([]byte{0x00, 0xA4, 0x04, 0x00, 7}, prof.Applications[0].AID...))
	raw(t, card, []byte{0x80, 0xA8, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00})
	if _, sw := raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, 0x04}); sw.SW1() != 0x6C {
		t.Errorf("READ RECORD with Le 4: %v, want 6Cxx", sw)
	}
	if _, sw := raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, 0x00}); !sw.OK() {
		t.Errorf("READ RECORD with Le 00: %v", sw)
	}
}

func TestMalformedCommands(t *testing.T) {
	card := newCard(t, presetProfile(t, Presets()[0], SDA), Config{})
	for _, tt := range []struct {
		name string
		cmd  []byte
		want emv.StatusWord
	}{
		{"three bytes", []byte{0x00, 0xA4, 0x04}, emv.SWWrongLength},
		{"Lc beyond the data", []byte{0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0}, emv.SWWrongLength},
		{"Lc 00 with data (extended length)", []byte{0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x07}, emv.SWWrongLength},
		{"unknown class", []byte{0xF0, 0xA4, 0x04, 0x00, 0x00}, emv.SWClassNotSupported},
		{"unknown instruction", []byte{0x00, 0x12, 0x00, 0x00}, emv.SWInstructionNotSupported},
		{"SELECT by file identifier", []byte{0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00}, swWrongP1P2},
		{"GPO without a selected application", []byte{0x80, 0xA8, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00}, emv.SWConditionsNotSatisfied},
		{"INTERNAL AUTHENTICATE on an SDA card", []byte{0x00, 0x88, 0x00, 0x00, 0x04, 1, 2, 3, 4, 0x00}, emv.SWInstructionNotSupported},
	} {
		if _, sw := raw(t, card, tt.cmd); sw != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, sw, tt.want)
		}
	}
}

func TestExternalAuthenticateRules(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	x := selected(t, prof)
	arpc := make([]byte, 10)
	if r := x.ex(emv.ExternalAuthenticate(arpc)); r.SW != emv.SWConditionsNotSatisfied {
		t.Errorf("EXTERNAL AUTHENTICATE before GENERATE AC: %v, want 6985", r.SW)
	}
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	x.must(emv.GenerateAC(emv.RequestARQC, cdol1))
	if r := x.ex(emv.ExternalAuthenticate(arpc)); r.SW != 0x6300 {
		t.Errorf("EXTERNAL AUTHENTICATE with a zero ARPC: %v, want 6300", r.SW)
	}
	if r := x.ex(emv.ExternalAuthenticate(arpc)); r.SW != emv.SWConditionsNotSatisfied {
		t.Errorf("second EXTERNAL AUTHENTICATE: %v, want 6985", r.SW)
	}
	mc := selected(t, presetProfile(t, Presets()[2], SDA))
	if r := mc.ex(emv.ExternalAuthenticate(arpc)); r.SW != emv.SWInstructionNotSupported {
		t.Errorf("EXTERNAL AUTHENTICATE on a card with the ARPC in CDOL2: %v, want 6D00", r.SW)
	}
}

func TestLastOnlineNotCompleted(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	x := selected(t, prof)
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	x.must(emv.GenerateAC(emv.RequestARQC, cdol1))
	// The terminal stops: the next transaction asks for a TC and is sent
	// online.
	x.start(prof.Applications[0].AID)
	g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestTC, cdol1)))
	if g.cid.Type() != emv.ARQC || g.iad[5]&0x80 == 0 {
		t.Fatalf("after an unfinished online transaction: %v, CVR %X; want ARQC with 'last online not completed'", g.cid, g.iad[4:7])
	}
}

func TestNewErrors(t *testing.T) {
	good := presetProfile(t, Presets()[0], SDA)
	for _, tt := range []struct {
		name  string
		field string
		edit  func(*Application)
	}{
		{"PAN with a letter", "PAN", func(a *Application) { a.PAN = "47617390010101A9" }},
		{"short AID", "AID", func(a *Application) { a.AID = a.AID[:4] }},
		{"expiry not a date", "Expiry", func(a *Application) { a.Expiry = "301301" }},
		{"CDOL1 without the unpredictable number for CDA", "CDOL1", func(a *Application) { a.ODA = CDA; a.CDOL1 = unhex("9F0206") }},
		{"CDOL1 without the data the cryptogram needs", "CDOL1", func(a *Application) { a.CDOL1 = unhex("9F02069F3704") }},
		{"no IMK", "IMK", func(a *Application) { a.IMK = nil }},
		{"SDA without keys", "Keys", func(a *Application) { a.Keys = nil }},
		{"PIN of 3 digits", "PIN", func(a *Application) { a.PIN = "123" }},
		{"unknown CVN", "CVN", func(a *Application) { a.CVN = 0 }},
	} {
		p := *good
		p.Applications = []Application{good.Applications[0]}
		tt.edit(&p.Applications[0])
		_, err := New(&p, Config{})
		var pe *ProfileError
		if !errors.As(err, &pe) || pe.Field != tt.field || !errors.Is(err, ErrProfile) {
			t.Errorf("%s: New = %v, want a ProfileError on %s", tt.name, err, tt.field)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, good.Applications[0].PAN) || strings.Contains(msg, TestPIN) {
			t.Errorf("%s: error %q shows card data", tt.name, msg)
		}
	}
	if _, err := New(&Profile{}, Config{}); !errors.Is(err, ErrProfile) {
		t.Errorf("New without applications: %v", err)
	}
}

func TestNoSecretsInStrings(t *testing.T) {
	prof := presetProfile(t, Presets()[0], DDA)
	card := newCard(t, prof, Config{})
	for _, s := range []string{card.String(), prof.Applications[0].Keys.ICC.String()} {
		if strings.Contains(s, prof.Applications[0].PAN) || strings.Contains(s, TestPIN) {
			t.Errorf("String() = %q shows card data", s)
		}
	}
}

func TestSeededProfilesAreDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("generates keys twice")
	}
	a, err := VisaCVN10(CDA, Options{Seed: 99})
	if err != nil {
		t.Fatal(err)
	}
	b, err := VisaCVN10(CDA, Options{Seed: 99})
	if err != nil {
		t.Fatal(err)
	}
	ca := newCard(t, a, Config{Rand: seeded(1)})
	cb := newCard(t, b, Config{Rand: seeded(1)})
	for k, r := range ca.apps[0].records {
		if !bytes.Equal(r, cb.apps[0].records[k]) {
			t.Fatalf("record %04X differs between two profiles from the same seed", k)
		}
	}
}

func TestPrivateRID(t *testing.T) {
	rid := [5]byte{0xF0, 0, 0, 0, 0x42}
	k, err := SeededKeys(3, rid)
	if err != nil {
		t.Fatal(err)
	}
	p, err := MastercardCVN20(CDA, Options{Keys: k, RID: rid})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Applications[0].AID[:5], rid[:]) || p.Applications[0].Keys.CAPK.RID != rid {
		t.Fatalf("AID %X, CA key RID %v; want both under %X", p.Applications[0].AID, p.Applications[0].Keys.CAPK.RID, rid)
	}
	newCard(t, p, Config{})
}
