package cardsim

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

func TestSelectPSEAndDirectory(t *testing.T) {
	prof, err := TwoApplications(Options{Keys: testKeys(t, Presets()[0].CVN)})
	if err != nil {
		t.Fatal(err)
	}
	x := newTerm(t, newCard(t, prof, Config{}), false)
	fci := x.must(emv.Select(PSEName, false))
	sfi, err := tlv.FindPath(fci, 0x6F, 0xA5, 0x88)
	if err != nil || !bytes.Equal(sfi.Value, []byte{1}) {
		t.Fatalf("PSE FCI %X: SFI %v", fci, err)
	}
	var aids [][]byte
	var prios []byte
	for rec := byte(1); ; rec++ {
		r := x.ex(emv.ReadRecord(1, rec))
		if r.SW == emv.SWRecordNotFound {
			break
		}
		if !r.SW.OK() {
			t.Fatalf("READ RECORD %d: %v", rec, r.SW)
		}
		e, err := tlv.FindPath(r.Data, 0x70, 0x61, 0x4F)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := tlv.FindPath(r.Data, 0x70, 0x61, 0x87)
		aids = append(aids, e.Value)
		prios = append(prios, p.Value[0])
	}
	if len(aids) != 2 || !bytes.Equal(aids[0], unhex("A0000000032010")) || !bytes.Equal(aids[1], unhex("A0000000031010")) {
		t.Fatalf("directory AIDs %X", aids)
	}
	if prios[0] != 0x81 || prios[1] != 0x02 {
		t.Errorf("priorities %X, want 81 (confirmation required, 1) and 02", prios)
	}
}

func TestSelectPSEAbsent(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	prof.PSE = false
	x := newTerm(t, newCard(t, prof, Config{}), false)
	if r := x.ex(emv.Select(PSEName, false)); r.SW != emv.SWFileNotFound {
		t.Fatalf("SELECT PSE on a card without: %v, want 6A82", r.SW)
	}
	if r := x.ex(emv.Select(PPSEName, false)); r.SW != emv.SWFileNotFound {
		t.Fatalf("SELECT PPSE on a card without: %v, want 6A82", r.SW)
	}
}

func TestSelectPPSE(t *testing.T) {
	prof := presetProfile(t, Presets()[2], CDA)
	prof.PPSE = true
	x := newTerm(t, newCard(t, prof, Config{}), false)
	fci := x.must(emv.Select(PPSEName, false))
	e, err := tlv.FindPath(fci, 0x6F, 0xA5, 0xBF0C, 0x61, 0x4F)
	if err != nil || !bytes.Equal(e.Value, prof.Applications[0].AID) {
		t.Fatalf("PPSE FCI %X: %v", fci, err)
	}
}

func TestSelectPartialAndNext(t *testing.T) {
	prof, err := TwoApplications(Options{Keys: testKeys(t, Presets()[0].CVN)})
	if err != nil {
		t.Fatal(err)
	}
	x := newTerm(t, newCard(t, prof, Config{}), false)
	rid := unhex("A000000003")
	var got [][]byte
	next := false
	for range 4 {
		r := x.ex(emv.Select(rid, next))
		next = true
		if r.SW == emv.SWFileNotFound {
			break
		}
		if !r.SW.OK() {
			t.Fatalf("SELECT: %v", r.SW)
		}
		df, err := tlv.FindPath(r.Data, 0x6F, 0x84)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, df.Value)
	}
	if len(got) != 2 || !bytes.Equal(got[0], unhex("A0000000032010")) || !bytes.Equal(got[1], unhex("A0000000031010")) {
		t.Fatalf("partial selection found %X, want both applications in order", got)
	}
	if r := x.ex(emv.Select(unhex("A0000000"), false)); r.SW != emv.SWFileNotFound {
		t.Errorf("SELECT of 4 bytes: %v, want 6A82", r.SW)
	}
	if r := x.ex(emv.Select(unhex("A0000000041010"), false)); r.SW != emv.SWFileNotFound {
		t.Errorf("SELECT of an absent AID: %v, want 6A82", r.SW)
	}
}

func TestSelectBlocked(t *testing.T) {
	o := Options{Keys: testKeys(t, Presets()[0].CVN)}
	for _, t0 := range []bool{false, true} {
		app, err := BlockedApplication(o)
		if err != nil {
			t.Fatal(err)
		}
		x := newTerm(t, newCard(t, app, Config{T0: t0}), t0)
		r := x.ex(emv.Select(app.Applications[0].AID, false))
		if r.SW != emv.SWFileDeactivated || len(r.Data) == 0 {
			t.Errorf("T=0 %v: SELECT of a blocked application: %v with %d bytes, want 6283 with the FCI", t0, r.SW, len(r.Data))
		}
		if st := x.card.State(); !st.ApplicationBlocked {
			t.Errorf("State().ApplicationBlocked = false")
		}
	}
	card, err := BlockedCard(o)
	if err != nil {
		t.Fatal(err)
	}
	x := newTerm(t, newCard(t, card, Config{}), false)
	for _, name := range [][]byte{PSEName, card.Applications[0].AID} {
		if r := x.ex(emv.Select(name, false)); r.SW != emv.SWFunctionNotSupported {
			t.Errorf("SELECT %X on a blocked card: %v, want 6A81", name, r.SW)
		}
	}
}

func TestFCI(t *testing.T) {
	prof := presetProfile(t, Presets()[1], CDA)
	x := newTerm(t, newCard(t, prof, Config{}), false)
	fci := x.must(emv.Select(prof.Applications[0].AID, false))
	for _, tt := range []struct {
		path []tlv.Tag
		want []byte
	}{
		{[]tlv.Tag{0x6F, 0x84}, prof.Applications[0].AID},
		{[]tlv.Tag{0x6F, 0xA5, 0x50}, []byte("VISA DEBIT")},
		{[]tlv.Tag{0x6F, 0xA5, 0x87}, []byte{1}},
		{[]tlv.Tag{0x6F, 0xA5, 0x9F38}, visaPDOL},
		{[]tlv.Tag{0x6F, 0xA5, 0x5F2D}, []byte("en")},
		{[]tlv.Tag{0x6F, 0xA5, 0x9F12}, []byte("CARDSIM VISA")},
		{[]tlv.Tag{0x6F, 0xA5, 0xBF0C, 0x9F4D}, []byte{11, 10}},
	} {
		o, err := tlv.FindPath(fci, tt.path...)
		if err != nil || !bytes.Equal(o.Value, tt.want) {
			t.Errorf("FCI %v = %X, %v; want %X", tt.path, o.Value, err, tt.want)
		}
	}
}

func TestSelectPSEBlocked(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	prof.PSEBlocked = true
	x := newTerm(t, newCard(t, prof, Config{}), false)
	if r := x.ex(emv.Select(PSEName, false)); r.SW != emv.SWFileDeactivated {
		t.Fatalf("SELECT of a blocked PSE: %v, want 6283", r.SW)
	}
	x.must(emv.Select(prof.Applications[0].AID, false))
}

// TestDDF walks a PSE whose directory holds a DDF: the terminal must
// select the DDF and read its directory to find the application.
func TestDDF(t *testing.T) {
	prof, err := TwoApplications(Options{Keys: testKeys(t, Presets()[0].CVN)})
	if err != nil {
		t.Fatal(err)
	}
	ddf := []byte("VISA.DDF.01")
	prof.Applications[0].DDF = ddf
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.must(emv.Select(PSEName, false))
	r1 := x.must(emv.ReadRecord(1, 1))
	o, err := tlv.FindPath(r1, 0x70, 0x61, 0x9D)
	if err != nil || !bytes.Equal(o.Value, ddf) {
		t.Fatalf("PSE record 1 %X: want the DDF entry", r1)
	}
	r2 := x.must(emv.ReadRecord(1, 2))
	if o, err := tlv.FindPath(r2, 0x70, 0x61, 0x4F); err != nil || !bytes.Equal(o.Value, prof.Applications[1].AID) {
		t.Fatalf("PSE record 2 %X: want the application outside the DDF", r2)
	}
	if r := x.ex(emv.ReadRecord(1, 3)); r.SW != emv.SWRecordNotFound {
		t.Fatalf("PSE record 3: %v, want 6A83", r.SW)
	}
	fci := x.must(emv.Select(ddf, false))
	if s, err := tlv.FindPath(fci, 0x6F, 0xA5, 0x88); err != nil || s.Value[0] != 1 {
		t.Fatalf("DDF FCI %X", fci)
	}
	d := x.must(emv.ReadRecord(1, 1))
	if o, err := tlv.FindPath(d, 0x70, 0x61, 0x4F); err != nil || !bytes.Equal(o.Value, prof.Applications[0].AID) {
		t.Fatalf("DDF record 1 %X: want the application under the DDF", d)
	}
}
