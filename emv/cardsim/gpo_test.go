package cardsim

import (
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

func TestGPO(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			prof := presetProfile(t, p, CDA)
			a := &prof.Applications[0]
			card := newCard(t, prof, Config{})
			x := newTerm(t, card, false)
			x.collect(x.must(emv.Select(a.AID, false)))
			pdol, _ := emv.AppendDOLData(nil, x.data[0x9F38], x.value)
			if len(pdol) > 0 {
				if r := x.ex(emv.GetProcessingOptions(pdol[1:])); r.SW != emv.SWWrongLength {
					t.Errorf("GPO with short PDOL data: %v, want 6700", r.SW)
				}
			} else if r := x.ex(emv.GetProcessingOptions([]byte{0})); r.SW != emv.SWWrongLength {
				t.Errorf("GPO with data for a card without PDOL: %v, want 6700", r.SW)
			}
			if r := x.ex(emv.Command{CLA: 0x80, INS: 0xA8, Data: []byte{0x84, 0x00}, Le: 256}); r.SW != emv.SWWrongLength {
				t.Errorf("GPO without template 83: %v, want 6700", r.SW)
			}
			before := card.State().ATC
			r := x.must(emv.GetProcessingOptions(pdol))
			wantTag := tlv.Tag(0x80)
			if a.Format2 {
				wantTag = 0x77
			}
			o, err := tlv.DecodeOne(r)
			if err != nil || o.Tag != wantTag {
				t.Fatalf("GPO response %X: %v, want template %v", r, err, wantTag)
			}
			if st := card.State(); st.ATC != before+1 {
				t.Errorf("ATC %04X after GPO, want %04X", st.ATC, before+1)
			}
			if r := x.ex(emv.GetProcessingOptions(pdol)); r.SW != emv.SWConditionsNotSatisfied {
				t.Errorf("second GPO: %v, want 6985", r.SW)
			}
		})
	}
}

func TestGPOATCExhausted(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	prof.Applications[0].ATC = 0xFFFF
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.must(emv.Select(prof.Applications[0].AID, false))
	if r := x.ex(emv.GetProcessingOptions(nil)); r.SW != emv.SWConditionsNotSatisfied {
		t.Errorf("GPO with ATC FFFF: %v, want 6985", r.SW)
	}
}
