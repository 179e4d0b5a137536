package acquirer

import (
	"context"
	"fmt"
	"testing"
)

// TestKnownRowsBounded checks that the rows the committer keeps in memory
// stay near knownRows, and that balances stay right across the
// forgetting.
func TestKnownRowsBounded(t *testing.T) {
	defer func(n int) { knownRows = n }(knownRows)
	knownRows = 10
	s, err := OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var accounts []Account
	for i := range 50 {
		accounts = append(accounts, Account{ID: fmt.Sprintf("a%02d", i), Balance: 100})
	}
	if err := s.Seed(ctx, accounts, nil); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		for _, a := range accounts {
			if err := s.Update(ctx, func(tx Tx) error { return tx.AddBalance(a.ID, -1) }); err != nil {
				t.Fatal(err)
			}
			// Read by the committer between groups: no data race.
			if err := s.Update(ctx, func(Tx) error {
				if n := s.known.len(); n > knownRows+1 {
					return fmt.Errorf("round %d: %d rows kept, want at most %d", round, n, knownRows+1)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = s.View(ctx, func(tx Tx) error {
		for _, a := range accounts {
			if b, err := tx.Balance(a.ID); err != nil || b != 97 {
				return fmt.Errorf("balance of %s = %d, %v; want 97", a.ID, b, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
