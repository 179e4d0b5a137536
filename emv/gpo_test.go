package emv

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/tlv"
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
	h := mustHexT
	aip, afl := tlvb(0x82, h("1C00")), tlvb(0x94, h("08010100"))
	bad := []struct {
		name string
		in   []byte
		why  string // in the error
	}{
		{"empty", nil, "empty"},
		{"format 1 without AFL", tlvb(0x80, h("1C00")), "format 1 of 2 bytes"},
		{"format 1 AFL not a multiple of 4", tlvb(0x80, h("1C00080101")), "format 1 of 5 bytes"},
		{"format 2 without AFL", tlvb(0x77, aip), "missing"},
		{"format 2 without AIP", tlvb(0x77, afl), "missing"},
		{"format 2 AIP twice", tlvb(0x77, cat(aip, aip, afl)), "AIP (82) twice"},
		{"format 2 AFL twice", tlvb(0x77, cat(aip, afl, afl)), "AFL (94) twice"},
		{"format 2 other tag twice", tlvb(0x77, cat(aip, afl, tlvb(0x9F36, h("0012")), tlvb(0x9F36, h("0012")))), "9F36 twice"},
		{"format 2 constructed object", tlvb(0x77, cat(aip, afl, tlvb(0x70, nil))), "constructed"},
		{"data after the template", cat(tlvb(0x80, h("1C0008010100")), h("90")), "after the template"},
		{"unknown template", tlvb(0x71, h("1C0008010100")), "template 71"},
		{"malformed AFL: SFI 0", tlvb(0x80, h("1C0000010100")), "SFI 0"},
		{"malformed AFL: first record 0", tlvb(0x80, h("1C0008000100")), "first record 0"},
		{"truncated", h("800A1C00080101"), "truncated"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseGPOResponse(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("ParseGPOResponse(%X) = %v, want an error about %q", tt.in, err, tt.why)
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

func FuzzParseGPOResponse(f *testing.F) {
	f.Add(mustHexT("800A1C0008010100 10010300"))
	f.Add(mustHexT("770E82021C0094080801010010010300"))
	f.Add(mustHexT("7713940408010100 9F360200 12 82021C00 57021234"))
	f.Fuzz(func(t *testing.T, in []byte) {
		g, err := ParseGPOResponse(in)
		if err != nil {
			return
		}
		if _, err := ParseAFL(g.AFL); err != nil {
			t.Fatalf("AFL accepted but malformed: %v", err)
		}
		// Independent reading: format 2 objects with tlv.Find.
		if g.Format2 {
			aip, err := tlv.FindPath(in, 0x77, 0x82)
			if err != nil || !bytes.Equal(aip.Value, g.AIP[:]) {
				t.Fatalf("AIP %X, tlv %X (%v)", g.AIP, aip.Value, err)
			}
			afl, err := tlv.FindPath(in, 0x77, 0x94)
			if err != nil || !bytes.Equal(afl.Value, g.AFL) {
				t.Fatalf("AFL %X, tlv %X (%v)", g.AFL, afl.Value, err)
			}
		} else {
			v, err := tlv.FindPath(in, 0x80)
			if err != nil || !bytes.Equal(v.Value, append(g.AIP[:], g.AFL...)) {
				t.Fatalf("format 1 %X, AIP %X AFL %X", v.Value, g.AIP, g.AFL)
			}
		}
		end := len(bytes.TrimRight(in, "\x00"))
		for i := range end {
			if _, err := ParseGPOResponse(in[:i]); err == nil {
				t.Fatalf("strict prefix %X of %X accepted", in[:i], in)
			}
		}
	})
}

// The response parsers allocate nothing (STYLE rule 4).
func TestParsersDoNotAllocate(t *testing.T) {
	fci := mustHexT(strings.TrimSuffix(fciHex(visaCredit, tlvb(0x50, []byte("VISA")), tlvb(0x87, []byte{1}), tlvb(0x9F38, mustHexT("9F6604"))), "9000"))
	gpo := mustHexT("7713940408010100 9F360200 12 82021C00 57021234")
	genac := mustHexT("77149F2701409F360200119F26081122334455667788")
	for name, f := range map[string]func(){
		"ParseFCI":                func() { _, _ = ParseFCI(fci) },
		"ParseGPOResponse":        func() { _, _ = ParseGPOResponse(gpo) },
		"ParseGenerateACResponse": func() { _, _ = ParseGenerateACResponse(genac) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", name, n)
		}
	}
}
