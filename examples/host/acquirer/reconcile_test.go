package acquirer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/iso8583"
)

func (tm *terminal) reconcile(tot iso8583.Totals) *iso8583.Message {
	tm.t.Helper()
	stan, tt := tm.next()
	m, err := (&iso8583.Reconciliation{Transmitted: tt, STAN: stan, TerminalID: tm.id, MerchantID: "000000000000001",
		Currency: "978", Totals: tot}).Message()
	if err != nil {
		tm.t.Fatal(err)
	}
	return tm.send(m)
}

// batch runs two purchases, one reversed, and a refund on the terminal,
// and returns the requests of the approved ones and the batch's totals.
func (tm *terminal) batch(t *testing.T) ([]*iso8583.Message, iso8583.Totals) {
	var reqs []*iso8583.Message
	for _, p := range []purchase{
		{pan: panMagOnly, amount: 1000, pin: cardsim.TestPIN},
		{pan: panMagOnly, amount: 2599, pin: cardsim.TestPIN},
		{pan: panMagOnly, amount: 500, pin: cardsim.TestPIN, proc: "200000"},
	} {
		req, resp := tm.financial(p)
		if resp.Text(39) != "00" {
			t.Fatalf("purchase: %s", resp.Text(39))
		}
		req.SetString(37, resp.Text(37))
		reqs = append(reqs, req)
	}
	rev, _ := iso8583.NewReversal(reqs[1], false)
	rm, _ := rev.Message()
	if got := tm.send(rm).Text(39); got != "00" {
		t.Fatalf("reversal: %s", got)
	}
	return reqs, iso8583.Totals{DebitsNumber: 2, DebitsAmount: 3599, DebitsReversalNumber: 1,
		DebitsReversalAmount: 2599, CreditsNumber: 1, CreditsAmount: 500}
}

func TestSettlementInBalance(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	_, tot := tm.batch(t)
	resp := tm.reconcile(tot)
	if resp.Text(39) != "00" || resp.Text(66) != "1" {
		t.Fatalf("0510: code %s, field 66 %q; want 00 and 1", resp.Text(39), resp.Text(66))
	}
	// The batch is closed: the next one is empty.
	if resp := tm.reconcile(iso8583.Totals{}); resp.Text(39) != "00" {
		t.Errorf("empty batch: %s", resp.Text(39))
	}
	r, err := h.Report(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines) != 1 {
		t.Fatalf("%d report lines, want 1", len(r.Lines))
	}
	l := r.Lines[0]
	// Sales 10.00, refund 5.00, gross 5.00, fee 1.5 % = 0.075 -> 0.08.
	if l.Sales != 1 || l.SalesAmount != 1000 || l.Refunds != 1 || l.RefundAmount != 500 || l.Reversals != 1 ||
		l.Gross != 500 || l.Fee != 8 || l.Net != 492 || l.Batches != 2 {
		t.Errorf("report line %+v", l)
	}
	var text, csv bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Corner Cafe") || !strings.Contains(text.String(), "4.92") {
		t.Errorf("text report:\n%s", text.String())
	}
	wantCSV := "merchant,name,batches,sales,sales_amount,refunds,refund_amount,reversals,gross,fee_rate_bps,fee,net\n" +
		"000000000000001,Corner Cafe,2,1,1000,1,500,1,500,150,8,492\n" +
		"TOTAL,,2,1,1000,1,500,1,500,0,8,492\n"
	if csv.String() != wantCSV {
		t.Errorf("CSV report:\n%s\nwant:\n%s", csv.String(), wantCSV)
	}
}

func TestSettlementOutOfBalance(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	reqs, _ := tm.batch(t)
	// The terminal lost the reversal and counts both purchases.
	tot := iso8583.Totals{DebitsNumber: 2, DebitsAmount: 3599, CreditsNumber: 1, CreditsAmount: 500}
	resp := tm.reconcile(tot)
	if resp.Text(39) != "95" || resp.Text(66) != "2" {
		t.Fatalf("0510: code %s, field 66 %q; want 95 and 2", resp.Text(39), resp.Text(66))
	}
	tm.upload(t, reqs, false)
	resp = tm.reconcile(tot)
	if resp.Text(39) != "00" {
		t.Fatalf("0500 after upload: %s, want 00", resp.Text(39))
	}
	// The report follows the host's journal: the reversal stands.
	r, err := h.Report(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if l := r.Lines[0]; l.SalesAmount != 1000 || l.Reversals != 1 {
		t.Errorf("report line %+v", l)
	}
}

// upload sends an 0320 for each request, under the request's STAN and
// time, or under new ones if fresh is set.
func (tm *terminal) upload(t *testing.T, reqs []*iso8583.Message, fresh bool) {
	t.Helper()
	for _, req := range reqs {
		stan, tt := req.Text(11), req.Text(7)
		if fresh {
			stan, tt = tm.next()
		}
		up := &iso8583.BatchUpload{Transaction: iso8583.Transaction{PAN: req.Text(2), ProcessingCode: req.Text(3),
			Amount: 0, STAN: stan, Transmitted: tt, RRN: req.Text(37), TerminalID: tm.id,
			MerchantID: "000000000000001", Currency: "978"}}
		up.Amount, _ = amountOf(req)
		m, err := up.Message()
		if err != nil {
			t.Fatal(err)
		}
		if got := tm.send(m); got.Text(39) != "00" || got.MTI != iso8583.MTIBatchUploadResponse {
			t.Fatalf("0320: %s %s", got.MTI, got.Text(39))
		}
	}
}

// TestSettlementStartedOver has the terminal start its settlement over
// after an upload cut short, uploading everything again under new STANs:
// each transaction counts once, so the batch closes instead of staying
// out of balance for ever.
func TestSettlementStartedOver(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	reqs, _ := tm.batch(t)
	tot := iso8583.Totals{DebitsNumber: 2, DebitsAmount: 3599, CreditsNumber: 1, CreditsAmount: 500}
	if resp := tm.reconcile(tot); resp.Text(39) != "95" {
		t.Fatalf("first 0500: %s, want 95", resp.Text(39))
	}
	tm.upload(t, reqs[:2], true) // cut short
	if resp := tm.reconcile(tot); resp.Text(39) != "95" {
		t.Fatalf("0500 after a partial upload: %s, want 95", resp.Text(39))
	}
	tm.upload(t, reqs, true)
	if resp := tm.reconcile(tot); resp.Text(39) != "00" {
		t.Fatalf("0500 after the second upload: %s, want 00", resp.Text(39))
	}
}

func amountOf(m *iso8583.Message) (int64, error) {
	var v int64
	for _, c := range m.Text(4) {
		v = v*10 + int64(c-'0')
	}
	return v, nil
}

func TestReportMerchants(t *testing.T) {
	h := startHost(t, nil)
	t1 := newTerminal(t, h, "TERM0001")
	t2 := newTerminal(t, h, "TERM0002")
	t1.financial(purchase{pan: panMagOnly, amount: 10000})
	t2.financial(purchase{pan: panMagOnly, amount: 20000})
	t2.financial(purchase{pan: panMagOnly, amount: 30000})
	if got := t1.reconcile(iso8583.Totals{DebitsNumber: 1, DebitsAmount: 10000}).Text(39); got != "00" {
		t.Fatalf("TERM0001: %s", got)
	}
	m, err := (&iso8583.Reconciliation{Transmitted: iso8583.TransmissionTime(testNow), STAN: "000500",
		TerminalID: "TERM0002", Totals: iso8583.Totals{DebitsNumber: 2, DebitsAmount: 50000}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	b := sign(t, "TERM0002", m)
	raw := dialRaw(t, h)
	resp := raw.roundTrip(b)
	if resp.Text(39) != "00" {
		t.Fatalf("TERM0002: %s", resp.Text(39))
	}
	// The 0500 resent: the same answer, the batch closed once.
	if again := raw.roundTrip(b); !bytes.Equal(again.Raw(), resp.Raw()) {
		t.Errorf("resent 0500 answered %s, want the first answer", again)
	}
	r, err := h.Report(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	r.WriteCSV(&csv)
	want := "merchant,name,batches,sales,sales_amount,refunds,refund_amount,reversals,gross,fee_rate_bps,fee,net\n" +
		"000000000000001,Corner Cafe,1,1,10000,0,0,0,10000,150,150,9850\n" +
		"000000000000002,Book Shop,1,2,50000,0,0,0,50000,250,1250,48750\n" +
		"TOTAL,,2,3,60000,0,0,0,60000,0,1400,58600\n"
	if csv.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", csv.String(), want)
	}
}
