package acquirer

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
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

// TestAppendDigits checks appendDigits against fmt's %0*d, and rrn's
// layout.
func TestAppendDigits(t *testing.T) {
	for _, v := range []uint64{0, 1, 9, 10, 99, 123, 999999, 1000000, 123456789, 1<<64 - 1} {
		for _, w := range []int{1, 3, 6, 8} {
			want := fmt.Sprintf("%0*d", w, v)
			want = want[len(want)-w:]
			if got := string(appendDigits([]byte("x"), v, w)); got != "x"+want {
				t.Errorf("appendDigits(%d, %d) = %q, want %q", v, w, got, "x"+want)
			}
		}
	}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	if got, want := rrn(now, 123456789), "633023456789"; got != want {
		t.Errorf("rrn = %q, want %q", got, want)
	}
}

// TestDigest pins digest: journals written by earlier versions hold its
// values, which a resent request must match (SHA-256 of the PAN and the
// fields, each after a zero byte, computed with Python's hashlib).
func TestDigest(t *testing.T) {
	if got, want := digest("4761739001010119", "000000", "100"), "69eda0cee34c234296f1bfed76a03a99"; got != want {
		t.Errorf("digest = %s, want %s", got, want)
	}
	long := strings.Repeat("9", 200) // past digest's buffer on the stack
	if digest(long, "1") == digest(long, "2") {
		t.Error("digest ignores a field after a long PAN")
	}
}
