package acquirer_test

import (
	"testing"

	"github.com/posflow/posflow/iso8583"
)

func TestAdviceOnce(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "visa10")
	stan, tt := tm.next()
	adv := &iso8583.FinancialAdvice{Transaction: iso8583.Transaction{PAN: panVisa10, ProcessingCode: "000000",
		Amount: 800, Transmitted: tt, STAN: stan, EntryMode: "051", TerminalID: "TERM0001",
		MerchantID: "000000000000001", Currency: "978"}}
	m, _ := adv.Message()
	if got := tm.send(m); got.Text(39) != "00" || got.MTI != iso8583.MTIFinancialAdviceResponse {
		t.Fatalf("0220: %s %s", got.MTI, got.Text(39))
	}
	adv.Repeat = true
	m, _ = adv.Message()
	if got := tm.send(m).Text(39); got != "00" {
		t.Fatalf("0221: %s", got)
	}
	if got := balance(t, h, "visa10"); got != before-800 {
		t.Errorf("balance %d, want %d: advice applied %d times", got, before-800, (before-got)/800)
	}
}
