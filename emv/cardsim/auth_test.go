package cardsim

import (
	"testing"

	"github.com/posflow/posflow/emv"
)

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
