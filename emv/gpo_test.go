package emv

import (
	"errors"
	"testing"
)

func TestParseGPOResponse(t *testing.T) {
	good := []struct{ name, in, aip, afl string }{
		{"format 1", "800A1C0008010100 10010300", "1C00", "0801010010010300"},
		{"format 2", "770E82021C0094080801010010010300", "1C00", "0801010010010300"},
		{"format 2 with other objects, AFL first", "7713940408010100 9F360200 12 82021C00 57021234", "1C00", "08010100"},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ParseGPOResponse(mustHexT(tt.in))
			if err != nil {
				t.Fatalf("ParseGPOResponse(%s): %v", tt.in, err)
			}
			if hexUpper(g.AIP[:]) != tt.aip || hexUpper(g.AFL) != tt.afl {
				t.Errorf("AIP %X AFL %X, want %s %s", g.AIP, g.AFL, tt.aip, tt.afl)
			}
		})
	}
	bad := []struct{ name, in string }{
		{"empty", ""},
		{"format 1 without AFL", "80021C00"},
		{"format 1 AFL not a multiple of 4", "80071C00080101 00 00"[:14]},
		{"format 2 without AFL", "770482021C00"},
		{"format 2 without AIP", "7706940408010100"},
		{"format 2 AIP twice", "770E82021C0082021C0094040801 0100"},
		{"format 2 other tag twice", "7714 82021C00 94040801 0100 9F360200 12 9F36020012"[:0] + "771282021C00940408010100 9F360200129F36020012"},
		{"data after the template", "80061C000801010090"},
		{"unknown template", "71061C0008010100"},
		{"malformed AFL: SFI 0", "80061C0000010100"},
		{"malformed AFL: first record 0", "80061C0008000100"},
		{"truncated", "800A1C00080101"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			in := mustHexT(tt.in)
			if _, err := ParseGPOResponse(in); err == nil {
				t.Errorf("ParseGPOResponse(%X) accepted", in)
			}
		})
	}
}

func TestInitiateApplicationProcessing(t *testing.T) {
	t.Run("PDOL data in the command", func(t *testing.T) {
		fc := newFakeCard(t, func(p *profile) { p.pdol = mustHexT("9F66049F02065F2A029F1A029F3704") })
		res := run(t, fc, testConfig(t), testTxn(10000))
		if res.Outcome != ApprovedOnline {
			t.Fatalf("outcome %v: %v", res.Outcome, res.Err)
		}
		want := "00000000" + "000000010000" + "0978" + "0826" + hexUpper(res.data[0x9F37])
		if hexUpper(fc.pdolData) != want {
			t.Errorf("PDOL data %X, want %s", fc.pdolData, want)
		}
	})
	for _, tt := range []struct {
		name string
		sw   StatusWord
		err  error
	}{
		{"6985 with no other candidate", SWConditionsNotSatisfied, ErrNoApplication},
		{"6A81 terminates", SWFunctionNotSupported, SWFunctionNotSupported},
		{"6D00 terminates", SWInstructionNotSupported, SWInstructionNotSupported},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t)
			fc.gpoSW = tt.sw
			res := run(t, fc, testConfig(t), testTxn(100))
			if !errors.Is(res.Err, tt.err) {
				t.Errorf("Err %v, want %v", res.Err, tt.err)
			}
		})
	}
	t.Run("AFL malformed", func(t *testing.T) {
		fc := newFakeCard(t)
		fc.afl = mustHexT("08020100")
		res := run(t, fc, testConfig(t), testTxn(100))
		var se *StepError
		if !errors.As(res.Err, &se) || se.Step != StepInitiate || !errors.Is(res.Err, ErrCardData) {
			t.Errorf("Err %v, want ErrCardData at initiate", res.Err)
		}
	})
}
