// Package storetest checks that an implementation of acquirer.Store keeps
// the promises the host relies on: seeding that never resets state,
// atomic updates that roll back on error, duplicate lookup by request key,
// reversal bookkeeping, reversals that came before their original, rows by ID, the PIN pads' DUKPT counters, batches
// and the sequence. The SQLite store passes
// it; a PostgreSQL store for several host instances should too.
package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
)

// Run runs the conformance tests on stores returned by open, one new and
// empty store per subtest.
func Run(t *testing.T, open func(t *testing.T) acquirer.Store) {
	ctx := context.Background()
	accounts := []acquirer.Account{{ID: "a", Balance: 1000}, {ID: "b", Balance: 0}}
	cards := []acquirer.Card{{PAN: "4761739001010119", Expiry: "3012", Account: "a", PINTries: 1}}
	seed := func(t *testing.T) acquirer.Store {
		s := open(t)
		if err := s.Seed(ctx, accounts, cards); err != nil {
			t.Fatalf("Seed: %v", err)
		}
		return s
	}
	update := func(t *testing.T, s acquirer.Store, fn func(acquirer.Tx) error) {
		t.Helper()
		if err := s.Update(ctx, fn); err != nil {
			t.Fatalf("Update: %v", err)
		}
	}
	key := acquirer.RequestKey{Terminal: "TERM0001", MTI: "0200", STAN: "000001", Transmitted: "1126120000"}

	t.Run("seed keeps state", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx acquirer.Tx) error { return tx.AddBalance("a", -300) })
		update(t, s, func(tx acquirer.Tx) error {
			return tx.SetCardState(acquirer.CardState{PAN: cards[0].PAN, Status: acquirer.StatusLost, PINTries: 2, LastATC: 7})
		})
		if err := s.Seed(ctx, accounts, cards); err != nil {
			t.Fatal(err)
		}
		s.View(ctx, func(tx acquirer.Tx) error {
			if b, err := tx.Balance("a"); err != nil || b != 700 {
				t.Errorf("Balance = %d, %v; want 700", b, err)
			}
			if c, err := tx.CardState(cards[0].PAN); err != nil || c.Status != acquirer.StatusLost || c.PINTries != 2 || c.LastATC != 7 {
				t.Errorf("CardState = %+v, %v", c, err)
			}
			return nil
		})
	})

	t.Run("fresh card state", func(t *testing.T) {
		s := seed(t)
		s.View(ctx, func(tx acquirer.Tx) error {
			c, err := tx.CardState(cards[0].PAN)
			if err != nil || c.Status != acquirer.StatusActive || c.PINTries != 1 || c.LastATC != -1 {
				t.Errorf("CardState = %+v, %v; want active, 1 try, no ATC", c, err)
			}
			if _, err := tx.CardState("4111111111111111"); !errors.Is(err, acquirer.ErrNotFound) {
				t.Errorf("CardState of an unknown card: %v, want ErrNotFound", err)
			}
			if _, err := tx.Balance("nobody"); !errors.Is(err, acquirer.ErrNotFound) {
				t.Errorf("Balance of an unknown account: %v, want ErrNotFound", err)
			}
			return nil
		})
	})

	t.Run("update rolls back", func(t *testing.T) {
		s := seed(t)
		boom := errors.New("boom")
		err := s.Update(ctx, func(tx acquirer.Tx) error {
			if err := tx.AddBalance("a", -500); err != nil {
				return err
			}
			if err := tx.Insert(&acquirer.Entry{RequestKey: key, Kind: acquirer.KindFinancial, Code: "00", Applied: -500}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update = %v, want the error of fn", err)
		}
		s.View(ctx, func(tx acquirer.Tx) error {
			if b, _ := tx.Balance("a"); b != 1000 {
				t.Errorf("balance %d after a rolled back update, want 1000", b)
			}
			if _, err := tx.Lookup(key); !errors.Is(err, acquirer.ErrNotFound) {
				t.Errorf("journal row of a rolled back update: %v", err)
			}
			return nil
		})
	})

	t.Run("journal", func(t *testing.T) {
		s := seed(t)
		now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		e := &acquirer.Entry{RequestKey: key, Kind: acquirer.KindFinancial, Code: "00", Amount: 500, Applied: -500,
			Debit: true, Batch: 1, Digest: "d", Response: []byte("0210"), Time: now, Account: "a"}
		update(t, s, func(tx acquirer.Tx) error { return tx.Insert(e) })
		if e.ID == 0 {
			t.Fatal("Insert did not set the ID")
		}
		// The same key again is refused: the host relies on it.
		if err := s.Update(ctx, func(tx acquirer.Tx) error {
			return tx.Insert(&acquirer.Entry{RequestKey: key, Kind: acquirer.KindFinancial})
		}); !errors.Is(err, acquirer.ErrDuplicateKey) {
			t.Errorf("a second row with the same request key: %v, want ErrDuplicateKey", err)
		}
		// Refusals may repeat a key and are not found by Lookup.
		update(t, s, func(tx acquirer.Tx) error {
			return tx.Insert(&acquirer.Entry{RequestKey: key, Kind: acquirer.KindRefused, Code: "94"})
		})
		update(t, s, func(tx acquirer.Tx) error {
			got, err := tx.Lookup(key)
			if err != nil || got.ID != e.ID || got.Code != "00" || string(got.Response) != "0210" || !got.Time.Equal(now) {
				t.Errorf("Lookup = %+v, %v", got, err)
			}
			o, err := tx.Original("TERM0001", "000001", "")
			if err != nil || o.ID != e.ID {
				t.Errorf("Original = %+v, %v", o, err)
			}
			if _, err := tx.Original("TERM0001", "000001", "0101000000"); !errors.Is(err, acquirer.ErrNotFound) {
				t.Errorf("Original with another time: %v, want ErrNotFound", err)
			}
			rev := &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "TERM0001", MTI: "0400", STAN: "000001",
				Transmitted: "1126120001"}, Kind: acquirer.KindReversal, Code: "00", Original: e.ID, Applied: 500, Batch: 1}
			if err := tx.Insert(rev); err != nil {
				return err
			}
			return tx.SetReversed(e.ID, rev.ID)
		})
		s.View(ctx, func(tx acquirer.Tx) error {
			es, err := tx.Entries("TERM0001", 1)
			// The refusal is in batch 0.
			if err != nil || len(es) != 2 || es[0].Reversed != es[1].ID || es[1].Original != es[0].ID {
				t.Errorf("Entries = %d rows, %v; want 2, the first reversed by the second", len(es), err)
			}
			if all, err := tx.Entries("TERM0001", 0); err != nil || len(all) != 3 {
				t.Errorf("Entries of every batch = %d rows, %v; want 3", len(all), err)
			}
			return nil
		})
	})

	t.Run("entry by id and release", func(t *testing.T) {
		s := seed(t)
		hold := &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "TERM0001", MTI: "0100", STAN: "000002",
			Transmitted: "1126120002"}, Kind: acquirer.KindAuthorization, Code: "00", Amount: 500, Applied: -500, Debit: true, Batch: 1}
		update(t, s, func(tx acquirer.Tx) error { return tx.Insert(hold) })
		update(t, s, func(tx acquirer.Tx) error {
			got, err := tx.Entry(hold.ID)
			if err != nil || got.RequestKey != hold.RequestKey || got.Applied != -500 {
				t.Errorf("Entry(%d) = %+v, %v", hold.ID, got, err)
			}
			if _, err := tx.Entry(hold.ID + 100); !errors.Is(err, acquirer.ErrNotFound) {
				t.Errorf("Entry of no row: %v, want ErrNotFound", err)
			}
			return tx.SetReversed(hold.ID, 42)
		})
		// A completion reversed later opens the hold again: SetReversed
		// with 0 clears the mark.
		update(t, s, func(tx acquirer.Tx) error { return tx.SetReversed(hold.ID, 0) })
		s.View(ctx, func(tx acquirer.Tx) error {
			if got, err := tx.Entry(hold.ID); err != nil || got.Reversed != 0 {
				t.Errorf("Entry after SetReversed(id, 0) = %+v, %v; want not reversed", got, err)
			}
			return nil
		})
	})

	t.Run("DUKPT counters", func(t *testing.T) {
		s := seed(t)
		const pad, other = "FFFF9876543210E00000", "FFFF9876543211E00000"
		advance := func(device string, counter int64, want bool) {
			t.Helper()
			update(t, s, func(tx acquirer.Tx) error {
				if ok, err := tx.AdvanceKSN(device, counter); err != nil || ok != want {
					t.Errorf("AdvanceKSN(%s, %d) = %v, %v; want %v", device, counter, ok, err, want)
				}
				return nil
			})
		}
		advance(pad, 5, true)  // a new device takes any counter
		advance(pad, 5, false) // replayed
		advance(pad, 4, false) // older
		advance(pad, 6, true)
		advance(other, 1, true) // counters are per device
		advance(pad, 6, false)
		// A rolled back update leaves the counter where it was.
		err := s.Update(ctx, func(tx acquirer.Tx) error {
			if _, err := tx.AdvanceKSN(pad, 9); err != nil {
				return err
			}
			return errors.New("boom")
		})
		if err == nil {
			t.Fatal("Update returned nil for a failing fn")
		}
		advance(pad, 7, true)
	})

	t.Run("batches and sequence", func(t *testing.T) {
		s := seed(t)
		update(t, s, func(tx acquirer.Tx) error {
			if n, err := tx.Batch("TERM0001"); err != nil || n != 1 {
				t.Errorf("Batch of a new terminal = %d, %v; want 1", n, err)
			}
			if err := tx.CloseBatch("TERM0001", acquirer.Settlement{Terminal: "TERM0001", Merchant: "m", Batch: 1, Balanced: true}); err != nil {
				return err
			}
			if n, err := tx.Batch("TERM0001"); err != nil || n != 2 {
				t.Errorf("Batch after CloseBatch = %d, %v; want 2", n, err)
			}
			a, err := tx.NextSequence()
			if err != nil {
				return err
			}
			b, err := tx.NextSequence()
			if err != nil || b <= a {
				t.Errorf("NextSequence = %d then %d, %v; want increasing", a, b, err)
			}
			return nil
		})
		s.View(ctx, func(tx acquirer.Tx) error {
			ss, err := tx.Settlements()
			if err != nil || len(ss) != 1 || ss[0].Batch != 1 || !ss[0].Balanced || ss[0].Merchant != "m" {
				t.Errorf("Settlements = %+v, %v", ss, err)
			}
			return nil
		})
	})

	t.Run("orphan reversals", func(t *testing.T) {
		s := seed(t)
		orphan := func(stan, digest string, batch int64) bool {
			t.Helper()
			var ok bool
			update(t, s, func(tx acquirer.Tx) (err error) {
				ds, err := tx.Orphans("TERM0001", stan, batch)
				ok = slices.Contains(ds, digest)
				return err
			})
			return ok
		}
		if orphan("000007", "d", 1) {
			t.Error("Orphans of an empty journal = true")
		}
		rev := func(stan, digest string, original int64) *acquirer.Entry {
			return &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "TERM0001", MTI: "0400", STAN: stan,
				Transmitted: "1126120000"}, Kind: acquirer.KindReversal, Code: "00", Digest: digest, Batch: 1, Original: original}
		}
		update(t, s, func(tx acquirer.Tx) error {
			if err := tx.Insert(rev("000007", "d", 0)); err != nil {
				return err
			}
			return tx.Insert(rev("000008", "e", 42)) // reversed something
		})
		for _, c := range []struct {
			stan, digest string
			batch        int64
			want         bool
		}{
			{"000007", "d", 1, true},
			{"000007", "x", 1, false}, // another card or amount
			{"000007", "d", 2, false}, // another batch
			{"000008", "e", 1, false}, // found its original
			{"000009", "d", 1, false},
		} {
			if got := orphan(c.stan, c.digest, c.batch); got != c.want {
				t.Errorf("Orphans(%s, %s, batch %d) = %t, want %t", c.stan, c.digest, c.batch, got, c.want)
			}
		}
		// A read-only transaction sees them too.
		s.View(ctx, func(tx acquirer.Tx) error {
			if ds, err := tx.Orphans("TERM0001", "000007", 1); err != nil || !slices.Equal(ds, []string{"d"}) {
				t.Errorf("Orphans in a View = %q, %v; want [d]", ds, err)
			}
			return nil
		})
		// An orphan inserted by an Update that fails is not one.
		if err := s.Update(ctx, func(tx acquirer.Tx) error {
			if err := tx.Insert(rev("000010", "f", 0)); err != nil {
				return err
			}
			return errors.New("boom")
		}); err == nil {
			t.Fatal("Update returned nil for a failing fn")
		}
		if orphan("000010", "f", 1) {
			t.Error("Orphans sees the row of a rolled-back Update")
		}
		if !orphan("000007", "d", 1) {
			t.Error("Orphans lost a committed orphan after a rolled-back Update")
		}
	})
}
