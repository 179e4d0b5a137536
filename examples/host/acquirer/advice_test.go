package acquirer_test

import (
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
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

func TestAdviceCardsAndATC(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	send := func(pan string, f55 []byte) string {
		stan, tt := tm.next()
		m, err := (&iso8583.FinancialAdvice{Transaction: iso8583.Transaction{PAN: pan, ProcessingCode: "000000",
			Amount: 100, Transmitted: tt, STAN: stan, EntryMode: "051", TerminalID: "TERM0001",
			MerchantID: "000000000000001", Currency: "978", ICC: f55}}).Message()
		if err != nil {
			t.Fatal(err)
		}
		return tm.send(m).Text(39)
	}
	if got := send("4111111111111111", nil); got != "14" {
		t.Errorf("advice for an unknown card: %s, want 14", got)
	}
	// An offline transaction's cryptogram (here an ARQC the terminal
	// could not send) moves the card's last ATC: its replay online fails.
	chip := newChip(t, cardsim.VisaCVN18, "")
	f55 := chip.arqc(t, 100)
	if got := send(panVisa18, f55); got != "00" {
		t.Fatalf("advice: %s", got)
	}
	if got := tm.sendChip(panVisa18, 100, f55).Text(39); got != "59" {
		t.Errorf("online request with the advice's ATC: %s, want 59", got)
	}
}
