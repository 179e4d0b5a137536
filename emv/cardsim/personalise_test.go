package cardsim

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

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

func TestAppDataInHighSFI(t *testing.T) {
	for _, mode := range []ODAMode{SDA, CDA} {
		prof := presetProfile(t, Presets()[2], mode)
		prof.Applications[0].AppDataSFI = 12
		card := newCard(t, prof, Config{})
		x := newTerm(t, card, false)
		x.start(prof.Applications[0].AID)
		// term.start takes the template value for every SFI; the card
		// signed whole records for SFI 12.
		if bytes.Equal(x.static, card.StaticData(0)) {
			t.Fatal("static data of SFI 12 taken as template values")
		}
		r1, r2 := x.must(emv.ReadRecord(12, 1)), x.must(emv.ReadRecord(12, 2))
		rec1, _ := tlv.DecodeOne(x.must(emv.ReadRecord(1, 1)))
		want := append(append(append(bytes.Clone(rec1.Value), r1...), r2...), x.data[0x82]...)
		if !bytes.Equal(want, card.StaticData(0)) {
			t.Fatalf("static data %X, want %X", card.StaticData(0), want)
		}
		afl := x.data[0x94]
		if afl[4] != 12<<3 {
			t.Errorf("AFL %X does not name SFI 12", afl)
		}
	}
}

func TestAFLOverrideAndExtraData(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	prof.Applications[0].AFL = unhex("00010100")
	prof.Applications[0].ExtraData = unhex("5A084761739001010119")
	card := newCard(t, prof, Config{})
	x := newTerm(t, card, false)
	x.must(emv.Select(prof.Applications[0].AID, false))
	r := x.must(emv.GetProcessingOptions(nil))
	if !bytes.Equal(r[4:], unhex("00010100")) {
		t.Errorf("GPO response %X, want the AFL of the profile", r)
	}
	all, err := tlv.FindAll(x.must(emv.ReadRecord(2, 1)), 0x5A)
	if err != nil || len(all) != 1 {
		t.Fatal(all, err)
	}
	all, err = tlv.FindAll(x.must(emv.ReadRecord(2, 2)), 0x5A)
	if err != nil || len(all) != 1 {
		t.Errorf("record 2 with ExtraData: %d 5A objects, %v", len(all), err)
	}
}

func TestStringsMask(t *testing.T) {
	prof := presetProfile(t, Presets()[0], CDA)
	a := prof.Applications[0]
	for _, s := range []string{a.String(), prof.String(), a.Keys.String(), fmt.Sprint(prof)} {
		for _, secret := range []string{a.PAN, "PIN:" + a.PIN, fmt.Sprintf("%X", a.IMK), fmt.Sprintf("%x", a.IMK)} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows a secret", s)
			}
		}
	}
	if want := "application A0000000031010 \"VISA CREDIT\", PAN 476173******0119, Visa CVN 10, CDA"; a.String() != want {
		t.Errorf("String() = %q, want %q", a.String(), want)
	}
}
