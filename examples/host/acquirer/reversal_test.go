package acquirer_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/iso8583"
)

func TestDuplicate(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	raw := dialRaw(t, h)
	before := balance(t, h, "visa10")
	stan, tt := tm.next()
	block, ksn := tm.pinBlock(cardsim.TestPIN, panVisa10)
	tx := iso8583.Transaction{PAN: panVisa10, ProcessingCode: "000000", Amount: 1500, Transmitted: tt, STAN: stan,
		Expiry: "3012", EntryMode: "051", TerminalID: "TERM0001", MerchantID: "000000000000001", Currency: "978",
		PINBlock: block, SecurityControl: ksn}
	m, err := (&iso8583.FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		t.Fatal(err)
	}
	b := sign(t, "TERM0001", m)
	first := raw.roundTrip(b)
	second := raw.roundTrip(b)
	if first.Text(39) != "00" || !bytes.Equal(first.Raw(), second.Raw()) {
		t.Fatalf("duplicate answered %s, first %s; want the same response", second, first)
	}
	if got := balance(t, h, "visa10"); got != before-1500 {
		t.Errorf("balance %d, want %d: money moved twice", got, before-1500)
	}
	// The same terminal, STAN and time with another amount: a STAN reused.
	tx.Amount = 1600
	m, err = (&iso8583.FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := raw.roundTrip(sign(t, "TERM0001", m)).Text(39); got != "94" {
		t.Errorf("reused STAN: response code %s, want 94", got)
	}
	if got := balance(t, h, "visa10"); got != before-1500 {
		t.Errorf("balance %d, want %d", got, before-1500)
	}
	es, err := h.Journal(context.Background(), "TERM0001")
	if err != nil || len(es) != 1 {
		t.Errorf("journal has %d rows, %v; want 1", len(es), err)
	}
}

func TestReversalExactlyOnce(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "mc16")
	chip := newChip(t, cardsim.MastercardCVN16, "")
	req, resp := tm.financial(purchase{pan: panMC16, amount: 2599, pin: cardsim.TestPIN, chip: chip})
	if resp.Text(39) != "00" {
		t.Fatalf("purchase: %s", resp.Text(39))
	}
	rev, err := iso8583.NewReversal(req, false)
	if err != nil {
		t.Fatal(err)
	}
	rm, err := rev.Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.send(rm).Text(39); got != "00" {
		t.Fatalf("reversal: %s", got)
	}
	if got := balance(t, h, "mc16"); got != before {
		t.Fatalf("balance after reversal %d, want %d", got, before)
	}
	// The repeat (0401) and a reversal advice (0420) of the same purchase
	// are acknowledged and restore nothing more.
	rev.Repeat = true
	rm, _ = rev.Message()
	if got := tm.send(rm); got.Text(39) != "00" || got.MTI != iso8583.MTIReversalResponse {
		t.Errorf("0401: %s %s", got.MTI, got.Text(39))
	}
	adv, _ := iso8583.NewReversal(req, true)
	adv.Transmitted = iso8583.TransmissionTime(testNow.Add(3600e9))
	am, _ := adv.Message()
	if got := tm.send(am); got.Text(39) != "00" || got.MTI != iso8583.MTIReversalAdviceResponse {
		t.Errorf("0420: %s %s", got.MTI, got.Text(39))
	}
	if got := balance(t, h, "mc16"); got != before {
		t.Errorf("balance %d, want %d: reversed more than once", got, before)
	}
	// A reversal of something never approved moves nothing.
	ghost := *rev
	ghost.STAN, ghost.Repeat, ghost.Original = "999999", false, nil
	gm, _ := ghost.Message()
	if got := tm.send(gm).Text(39); got != "00" {
		t.Errorf("reversal of nothing: %s", got)
	}
	if got := balance(t, h, "mc16"); got != before {
		t.Errorf("balance %d, want %d", got, before)
	}
	es, _ := h.Journal(context.Background(), "TERM0001")
	restored := 0
	for _, e := range es {
		if e.Kind == "reversal" && e.Applied != 0 {
			restored++
		}
	}
	if restored != 1 {
		t.Errorf("%d reversals restored money, want 1", restored)
	}
}

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
