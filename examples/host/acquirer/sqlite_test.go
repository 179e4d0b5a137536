package acquirer_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/storetest"
	"github.com/posflow/posflow/iso8583"
)

// TestRestartKeepsState runs a host on a database file, stops it and
// starts another on the same file: balances, card state, the journal and
// duplicate detection survive, and the seed does not reset them.
func TestRestartKeepsState(t *testing.T) {
	db := filepath.Join(t.TempDir(), "host.db")
	h1 := startHost(t, func(c *acquirer.Config) { c.Database = db })
	tm := newTerminal(t, h1, "TERM0001")
	before := balance(t, h1, "visa10")
	req, resp := tm.financial(purchase{pan: panVisa10, amount: 1000, pin: cardsim.TestPIN})
	if resp.Text(39) != "00" {
		t.Fatalf("purchase: %s", resp.Text(39))
	}
	tm.financial(purchase{pan: panDebit, amount: 100, pin: "0917"})
	if err := h1.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	h2 := startHost(t, func(c *acquirer.Config) { c.Database = db })
	if got := balance(t, h2, "visa10"); got != before-1000 {
		t.Errorf("balance after restart %d, want %d", got, before-1000)
	}
	if st, err := h2.CardState(context.Background(), panDebit); err != nil || st.PINTries != 1 {
		t.Errorf("card state after restart %+v, %v; want 1 PIN try", st, err)
	}
	// The terminal resends its request: the journal answers it.
	raw := dialRaw(t, h2)
	again := raw.roundTrip(req.Raw())
	if again.Text(39) != "00" || again.Text(38) != resp.Text(38) {
		t.Errorf("resend after restart: code %s auth %s, want 00 and %s", again.Text(39), again.Text(38), resp.Text(38))
	}
	if got := balance(t, h2, "visa10"); got != before-1000 {
		t.Errorf("balance %d, want %d", got, before-1000)
	}
}

// TestConcurrentPurchases runs terminals in parallel against one account:
// the balance never goes below zero and ends at the opening balance minus
// the approved amounts.
func TestConcurrentPurchases(t *testing.T) {
	h := startHost(t, func(c *acquirer.Config) { c.Accounts[5].Balance = 10000 }) // lowfunds
	const terminals, each, amount = 4, 20, 300
	var mu sync.Mutex
	approved := 0
	var wg sync.WaitGroup
	for i := range terminals {
		tm := newTerminal(t, h, "TERM0009")
		tm.stan = i * 1000
		wg.Go(func() {
			for range each {
				stan, tt := tm.next()
				m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: panLowFunds,
					ProcessingCode: "000000", Amount: amount, Transmitted: tt, STAN: stan, Expiry: "3012",
					EntryMode: "901", TerminalID: "TERM0009", MerchantID: "000000000000001", Currency: "978"}}).Message()
				if err != nil {
					t.Error(err)
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10e9)
				resp, err := tm.client.Send(ctx, m)
				cancel()
				if err != nil {
					t.Error(err)
					return
				}
				switch resp.Text(39) {
				case "00":
					mu.Lock()
					approved++
					mu.Unlock()
				case "51":
				default:
					t.Errorf("response code %s", resp.Text(39))
				}
			}
		})
	}
	wg.Wait()
	if approved != 10000/amount {
		t.Errorf("%d approved, want %d", approved, 10000/amount)
	}
	if got, want := balance(t, h, "lowfunds"), int64(10000-approved*amount); got != want {
		t.Errorf("balance %d, want %d", got, want)
	}
	es, _ := h.Journal(context.Background(), "TERM0009")
	if len(es) != terminals*each {
		t.Errorf("%d journal rows, want %d", len(es), terminals*each)
	}
}

func TestSQLiteStore(t *testing.T) {
	for _, kind := range []string{"memory", "file", "memory, driver statements"} {
		t.Run(kind, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) acquirer.Store {
				path := ""
				if kind == "file" {
					path = filepath.Join(t.TempDir(), "store.db")
				}
				if kind == "memory, driver statements" {
					defer acquirer.DriverStatements()()
				}
				s, err := acquirer.OpenSQLite(path)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			})
		})
	}
}
