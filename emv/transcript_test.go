package emv

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/transcripts")

// The golden transcripts: whole transactions against the fake card with
// the injected clock, randomness and deterministic test keys, written as
// the kernel's masked trace followed by the result. Regenerate them with
//
//	go test ./emv -run TestTranscripts -update
var transcripts = []struct {
	name    string
	amount  uint64
	profile func(*profile)
	edit    func(*fakeCard, *Config)
}{
	{"offline-approved-sda", 100, func(p *profile) { p.aip[0], p.oda = 0x5C, odaSDA }, nil},
	{"online-approved-dda-cvn10", 10000, nil, nil},
	{"online-approved-cda-cvn18", 10000, func(p *profile) {
		p.aip[0], p.oda, p.cvn = 0x7D, odaCDA, issuer.VisaCVN18
		p.cdol2 = mustHexT("8A0291089F02069F03069F1A0295055F2A029A039C019F3704")
	}, func(_ *fakeCard, cfg *Config) { cfg.Online.(*issuerStub).cvn = issuer.VisaCVN18 }},
	{"online-declined-scripts", 10000, nil, func(fc *fakeCard, cfg *Config) {
		s := cfg.Online.(*issuerStub)
		s.approve = false
		s.scripts = cat(script(0x71, "11223344", "8418000008AABBCCDDEEFF0011", "841E000008AABBCCDDEEFF0011"), script(0x72, "55667788", "841E000008AABBCCDDEEFF0011"))
		fc.failScriptINS = 0x1E
	}},
	{"unable-to-go-online", 100, nil, func(_ *fakeCard, cfg *Config) {
		randomlyOnline(cfg)
		cfg.Online.(*issuerStub).unable = true
	}},
}

func TestTranscripts(t *testing.T) {
	for _, tt := range transcripts {
		t.Run(tt.name, func(t *testing.T) {
			var edits []func(*profile)
			if tt.profile != nil {
				edits = append(edits, tt.profile)
			}
			fc := newFakeCard(t, edits...)
			cfg := testConfig(t)
			if tt.edit != nil {
				tt.edit(fc, cfg)
			}
			res, _ := Process(t.Context(), fc, cfg, testTxn(tt.amount))
			got := transcript(res)
			path := filepath.Join("testdata", "transcripts", tt.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("transcript differs from %s (run with -update after checking the change):\n%s", path, firstDiff(got, want))
			}
		})
	}
}

// transcript writes a transaction's trace and result as text.
func transcript(r *Result) []byte {
	var b bytes.Buffer
	for _, e := range r.Trace {
		fmt.Fprintf(&b, "[%s] %s %s\n", e.Step, e.Kind, e.Text)
	}
	fmt.Fprintf(&b, "\noutcome: %v\n", r.Outcome)
	if r.Err != nil {
		fmt.Fprintf(&b, "error: %v\n", r.Err)
	}
	fmt.Fprintf(&b, "TVR: %v\nTSI: %v\nCVM results: %v\nCID: %v\ncryptogram: %X\nARC: %q\n", r.TVR, r.TSI, r.CVMResults, r.CID, r.Cryptogram, r.ResponseCode[:])
	fmt.Fprintf(&b, "signature: %v, online PIN: %v, advice: %v, reversal: %v\n", r.SignatureRequired, r.OnlinePIN != nil, r.AdviceRequired, r.ReversalRequired)
	if r.ScriptResults != nil {
		fmt.Fprintf(&b, "issuer script results: %X\n", r.ScriptResults)
	}
	f55, _ := r.AppendField55(nil, nil)
	fmt.Fprintf(&b, "field 55: %X\n", f55)
	return b.Bytes()
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
