package acquirer

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
)

// TestGroupsGrow checks that the committer yields before it starts a
// group (groupYields), so that Updates sent by goroutines ready to run
// share a commit: 100 goroutines that each do some work and send an
// Update, 40 times, make groups of about 50 Updates, where without the
// yields they made groups of 2 or 3.
func TestGroupsGrow(t *testing.T) {
	s, err := OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const workers, each = 100, 40
	accounts := make([]Account, workers)
	for w := range accounts {
		accounts[w] = Account{ID: fmt.Sprintf("acc-%03d", w)}
	}
	if err := s.Seed(ctx, accounts, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range workers {
		account := accounts[w].ID
		wg.Go(func() {
			buf := make([]byte, 4096)
			for range each {
				// A request's work before its Update (parsing, MAC
				// and PIN verification): about 10 us.
				sum := sha256.Sum256(buf)
				buf[0] = sum[0]
				if err := s.Update(ctx, func(tx Tx) error { return tx.AddBalance(account, 1) }); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := s.Close(); err != nil { // the committer has returned: groups is ours to read
		t.Fatal(err)
	}
	perGroup := float64(workers*each) / float64(s.groups)
	t.Logf("%d Updates in %d groups, %.1f a group", workers*each, s.groups, perGroup)
	if perGroup < 8 {
		t.Errorf("%.1f Updates a group, want at least 8", perGroup)
	}
}
