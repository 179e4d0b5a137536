package main

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bytes, as hex, to the commands that parse
// data from outside (cards, terminals, networks) and checks that posflow
// answers every input with success or a one-line error, never a panic or
// a usage error, and that its JSON is well formed.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{field55, record, ppse, isoExampleBCD, pyemvVisa10,
		"000186A0000003E84403", "0801010010010301", "0110A00003220000000000000000000000FF", "8080008000",
		hex.EncodeToString([]byte(qrPromptPay)), hex.EncodeToString([]byte(qrExampleMPM))} {
		b, err := hex.DecodeString(strings.Join(strings.Fields(seed), ""))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	commands := [][]string{
		{"tlv", "decode"},
		{"tlv", "decode", "-lenient", "-ff"},
		{"emv", "decode", "tvr"},
		{"emv", "decode", "cvm"},
		{"emv", "decode", "afl"},
		{"emv", "decode", "cid"},
		{"emv", "decode", "iad", "-aid", "A0000000031010"},
		{"iso8583", "decode", "-spec", "ascii"},
		{"iso8583", "decode", "-spec", "bcd"},
		{"emv", "verify", "-imk", pyemvIMK, "-pan", pyemvPAN},
		{"dukpt", "ksn"},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		in := hex.EncodeToString(data)
		// The QR decoder reads text: give it the bytes on standard input.
		for _, c := range append(commands, []string{"qr", "decode", "-mode", "mpm"}, []string{"qr", "decode", "-mode", "cpm"}) {
			args := append(append([]string(nil), c...), "-json", in)
			stdin := ""
			if c[0] == "qr" {
				args, stdin = append(c[:len(c):len(c)], "-json"), string(data)
			}
			var out, errOut strings.Builder
			code := run(args, strings.NewReader(stdin), &out, &errOut)
			switch code {
			case 0:
				if !json.Valid([]byte(out.String())) {
					t.Errorf("posflow %s: invalid JSON %q", strings.Join(c, " "), out.String())
				}
			case 1:
				if strings.Count(errOut.String(), "\n") != 1 {
					t.Errorf("posflow %s: error is not one line: %q", strings.Join(c, " "), errOut.String())
				}
			default:
				t.Errorf("posflow %s %X: exit %d, %s", strings.Join(c, " "), data, code, errOut.String())
			}
		}
	})
}
