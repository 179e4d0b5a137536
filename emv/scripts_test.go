package emv

import (
	"bytes"
	"testing"
)

func script(tag uint32, id string, cmds ...string) []byte {
	var body []byte
	if id != "" {
		body = append(body, tlvb(0x9F18, mustHexT(id))...)
	}
	for _, c := range cmds {
		body = append(body, tlvb(0x86, mustHexT(c))...)
	}
	return tlvb(tlvTag(tag), body)
}

// Issuer script processing (Book 3 10.10): templates 71 before and 72
// after the second GENERATE AC, a failing command ends its script, the
// results go into 9F5B and the TVR.
func TestScriptProcessing(t *testing.T) {
	block := "841E000008" + "1122334455667788"   // APPLICATION BLOCK with MAC
	unblock := "8418000008" + "1122334455667788" // APPLICATION UNBLOCK
	pinChange := "8424000210" + "00112233445566778899AABBCCDDEEFF"
	tests := []struct {
		name    string
		scripts []byte
		failINS byte
		results string
		before  bool
		after   bool
	}{
		{"71 and 72 succeed", cat(script(0x71, "11223344", unblock), script(0x72, "55667788", pinChange)), 0,
			"2011223344" + "2055667788", false, false},
		{"71 fails at its second command", cat(script(0x71, "11223344", unblock, block, unblock), script(0x72, "55667788", pinChange)), 0x1E,
			"1211223344" + "2055667788", true, false},
		{"72 fails at its first command", cat(script(0x71, "", unblock), script(0x72, "55667788", block)), 0x1E,
			"2000000000" + "1155667788", false, true},
		{"malformed command", script(0x72, "01020304", "8418"), 0, "1101020304", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t)
			fc.failScriptINS = tt.failINS
			cfg := testConfig(t)
			cfg.Online.(*issuerStub).scripts = tt.scripts
			res := run(t, fc, cfg, testTxn(10000))
			if res.Outcome != ApprovedOnline {
				t.Fatalf("outcome %v: %v", res.Outcome, res.Err)
			}
			if got := hexUpper(res.ScriptResults); got != tt.results {
				t.Errorf("9F5B %s, want %s", got, tt.results)
			}
			if res.TVR.Has(TVRScriptFailedBeforeFinalGenAC) != tt.before || res.TVR.Has(TVRScriptFailedAfterFinalGenAC) != tt.after {
				t.Errorf("TVR %v", res.TVR)
			}
			if !res.TSI.Has(TSIScriptProcessingPerformed) && tt.name != "malformed command" {
				t.Errorf("TSI %v", res.TSI)
			}
		})
	}
}

// Scripts before the final GENERATE AC are sent before it, those after
// after it.
func TestScriptOrder(t *testing.T) {
	fc := newFakeCard(t)
	cfg := testConfig(t)
	cfg.Online.(*issuerStub).scripts = cat(script(0x72, "", "8418000000"), script(0x71, "", "841E000000"))
	run(t, fc, cfg, testTxn(10000))
	var order []string
	for _, l := range fc.log {
		switch {
		case len(l) > 4 && l[:4] == "841E":
			order = append(order, "71")
		case len(l) > 4 && l[:4] == "8418":
			order = append(order, "72")
		case len(l) > 4 && l[:4] == "80AE":
			order = append(order, "GENAC")
		}
	}
	if got := len(order); got != 4 || order[0] != "GENAC" || order[1] != "71" || order[2] != "GENAC" || order[3] != "72" {
		t.Errorf("order %v, want [GENAC 71 GENAC 72]", order)
	}
}

func TestParseCommand(t *testing.T) {
	good := []struct{ in, want string }{
		{"84180000", "84180000"},
		{"8418000008AABBCCDDEEFF0011", "8418000008AABBCCDDEEFF0011"},
		{"00B2010C00", "00B2010C00"},
		{"0088000004AABBCCDD00", "0088000004AABBCCDD00"},
	}
	for _, tt := range good {
		c, err := ParseCommand(mustHexT(tt.in))
		if err != nil {
			t.Errorf("ParseCommand(%s): %v", tt.in, err)
			continue
		}
		b, err := AppendCommand(nil, c)
		if err != nil || hexUpper(b) != tt.want {
			t.Errorf("ParseCommand(%s) re-encodes as %X, %v", tt.in, b, err)
		}
	}
	for _, bad := range []string{"8418", "841800000500", "8418000008AABB", "84180000000102"} {
		if _, err := ParseCommand(mustHexT(bad)); err == nil {
			t.Errorf("ParseCommand(%s) accepted", bad)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	f.Add(mustHexT("84180000"))
	f.Add(mustHexT("8418000008AABBCCDDEEFF0011"))
	f.Add(mustHexT("0088000004AABBCCDD00"))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := ParseCommand(in)
		if err != nil {
			return
		}
		b, err := AppendCommand(nil, c)
		if err != nil {
			t.Fatalf("parsed command does not encode: %v", err)
		}
		if !bytes.Equal(b, in) {
			t.Fatalf("ParseCommand(%X) re-encodes as %X", in, b)
		}
	})
}
