package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore/pgtest"
	"github.com/posflow/posflow/examples/host/acquirer/storetest"
)

// open opens a store at dsn, closed when t ends.
func open(t testing.TB, dsn string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) acquirer.Store { return open(t, pgtest.DSN(t)) })
}

// TestOpenTogether opens several stores on one empty schema at once, as
// instances starting together do: the schema is created once, and every
// Open succeeds.
func TestOpenTogether(t *testing.T) {
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := pgstore.Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// TestInstancesShareAccount debits one account from two instances (two
// stores, each with its own connections) at once, each debit only if the
// balance covers it, as the host does: no debit is lost and the balance
// never goes below zero, whichever instance a debit ran on.
func TestInstancesShareAccount(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx := context.Background()
	const opening, debit, workers, tries = 1000, 7, 8, 40
	if err := a.Seed(ctx, []acquirer.Account{{ID: "shared", Balance: opening}}, nil); err != nil {
		t.Fatal(err)
	}
	var approved, declined atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Go(func() {
			for range tries {
				ok := false
				err := s.Update(ctx, func(tx acquirer.Tx) error {
					ok = false
					bal, err := tx.Balance("shared")
					if err != nil {
						return err
					}
					if bal < debit {
						return nil
					}
					ok = true
					return tx.AddBalance("shared", -debit)
				})
				switch {
				case err != nil:
					t.Error(err)
					return
				case ok:
					approved.Add(1)
				default:
					declined.Add(1)
				}
			}
		})
	}
	wg.Wait()
	var bal int64
	if err := b.View(ctx, func(tx acquirer.Tx) error {
		var err error
		bal, err = tx.Balance("shared")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if want := opening - debit*approved.Load(); bal != want || bal < 0 || bal >= debit {
		t.Errorf("balance %d after %d debits of %d from %d (%d declined), want %d, under %d", bal, approved.Load(), debit,
			opening, declined.Load(), want, debit)
	}
}

// TestInstancesDuplicate sends the same request to two instances at once:
// one journals it, the other finds the key taken (ErrDuplicateKey) and
// then the first row, and the money moves once.
func TestInstancesDuplicate(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx := context.Background()
	if err := a.Seed(ctx, []acquirer.Account{{ID: "acct", Balance: 1000}}, nil); err != nil {
		t.Fatal(err)
	}
	for round := range 20 {
		key := acquirer.RequestKey{Terminal: "TERM0001", MTI: "0200", STAN: fmt.Sprintf("%06d", round+1), Transmitted: "1126120000"}
		start := make(chan struct{})
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, s := range []*pgstore.Store{a, b} {
			wg.Go(func() {
				<-start
				errs[i] = s.Update(ctx, func(tx acquirer.Tx) error {
					if err := tx.AddBalance("acct", -10); err != nil {
						return err
					}
					return tx.Insert(&acquirer.Entry{RequestKey: key, Kind: acquirer.KindFinancial, Account: "acct",
						Amount: 10, Code: "00", Debit: true, Applied: -10, Batch: 1, Time: time.Unix(1, 0)})
				})
			})
		}
		close(start)
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: Updates returned %v and %v, want one success and one duplicate", round, errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, acquirer.ErrDuplicateKey) {
				t.Fatalf("round %d: %v, want ErrDuplicateKey", round, err)
			}
		}
		if err := b.View(ctx, func(tx acquirer.Tx) error {
			e, err := tx.Lookup(key)
			if err != nil {
				return err
			}
			if e.Applied != -10 {
				t.Errorf("round %d: journal row %+v", round, e)
			}
			bal, err := tx.Balance("acct")
			if err != nil {
				return err
			}
			if want := int64(1000 - 10*(round+1)); bal != want {
				t.Errorf("round %d: balance %d, want %d (the duplicate's debit rolled back)", round, bal, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFailedStatement checks that an Update whose function ignores a
// failed statement and returns nil does not commit: PostgreSQL aborted
// the transaction, and the store reports it.
func TestFailedStatement(t *testing.T) {
	s := open(t, pgtest.DSN(t))
	ctx := context.Background()
	if err := s.Seed(ctx, []acquirer.Account{{ID: "acct", Balance: 5}}, nil); err != nil {
		t.Fatal(err)
	}
	err := s.Update(ctx, func(tx acquirer.Tx) error {
		if err := tx.AddBalance("acct", 1); err != nil {
			return err
		}
		// Text that is not UTF-8 fails in PostgreSQL.
		tx.Insert(&acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "\xff"}, Time: time.Unix(0, 0)})
		return nil
	})
	var se *acquirer.StoreError
	if !errors.As(err, &se) {
		t.Fatalf("Update = %v, want a StoreError", err)
	}
	s.View(ctx, func(tx acquirer.Tx) error {
		if b, err := tx.Balance("acct"); err != nil || b != 5 {
			t.Errorf("Balance = %d, %v after the failed Update, want 5", b, err)
		}
		return nil
	})
}

// TestString checks that a store names its host and database, never the
// password of its connection string.
func TestString(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := open(t, dsn)
	if got := fmt.Sprint(s); strings.Contains(got, "password") || !strings.HasPrefix(got, "pgstore(") {
		t.Errorf("String = %q", got)
	}
}
