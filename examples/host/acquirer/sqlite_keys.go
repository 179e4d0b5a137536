package acquirer

import (
	"bytes"
	"database/sql"
	"errors"
	"hash/maphash"
	"slices"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// The journal's request keys: terminal, STAN, MTI and transmission time,
// unique among the rows that are not refusals. Duplicate detection,
// originals of reversals and completions, and a terminal's rows for
// settlement all look rows up by them.
//
// An index of the journal on the request key would start with the
// terminal: every group commit would change one leaf page of it per
// terminal in the group, and in WAL mode every changed page is written
// whole to the log. At 200 terminals a group of about 50 Updates wrote
// about 50 index pages, the largest part of its COMMIT. So the journal
// has no such index. Its rows are numbered in the order they are written
// (id), which keeps a group's rows on a page or two, and the keys go to
// their own table, journal_keys, later and in bulk: a terminal's keys
// wait in the committer's memory and are copied together, so that its
// leaf page of journal_keys is written once for many rows rather than
// once per group.
//
// Before each group commits, the committer copies all the keys of the
// terminal whose key has waited longest, as long as more than keysWaiting
// keys wait or that key is 2*keysWaiting rows old; and all the keys of
// terminals with keysPerTerminal keys waiting, at most about keysPerGroup
// keys of them a group. In the steady state a group copies about as many
// keys as it wrote, a few terminals' worth, and no group stalls on a
// large copy.
//
// The sequence row 'keys' (the mark) holds a journal id at or below which
// every row's key is in journal_keys: the id before the oldest key that
// waits. It moves in the transaction of the copy. Above it, journal_keys
// holds the keys copied out of age order too: a read outside the
// committer (View), which scans the journal above the mark, leaves them
// out of journal_keys (id <= mark), and a copy of them again, after the
// committer forgot, leaves them as they are (INSERT OR IGNORE).
//
// The rows above the mark are few (at most about 2*keysWaiting): the
// committer keeps the keys that wait in memory, read back from the
// journal above the mark when it forgets (see SQLiteStore.forget).
//
// Uniqueness, which the index used to enforce, is checked by Insert in
// the committer's memory and then in journal_keys before the row is
// written: the store is its database's only writer.
//
// Most terminals count their STANs up, so a new request's STAN is above
// every STAN of the terminal in journal_keys: the committer keeps each
// terminal's highest STAN there (read once, moved by each copy) and skips
// the look in journal_keys for a key above it. A terminal whose STANs
// wrapped or go down is looked up every time, which is as correct and
// costs one query more.
//
// Measured with examples/loadgen at 200 terminals (README): the durable
// store's throughput rose by 10-15% and its cost against the in-memory
// store fell from 25-33% to 16-24%, at no cost to the in-memory one.

// The bounds of the keys that wait (see above). keysPerTerminal bounds
// the scan of a terminal's keys by Lookup, Original and Insert.
const (
	keysWaiting     = 4096
	keysPerTerminal = 256
	keysPerGroup    = 256
)

// originalKinds are the kinds of journal row a reversal or completion can
// refer to (Tx.Original).
var originalKinds = [...]string{KindAuthorization, KindFinancial, KindAdvice}

// An unflushedKey is a journal row above the mark, with what the lookups
// need.
type unflushedKey struct {
	id                                 int64
	stanKey                            uint64 // stanKey(stan), which the scans compare first
	stan, mti, transmitted, kind, code string
	refused                            bool // its dup is NULL: no lookup finds it
}

// stanKey returns a number equal for equal STANs and, for STANs of up to
// seven bytes (ISO 8583 field 11 is n 6), different for different ones:
// the scans of a terminal's keys compare it before any string (one integer
// comparison per key instead of a call to compare bytes), which made a
// miss among 20 keys 2.4 times faster (BenchmarkUnflushedTaken, 68 to 28
// ns). A longer STAN is hashed, and the strings decide.
func stanKey(stan string) uint64 {
	if len(stan) <= 7 {
		k := uint64(len(stan)) << 56
		for i := range len(stan) {
			k |= uint64(stan[i]) << (8 * i)
		}
		return k
	}
	return maphash.String(stanSeed, stan)
}

// stanSeed seeds the hash of long STANs.
var stanSeed = maphash.MakeSeed()

// unflushed is the committer's memory of the journal rows above the mark.
type unflushed struct {
	ok    bool  // read from the database since the last forget
	mark  int64 // every journal row at or below it has its key in journal_keys
	saved int64 // the mark the database holds
	last  int64 // the highest journal id
	rows  int   // keys that wait

	// The keys that wait, by terminal in id order, and the terminals with
	// keys waiting in the order of their oldest key.
	keys  map[string][]unflushedKey
	order []string
	// Terminals with keysPerTerminal keys or more.
	full []string

	// The highest STAN of each terminal in journal_keys (see keyTaken),
	// bounded by knownRows like the rows of writeSet.
	top map[string]string

	// The rows above the mark that Original can return, as written by
	// Insert in this run of the committer (see remember): a reversal or
	// a completion usually names a recent request, whose row is then
	// read from memory rather than through the driver (23 columns,
	// about 12 us of the committer's time a reversal). A row read back
	// by readKeys is not here; Original reads it from the journal.
	entries map[int64]*Entry

	ids []int64 // flushKeys', kept for the next group

	// Bounds, which tests lower; 0 means the constants.
	waiting, perTerminal, perGroup int
}

const (
	schemaKeys = `
CREATE TABLE IF NOT EXISTS journal_keys (
	terminal TEXT NOT NULL,
	stan TEXT NOT NULL,
	mti TEXT NOT NULL,
	transmitted TEXT NOT NULL,
	dup INTEGER NOT NULL, -- 0, or for a refusal its id, which keeps it apart
	id INTEGER NOT NULL,
	PRIMARY KEY (terminal, stan, mti, transmitted, dup)
) WITHOUT ROWID;`

	// qHasKeysMark tells whether journal_keys was filled: a database of
	// an earlier version has a journal and no mark.
	qHasKeysMark = `SELECT count(*) FROM sequence WHERE name = 'keys'`
	// qMigrateKeys fills journal_keys from the journal of an earlier
	// version, whose unique index then goes (schemaIndexes).
	qMigrateKeys = `INSERT OR IGNORE INTO journal_keys (terminal, stan, mti, transmitted, dup, id)
	SELECT terminal, stan, mti, transmitted, coalesce(dup, id), id FROM journal;
INSERT INTO sequence (name, value) VALUES ('keys', (SELECT coalesce(max(id), 0) FROM journal));`

	qKeysMark  = `SELECT value FROM sequence WHERE name = 'keys'`
	qUnflushed = `SELECT id, terminal, stan, mti, transmitted, kind, code, dup IS NULL FROM journal WHERE id > ? ORDER BY id`
	// qFlushKeys copies the keys of the rows whose ids it is given from
	// the journal, whose pages a recent row is on are in the cache:
	// binding an id is cheaper than binding the key's four strings.
	qFlushKeys = `INSERT OR IGNORE INTO journal_keys (terminal, stan, mti, transmitted, dup, id)
		SELECT terminal, stan, mti, transmitted, coalesce(dup, id), id FROM journal WHERE id IN (%s)`
	qSetKeysMark = `UPDATE sequence SET value = ? WHERE name = 'keys'`
	qKeyTaken    = `SELECT 1 FROM journal_keys WHERE terminal = ? AND stan = ? AND mti = ? AND transmitted = ? AND dup = 0`
	qTopSTAN     = `SELECT coalesce(max(stan), '') FROM journal_keys WHERE terminal = ?`

	// The lookups read journal_keys and, when their last parameter is true
	// (outside the committer, which has the keys that wait in memory),
	// the journal above the mark instead of the keys above it. Entries
	// reads the journal above the mark in the committer too.
	keysMark = `coalesce((SELECT value FROM sequence WHERE name = 'keys'), 0)`
	qLookup  = `SELECT ` + EntryColumns + ` FROM journal WHERE id = (SELECT id FROM journal_keys
		WHERE terminal = ?1 AND stan = ?2 AND mti = ?3 AND transmitted = ?4 AND dup = 0 AND (NOT ?5 OR id <= ` + keysMark + `))
	UNION ALL SELECT ` + EntryColumns + ` FROM journal WHERE ?5 AND id > ` + keysMark + `
		AND terminal = ?1 AND stan = ?2 AND mti = ?3 AND transmitted = ?4 AND dup = 0`
	// originalFilter is what makes a row an original: one of the
	// originalKinds, approved (the codes iso8583.ResponseCode.Approved
	// accepts), with the transmission time asked for, if any. The
	// committer's memory applies the same test (unflushed.original).
	originalFilter = ` AND (?3 = '' OR transmitted = ?3) AND kind IN (?4, ?5, ?6) AND code IN ('00', '08', '10', '11')`
	qOriginal      = `SELECT ` + EntryColumns + ` FROM journal
		WHERE id IN (SELECT id FROM journal_keys WHERE terminal = ?1 AND stan = ?2 AND (NOT ?7 OR id <= ` + keysMark + `))` + originalFilter + `
	UNION ALL SELECT ` + EntryColumns + ` FROM journal
		WHERE ?7 AND id > ` + keysMark + ` AND terminal = ?1 AND stan = ?2` + originalFilter + `
	ORDER BY id DESC LIMIT 1`
	qEntries = `SELECT ` + EntryColumns + ` FROM journal
		WHERE id IN (SELECT id FROM journal_keys WHERE terminal = ?1 AND id <= ` + keysMark + `) AND (?2 = 0 OR batch = ?2)
	UNION ALL SELECT ` + EntryColumns + ` FROM journal
		WHERE id > ` + keysMark + ` AND terminal = ?1 AND (?2 = 0 OR batch = ?2)
	ORDER BY id`
)

var flushKeysTable = func() *flushTable {
	f := newFlushTable("journal", qFlushKeys, 1)
	f.some = true
	return f
}()

func init() {
	statements = append(statements, qKeysMark, qUnflushed, qSetKeysMark, qKeyTaken, qTopSTAN)
	statements = append(statements, flushKeysTable.stmts[:]...)
}

// migrateKeys fills journal_keys from a journal made before it, once.
func migrateKeys(db *sql.DB) error {
	var n int
	if err := db.QueryRow(qHasKeysMark).Scan(&n); err != nil || n > 0 {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(qMigrateKeys); err != nil {
		return err
	}
	return tx.Commit()
}

func (u *unflushed) bounds() (waiting, perTerminal, perGroup int) {
	waiting, perTerminal, perGroup = keysWaiting, keysPerTerminal, keysPerGroup
	if u.waiting > 0 {
		waiting = u.waiting
	}
	if u.perTerminal > 0 {
		perTerminal = u.perTerminal
	}
	if u.perGroup > 0 {
		perGroup = u.perGroup
	}
	return
}

// readKeys reads the keys above the mark into the committer's memory,
// unless they are there.
func (t *sqliteTx) readKeys() error {
	u := &t.s.unflushed
	if u.ok {
		return nil
	}
	if err := t.queryRow(qKeysMark).Scan(&u.mark); err != nil {
		return storeErr("journal", err)
	}
	u.saved, u.last = u.mark, u.mark
	rows, err := t.query(qUnflushed, u.mark)
	if err != nil {
		return storeErr("journal", err)
	}
	defer rows.Close()
	if u.keys == nil {
		u.keys = make(map[string][]unflushedKey)
		u.top = make(map[string]string)
		u.entries = make(map[int64]*Entry)
	}
	clear(u.keys)
	clear(u.top)
	clear(u.entries)
	u.order, u.full, u.rows = u.order[:0], u.full[:0], 0
	for rows.Next() {
		var terminal string
		var k unflushedKey
		if err := rows.Scan(&k.id, &terminal, &k.stan, &k.mti, &k.transmitted, &k.kind, &k.code, &k.refused); err != nil {
			return storeErr("journal", err)
		}
		u.add(terminal, k)
	}
	if err := rows.Err(); err != nil {
		return storeErr("journal", err)
	}
	u.ok = true
	return nil
}

// add records a row written above the mark.
func (u *unflushed) add(terminal string, k unflushedKey) {
	_, perTerminal, _ := u.bounds()
	k.stanKey = stanKey(k.stan)
	ks := u.keys[terminal]
	if len(ks) == 0 {
		u.order = append(u.order, terminal)
	}
	ks = append(ks, k)
	u.keys[terminal] = ks
	if len(ks) == perTerminal {
		u.full = append(u.full, terminal)
	}
	u.rows++
	u.last = max(u.last, k.id)
}

// taken returns the id of the row above the mark with key k, if any.
func (u *unflushed) taken(k RequestKey) (int64, bool) {
	sk := stanKey(k.STAN)
	ks := u.keys[k.Terminal]
	for i := range ks {
		r := &ks[i]
		if r.stanKey == sk && r.stan == k.STAN && r.mti == k.MTI && r.transmitted == k.Transmitted && !r.refused {
			return r.id, true
		}
	}
	return 0, false
}

// original returns the id of the latest row above the mark that Original
// would find, if any.
func (u *unflushed) original(terminal, stan, transmitted string) (int64, bool) {
	ks := u.keys[terminal]
	sk := stanKey(stan)
	for i := len(ks) - 1; i >= 0; i-- {
		r := &ks[i]
		if r.stanKey == sk && r.stan == stan && (transmitted == "" || r.transmitted == transmitted) &&
			isOriginal(r.kind, r.code) {
			return r.id, true
		}
	}
	return 0, false
}

// isOriginal reports whether a row of kind and code is one Original can
// return (originalFilter, less the transmission time).
func isOriginal(kind, code string) bool {
	return slices.Contains(originalKinds[:], kind) && iso8583.ResponseCode(code).Approved()
}

// remember keeps a copy of e, just inserted above the mark, if Original
// can return it.
func (u *unflushed) remember(e *Entry) {
	if !isOriginal(e.Kind, e.Code) {
		return
	}
	c := *e
	c.Response = bytes.Clone(e.Response)
	c.Time = time.Unix(0, e.Time.UnixNano()).UTC() // as ScanEntry reads it back
	u.entries[e.ID] = &c
}

// entry returns a copy of the remembered row id, if any: the caller's to
// change, as a row read from the journal would be.
func (u *unflushed) entry(id int64) (*Entry, bool) {
	e, ok := u.entries[id]
	if !ok {
		return nil, false
	}
	c := *e
	c.Response = bytes.Clone(e.Response)
	return &c, true
}

// keyTaken reports whether a row that is not a refusal has the request
// key k: in the committer's memory, else in journal_keys.
func (t *sqliteTx) keyTaken(k RequestKey) (bool, error) {
	u := &t.s.unflushed
	if _, ok := u.taken(k); ok {
		return true, nil
	}
	top, ok := u.top[k.Terminal]
	if !ok {
		if err := t.queryRow(qTopSTAN, k.Terminal).Scan(&top); err != nil {
			return false, storeErr("journal", err)
		}
		if len(u.top) >= knownRows {
			clear(u.top)
		}
		u.top[k.Terminal] = top
	}
	// top is the greatest of the terminal's STANs in journal_keys, as
	// strings (SQLite's max of TEXT compares bytes, as Go does): a STAN
	// above it is not there. STANs are six digits (ISO 8583 field 11,
	// n 6), so this is their order as numbers.
	if k.STAN > top {
		return false, nil
	}
	var one int64
	err := t.queryRow(qKeyTaken, k.Terminal, k.STAN, k.MTI, k.Transmitted).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, storeErr("journal", err)
	}
	return true, nil
}

// flushKeys copies the keys that are due into journal_keys, in the group's
// transaction, and moves the mark. The memory is changed now; if the
// transaction does not commit, the committer forgets and reads it again.
func (t *sqliteTx) flushKeys() error {
	u := &t.s.unflushed
	if !u.ok {
		return nil
	}
	waiting, perTerminal, perGroup := u.bounds()
	ids := u.ids[:0]
	budget := perGroup
	for len(u.full) > 0 && budget > 0 {
		terminal := u.full[0]
		u.full = u.full[1:]
		if len(u.keys[terminal]) < perTerminal {
			continue // copied already, as one of the oldest
		}
		ids = u.take(ids, terminal)
		u.order = slices.DeleteFunc(u.order, func(s string) bool { return s == terminal })
		budget -= perTerminal
	}
	for len(u.order) > 0 && (u.rows > waiting || u.last-u.keys[u.order[0]][0].id >= 2*int64(waiting)) {
		terminal := u.order[0]
		u.order = u.order[1:]
		ids = u.take(ids, terminal)
	}
	u.ids = ids
	if len(ids) == 0 {
		return nil
	}
	if err := t.flush(flushKeysTable, len(ids), func(v *stmtValues, i int) { v.int64(ids[i]) }); err != nil {
		return err
	}
	u.mark = u.last
	if len(u.order) > 0 {
		u.mark = u.keys[u.order[0]][0].id - 1
	}
	if u.mark != u.saved {
		if _, err := t.exec(qSetKeysMark, u.mark); err != nil {
			return storeErr("journal", err)
		}
		u.saved = u.mark
	}
	return nil
}

// take appends to ids the ids of terminal's keys, for flushKeysTable,
// and drops them from memory.
func (u *unflushed) take(ids []int64, terminal string) []int64 {
	ks := u.keys[terminal]
	top, topOK := u.top[terminal]
	for _, k := range ks {
		if !k.refused && topOK && k.stan > top {
			top = k.stan
		}
		ids = append(ids, k.id)
		delete(u.entries, k.id)
	}
	if topOK {
		u.top[terminal] = top
	}
	u.rows -= len(ks)
	delete(u.keys, terminal)
	return ids
}
