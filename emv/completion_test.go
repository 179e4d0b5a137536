package emv

import "testing"

// The card declines at the second GENERATE AC a transaction the issuer
// approved: the terminal must reverse the authorisation.
func TestCompletionCardDeclinesApproved(t *testing.T) {
	fc := newFakeCard(t)
	fc.declineFinal = true
	res := run(t, fc, testConfig(t), testTxn(10000))
	if res.Outcome != DeclinedOnline || !res.ReversalRequired || res.CID.Type() != AAC {
		t.Errorf("outcome %v reversal %v CID %v", res.Outcome, res.ReversalRequired, res.CID)
	}
}
