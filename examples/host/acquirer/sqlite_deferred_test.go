package acquirer_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
)

// TestDeferredWrites checks the balances, card states and DUKPT counters
// that the SQLite store's Updates change in the committer's memory and
// their group writes before its COMMIT: enough concurrent Updates to fill
// groups of every size, some failing after their changes, some replaying
// a counter, and the database read back after the store is reopened.
func TestDeferredWrites(t *testing.T) {
	t.Run("schema", func(t *testing.T) { testDeferredWrites(t, "") })
	// Databases made before the tables were WITHOUT ROWID keep theirs.
	t.Run("rowid tables", func(t *testing.T) { testDeferredWrites(t, rowidTables) })
}

// rowidTables is the schema of the tables that deferred writes change,
// as made before they were WITHOUT ROWID.
const rowidTables = `
CREATE TABLE accounts (id TEXT PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE cards (pan TEXT PRIMARY KEY, status TEXT NOT NULL, pin_tries INTEGER NOT NULL,
	last_atc INTEGER NOT NULL, script TEXT NOT NULL);
CREATE TABLE pinpads (device TEXT PRIMARY KEY, counter INTEGER NOT NULL);`

func testDeferredWrites(t *testing.T, schema string) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "deferred.db")
	if schema != "" {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(schema)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := acquirer.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 400
	accounts := make([]acquirer.Account, n)
	cards := make([]acquirer.Card, n)
	for i := range n {
		accounts[i] = acquirer.Account{ID: fmt.Sprintf("acct%03d", i), Balance: 10_000}
		cards[i] = acquirer.Card{PAN: fmt.Sprintf("4761%012d", i), Account: accounts[i].ID}
	}
	if err := s.Seed(ctx, accounts, cards); err != nil {
		t.Fatal(err)
	}
	errFail := errors.New("fail")
	fails := func(i int) bool { return i%7 == 3 }
	// Each Update i changes account i%50 (so that Updates of one group
	// share rows), card i and PIN pad i%100, then fails when fails(i).
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Update(ctx, func(tx acquirer.Tx) error {
				if err := tx.AddBalance(accounts[i%50].ID, -int64(i)); err != nil {
					return err
				}
				st, err := tx.CardState(cards[i].PAN)
				if err != nil {
					return err
				}
				st.LastATC, st.PINTries = i, 1
				if err := tx.SetCardState(st); err != nil {
					return err
				}
				if got, err := tx.CardState(cards[i].PAN); err != nil || got != st {
					return fmt.Errorf("card state read back %+v, %v; want %+v", got, err, st)
				}
				pad := fmt.Sprintf("pad%03d", i%100)
				if _, err := tx.AdvanceKSN(pad, int64(i)); err != nil {
					return err
				}
				if fresh, err := tx.AdvanceKSN(pad, int64(i)); err != nil || fresh {
					return fmt.Errorf("counter %d of %s fresh twice in one Update (%v)", i, pad, err)
				}
				if fails(i) {
					return errFail
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if fails(i) != (err != nil) || fails(i) && !errors.Is(err, errFail) {
			t.Errorf("Update %d = %v", i, err)
		}
	}
	s = reopen(t, s, path)
	want := map[string]int64{}
	for i := range n {
		if !fails(i) {
			want[accounts[i%50].ID] -= int64(i)
		}
	}
	err = s.View(ctx, func(tx acquirer.Tx) error {
		for i, a := range accounts {
			b, err := tx.Balance(a.ID)
			if err != nil {
				return err
			}
			if w := 10_000 + want[a.ID]; b != w {
				t.Errorf("balance of %s = %d, want %d", a.ID, b, w)
			}
			st, err := tx.CardState(cards[i].PAN)
			if err != nil {
				return err
			}
			wantATC, wantTries := -1, 0
			if !fails(i) {
				wantATC, wantTries = i, 1
			}
			if st.LastATC != wantATC || st.PINTries != wantTries {
				t.Errorf("card %d: ATC %d, tries %d; want %d, %d", i, st.LastATC, st.PINTries, wantATC, wantTries)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The highest counter of each PIN pad that a committed Update took is
	// the database's: it and those below are replays, the next is fresh.
	last := map[string]int{}
	for i := range n {
		if !fails(i) {
			pad := fmt.Sprintf("pad%03d", i%100)
			last[pad] = max(last[pad], i)
		}
	}
	for pad, c := range last {
		var stale, fresh bool
		err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
			if stale, err = tx.AdvanceKSN(pad, int64(c)); err != nil {
				return err
			}
			fresh, err = tx.AdvanceKSN(pad, int64(c+1))
			return err
		})
		if err != nil || stale || !fresh {
			t.Errorf("%s after reopening: counter %d fresh %v, %d fresh %v (%v)", pad, c, stale, c+1, fresh, err)
		}
	}
}

// TestDeferredWritesUnknownRows checks that changes to an account or a
// card the database does not hold fail with ErrNotFound, as the UPDATEs
// they replace did, and leave nothing behind.
func TestDeferredWritesUnknownRows(t *testing.T) {
	ctx := context.Background()
	s, err := acquirer.OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Seed(ctx, []acquirer.Account{{ID: "a", Balance: 5}}, nil); err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx acquirer.Tx) error { return tx.AddBalance("nobody", 1) })
	if !errors.Is(err, acquirer.ErrNotFound) {
		t.Errorf("AddBalance of an unknown account = %v, want ErrNotFound", err)
	}
	err = s.Update(ctx, func(tx acquirer.Tx) error {
		return tx.SetCardState(acquirer.CardState{PAN: "4761000000000000", Status: acquirer.StatusActive})
	})
	if !errors.Is(err, acquirer.ErrNotFound) {
		t.Errorf("SetCardState of an unknown card = %v, want ErrNotFound", err)
	}
	var b int64
	if err := s.View(ctx, func(tx acquirer.Tx) (err error) { b, err = tx.Balance("a"); return err }); err != nil || b != 5 {
		t.Errorf("balance %d, %v; want 5", b, err)
	}
}

// TestFailedUpdateJournal checks that the journal rows of an Update that
// fails are gone, whether the Update inserted one row (which the store
// inserts without a savepoint and deletes by its ID) or more changes, and
// that Updates sharing its group keep theirs.
func TestFailedUpdateJournal(t *testing.T) {
	ctx := context.Background()
	s := storeWithAccount(t, filepath.Join(t.TempDir(), "journal.db"))
	entry := func(stan int) *acquirer.Entry {
		return &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "TERM0001", MTI: "0200",
			STAN: fmt.Sprintf("%06d", stan), Transmitted: "1126104300"}, Kind: acquirer.KindFinancial,
			Account: "a", Amount: 1, Code: "00", Batch: 1, Time: time.Unix(0, 0)}
	}
	errFail := errors.New("fail")
	var first int64
	if err := s.Update(ctx, func(tx acquirer.Tx) error {
		e := entry(1)
		err := tx.Insert(e)
		first = e.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	const n = 90
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Update(ctx, func(tx acquirer.Tx) error {
				if err := tx.AddBalance("a", -1); err != nil {
					return err
				}
				e := entry(100 + i)
				if err := tx.Insert(e); err != nil {
					return err
				}
				switch i % 3 {
				case 1: // a second change, under the savepoint
					if err := tx.SetReversed(first, e.ID); err != nil {
						return err
					}
					return errFail
				case 2:
					return errFail
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if want := i%3 != 0; want != errors.Is(err, errFail) || !want && err != nil {
			t.Errorf("Update %d = %v", i, err)
		}
	}
	var rows []acquirer.Entry
	var b int64
	err := s.View(ctx, func(tx acquirer.Tx) (err error) {
		if rows, err = tx.Entries("TERM0001", 0); err != nil {
			return err
		}
		b, err = tx.Balance("a")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+n/3 {
		t.Errorf("%d journal rows, want %d", len(rows), 1+n/3)
	}
	for _, e := range rows {
		if stan, _ := strconv.Atoi(e.STAN); stan >= 100 && (stan-100)%3 != 0 {
			t.Errorf("row of failed Update %d kept", stan-100)
		}
		if e.ID == first && e.Reversed != 0 {
			t.Errorf("first row reversed by %d, a failed Update", e.Reversed)
		}
	}
	if want := int64(1000 - n/3); b != want {
		t.Errorf("balance %d, want %d", b, want)
	}
}
