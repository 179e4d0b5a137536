package acquirer_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/posflow/posflow/examples/host/acquirer"
)

// TestGroupCommit runs many Updates at once on a durable file store: the
// failing ones change nothing, the others all apply, also when they share
// a commit with a failing one, and an Update after Close fails.
func TestGroupCommit(t *testing.T) {
	s, err := acquirer.OpenSQLite(filepath.Join(t.TempDir(), "host.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Seed(ctx, []acquirer.Account{{ID: "a", Balance: 1000}}, nil); err != nil {
		t.Fatal(err)
	}
	errFail := errors.New("fail")
	const n = 60
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Update(ctx, func(tx acquirer.Tx) error {
				if err := tx.AddBalance("a", 1); err != nil {
					return err
				}
				if i%3 == 0 {
					return errFail // after a change, which must be rolled back
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if want := i%3 == 0; want != (err != nil) || (want && !errors.Is(err, errFail)) {
			t.Errorf("Update %d = %v", i, err)
		}
	}
	var got int64
	if err := s.View(ctx, func(tx acquirer.Tx) (err error) { got, err = tx.Balance("a"); return err }); err != nil {
		t.Fatal(err)
	}
	if want := int64(1000 + n - n/3); got != want {
		t.Errorf("balance %d, want %d", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(acquirer.Tx) error { return nil }); !errors.Is(err, acquirer.ErrStoreClosed) {
		t.Errorf("Update after Close = %v, want ErrStoreClosed", err)
	}
}

// holdCommitter runs an Update that blocks the committer until the
// returned function is called, so that the Updates started meanwhile wait
// and then share one group; the function waits for the blocking Update.
func holdCommitter(t *testing.T, s *acquirer.SQLiteStore) (release func()) {
	t.Helper()
	held, done := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.Update(context.Background(), func(acquirer.Tx) error { close(held); <-done; return nil })
	}()
	<-held
	return func() {
		close(done)
		if err := <-errc; err != nil {
			t.Errorf("the Update holding the committer: %v", err)
		}
	}
}

// groupOf runs fns as concurrent Updates that share one group and returns
// their errors.
func groupOf(t *testing.T, s *acquirer.SQLiteStore, fns ...func(acquirer.Tx) error) []error {
	t.Helper()
	release := holdCommitter(t, s)
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = s.Update(context.Background(), fn) })
	}
	waitUpdates(t, len(fns))
	release()
	wg.Wait()
	return errs
}

// add returns an Update fn that adds delta to account and then returns err.
func add(account string, delta int64, err error) func(acquirer.Tx) error {
	return func(tx acquirer.Tx) error {
		if aerr := tx.AddBalance(account, delta); aerr != nil {
			return aerr
		}
		return err
	}
}

func balanceOf(t *testing.T, s acquirer.Store, account string) int64 {
	t.Helper()
	var b int64
	if err := s.View(context.Background(), func(tx acquirer.Tx) (err error) { b, err = tx.Balance(account); return err }); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGroupCommitRollbackTo has a failing fn share a group with others
// (deterministically, unlike TestGroupCommit): its change is rolled back
// to its savepoint alone, and the others commit.
func TestGroupCommitRollbackTo(t *testing.T) {
	s, err := acquirer.OpenSQLite(filepath.Join(t.TempDir(), "host.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Seed(context.Background(), []acquirer.Account{{ID: "a", Balance: 1000}, {ID: "b", Balance: 1000}}, nil); err != nil {
		t.Fatal(err)
	}
	errFail := errors.New("fail")
	errs := groupOf(t, s, add("a", 1, nil), add("a", 10, errFail), add("b", 100, errFail), add("b", 1000, nil), add("a", 2, nil))
	for i, want := range []error{nil, errFail, errFail, nil, nil} {
		if errs[i] != want {
			t.Errorf("Update %d = %v, want %v", i, errs[i], want)
		}
	}
	if a, b := balanceOf(t, s, "a"), balanceOf(t, s, "b"); a != 1003 || b != 2000 {
		t.Errorf("balances a %d, b %d; want 1003 and 2000", a, b)
	}
}

// TestGroupCommitFails has the COMMIT of a group fail, honestly: a
// deferred foreign key, which SQLite checks at COMMIT only, is violated by
// a trigger that fires for one Update of the group. Every Update of the
// group fails with a *StoreError, none of their changes remain (in the
// database or in what the committer keeps in memory), and the next group
// commits.
func TestGroupCommitFails(t *testing.T) {
	s, err := acquirer.OpenSQLite(filepath.Join(t.TempDir(), "host.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.Seed(ctx, []acquirer.Account{{ID: "a", Balance: 1000}, {ID: "poison", Balance: 0}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`
		CREATE TABLE fault_parent (id INTEGER PRIMARY KEY);
		CREATE TABLE fault_child (parent INTEGER REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED);
		CREATE TRIGGER fault AFTER UPDATE ON accounts WHEN NEW.id = 'poison'
		BEGIN INSERT INTO fault_child VALUES (1); END;`); err != nil {
		t.Fatal(err)
	}
	errs := groupOf(t, s, add("a", 1, nil), add("a", 2, nil), add("poison", 1, nil), add("a", 4, nil))
	for i, err := range errs {
		var se *acquirer.StoreError
		if !errors.As(err, &se) || se.Op != "commit" {
			t.Errorf("Update %d of the group whose COMMIT failed = %v, want a *StoreError of the commit", i, err)
		}
	}
	if got := balanceOf(t, s, "a"); got != 1000 {
		t.Errorf("balance after the failed COMMIT %d, want 1000", got)
	}
	// What the committer keeps in memory is forgotten too: the next
	// Update reads the balance the database holds.
	var seen int64
	if err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
		seen, err = tx.Balance("a")
		if err != nil {
			return err
		}
		return tx.AddBalance("a", 8)
	}); err != nil {
		t.Fatalf("Update after the failed group: %v", err)
	}
	if seen != 1000 {
		t.Errorf("balance seen by the next Update %d, want 1000", seen)
	}
	if got := balanceOf(t, s, "a"); got != 1008 {
		t.Errorf("balance after the next group %d, want 1008", got)
	}
}
