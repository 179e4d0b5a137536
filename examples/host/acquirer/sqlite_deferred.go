package acquirer

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Deferred writes. Every request changes its account's balance, its PIN
// pad's DUKPT counter and often its card's state (the ATC of a chip card,
// the PIN try counter). Each of these was an UPDATE of its own, under the
// Update's own savepoint: three to five statements per request, each
// costing a few microseconds in modernc.org/sqlite, on the committer,
// which serialises them. The committer keeps these rows in memory anyway
// (the store is its database's only writer), so an Update writes them
// there, and the group writes every row it changed at once, a few rows
// per statement, just before its COMMIT (flush). The journal row stays an
// INSERT of each Update: Insert refusing a second row of a request key is
// how a duplicate is found (sqlite_keys.go).
//
// What an Update wrote is kept apart (SQLiteStore.running) until it
// returns: an Update that fails leaves nothing, in memory as in the
// database, and an Update that succeeds moves its rows to its group's
// (SQLiteStore.pending). A group that commits moves them to the rows the
// committer knows the database holds (SQLiteStore.known); one that rolls
// back drops them. Reads look in the same order: the Update's own rows, its group's,
// the committed ones, and the database.
//
// An Update's savepoint is opened only before its first statement that
// changes the database (sqliteTx.write), and not at all for the usual
// request, whose one such statement is its journal row's INSERT.

// A writeSet holds rows changed by Updates and not yet in the database.
type writeSet struct {
	balances map[string]int64     // balance by account
	cards    map[string]CardState // state by PAN
	pinpads  map[string]int64     // DUKPT counter by PIN pad
}

// len returns the number of rows in w.
func (w *writeSet) len() int { return len(w.balances) + len(w.cards) + len(w.pinpads) }

// reset empties w, keeping its maps for the next group.
func (w *writeSet) reset() {
	clear(w.balances)
	clear(w.cards)
	clear(w.pinpads)
}

// moveTo adds the rows of w to dst, replacing dst's, and empties w.
func (w *writeSet) moveTo(dst *writeSet) {
	for k, v := range w.balances {
		put(&dst.balances, k, v)
	}
	for k, v := range w.cards {
		put(&dst.cards, k, v)
	}
	for k, v := range w.pinpads {
		put(&dst.pinpads, k, v)
	}
	w.reset()
}

// put sets m[k] to v, making m on first use.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = make(map[K]V)
	}
	(*m)[k] = v
}

// lookup returns the first value of k in ms, in order.
func lookup[K comparable, V any](k K, ms ...map[K]V) (V, bool) {
	for _, m := range ms {
		if v, ok := m[k]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// flushChunks are the numbers of rows a flush statement writes at a time,
// largest first, each a statement prepared once: any number of rows up to
// 255 takes at most one statement of each size, and a small group (under
// load the memory target's groups hold about 8 Updates) few statements.
var flushChunks = [...]int{128, 64, 32, 16, 8, 4, 2, 1}

// The flush statements, by table, with %s where the rows go. They are
// upserts of rows that exist (the committer read each before changing
// it): cheaper in SQLite than an UPDATE ... FROM (VALUES ...), which
// builds a temporary table of the rows first.
const (
	qFlushBalances = `INSERT INTO accounts (id, balance) VALUES %s
		ON CONFLICT (id) DO UPDATE SET balance = excluded.balance`
	qFlushCards = `INSERT INTO cards (pan, status, pin_tries, last_atc, script) VALUES %s
		ON CONFLICT (pan) DO UPDATE SET status = excluded.status, pin_tries = excluded.pin_tries,
		last_atc = excluded.last_atc, script = excluded.script`
	qFlushPINPads = `INSERT INTO pinpads (device, counter) VALUES %s
		ON CONFLICT (device) DO UPDATE SET counter = excluded.counter`
	qPINPad = `SELECT counter FROM pinpads WHERE device = ?`
)

// A flushTable is one table's flush statements, by chunk.
type flushTable struct {
	name  string
	some  bool // rows may be there already and left as they are, so that a chunk may change fewer
	stmts [len(flushChunks)]string
}

func newFlushTable(name, q string, cols int) *flushTable {
	t := &flushTable{name: name}
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	for i, n := range flushChunks {
		t.stmts[i] = fmt.Sprintf(q, row+strings.Repeat(", "+row, n-1))
	}
	return t
}

var (
	flushBalances = newFlushTable("balance", qFlushBalances, 2)
	flushCards    = newFlushTable("card", qFlushCards, 5)
	flushPINPads  = newFlushTable("pinpad", qFlushPINPads, 2)
)

func init() {
	statements = append(statements, qPINPad)
	for _, f := range []*flushTable{flushBalances, flushCards, flushPINPads} {
		statements = append(statements, f.stmts[:]...)
	}
}

// errFlushRows reports a flush statement that SQLite says changed another
// number of rows than it was given.
var errFlushRows = errors.New("acquirer: flush changed an unexpected number of rows")

// flush writes n rows of f in chunks, the values of row i given by row.
func (t *sqliteTx) flush(f *flushTable, n int, row func(v *stmtValues, i int)) error {
	i := 0
	for c, size := range flushChunks {
		for n-i >= size {
			v, err := t.values(f.stmts[c])
			if err != nil {
				return storeErr(f.name, err)
			}
			for r := i; r < i+size; r++ {
				row(v, r)
			}
			r, err := t.execValues(f.stmts[c], v)
			if err != nil {
				return storeErr(f.name, err)
			}
			if r.rows != int64(size) && !(f.some && r.rows < int64(size)) {
				return &StoreError{Op: f.name, Err: fmt.Errorf("%w: %d of %d", errFlushRows, r.rows, size)}
			}
			i += size
		}
	}
	return nil
}

// A keyValue is a row of accounts or pinpads to flush.
type keyValue struct {
	k string
	v int64
}

// flushRows holds the rows of flushPending, kept for the next group.
type flushRows struct {
	balances, pinpads []keyValue
	cards             []CardState
}

// flushPending writes the rows the group changed.
func (t *sqliteTx) flushPending() error {
	p, r := &t.s.pending, &t.s.flushRows
	r.balances = r.balances[:0]
	for k, v := range p.balances {
		r.balances = append(r.balances, keyValue{k, v})
	}
	err := t.flush(flushBalances, len(r.balances), func(v *stmtValues, i int) {
		v.text(r.balances[i].k)
		v.int64(r.balances[i].v)
	})
	if err != nil {
		return err
	}
	r.cards = r.cards[:0]
	for _, c := range p.cards {
		r.cards = append(r.cards, c)
	}
	err = t.flush(flushCards, len(r.cards), func(v *stmtValues, i int) {
		c := &r.cards[i]
		v.text(c.PAN)
		v.text(c.Status)
		v.int64(int64(c.PINTries))
		v.int64(int64(c.LastATC))
		v.text(c.Script)
	})
	if err != nil {
		return err
	}
	r.pinpads = r.pinpads[:0]
	for k, v := range p.pinpads {
		r.pinpads = append(r.pinpads, keyValue{k, v})
	}
	return t.flush(flushPINPads, len(r.pinpads), func(v *stmtValues, i int) {
		v.text(r.pinpads[i].k)
		v.int64(r.pinpads[i].v)
	})
}

// pinpadCounter returns the last DUKPT counter of device and whether the
// device has one.
func (t *sqliteTx) pinpadCounter(device string) (int64, bool, error) {
	s := t.s
	if n, ok := lookup(device, s.running.pinpads, s.pending.pinpads, s.known.pinpads); ok {
		return n, true, nil
	}
	var n int64
	err := t.queryRow(qPINPad, device).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, storeErr("pinpad", err)
	}
	put(&s.known.pinpads, device, n)
	return n, true, nil
}
