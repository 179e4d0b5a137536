package cardsim

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

func TestRecords(t *testing.T) {
	prof := presetProfile(t, Presets()[0], DDA)
	a := &prof.Applications[0]
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.start(a.AID)
	for _, tt := range []struct {
		tag  tlv.Tag
		want []byte
	}{
		{0x5A, unhex("4761739001010119")},
		{0x5F34, unhex("01")},
		{0x5F24, unhex("301231")},
		{0x5F25, unhex("240101")},
		{0x5F30, unhex("0201")},
		{0x57, unhex("4761739001010119D301220110000123")},
		{0x5F20, []byte("CARDSIM/VISA TEST")},
		{0x9F07, unhex("FF00")},
		{0x9F08, unhex("0096")},
		{0x9F42, unhex("0840")},
		{0x9F14, []byte{3}},
		{0x9F23, []byte{5}},
		{0x8C, cdol1},
		{0x8D, visaCDOL2},
		{0x9F49, ddol},
		{0x9F0E, unhex("0010000000")},
		{0x9F4A, []byte{0x82}},
		{0x8F, []byte{TestCAPKIndex}},
		{0x82, unhex("3C00")},
	} {
		if got := x.data[tt.tag]; !bytes.Equal(got, tt.want) {
			t.Errorf("%s = %X, want %X", emv.Name(tt.tag), got, tt.want)
		}
	}
	l, err := emv.ParseCVMList(x.data[0x8E])
	if err != nil || len(l.Rules) != 5 || l.Rules[0].Code != emv.CVMEncipheredPINOffline {
		t.Errorf("CVM list %X: %v", x.data[0x8E], err)
	}
	if _, ok := x.data[0x9F2D]; !ok {
		t.Errorf("Visa DDA card without the ICC PIN encipherment certificate 9F2D")
	}
	if r := x.ex(emv.ReadRecord(2, 3)); r.SW != emv.SWRecordNotFound {
		t.Errorf("READ RECORD of an absent record: %v, want 6A83", r.SW)
	}
	if r := x.ex(emv.ReadRecord(9, 1)); r.SW != emv.SWFileNotFound {
		t.Errorf("READ RECORD of an absent file: %v, want 6A82", r.SW)
	}
	if r := x.ex(emv.Command{CLA: 0, INS: 0xB2, P1: 1, P2: 0x0D, Le: 256}); r.SW != swWrongP1P2 {
		t.Errorf("READ RECORD with P2 b3-b1 = 100 missing: %v, want 6A86", r.SW)
	}
}

func TestReadRecordBeforeSelect(t *testing.T) {
	x := newTerm(t, newCard(t, presetProfile(t, Presets()[0], SDA), Config{}), false)
	if r := x.ex(emv.ReadRecord(1, 1)); r.SW != emv.SWConditionsNotSatisfied {
		t.Errorf("READ RECORD before SELECT: %v, want 6985", r.SW)
	}
}

func TestTransactionLog(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	a := &prof.Applications[0]
	card := newCard(t, prof, Config{})
	x := newTerm(t, card, false)
	for i := range 12 {
		x.start(a.AID)
		cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
		req := emv.RequestAAC
		if i == 11 {
			req = emv.RequestTC
		}
		x.must(emv.GenerateAC(req, cdol1))
	}
	if n := card.State().LogEntries; n != 10 {
		t.Fatalf("log entries %d, want 10 (the log is full)", n)
	}
	r := x.must(emv.ReadRecord(11, 1))
	// Amount, currency, date, type, ATC, CID of the last completed
	// transaction: the twelfth asked for a TC beyond the lower
	// consecutive offline limit, got an ARQC and is not complete.
	want := unhex("000000001500" + "0840" + "260115" + "00" + "001B" + "00")
	if !bytes.Equal(r, want) {
		t.Errorf("log record 1 = %X, want %X", r, want)
	}
	if r := x.ex(emv.ReadRecord(11, 11)); r.SW != emv.SWRecordNotFound {
		t.Errorf("log record 11: %v, want 6A83", r.SW)
	}
}
