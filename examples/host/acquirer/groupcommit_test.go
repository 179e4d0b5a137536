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
