package acquirer_test

import (
	"context"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/iso8583"
)

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

func TestReversalOfAuthorization(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	stan, tt := tm.next()
	m, err := (&iso8583.AuthorizationRequest{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: 7000, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "901", TerminalID: tm.id,
		MerchantID: "000000000000001", Currency: "978"}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.send(m).Text(39); got != "00" {
		t.Fatalf("0100: %s", got)
	}
	if got := balance(t, h, "other"); got != before-7000 {
		t.Fatalf("balance %d, want %d held", got, before-7000)
	}
	rev, _ := iso8583.NewReversal(m, false)
	rm, _ := rev.Message()
	if got := tm.send(rm).Text(39); got != "00" {
		t.Fatalf("0400: %s", got)
	}
	if got := balance(t, h, "other"); got != before {
		t.Errorf("balance %d, want %d released", got, before)
	}
	// A reversal with another amount than the original's is refused.
	req, resp := tm.financial(purchase{pan: panMagOnly, amount: 900})
	if resp.Text(39) != "00" {
		t.Fatal(resp.Text(39))
	}
	rev, _ = iso8583.NewReversal(req, false)
	rev.Amount = 800
	rm, _ = rev.Message()
	if got := tm.send(rm).Text(39); got != "13" {
		t.Errorf("partial reversal: %s, want 13", got)
	}
}

// TestReversalBeforeOriginal sends the reversal of a purchase before the
// purchase, as when the purchase is late on the network and the terminal
// has given up on it: the reversal finds nothing to restore, and the
// purchase that follows is declined (05) and moves nothing, so host and
// terminal agree that no money moved. A purchase of another amount under
// the same STAN is not caught by it.
func TestReversalBeforeOriginal(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "visa10")
	stan, tt := tm.next()
	tx := iso8583.Transaction{PAN: panVisa10, ProcessingCode: "000000", Amount: 1200, Transmitted: tt, STAN: stan,
		Expiry: "3012", EntryMode: "901", TerminalID: "TERM0001", MerchantID: "000000000000001", Currency: "978"}
	req, err := (&iso8583.FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.send(reversalOf(t, req)).Text(39); got != "00" {
		t.Fatalf("reversal: %s", got)
	}
	if got := tm.send(req).Text(39); got != "05" {
		t.Errorf("purchase after its reversal: %s, want 05", got)
	}
	if got := balance(t, h, "visa10"); got != before {
		t.Errorf("balance %d, want %d: a reversed purchase moved money", got, before)
	}
	// The same STAN with another amount is another purchase.
	other := tx
	other.Amount, other.Transmitted = 1300, iso8583.TransmissionTime(testNow.Add(time.Minute))
	om, err := (&iso8583.FinancialRequest{Transaction: other}).Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.send(om).Text(39); got != "00" {
		t.Errorf("another purchase under the STAN: %s, want 00", got)
	}
	if got := balance(t, h, "visa10"); got != before-1300 {
		t.Errorf("balance %d, want %d", got, before-1300)
	}
}

// reversalOf returns the 0400 of req.
func reversalOf(t *testing.T, req *iso8583.Message) *iso8583.Message {
	t.Helper()
	rev, err := iso8583.NewReversal(req, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := rev.Message()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
