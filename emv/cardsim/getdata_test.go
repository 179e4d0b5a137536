package cardsim

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/emv"
)

func TestGetData(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.must(emv.Select(prof.Applications[0].AID, false))
	x.must(emv.GetProcessingOptions(nil))
	for _, tt := range []struct {
		tag  uint16
		want []byte
		sw   emv.StatusWord
	}{
		{0x9F36, unhex("9F36020011"), emv.SWSuccess},
		{0x9F13, unhex("9F1302000E"), emv.SWSuccess},
		{0x9F17, unhex("9F170103"), emv.SWSuccess},
		{0x9F4F, append(unhex("9F4F10"), logFormat...), emv.SWSuccess},
		{0x9F14, unhex("9F140103"), emv.SWSuccess},
		{0x9F23, unhex("9F230105"), emv.SWSuccess},
		{0x5A, nil, emv.SWReferencedDataNotFound},
	} {
		r := x.ex(emv.GetData(tt.tag))
		if r.SW != tt.sw || !bytes.Equal(r.Data, tt.want) {
			t.Errorf("GET DATA %04X = %X %v, want %X %v", tt.tag, r.Data, r.SW, tt.want, tt.sw)
		}
	}
}
