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

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore/pgtest"
	"github.com/posflow/posflow/examples/host/acquirer/storetest"
)

// instances opens two stores on one new schema, as two host instances on
// one database would be, and seeds the accounts through the first.
func instances(t *testing.T, accounts ...acquirer.Account) (a, b *pgstore.Store) {
	t.Helper()
	dsn := pgtest.DSN(t)
	a, b = open(t, dsn), open(t, dsn)
	if err := a.Seed(context.Background(), accounts, nil); err != nil {
		t.Fatal(err)
	}
	return a, b
}

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
// never goes below zero, whichever instance a debit ran on. (Without FOR
// UPDATE on the balance's read, the account is overdrawn.)
func TestInstancesShareAccount(t *testing.T) {
	const opening, debit, workers, tries = 1000, 7, 8, 40
	a, b := instances(t, acquirer.Account{ID: "shared", Balance: opening})
	ctx := context.Background()
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
	a, b := instances(t, acquirer.Account{ID: "acct", Balance: 1000})
	ctx := context.Background()
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

// race runs fn(s, i) on a and b, i counting up from 0 in each, n times
// each at once.
func race(t *testing.T, a, b *pgstore.Store, n int, fn func(s *pgstore.Store, i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, s := range []*pgstore.Store{a, b} {
		wg.Go(func() {
			<-start
			for i := range n {
				if err := fn(s, i); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
}

// TestInstancesReverseOnce reverses one approved purchase from two
// instances at once, each with a reversal of its own (another STAN), as
// a terminal that sent its reversal to one instance and then, timed out,
// to another with a new STAN would: the money comes back once. (Without
// both the lock on the original's row and the terminal's, it comes back
// twice.)
func TestInstancesReverseOnce(t *testing.T) {
	a, b := instances(t, acquirer.Account{ID: "acct", Balance: 10000})
	ctx := context.Background()
	var stans atomic.Int64
	for round := range 10 {
		stan := fmt.Sprintf("%06d", stans.Add(1))
		if err := a.Update(ctx, func(tx acquirer.Tx) error {
			if err := tx.AddBalance("acct", -100); err != nil {
				return err
			}
			return tx.Insert(&acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "T1", MTI: "0200", STAN: stan,
				Transmitted: "1126120000"}, Kind: acquirer.KindFinancial, Account: "acct", Amount: 100, Code: "00",
				Debit: true, Applied: -100, Batch: 1, Time: time.Unix(1, 0)})
		}); err != nil {
			t.Fatal(err)
		}
		race(t, a, b, 3, func(s *pgstore.Store, i int) error {
			rev := fmt.Sprintf("%06d", stans.Add(1))
			return s.Update(ctx, func(tx acquirer.Tx) error {
				orig, err := tx.Original("T1", stan, "")
				if err != nil {
					return err
				}
				if orig.Reversed != 0 {
					return nil
				}
				if err := tx.AddBalance(orig.Account, -orig.Applied); err != nil {
					return err
				}
				e := &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "T1", MTI: "0400", STAN: rev,
					Transmitted: "1126120001"}, Kind: acquirer.KindReversal, Account: "acct", Amount: 100, Code: "00",
					Applied: -orig.Applied, Original: orig.ID, Batch: 1, Time: time.Unix(2, 0)}
				if err := tx.Insert(e); err != nil {
					return err
				}
				return tx.SetReversed(orig.ID, e.ID)
			})
		})
		b.View(ctx, func(tx acquirer.Tx) error {
			if bal, err := tx.Balance("acct"); err != nil || bal != 10000 {
				t.Errorf("round %d: balance %d, %v after reversing, want 10000 (restored once)", round, bal, err)
			}
			return nil
		})
	}
}

// TestInstancesOrphan sends a purchase and its reversal to two instances
// at once, the reversal looking for its original and the purchase for a
// reversal that came before it (Orphans), as the host does: whichever
// runs first, the other sees it, so the purchase is not approved with an
// orphan reversal of it in the journal. (Without the lock on the
// terminal, both miss each other now and then.)
func TestInstancesOrphan(t *testing.T) {
	a, b := instances(t, acquirer.Account{ID: "acct", Balance: 1 << 40})
	ctx := context.Background()
	const rounds = 40
	race(t, a, b, rounds, func(s *pgstore.Store, i int) error {
		stan := fmt.Sprintf("%06d", i+1)
		if s == a { // the purchase
			return s.Update(ctx, func(tx acquirer.Tx) error {
				orphans, err := tx.Orphans("T1", stan, 1)
				if err != nil {
					return err
				}
				e := &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "T1", MTI: "0200", STAN: stan,
					Transmitted: "1126120000"}, Kind: acquirer.KindFinancial, Account: "acct", Amount: 100, Code: "00",
					Debit: true, Applied: -100, Batch: 1, Time: time.Unix(1, 0)}
				if len(orphans) > 0 {
					e.Code, e.Applied = "94", 0
				} else if err := tx.AddBalance("acct", -100); err != nil {
					return err
				}
				return tx.Insert(e)
			})
		}
		return s.Update(ctx, func(tx acquirer.Tx) error { // the reversal
			e := &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "T1", MTI: "0400", STAN: stan,
				Transmitted: "1126120000"}, Kind: acquirer.KindReversal, Account: "acct", Amount: 100, Code: "00",
				Batch: 1, Digest: "d", Time: time.Unix(2, 0)}
			orig, err := tx.Original("T1", stan, "")
			switch {
			case errors.Is(err, acquirer.ErrNotFound):
			case err != nil:
				return err
			default:
				e.Original, e.Applied = orig.ID, 100
				if err := tx.AddBalance("acct", 100); err != nil {
					return err
				}
			}
			if err := tx.Insert(e); err != nil {
				return err
			}
			if e.Original != 0 {
				return tx.SetReversed(e.Original, e.ID)
			}
			return nil
		})
	})
	b.View(ctx, func(tx acquirer.Tx) error {
		es, err := tx.Entries("T1", 0)
		if err != nil {
			t.Fatal(err)
		}
		var moved int64
		approved, orphan := map[string]bool{}, map[string]bool{}
		for _, e := range es {
			moved += e.Applied
			switch {
			case e.MTI == "0200" && e.Code == "00":
				approved[e.STAN] = e.Reversed == 0
			case e.MTI == "0400" && e.Original == 0:
				orphan[e.STAN] = true
			}
		}
		for stan, unreversed := range approved {
			if unreversed && orphan[stan] {
				t.Errorf("STAN %s: purchase approved and not reversed, with an orphan reversal", stan)
			}
		}
		if bal, err := tx.Balance("acct"); err != nil || bal != 1<<40+moved {
			t.Errorf("balance %d, %v; want the opening balance %d + the journal's %d", bal, err, int64(1<<40), moved)
		}
		return nil
	})
}

// TestConnectionsLost debits an account from several goroutines while
// another terminates the store's server connections again and again: an
// Update whose connection was lost before its COMMIT is tried again on
// another, so that only those whose COMMIT got no answer fail; every one
// that returned nil is in the journal; and whatever the store answered,
// the balance is the opening balance less the journal's debits (a
// transaction is whole or absent).
func TestConnectionsLost(t *testing.T) {
	dsn := pgtest.DSN(t)
	app := fmt.Sprintf("pgstore_lost_%d", time.Now().UnixNano())
	s := open(t, dsn+" application_name="+app)
	if strings.Contains(dsn, "://") {
		t.Skip("the test adds application_name to a keyword/value connection string")
	}
	ctx := context.Background()
	const opening = 1 << 30
	if err := s.Seed(ctx, []acquirer.Account{{ID: "acct", Balance: opening}}, nil); err != nil {
		t.Fatal(err)
	}
	killer := open(t, dsn)
	stop := make(chan struct{})
	var terminated atomic.Int64
	var kw sync.WaitGroup
	kw.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			var n int64
			err := killer.Pool().QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE application_name = $1`, app).Scan(&n)
			if err != nil {
				t.Error(err)
				return
			}
			terminated.Add(n)
		}
	})
	const workers, each = 4, 60
	var mu sync.Mutex
	var done []acquirer.RequestKey
	failed := 0 // at COMMIT, whose outcome is unknown: not tried again
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				k := acquirer.RequestKey{Terminal: fmt.Sprintf("T%d", w), MTI: "0200", STAN: fmt.Sprintf("%06d", i+1),
					Transmitted: "1126120000"}
				err := s.Update(ctx, func(tx acquirer.Tx) error {
					if _, err := tx.Balance("acct"); err != nil {
						return err
					}
					if err := tx.AddBalance("acct", -10); err != nil {
						return err
					}
					return tx.Insert(&acquirer.Entry{RequestKey: k, Kind: acquirer.KindFinancial, Account: "acct",
						Amount: 10, Code: "00", Debit: true, Applied: -10, Batch: 1, Time: time.Unix(1, 0)})
				})
				var se *acquirer.StoreError
				mu.Lock()
				switch {
				case err == nil:
					done = append(done, k)
				case errors.As(err, &se) && se.Op == "commit":
					failed++
				default:
					t.Errorf("Update failed before its COMMIT, not tried again on another connection: %v", err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(stop)
	kw.Wait()
	if terminated.Load() == 0 {
		t.Fatal("no connection was terminated: the test tested nothing")
	}
	check := open(t, dsn)
	check.View(ctx, func(tx acquirer.Tx) error {
		var rows int64
		for w := range workers {
			es, err := tx.Entries(fmt.Sprintf("T%d", w), 0)
			if err != nil {
				t.Fatal(err)
			}
			rows += int64(len(es))
		}
		for _, k := range done {
			if _, err := tx.Lookup(k); err != nil {
				t.Errorf("%+v: Update returned nil, journal row: %v", k, err)
			}
		}
		if bal, err := tx.Balance("acct"); err != nil || bal != opening-10*rows {
			t.Errorf("balance %d, %v; want %d less 10 for each of the %d journal rows", bal, err, opening, rows)
		}
		return nil
	})
	t.Logf("%d connections terminated; %d Updates succeeded, %d failed", terminated.Load(), len(done), failed)
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
// password of its connection string (which the test server, trusting
// local connections, ignores).
func TestString(t *testing.T) {
	dsn := pgtest.DSN(t)
	if strings.Contains(dsn, "://") {
		t.Skip("the test adds a password to a keyword/value connection string")
	}
	s := open(t, dsn+" password=s3cret-pw")
	if got := fmt.Sprint(s); strings.Contains(got, "s3cret") || !strings.HasPrefix(got, "pgstore(") {
		t.Errorf("String = %q", got)
	}
}

func TestWithSchema(t *testing.T) {
	for _, c := range [][3]string{
		{"host=db dbname=a", "s1", "host=db dbname=a search_path='s1'"},
		{"host=db dbname=a", `o'k\`, `host=db dbname=a search_path='o\'k\\'`},
		{"postgres://u@db/a", "s1", "postgres://u@db/a?search_path=s1"},
		{"postgres://u@db/a?sslmode=disable", "s1", "postgres://u@db/a?sslmode=disable&search_path=s1"},
	} {
		got := pgstore.WithSchema(c[0], c[1])
		if got != c[2] {
			t.Errorf("WithSchema(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
		cfg, err := pgconn.ParseConfig(got)
		if err != nil || cfg.RuntimeParams["search_path"] != c[1] {
			t.Errorf("WithSchema(%q, %q) parses to search_path %q, %v", c[0], c[1], cfg.RuntimeParams["search_path"], err)
		}
	}
}

// BenchmarkPurchase measures one purchase's Update as the host runs it:
// the terminal's lock and batch, the card's state and the account's
// balance locked, the PIN pad's counter, the orphan check, an RRN, the
// journal row and the two changes, and the COMMIT, on one connection to
// the server POSFLOW_POSTGRES names (round trips included).
func BenchmarkPurchase(b *testing.B) {
	s := open(b, pgtest.DSN(b))
	ctx := context.Background()
	pan := "4761739001010119"
	if err := s.Seed(ctx, []acquirer.Account{{ID: "acct", Balance: 1 << 50}},
		[]acquirer.Card{{PAN: pan, Account: "acct"}}); err != nil {
		b.Fatal(err)
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		err := s.Update(ctx, func(tx acquirer.Tx) error { return pgstore.Purchase(tx, pan, i) })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// TestHungInstance checks that an instance stopped in the middle of an
// Update, holding a terminal's lock, keeps the others waiting only for
// idle_in_transaction_session_timeout (300 ms here): the other instance's
// Update of that terminal completes while the first still sleeps; the
// first, when it wakes, finds its session ended and its transaction
// rolled back, and its Update is tried again (the connection was lost
// before COMMIT), so that its change is applied once.
func TestHungInstance(t *testing.T) {
	dsn := pgtest.DSN(t)
	hung := open(t, dsn+" idle_in_transaction_session_timeout=300")
	other := open(t, dsn)
	ctx := context.Background()
	if err := hung.Seed(ctx, []acquirer.Account{{ID: "acct", Balance: 100}}, nil); err != nil {
		t.Fatal(err)
	}
	locked := make(chan struct{})
	var otherDone atomic.Bool
	attempts := 0
	hungErr := make(chan error, 1)
	go func() {
		hungErr <- hung.Update(ctx, func(tx acquirer.Tx) error {
			attempts++
			if _, err := tx.Batch("TERM0001"); err != nil { // takes the terminal's lock
				return err
			}
			if attempts == 1 {
				close(locked)
				time.Sleep(2 * time.Second) // hung, holding the lock
				if !otherDone.Load() {
					t.Error("the other instance's Update waited for the hung one")
				}
			}
			return tx.AddBalance("acct", -50)
		})
	}()
	<-locked
	err := other.Update(ctx, func(tx acquirer.Tx) error {
		if _, err := tx.Batch("TERM0001"); err != nil {
			return err
		}
		return tx.AddBalance("acct", 1)
	})
	otherDone.Store(true)
	if err != nil {
		t.Fatalf("the other instance's Update: %v", err)
	}
	if err := <-hungErr; err != nil {
		t.Errorf("the hung instance's Update: %v", err)
	}
	if attempts != 2 {
		t.Errorf("the hung instance's Update ran %d times, want 2", attempts)
	}
	if err := other.View(ctx, func(tx acquirer.Tx) error {
		b, err := tx.Balance("acct")
		if err == nil && b != 51 {
			t.Errorf("balance %d, want 51: each change once", b)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// Without the setting in the connection string, the store's default.
	var got string
	if err := other.Pool().QueryRow(ctx, `SHOW idle_in_transaction_session_timeout`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "5s" {
		t.Errorf("idle_in_transaction_session_timeout = %s, want 5s (DefaultIdleInTransaction)", got)
	}
}

// TestIdleSetting checks which idle_in_transaction_session_timeout the
// store's sessions run with: the connection string's, set directly or in
// options, else DefaultIdleInTransaction.
func TestIdleSetting(t *testing.T) {
	dsn := pgtest.DSN(t)
	for _, c := range []struct{ extra, want string }{
		{"", "5s"},
		{" idle_in_transaction_session_timeout=1500", "1500ms"},
		{" options='-c idle_in_transaction_session_timeout=2000'", "2s"},
	} {
		s := open(t, dsn+c.extra)
		var got string
		if err := s.Pool().QueryRow(context.Background(), `SHOW idle_in_transaction_session_timeout`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("with %q: %s, want %s", c.extra, got, c.want)
		}
	}
}

// TestAbandonedWait checks that a request that gives up while its
// statement waits for a lock does not leave its session waiting, holding
// the locks it took before, until the wait ends: the session is gone
// while the lock's holder is still at work (pgx cancels the statement
// when the Update's context ends).
func TestAbandonedWait(t *testing.T) {
	dsn := pgtest.DSN(t)
	holder := open(t, dsn)
	app := fmt.Sprintf("posflow_abandoned_%d", time.Now().UnixNano())
	waiter := open(t, dsn+" application_name="+app)
	ctx := context.Background()
	locked := make(chan struct{})
	var holderDone atomic.Bool
	holderErr := make(chan error, 1)
	go func() {
		holderErr <- holder.Update(ctx, func(tx acquirer.Tx) error {
			if _, err := tx.Batch("ABANDON1"); err != nil {
				return err
			}
			close(locked)
			time.Sleep(3 * time.Second)
			holderDone.Store(true)
			return nil
		})
	}()
	<-locked
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	err := waiter.Update(short, func(tx acquirer.Tx) error {
		_, err := tx.Batch("ABANDON1")
		return err
	})
	if err == nil {
		t.Fatal("the waiter's Update succeeded while the lock was held")
	}
	waiting := -1
	for !holderDone.Load() {
		if err := holder.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`,
			app).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if waiting != 0 {
		t.Errorf("the abandoned session was still there when the lock's holder finished")
	}
	if err := <-holderErr; err != nil {
		t.Fatal(err)
	}
}
