package acquirer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestJournalKeys drives the journal's request keys (sqlite_keys.go)
// through small bounds, so that keys wait, are copied by age, by a full
// terminal and out of order, and the store is reopened with keys waiting:
// against a model, every duplicate must be refused and found, and
// Entries, Original and Lookup must see every row once, in Updates and in
// Views.
func TestJournalKeys(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testJournalKeys(t, "") })
	t.Run("file", func(t *testing.T) { testJournalKeys(t, filepath.Join(t.TempDir(), "keys.db")) })
}

// keysModel is what the journal must hold.
type keysModel struct {
	ids   map[RequestKey]int64 // rows that are not refusals
	rows  map[string][]int64   // every row's id, by terminal
	keys  []RequestKey         // the keys of ids, in the order written
	stans map[string]int       // the next STAN of each terminal
}

func testJournalKeys(t *testing.T, path string) {
	ctx := context.Background()
	open := func() *SQLiteStore {
		s, err := OpenSQLite(path)
		if err != nil {
			t.Fatal(err)
		}
		s.unflushed.waiting, s.unflushed.perTerminal, s.unflushed.perGroup = 6, 5, 3
		return s
	}
	s := open()
	defer func() { s.Close() }()
	m := keysModel{ids: map[RequestKey]int64{}, rows: map[string][]int64{}, stans: map[string]int{}}
	terminals := []string{"TERM0001", "TERM0002", "TERM0003", "TERM0004"}
	// TERM0002 counts its STANs down, so that its keys are looked up in
	// journal_keys; TERM0003 repeats three STANs, at other times, and
	// three keys share each time.
	m.stans["TERM0002"] = 999999
	rnd := rand.New(rand.NewPCG(1, 2))
	newKey := func(terminal string) RequestKey {
		n := m.stans[terminal]
		stan, transmitted := n, n
		switch terminal {
		case "TERM0002":
			m.stans[terminal]--
		case "TERM0003":
			stan, transmitted = n%3, n/3
			m.stans[terminal]++
		default:
			m.stans[terminal]++
		}
		return RequestKey{Terminal: terminal, MTI: "0200", STAN: fmt.Sprintf("%06d", stan), Transmitted: fmt.Sprintf("1126%06d", transmitted)}
	}
	for step := range 600 {
		if path != "" && step%150 == 149 {
			// Reopen with keys waiting: the mark and the rows above it are
			// all the new store has.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = open()
		}
		// One Update of one to three operations, the last of which may
		// fail the Update.
		type written struct {
			key     RequestKey
			refused bool
			id      int64
		}
		var done []written
		fail := rnd.IntN(10) == 0
		ops := 1 + rnd.IntN(3)
		err := s.Update(ctx, func(tx Tx) error {
			done = done[:0]
			for range ops {
				terminal := terminals[rnd.IntN(len(terminals))]
				switch r := rnd.IntN(10); {
				case r < 2 && len(m.keys) > 0: // a duplicate, of any age
					k := m.keys[rnd.IntN(len(m.keys))]
					err := tx.Insert(&Entry{RequestKey: k, Kind: KindFinancial, Code: "00"})
					if !errors.Is(err, ErrDuplicateKey) {
						return fmt.Errorf("step %d: a second row of %v: %v, want ErrDuplicateKey", step, k, err)
					}
					e, err := tx.Lookup(k)
					if err != nil || e.ID != m.ids[k] {
						return fmt.Errorf("step %d: Lookup(%v) = %+v, %v; want row %d", step, k, e, err, m.ids[k])
					}
				case r < 3 && len(m.keys) > 0: // a refusal, which may repeat a key
					k := m.keys[rnd.IntN(len(m.keys))]
					e := &Entry{RequestKey: k, Kind: KindRefused, Code: "30"}
					if err := tx.Insert(e); err != nil {
						return fmt.Errorf("step %d: refusal: %v", step, err)
					}
					done = append(done, written{k, true, e.ID})
				default:
					k := newKey(terminal)
					e := &Entry{RequestKey: k, Kind: KindFinancial, Code: "00"}
					if err := tx.Insert(e); err != nil {
						return fmt.Errorf("step %d: new key %v: %v", step, k, err)
					}
					done = append(done, written{k, false, e.ID})
				}
			}
			if fail {
				return errFailedOnPurpose
			}
			return nil
		})
		if fail {
			if !errors.Is(err, errFailedOnPurpose) {
				t.Fatalf("step %d: failing Update: %v", step, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range done {
			m.rows[w.key.Terminal] = append(m.rows[w.key.Terminal], w.id)
			if !w.refused {
				m.ids[w.key] = w.id
				m.keys = append(m.keys, w.key)
			}
		}
		if step%20 == 0 {
			checkJournalKeys(t, s, &m, step)
		}
	}
	checkJournalKeys(t, s, &m, -1)
}

var errFailedOnPurpose = errors.New("failed on purpose")

// checkJournalKeys compares the store with the model, in an Update and in
// a View, and checks the mark: every row at or below it has its key in
// journal_keys, and the rows above it stay few.
func checkJournalKeys(t *testing.T, s *SQLiteStore, m *keysModel, step int) {
	t.Helper()
	ctx := context.Background()
	check := func(tx Tx) error {
		for terminal, want := range m.rows {
			es, err := tx.Entries(terminal, 0)
			if err != nil {
				return err
			}
			var got []int64
			for _, e := range es {
				got = append(got, e.ID)
			}
			if !slices.Equal(got, want) {
				return fmt.Errorf("Entries(%s) = %v, want %v", terminal, got, want)
			}
		}
		latest := map[[2]string]int64{}
		for k, id := range m.ids {
			latest[[2]string{k.Terminal, k.STAN}] = max(latest[[2]string{k.Terminal, k.STAN}], id)
		}
		for k, id := range m.ids {
			e, err := tx.Lookup(k)
			if err != nil || e.ID != id {
				return fmt.Errorf("Lookup(%v) = %+v, %v; want row %d", k, e, err, id)
			}
			latest := latest[[2]string{k.Terminal, k.STAN}]
			if e, err := tx.Original(k.Terminal, k.STAN, ""); err != nil || e.ID != latest {
				return fmt.Errorf("Original(%s, %s) = %+v, %v; want row %d", k.Terminal, k.STAN, e, err, latest)
			}
			if e, err := tx.Original(k.Terminal, k.STAN, k.Transmitted); err != nil || e.ID != id {
				return fmt.Errorf("Original(%s, %s, %s) = %+v, %v; want row %d", k.Terminal, k.STAN, k.Transmitted, e, err, id)
			}
		}
		return nil
	}
	if err := s.Update(ctx, check); err != nil {
		t.Fatalf("step %d, in an Update: %v", step, err)
	}
	if err := s.View(ctx, check); err != nil {
		t.Fatalf("step %d, in a View: %v", step, err)
	}
	var missing, above int
	err := s.DB().QueryRow(`SELECT
		(SELECT count(*) FROM journal j WHERE id <= `+keysMark+` AND NOT EXISTS (SELECT 1 FROM journal_keys k WHERE k.id = j.id)),
		(SELECT count(*) FROM journal WHERE id > `+keysMark+`)`).Scan(&missing, &above)
	if err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("step %d: %d rows at or below the mark have no key in journal_keys", step, missing)
	}
	// The oldest key waits at most 2*waiting rows.
	if above > 2*6+1 {
		t.Errorf("step %d: %d rows above the mark, want at most 13", step, above)
	}
	if step >= 0 {
		if err := s.Update(ctx, func(Tx) error {
			if n := s.unflushed.rows; s.unflushed.ok && n > 6 {
				return fmt.Errorf("%d keys wait, want at most 6", n)
			}
			return nil
		}); err != nil {
			t.Errorf("step %d: %v", step, err)
		}
	}
}

// TestJournalKeysAge checks that a key does not wait for ever: terminals
// that wrote one request each must not hold the mark back while a busy
// terminal's keys are copied whenever it has keysPerTerminal of them.
func TestJournalKeysAge(t *testing.T) {
	s, err := OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.unflushed.waiting, s.unflushed.perTerminal, s.unflushed.perGroup = 6, 3, 3
	m := keysModel{ids: map[RequestKey]int64{}, rows: map[string][]int64{}}
	insert := func(terminal string, n int) {
		k := RequestKey{Terminal: terminal, MTI: "0200", STAN: fmt.Sprintf("%06d", n), Transmitted: "1126120000"}
		e := &Entry{RequestKey: k, Kind: KindFinancial, Code: "00"}
		if err := s.Update(context.Background(), func(tx Tx) error { return tx.Insert(e) }); err != nil {
			t.Fatal(err)
		}
		m.ids[k], m.keys = e.ID, append(m.keys, k)
		m.rows[terminal] = append(m.rows[terminal], e.ID)
	}
	for i := range 5 {
		insert(fmt.Sprintf("IDLE%04d", i), 1)
	}
	for n := range 60 {
		insert("BUSY0001", n+1)
		checkJournalKeys(t, s, &m, n)
	}
}

// BenchmarkUnflushedTaken measures the usual look for a new request's key
// in the committer's memory: a miss among a terminal's waiting keys (about
// 20 at 200 terminals and 4096 keys waiting).
func BenchmarkUnflushedTaken(b *testing.B) {
	var u unflushed
	u.keys = map[string][]unflushedKey{}
	for i := range 20 {
		u.add("TERM0001", unflushedKey{id: int64(i + 1), stan: fmt.Sprintf("%06d", 100+i), mti: "0200",
			transmitted: "1126143000", kind: KindFinancial, code: "00"})
	}
	k := RequestKey{Terminal: "TERM0001", MTI: "0200", STAN: "000120", Transmitted: "1126143001"}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := u.taken(k); ok {
			b.Fatal("taken")
		}
	}
}

// TestStanKey checks that stanKey tells apart STANs that differ and that
// the scans find keys whose STANs are long or empty.
func TestStanKey(t *testing.T) {
	for _, p := range [][2]string{{"000001", "000010"}, {"1", "01"}, {"", "0"}, {"0000001", "000001"}, {"abcdefg", "abcdefh"}} {
		if stanKey(p[0]) == stanKey(p[1]) {
			t.Errorf("stanKey(%q) == stanKey(%q)", p[0], p[1])
		}
	}
	var u unflushed
	u.keys = map[string][]unflushedKey{}
	stans := []string{"", "000001", "0000001", "123456789012", "123456789013"}
	for i, s := range stans {
		u.add("T", unflushedKey{id: int64(i + 1), stan: s, mti: "0200", transmitted: "x", kind: KindFinancial, code: "00"})
	}
	for i, s := range stans {
		if id, ok := u.taken(RequestKey{Terminal: "T", STAN: s, MTI: "0200", Transmitted: "x"}); !ok || id != int64(i+1) {
			t.Errorf("taken(%q) = %d, %v, want %d", s, id, ok, i+1)
		}
		if id, ok := u.original("T", s, ""); !ok || id != int64(i+1) {
			t.Errorf("original(%q) = %d, %v, want %d", s, id, ok, i+1)
		}
	}
	if _, ok := u.taken(RequestKey{Terminal: "T", STAN: "123456789014", MTI: "0200", Transmitted: "x"}); ok {
		t.Error("taken found a STAN never added")
	}
}

// TestRememberedEntries checks that Original, which an Update answers from
// the committer's memory for recent rows (unflushed.remember), returns
// what the journal holds: every column, after SetReversed, after an
// Update that failed, and unchanged by what callers do to the entries
// they passed or got.
func TestRememberedEntries(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k := RequestKey{Terminal: "TERM0001", MTI: "0200", STAN: "000042", Transmitted: "1126161500"}
	in := &Entry{RequestKey: k, Kind: KindFinancial, Merchant: "MERCHANT0001", MaskedPAN: "476173******0119",
		Account: "ACC-1", Processing: "000000", Amount: 1234, Currency: "978", Digest: "d1", Code: "00",
		AuthCode: "A1B2C3", RRN: "633012000001", Debit: true, Applied: -1234, Batch: 3, Original: 0,
		Response: []byte{0x02, 0x10, 0xff}, Time: time.Now()} // with a monotonic reading and nanoseconds
	if err := s.Update(ctx, func(tx Tx) error { return tx.Insert(in) }); err != nil {
		t.Fatal(err)
	}
	in.Amount, in.Response[0] = 1, 0 // the caller's entry is its own
	compare := func(step string, reversed int64) {
		t.Helper()
		var mem, db *Entry
		if err := s.Update(ctx, func(tx Tx) error {
			if _, ok := s.unflushed.entries[in.ID]; !ok {
				return errors.New("row not remembered")
			}
			var err error
			mem, err = tx.Original(k.Terminal, k.STAN, "")
			return err
		}); err != nil {
			t.Fatalf("%s: in an Update: %v", step, err)
		}
		if err := s.View(ctx, func(tx Tx) error {
			var err error
			db, err = tx.Original(k.Terminal, k.STAN, "")
			return err
		}); err != nil {
			t.Fatalf("%s: in a View: %v", step, err)
		}
		if diff := cmp.Diff(db, mem); diff != "" {
			t.Errorf("%s: Original from memory differs from the journal's (-journal +memory):\n%s", step, diff)
		}
		if db.Reversed != reversed || db.Amount != 1234 || db.Response[0] != 0x02 {
			t.Errorf("%s: journal row %+v, want reversed %d, amount 1234, response 0210ff", step, db, reversed)
		}
		mem.Amount, mem.Response[0] = 7, 0 // nor is the entry Original returns the memory's
	}
	compare("inserted", 0)
	compare("read again", 0)
	if err := s.Update(ctx, func(tx Tx) error { return tx.SetReversed(in.ID, 77) }); err != nil {
		t.Fatal(err)
	}
	compare("reversed", 77)
	err = s.Update(ctx, func(tx Tx) error {
		if err := tx.SetReversed(in.ID, 99); err != nil {
			return err
		}
		return errFailedOnPurpose
	})
	if !errors.Is(err, errFailedOnPurpose) {
		t.Fatalf("failing Update: %v", err)
	}
	// The failed Update made the committer forget: the row is read from
	// the journal now, and remembered again only when written again.
	var after *Entry
	if err := s.Update(ctx, func(tx Tx) error {
		var err error
		after, err = tx.Original(k.Terminal, k.STAN, "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if after.Reversed != 77 {
		t.Errorf("after a failed SetReversed, Reversed = %d, want 77", after.Reversed)
	}
}
