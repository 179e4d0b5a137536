package acquirer_test

import (
	"context"
	"sync"
	"testing"

	"github.com/posflow/posflow/iso8583"
)

// hold sends an 0100 of amount for the magnetic-stripe card (account
// "other") and returns the request and the response.
func (tm *terminal) hold(amount int64) (*iso8583.Message, *iso8583.Message) {
	tm.t.Helper()
	stan, tt := tm.next()
	m, err := (&iso8583.AuthorizationRequest{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: amount, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "901", TerminalID: tm.id,
		MerchantID: "000000000000001", Currency: "978"}}).Message()
	if err != nil {
		tm.t.Fatal(err)
	}
	resp := tm.send(m)
	if resp.Text(39) != "00" {
		tm.t.Fatalf("0100: %s", resp.Text(39))
	}
	return m, resp
}

// completion returns the 0220 completing the 0100 auth (answered by
// resp) with amount, under a new STAN, naming auth in field 90.
func (tm *terminal) completion(auth, resp *iso8583.Message, amount int64) *iso8583.Message {
	tm.t.Helper()
	stan, tt := tm.next()
	m, err := (&iso8583.FinancialAdvice{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: amount, Transmitted: tt, STAN: stan, EntryMode: "901", TerminalID: tm.id,
		MerchantID: "000000000000001", Currency: "978", AuthCode: resp.Text(38), RRN: resp.Text(37)}}).Message()
	if err != nil {
		tm.t.Fatal(err)
	}
	m.SetString(90, "0100"+auth.Text(11)+auth.Text(7)+"0000000000000000000000")
	return m
}

func TestCompletion(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hold  int64
		final int64
		code  string
		taken int64 // from the balance after the completion
	}{
		{"same amount", 5000, 5000, "00", 5000},
		{"lower amount", 5000, 3000, "00", 3000},
		{"nothing taken", 5000, 0, "00", 0},
		{"above the hold (the hold stays)", 5000, 5001, "13", 5000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startHost(t, nil)
			tm := newTerminal(t, h, "TERM0001")
			before := balance(t, h, "other")
			auth, resp := tm.hold(tc.hold)
			if got := balance(t, h, "other"); got != before-tc.hold {
				t.Fatalf("balance after the 0100 %d, want %d held", got, before-tc.hold)
			}
			c := tm.completion(auth, resp, tc.final)
			if got := tm.send(c); got.Text(39) != tc.code || got.MTI != iso8583.MTIFinancialAdviceResponse {
				t.Fatalf("completion: %s %s, want %s", got.MTI, got.Text(39), tc.code)
			}
			if got := balance(t, h, "other"); got != before-tc.taken {
				t.Errorf("balance after the completion %d, want %d", got, before-tc.taken)
			}
			// The reversal of a completed hold moves nothing; of a hold
			// still standing it releases it.
			rev, _ := iso8583.NewReversal(auth, false)
			rm, _ := rev.Message()
			if got := tm.send(rm).Text(39); got != "00" {
				t.Fatalf("0400 of the 0100: %s", got)
			}
			want := before - tc.taken
			if tc.code != "00" {
				want = before
			}
			if got := balance(t, h, "other"); got != want {
				t.Errorf("balance after the reversal of the 0100 %d, want %d", got, want)
			}
		})
	}
}

func TestCompletionOnce(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	auth, resp := tm.hold(5000)
	c := tm.completion(auth, resp, 4000)
	if got := tm.send(c).Text(39); got != "00" {
		t.Fatalf("completion: %s", got)
	}
	// The repeat (0221), and the same completion under another STAN and
	// time, are acknowledged and move nothing.
	c.MTI = iso8583.MTIFinancialAdviceRepeat
	if got := tm.send(c).Text(39); got != "00" {
		t.Errorf("0221: %s, want 00", got)
	}
	again := tm.completion(auth, resp, 4000)
	if got := tm.send(again).Text(39); got != "00" {
		t.Errorf("completion under a new STAN: %s, want 00", got)
	}
	if got := balance(t, h, "other"); got != before-4000 {
		t.Errorf("balance %d, want %d: completion applied %d times", got, before-4000, (before-got)/4000)
	}
	// The batch counts the completion once, for its final amount; the
	// 0100 and the acknowledged repeat are not counted.
	if got := tm.reconcile(iso8583.Totals{DebitsNumber: 1, DebitsAmount: 4000}).Text(39); got != "00" {
		t.Errorf("reconciliation with one debit of 4000: %s, want 00", got)
	}
	es, err := h.Journal(context.Background(), "TERM0001")
	if err != nil {
		t.Fatal(err)
	}
	moved := int64(0)
	for _, e := range es {
		moved += e.Applied
	}
	if moved != -4000 {
		t.Errorf("journal rows applied %d in all, want -4000 (the balance change)", moved)
	}
}

func TestCompletionWithoutHold(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	auth, resp := tm.hold(5000)
	for _, tc := range []struct {
		name string
		edit func(m *iso8583.Message)
	}{
		{"field 90 names no 0100", func(m *iso8583.Message) {
			m.SetString(90, "0100999999"+auth.Text(7)+"0000000000000000000000")
		}},
		{"another transmission time", func(m *iso8583.Message) {
			m.SetString(90, "0100"+auth.Text(11)+"0101000000"+"0000000000000000000000")
		}},
		{"another auth code", func(m *iso8583.Message) { m.SetString(38, "ZZZZZZ") }},
		{"another card", func(m *iso8583.Message) { m.SetString(2, panVisa10) }},
		{"another currency", func(m *iso8583.Message) { m.SetString(49, "840") }},
		{"a refund", func(m *iso8583.Message) { m.SetString(3, "200000") }},
	} {
		c := tm.completion(auth, resp, 1000)
		tc.edit(c)
		if got := tm.send(c).Text(39); got != "25" {
			t.Errorf("%s: %s, want 25", tc.name, got)
		}
	}
	if got := balance(t, h, "other"); got != before-5000 {
		t.Errorf("balance %d, want %d: only the hold", got, before-5000)
	}
	// A hold released by a reversal cannot be completed.
	rev, _ := iso8583.NewReversal(auth, false)
	rm, _ := rev.Message()
	if got := tm.send(rm).Text(39); got != "00" {
		t.Fatalf("0400: %s", got)
	}
	if got := tm.send(tm.completion(auth, resp, 1000)).Text(39); got != "25" {
		t.Errorf("completion of a reversed hold: %s, want 25", got)
	}
	if got := balance(t, h, "other"); got != before {
		t.Errorf("balance %d, want %d", got, before)
	}
}

func TestCompletionReversed(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	auth, resp := tm.hold(5000)
	c := tm.completion(auth, resp, 3000)
	if got := tm.send(c).Text(39); got != "00" {
		t.Fatalf("completion: %s", got)
	}
	// The reversal of the completion gives back the final amount and the
	// hold stands again, until the reversal of the 0100 releases it.
	_, tt := tm.next()
	rm, err := (&iso8583.Reversal{Advice: true, Transaction: iso8583.Transaction{PAN: panMagOnly,
		ProcessingCode: "000000", Amount: 3000, Transmitted: tt, STAN: c.Text(11), TerminalID: tm.id,
		MerchantID: "000000000000001", Currency: "978"}, Original: &iso8583.OriginalData{MTI: c.MTI,
		STAN: c.Text(11), Transmitted: c.Text(7)}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.send(rm).Text(39); got != "00" {
		t.Fatalf("0420 of the completion: %s", got)
	}
	if got := balance(t, h, "other"); got != before-5000 {
		t.Fatalf("balance after the reversal of the completion %d, want %d held", got, before-5000)
	}
	rev, _ := iso8583.NewReversal(auth, false)
	rm, _ = rev.Message()
	if got := tm.send(rm).Text(39); got != "00" {
		t.Fatalf("0400 of the 0100: %s", got)
	}
	if got := balance(t, h, "other"); got != before {
		t.Errorf("balance %d, want %d released", got, before)
	}
}

// TestCompletionRace sends completions of one hold from two connections
// at once: one settles, the other is acknowledged and moves nothing.
func TestCompletionRace(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	auth, resp := tm.hold(5000)
	const each = 8
	conns := []*terminal{tm, newTerminal(t, h, "TERM0001")}
	conns[1].stan, conns[1].tick = 500, 500
	msgs := make([][]*iso8583.Message, len(conns))
	for i, c := range conns {
		for range each {
			msgs[i] = append(msgs[i], c.completion(auth, resp, 2000))
		}
	}
	var wg sync.WaitGroup
	codes := make(chan string, len(conns)*each)
	for i, c := range conns {
		wg.Go(func() {
			for _, m := range msgs[i] {
				codes <- c.send(m).Text(39)
			}
		})
	}
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != "00" {
			t.Errorf("completion: %s, want 00", code)
		}
	}
	if got := balance(t, h, "other"); got != before-2000 {
		t.Errorf("balance %d, want %d: completion applied %d times", got, before-2000, (before-got)/2000)
	}
}
