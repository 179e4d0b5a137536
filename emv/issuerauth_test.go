package emv

import (
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

// Issuer authentication (Book 3 10.9): EXTERNAL AUTHENTICATE for a card
// that announces it in the AIP (Visa CVN 10), the ARPC in the CDOL2 data
// for a card that asks for 91 there (Visa CVN 18).
func TestIssuerAuthentication(t *testing.T) {
	cvn18 := func(p *profile) {
		p.cvn = issuer.VisaCVN18
		p.cdol2 = mustHexT("8A0291089F02069F03069F1A0295055F2A029A039C019F3704")
	}
	tests := []struct {
		name     string
		profile  func(*profile)
		badARPC  bool
		outcome  Outcome
		failed   bool
		extAuth  int
		reversal bool
	}{
		{"EXTERNAL AUTHENTICATE passes", nil, false, ApprovedOnline, false, 1, false},
		{"EXTERNAL AUTHENTICATE fails", nil, true, ApprovedOnline, true, 1, false},
		{"ARPC in CDOL2 passes", cvn18, false, ApprovedOnline, false, 0, false},
		{"ARPC in CDOL2 fails: card declines, reversal", cvn18, true, DeclinedOnline, false, 0, true},
		{"AIP without issuer authentication", func(p *profile) { p.aip[0] &^= 0x04 }, false, ApprovedOnline, false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var edits []func(*profile)
			if tt.profile != nil {
				edits = append(edits, tt.profile)
			}
			fc := newFakeCard(t, edits...)
			cfg := testConfig(t)
			stub := cfg.Online.(*issuerStub)
			stub.cvn, stub.badARPC = fc.p.cvn, tt.badARPC
			res := run(t, fc, cfg, testTxn(10000))
			if res.Outcome != tt.outcome {
				dumpTrace(t, res)
				t.Fatalf("outcome %v (%v), want %v", res.Outcome, res.Err, tt.outcome)
			}
			if !stub.verified {
				t.Error("ARQC not verified by the issuer")
			}
			if res.TVR.Has(TVRIssuerAuthenticationFailed) != tt.failed {
				t.Errorf("TVR %v", res.TVR)
			}
			if fc.extAuth != tt.extAuth {
				t.Errorf("%d EXTERNAL AUTHENTICATE, want %d", fc.extAuth, tt.extAuth)
			}
			if res.ReversalRequired != tt.reversal {
				t.Errorf("reversal %v, want %v", res.ReversalRequired, tt.reversal)
			}
			if res.TSI.Has(TSIIssuerAuthentication) != (tt.extAuth > 0 || tt.profile != nil && fc.p.cvn == issuer.VisaCVN18) {
				t.Errorf("TSI %v", res.TSI)
			}
		})
	}
}
