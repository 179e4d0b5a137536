package emv

import (
	"strings"
	"testing"
)

// The trace shows APDUs without card secrets (STYLE rule 12).
func TestTraceMasking(t *testing.T) {
	cdol := mustHexT("9F02065A085F2002")
	tests := []struct {
		name string
		got  string
		want string
		not  []string
	}{
		{"VERIFY data hidden", traceCommand(Verify(PlaintextPIN, mustHexT("241234FFFFFFFFFF")), nil),
			"00200080 [8] (PIN data not shown)", []string{"1234"}},
		{"PIN change script data hidden", traceCommand(Command{CLA: 0x84, INS: 0x24, P2: 0x02, Data: mustHexT("AABBCCDD")}, nil),
			"84240002 [4] (PIN data not shown)", []string{"AABB"}},
		{"DOL data element by element, PAN and name starred", traceCommand(GenerateAC(RequestARQC, mustHexT("000000001000 4761739001010119 4142")), cdol),
			"80AE8000 [16] 9F02=000000001000 5A=**************** 5F20=****", []string{"4761"}},
		{"GPO without PDOL", traceCommand(GetProcessingOptions(nil), []byte{}), "80A80000 [2] 8300", nil},
		{"READ RECORD response masked", traceResponse(0xB2, Response{Data: mustHexT("70145A0847617390010101195F3401015F2403221231"), SW: SWSuccess}),
			"476173******0119", []string{"4761739001010119"}},
		{"track 2 masked", traceResponse(0xB2, Response{Data: tlvb(0x70, tlvb(0x57, mustHexT("4761739001010119D22122011758928889"))), SW: SWSuccess}),
			"476173******0119D", []string{"2212201", "4761739001010119"}},
		{"response that is not BER-TLV not shown", traceResponse(0xB2, Response{Data: mustHexT("4761739001010119"), SW: SWSuccess}),
			"9000 [8] (not BER-TLV, not shown)", nil},
		{"GET CHALLENGE shown", traceResponse(0x84, Response{Data: mustHexT("0102030405060708"), SW: SWSuccess}),
			"9000 [8] 0102030405060708", nil},
		{"status only", traceResponse(0xA4, Response{SW: SWFileNotFound}), "6A82", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.got, tt.want) {
				t.Errorf("trace %q, want it to contain %q", tt.got, tt.want)
			}
			for _, s := range tt.not {
				if strings.Contains(tt.got, s) {
					t.Errorf("trace %q shows %q", tt.got, s)
				}
			}
		})
	}
}

func TestStepAndEventStrings(t *testing.T) {
	if s := StepCVM.String(); s != "cardholder verification" {
		t.Errorf("StepCVM = %q", s)
	}
	if s := Step(99).String(); s != "step 99" {
		t.Errorf("Step(99) = %q", s)
	}
	e := Event{Step: StepCAA, Kind: EventNote, Text: "card answered TC"}
	if s := e.String(); s != "card action analysis: note card answered TC" {
		t.Errorf("Event = %q", s)
	}
}

// The pattern FuzzProcess uses to find card data in the trace.
func TestUnmaskedPattern(t *testing.T) {
	for s, want := range map[string]bool{
		"5A Application Primary Account Number (PAN) [8] 4761739001010119": true,
		"5A Application Primary Account Number (PAN) [8] 476173******0119": false,
		"57 Track 2 Equivalent Data [15] 4761739001010119D2212":            true,
		"57 Track 2 Equivalent Data [15] 476173******0119D*************":   false,
	} {
		if unmasked.MatchString(s) != want {
			t.Errorf("unmasked.MatchString(%q) = %v", s, !want)
		}
	}
}
