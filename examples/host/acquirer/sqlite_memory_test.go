package acquirer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// The SQLite store keeps the RRN sequence and the open batches in the
// committer's memory. These tests check that the memory never disagrees
// with what the database committed.

// TestSequenceAfterReopen checks that the numbers go on above the last one
// handed out in a committed Update after the store is reopened, including
// numbers taken in an Update that was rolled back.
func TestSequenceAfterReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seq.db")
	s, err := acquirer.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	for range 5 {
		if err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
			last, err = tx.NextSequence()
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if last != 5 {
		t.Errorf("fifth number %d, want 5", last)
	}
	// A number taken in an Update that fails is not handed out again.
	errBoom := errors.New("boom")
	if err := s.Update(ctx, func(tx acquirer.Tx) error {
		tx.NextSequence()
		return errBoom
	}); !errors.Is(err, errBoom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
		last, err = tx.NextSequence()
		return err
	}); err != nil || last != 7 {
		t.Errorf("after a rolled-back Update: %d, %v; want 7", last, err)
	}
	s = reopen(t, s, path)
	if err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
		last, err = tx.NextSequence()
		return err
	}); err != nil || last != 8 {
		t.Errorf("after reopening: %d, %v; want 8", last, err)
	}
}

// TestSequenceConcurrent checks that Updates racing for numbers (and so
// sharing group commits) never get the same one.
func TestSequenceConcurrent(t *testing.T) {
	s, err := acquirer.OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				var n int64
				if err := s.Update(context.Background(), func(tx acquirer.Tx) (err error) {
					n, err = tx.NextSequence()
					return err
				}); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[n] {
					t.Errorf("number %d handed out twice", n)
				}
				seen[n] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 400 {
		t.Errorf("%d numbers, want 400", len(seen))
	}
}

// TestBatchCloseRolledBack checks that a batch closed in an Update that
// fails stays open, and that a committed close is seen at once.
func TestBatchCloseRolledBack(t *testing.T) {
	ctx := context.Background()
	s, err := acquirer.OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	batch := func() int64 {
		t.Helper()
		var n int64
		if err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
			n, err = tx.Batch("TERM0001")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := batch(); n != 1 {
		t.Fatalf("first batch %d, want 1", n)
	}
	errBoom := errors.New("boom")
	err = s.Update(ctx, func(tx acquirer.Tx) error {
		if err := tx.CloseBatch("TERM0001", acquirer.Settlement{Terminal: "TERM0001", Batch: 1}); err != nil {
			return err
		}
		if n, err := tx.Batch("TERM0001"); err != nil || n != 2 {
			t.Errorf("Batch after CloseBatch in the same Update = %d, %v; want 2", n, err)
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update = %v", err)
	}
	if n := batch(); n != 1 {
		t.Errorf("batch after a rolled-back close %d, want 1", n)
	}
	if err := s.Update(ctx, func(tx acquirer.Tx) error {
		return tx.CloseBatch("TERM0001", acquirer.Settlement{Terminal: "TERM0001", Batch: 1})
	}); err != nil {
		t.Fatal(err)
	}
	if n := batch(); n != 2 {
		t.Errorf("batch after a close %d, want 2", n)
	}
}

// TestConcurrentDuplicates sends one purchase on several connections at
// once, so that its copies meet in one group commit: the first is
// approved, the journal refuses the others' rows by their key and they
// are answered with the first response; the money moves once.
func TestConcurrentDuplicates(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "visa10")
	stan, tt := tm.next()
	// Without a PIN block: the host's cache of DUKPT counters would
	// refuse the copies that come after the first commit before they
	// reach the journal.
	m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: panVisa10, ProcessingCode: "000000",
		Amount: 1500, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "051", TerminalID: "TERM0001",
		MerchantID: "000000000000001", Currency: "978"}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	b := sign(t, "TERM0001", m)
	const copies = 8
	conns := make([]*rawConn, copies)
	for i := range conns {
		conns[i] = dialRaw(t, h)
	}
	answers := make([][]byte, copies)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			f, err := iso8583.Framing{}.AppendFrame(nil, iso8583.TPDU{}, b)
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := c.c.Write(f); err != nil {
				t.Error(err)
				return
			}
			c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, msg, err := iso8583.Framing{}.ReadFrame(c.c, nil)
			if err != nil {
				t.Error(err)
				return
			}
			answers[i] = msg
		})
	}
	wg.Wait()
	first, err := iso8583.SpecASCII.Unpack(answers[0])
	if err != nil || first.Text(39) != "00" {
		t.Fatalf("answer %v, %v; want an approval", first, err)
	}
	for i, a := range answers[1:] {
		if !bytes.Equal(a, answers[0]) {
			t.Errorf("copy %d answered differently", i+1)
		}
	}
	if got := balance(t, h, "visa10"); got != before-1500 {
		t.Errorf("balance %d, want %d: money moved more than once", got, before-1500)
	}
	es, err := h.Journal(context.Background(), "TERM0001")
	if err != nil || len(es) != 1 {
		t.Errorf("journal %d rows, %v; want 1", len(es), err)
	}
}

// TestRolledBackRowsForgotten checks that balances and card states an
// Update wrote before it failed are read back as the database holds them,
// in the same group and after it.
func TestRolledBackRowsForgotten(t *testing.T) {
	ctx := context.Background()
	s, err := acquirer.OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pan := "4761739001010119"
	if err := s.Seed(ctx, []acquirer.Account{{ID: "a", Balance: 1000}},
		[]acquirer.Card{{PAN: pan, Expiry: "3012", Account: "a"}}); err != nil {
		t.Fatal(err)
	}
	read := func() (int64, acquirer.CardState) {
		t.Helper()
		var b int64
		var c acquirer.CardState
		if err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
			if b, err = tx.Balance("a"); err != nil {
				return err
			}
			c, err = tx.CardState(pan)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return b, c
	}
	b0, c0 := read() // now in the committer's memory
	errBoom := errors.New("boom")
	// Several Updates at once, so that some share a group with the
	// failing ones.
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			err := s.Update(ctx, func(tx acquirer.Tx) error {
				if err := tx.AddBalance("a", -100); err != nil {
					return err
				}
				c := c0
				c.PINTries = 2
				if err := tx.SetCardState(c); err != nil {
					return err
				}
				if b, err := tx.Balance("a"); err != nil || b != b0-100 {
					t.Errorf("balance inside the Update %d, %v; want %d", b, err, b0-100)
				}
				return errBoom
			})
			if !errors.Is(err, errBoom) {
				t.Errorf("Update %d = %v, want boom", i, err)
			}
		})
	}
	wg.Wait()
	if b, c := read(); b != b0 || c != c0 {
		t.Errorf("after rolled-back Updates: balance %d, card %+v; want %d, %+v", b, c, b0, c0)
	}
	var viewed int64
	s.View(ctx, func(tx acquirer.Tx) (err error) {
		viewed, err = tx.Balance("a")
		return err
	})
	if viewed != b0 {
		t.Errorf("database balance %d, want %d", viewed, b0)
	}
}

// TestUpdateAfterTransactionLeftOpen leaves a transaction open on the
// store's connection, as a ROLLBACK that failed would: the next Update
// ends it and runs.
func TestUpdateAfterTransactionLeftOpen(t *testing.T) {
	ctx := context.Background()
	s := storeWithAccount(t, "")
	if _, err := s.DB().Exec(`BEGIN`); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx acquirer.Tx) error { return tx.AddBalance("a", -1) }); err != nil {
		t.Fatalf("Update after a transaction left open: %v", err)
	}
	var b int64
	if err := s.View(ctx, func(tx acquirer.Tx) (err error) {
		b, err = tx.Balance("a")
		return err
	}); err != nil || b != 999 {
		t.Errorf("balance %d, %v; want 999", b, err)
	}
}

// TestNoStatementAfterFullDisk fills the database and then runs an Update
// that ignores the error of its first statement: SQLite rolled the
// transaction back, and the statements after it must fail too rather than
// run outside a transaction and be saved.
func TestNoStatementAfterFullDisk(t *testing.T) {
	ctx := context.Background()
	s := storeWithAccount(t, filepath.Join(t.TempDir(), "full.db"))
	var pages int64
	if err := s.DB().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	big := &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "T", MTI: "0200", STAN: "000001", Transmitted: "1126120000"},
		Kind: acquirer.KindFinancial, Response: make([]byte, 1<<16)}
	var insertErr, addErr error
	err := s.Update(ctx, func(tx acquirer.Tx) error {
		insertErr = tx.Insert(big)
		addErr = tx.AddBalance("a", 1000) // ignoring insertErr, as a careless fn would
		return errors.Join(insertErr, addErr)
	})
	if insertErr == nil {
		t.Fatal("a 64 KiB row fitted in a full database")
	}
	if addErr == nil || err == nil {
		t.Errorf("AddBalance after the database was full = %v, Update = %v; want errors", addErr, err)
	}
	if _, err := s.DB().Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	var b int64
	if err := s.View(ctx, func(tx acquirer.Tx) (err error) {
		b, err = tx.Balance("a")
		return err
	}); err != nil || b != 1000 {
		t.Errorf("balance %d, %v; want 1000: a statement ran outside the failed transaction", b, err)
	}
}

// TestMigrateJournal opens a database made before the journal's dup
// column: the column is added (NULL for refusals), the old indexes give
// way to the new one, and duplicate detection works on the old rows.
func TestMigrateJournal(t *testing.T) {
	// The layouts of earlier versions: the request key in a unique index
	// of the journal, with dup, and before that without it.
	previous := []string{
		`DROP TABLE journal_keys`,
		`DELETE FROM sequence WHERE name = 'keys'`,
		`CREATE UNIQUE INDEX journal_requests ON journal (terminal, stan, mti, transmitted, dup)`,
	}
	older := append(slices.Clip(previous[:2]),
		`ALTER TABLE journal DROP COLUMN dup`,
		`CREATE UNIQUE INDEX journal_request ON journal (terminal, stan, mti, transmitted) WHERE kind <> 'refused'`,
		`CREATE INDEX journal_batch ON journal (terminal, batch)`,
	)
	for name, layout := range map[string][]string{"journal_requests": previous, "journal_request": older} {
		t.Run(name, func(t *testing.T) { testMigrateJournal(t, layout) })
	}
}

func testMigrateJournal(t *testing.T, layout []string) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := acquirer.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	key := acquirer.RequestKey{Terminal: "TERM0001", MTI: "0200", STAN: "000001", Transmitted: "1126120000"}
	if err := s.Update(ctx, func(tx acquirer.Tx) error {
		if err := tx.Insert(&acquirer.Entry{RequestKey: key, Kind: acquirer.KindFinancial, Code: "00"}); err != nil {
			return err
		}
		return tx.Insert(&acquirer.Entry{RequestKey: key, Kind: acquirer.KindRefused, Code: "94"})
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range layout {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s = reopen(t, s, path) // a database of the earlier layout
	var nulls, zeros int
	if err := s.DB().QueryRow(`SELECT count(*) FILTER (WHERE dup IS NULL), count(*) FILTER (WHERE dup = 0) FROM journal`).Scan(&nulls, &zeros); err != nil {
		t.Fatal(err)
	}
	if nulls != 1 || zeros != 1 {
		t.Errorf("dup: %d NULL and %d zero, want 1 and 1", nulls, zeros)
	}
	var keys, mark int
	if err := s.DB().QueryRow(`SELECT (SELECT count(*) FROM journal_keys), (SELECT value FROM sequence WHERE name = 'keys')`).Scan(&keys, &mark); err != nil {
		t.Fatal(err)
	}
	if keys != 2 || mark != 2 {
		t.Errorf("after migration: %d rows in journal_keys and mark %d, want 2 and 2", keys, mark)
	}
	if err := s.Update(ctx, func(tx acquirer.Tx) error {
		if e, err := tx.Lookup(key); err != nil || e.Code != "00" {
			t.Errorf("Lookup after migration = %+v, %v", e, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx acquirer.Tx) error {
		return tx.Insert(&acquirer.Entry{RequestKey: key, Kind: acquirer.KindFinancial})
	})
	if !errors.Is(err, acquirer.ErrDuplicateKey) {
		t.Errorf("a second row with the key after migration: %v, want ErrDuplicateKey", err)
	}
	var indexes []string
	rows, err := s.DB().Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'journal' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		indexes = append(indexes, n)
	}
	rows.Close()
	if !slices.Equal(indexes, []string{"journal_orphans"}) {
		t.Errorf("journal indexes %q, want [journal_orphans]", indexes)
	}
}

// TestOrphanAfterReopen checks that a reversal that found no original is
// known to a store reopened on the database.
func TestOrphanAfterReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "orphan.db")
	s, err := acquirer.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	rev := &acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "TERM0001", MTI: "0400", STAN: "000042",
		Transmitted: "1126120000"}, Kind: acquirer.KindReversal, Code: "00", Digest: "d", Batch: 1}
	if err := s.Update(ctx, func(tx acquirer.Tx) error { return tx.Insert(rev) }); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, path)
	var ds []string
	if err := s.Update(ctx, func(tx acquirer.Tx) (err error) {
		ds, err = tx.Orphans("TERM0001", "000042", 1)
		return err
	}); err != nil || !slices.Equal(ds, []string{"d"}) {
		t.Errorf("Orphans after reopening = %q, %v; want [d]", ds, err)
	}
}
