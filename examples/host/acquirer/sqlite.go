package acquirer

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: pure Go, no cgo
)

// SQLiteStore is the default Store: an embedded SQLite database (through
// modernc.org/sqlite) in WAL mode with synchronous=FULL, so that a
// committed Update survives a crash of the process or the machine. Writes
// are serialised on one connection, as SQLite serialises them anyway, and
// the Updates waiting at a time share one commit (see groupcommit.go).
//
// The store must be the only writer of its database: one process, one
// SQLiteStore. Its committer keeps in memory the rows every request reads
// (card state, balances, open batches) and the RRN sequence, and trusts
// them until a rollback; several host instances share a PostgreSQL
// database through package pgstore instead.
type SQLiteStore struct {
	db  *sql.DB
	raw *rawConn // the connection's statements; used by the holder of the connection

	updates chan *update  // to the committer
	quit    chan struct{} // closed by Close
	stopped chan struct{} // closed by the committer when it returns
	closing sync.Once
	groups  int64 // groups the committer ran, for tests

	// State the committer keeps in memory, touched only by Updates (one
	// goroutine): the store is the database's only writer, so what it
	// wrote last is what the database holds.
	seq       int64                  // the last number NextSequence handed out
	seqSaved  int64                  // the number the database holds
	seqOK     bool                   // seq and seqSaved were read
	batches   map[string]int64       // open batch by terminal
	orphans   map[orphanKey][]string // digests of the reversals that found no original (read when orphansOK)
	orphansOK bool
	// The rows every request reads and changes, as the database holds
	// them: card states, balances and DUKPT counters.
	known writeSet

	// Rows changed and not yet written (see sqlite_deferred.go): by the
	// running Update, and by the Updates of the group that returned.
	running, pending writeSet

	// The request keys of the journal rows not yet in journal_keys (see
	// sqlite_keys.go).
	unflushed unflushed

	flushRows flushRows // flushPending's
}

// An orphanKey is what Tx.Orphans looks for.
type orphanKey struct {
	terminal, stan string
	batch          int64
}

// forget drops the rows the committer keeps in memory, after a rollback
// that may have undone what they say; the sequence stays, since its
// numbers must not be handed out twice.
func (s *SQLiteStore) forget() {
	clear(s.batches)
	s.known.reset()
	s.orphansOK = false
	s.unflushed.ok = false // readKeys then drops the remembered rows too
}

const schema = `
CREATE TABLE IF NOT EXISTS accounts (
	id TEXT PRIMARY KEY,
	balance INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cards (
	pan TEXT PRIMARY KEY,
	status TEXT NOT NULL,
	pin_tries INTEGER NOT NULL,
	last_atc INTEGER NOT NULL,
	script TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (
	id INTEGER PRIMARY KEY,
	terminal TEXT NOT NULL,
	mti TEXT NOT NULL,
	stan TEXT NOT NULL,
	transmitted TEXT NOT NULL,
	kind TEXT NOT NULL,
	merchant TEXT NOT NULL,
	masked_pan TEXT NOT NULL,
	account TEXT NOT NULL,
	processing TEXT NOT NULL,
	amount INTEGER NOT NULL,
	currency TEXT NOT NULL,
	digest TEXT NOT NULL,
	code TEXT NOT NULL,
	auth_code TEXT NOT NULL,
	rrn TEXT NOT NULL,
	debit INTEGER NOT NULL,
	applied INTEGER NOT NULL,
	batch INTEGER NOT NULL,
	reversed INTEGER NOT NULL,
	original INTEGER NOT NULL,
	response BLOB,
	time INTEGER NOT NULL,
	dup INTEGER -- 0, or NULL for a refusal, which duplicate detection leaves out
);
CREATE TABLE IF NOT EXISTS batches (
	terminal TEXT PRIMARY KEY,
	open INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS settlements (
	id INTEGER PRIMARY KEY,
	terminal TEXT NOT NULL,
	merchant TEXT NOT NULL,
	batch INTEGER NOT NULL,
	time INTEGER NOT NULL,
	balanced INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sequence (
	name TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
` + pinpadSchema + schemaKeys

// schemaIndexes drops the indexes of earlier versions: the request key
// is in journal_keys now (see sqlite_keys.go). The journal keeps one small
// partial index, of the reversals that found no original.
const schemaIndexes = `
DROP INDEX IF EXISTS journal_key;
DROP INDEX IF EXISTS journal_stan;
DROP INDEX IF EXISTS journal_request;
DROP INDEX IF EXISTS journal_batch;
DROP INDEX IF EXISTS journal_requests;
CREATE INDEX IF NOT EXISTS journal_orphans ON journal (terminal, stan) WHERE kind = 'reversal' AND original = 0;
`

// migrateDup adds the dup column to a journal made before it.
const (
	qHasDup     = `SELECT count(*) FROM pragma_table_info('journal') WHERE name = 'dup'`
	qMigrateDup = `ALTER TABLE journal ADD COLUMN dup INTEGER;
UPDATE journal SET dup = CASE kind WHEN 'refused' THEN NULL ELSE 0 END;`
)

// The statements of sqliteTx, prepared once when the store opens (parsing
// SQL costs more than running these statements).
const (
	qCard       = `SELECT status, pin_tries, last_atc, script FROM cards WHERE pan = ?`
	qSetCard    = `UPDATE cards SET status = ?, pin_tries = ?, last_atc = ?, script = ? WHERE pan = ?`
	qBalance    = `SELECT balance FROM accounts WHERE id = ?`
	qAddBalance = `UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance`
	qInsert     = `INSERT INTO journal (terminal, mti, stan, transmitted, kind, merchant, masked_pan, account,
		processing, amount, currency, digest, code, auth_code, rrn, debit, applied, batch, reversed, original, response, time, dup)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qSetReversed = `UPDATE journal SET reversed = ? WHERE id = ?`
	qOrphan      = `SELECT digest FROM journal WHERE terminal = ? AND stan = ? AND mti IN ('0400', '0420')
		AND dup = 0 AND kind = 'reversal' AND original = 0 AND batch = ?`
	qOrphans = `SELECT terminal, stan, digest, batch FROM journal
		WHERE kind = 'reversal' AND original = 0 AND mti IN ('0400', '0420') AND dup = 0`
	qBatch      = `SELECT open FROM batches WHERE terminal = ?`
	qCloseBatch = `INSERT INTO batches (terminal, open) VALUES (?, ?)
		ON CONFLICT (terminal) DO UPDATE SET open = excluded.open`
	qSettle       = `INSERT INTO settlements (terminal, merchant, batch, time, balanced) VALUES (?, ?, ?, ?, ?)`
	qSettlements  = `SELECT terminal, merchant, batch, time, balanced FROM settlements ORDER BY id`
	qReadSequence = `SELECT value FROM sequence WHERE name = 'rrn'`
	qSeedAccount  = `INSERT OR IGNORE INTO accounts (id, balance) VALUES (?, ?)`
	qSeedCard     = `INSERT OR IGNORE INTO cards (pan, status, pin_tries, last_atc, script) VALUES (?, ?, ?, -1, ?)`
	// The savepoint of each Update of a group commit (groupcommit.go).
	qBegin        = `BEGIN IMMEDIATE`
	qBeginRead    = `BEGIN`
	qCommit       = `COMMIT`
	qRollback     = `ROLLBACK`
	qSavepoint    = `SAVEPOINT u`
	qRollbackTo   = `ROLLBACK TO u`
	qRelease      = `RELEASE u`
	qSaveSequence = `INSERT INTO sequence (name, value) VALUES ('rrn', ?)
		ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`
)

var statements = []string{qCard, qSetCard, qBalance, qAddBalance, qLookup, qOriginal, qInsert, qSetReversed, qBatch, qCloseBatch, qSettle, qEntries, qSettlements, qEntry, qAdvanceKSN, qReadSequence, qSaveSequence, qSavepoint, qRollbackTo, qRelease, qOrphan, qOrphans,
	qBegin, qBeginRead, qCommit, qRollback, qSeedAccount, qSeedCard}

// DB returns the database handle, for tests that inspect or break it.
func (s *SQLiteStore) DB() *sql.DB { return s.db }

// Close stops the committer and closes the database. Updates after Close
// fail with ErrStoreClosed.
func (s *SQLiteStore) Close() error {
	s.closing.Do(func() { close(s.quit) })
	<-s.stopped
	err := s.withConn(context.Background(), func(rc *rawConn) error { return rc.close() })
	return errors.Join(err, s.db.Close())
}

// Seed implements Store.
func (s *SQLiteStore) Seed(ctx context.Context, accounts []Account, cards []Card) error {
	return s.Update(ctx, func(t Tx) error {
		tx := t.(*sqliteTx)
		for _, a := range accounts {
			if _, err := tx.write(qSeedAccount, a.ID, a.Balance); err != nil {
				return &StoreError{Op: "seed", Err: err}
			}
		}
		for _, c := range cards {
			if _, err := tx.write(qSeedCard, c.PAN, c.status(), c.PINTries, c.Script); err != nil {
				return &StoreError{Op: "seed", Err: err}
			}
		}
		return nil
	})
}

// Update implements Store: fn runs on the committer with the Updates
// waiting at the same time, each under its own savepoint, and Update
// returns once their common transaction is committed.
func (s *SQLiteStore) Update(ctx context.Context, fn func(Tx) error) error {
	u := updates.Get().(*update)
	u.ctx, u.fn = ctx, fn
	defer func() {
		u.ctx, u.fn = nil, nil
		updates.Put(u)
	}()
	select {
	case s.updates <- u:
	case <-ctx.Done():
		return &StoreError{Op: "begin", Err: ctx.Err()}
	case <-s.quit:
		return &StoreError{Op: "begin", Err: ErrStoreClosed}
	}
	// Once taken, fn may run and commit: wait for the outcome, so that
	// the caller never answers without knowing it. The committer does
	// not use u after sending it, so u may serve another Update.
	return <-u.done
}

// View implements Store: fn runs in a read transaction on the store's
// connection, between two group commits.
func (s *SQLiteStore) View(ctx context.Context, fn func(Tx) error) error {
	var ferr error
	err := s.withConn(ctx, func(rc *rawConn) error {
		t := &sqliteTx{rc: rc, s: s}
		if _, err := t.exec(qBeginRead); err != nil {
			return err
		}
		ferr = fn(t)
		_, err := t.exec(qRollback)
		return err
	})
	if ferr != nil {
		return ferr
	}
	if err != nil {
		return &StoreError{Op: "view", Err: err}
	}
	return nil
}

type sqliteTx struct {
	rc     *rawConn
	s      *SQLiteStore
	update bool            // a transaction of the committer, which may use the store's memory
	closed map[string]bool // terminals whose batch closed in this transaction
	fatal  error           // an error that may have ended the transaction (see checkFatal)
	args   [24]driver.NamedValue

	inFn     bool  // an Update's fn is running
	saved    bool  // and its savepoint is open
	inserted int64 // and the journal row it inserted before any other change, which undoInsert deletes

	vals stmtValues // the values of the statement being run (values)
}

// write runs a statement that changes the database, in an Update under
// the Update's savepoint, which the first such statement opens. The one
// exception is the usual Update, whose only change to the database is one
// journal row (all else is in the committer's memory, see
// sqlite_deferred.go): its INSERT runs without a savepoint, since a
// failed statement is undone by SQLite on its own and a row inserted by
// an Update that then fails is deleted by its id (undoInsert), which
// saves the usual request two statements (SAVEPOINT and RELEASE).
func (t *sqliteTx) write(q string, args ...any) (result, error) {
	if err := t.save(q); err != nil {
		return result{}, err
	}
	r, err := t.exec(q, args...)
	t.noteInsert(q, r)
	return r, err
}

// save opens the Update's savepoint before its first change q, unless q
// is the journal row that needs none (see write).
func (t *sqliteTx) save(q string) error {
	if !t.inFn || t.saved || q == qInsert && t.inserted == 0 {
		return nil
	}
	if _, err := t.exec(qSavepoint); err != nil {
		return err
	}
	t.saved = true
	return nil
}

// noteInsert records the journal row inserted without a savepoint by q,
// which undoInsert deletes if the Update fails.
func (t *sqliteTx) noteInsert(q string, r result) {
	if t.inFn && !t.saved && q == qInsert && t.inserted == 0 {
		t.inserted = r.id
	}
}

func storeErr(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return &StoreError{Op: op, Err: err}
}

// qUndoInsert deletes the journal row of an Update that failed after
// inserting it without a savepoint (see write).
const qUndoInsert = `DELETE FROM journal WHERE id = ?`

func init() { statements = append(statements, qUndoInsert) }

// undoInsert deletes the journal row the failed Update inserted before its
// savepoint, if any.
func (t *sqliteTx) undoInsert() error {
	if t.inserted == 0 {
		return nil
	}
	r, err := t.exec(qUndoInsert, t.inserted)
	if err == nil && r.rows != 1 {
		err = fmt.Errorf("acquirer: journal row %d to undo not found", t.inserted)
	}
	return err
}

// CardState, SetCardState, Balance and AddBalance keep the rows they read
// and write in the committer's memory (see SQLiteStore.forget): every
// request reads its card and account, which the store alone writes.
func (t *sqliteTx) CardState(pan string) (CardState, error) {
	if t.update {
		if c, ok := lookup(pan, t.s.running.cards, t.s.pending.cards, t.s.known.cards); ok {
			return c, nil
		}
	}
	c := CardState{PAN: pan}
	err := t.queryRow(qCard, pan).
		Scan(&c.Status, &c.PINTries, &c.LastATC, &c.Script)
	if err != nil {
		return CardState{}, storeErr("card", err)
	}
	if t.update {
		put(&t.s.known.cards, pan, c)
	}
	return c, nil
}

// SetCardState, AddBalance and AdvanceKSN of an Update change the
// committer's memory, which the group writes before it commits (see
// sqlite_deferred.go).
func (t *sqliteTx) SetCardState(c CardState) error {
	if t.update {
		if _, err := t.CardState(c.PAN); err != nil {
			return err
		}
		put(&t.s.running.cards, c.PAN, c)
		return nil
	}
	r, err := t.exec(qSetCard,
		c.Status, c.PINTries, c.LastATC, c.Script, c.PAN)
	if err != nil {
		return storeErr("card", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return ErrNotFound
	}
	return nil
}

func (t *sqliteTx) Balance(account string) (int64, error) {
	if t.update {
		if b, ok := lookup(account, t.s.running.balances, t.s.pending.balances, t.s.known.balances); ok {
			return b, nil
		}
	}
	var b int64
	if err := t.queryRow(qBalance, account).Scan(&b); err != nil {
		return 0, storeErr("balance", err)
	}
	if t.update {
		put(&t.s.known.balances, account, b)
	}
	return b, nil
}

func (t *sqliteTx) AddBalance(account string, delta int64) error {
	if t.update {
		b, err := t.Balance(account)
		if err != nil {
			return err
		}
		put(&t.s.running.balances, account, b+delta)
		return nil
	}
	var b int64
	if err := t.queryRow(qAddBalance, delta, account).Scan(&b); err != nil {
		return storeErr("balance", err)
	}
	return nil
}

// EntryColumns lists the columns of a journal row in the order ScanEntry
// reads them: the SQLite store's journal table, and that of any store that
// keeps the journal in a table of the same columns (package pgstore).
const EntryColumns = `id, terminal, mti, stan, transmitted, kind, merchant, masked_pan, account, processing,
	amount, currency, digest, code, auth_code, rrn, debit, applied, batch, reversed, original, response, time`

// ScanEntry reads a row of EntryColumns (database/sql's and pgx's rows
// both have such a Scan), its time in Unix nanoseconds.
func ScanEntry(row interface{ Scan(...any) error }) (*Entry, error) {
	var e Entry
	var ns int64
	err := row.Scan(&e.ID, &e.Terminal, &e.MTI, &e.STAN, &e.Transmitted, &e.Kind, &e.Merchant, &e.MaskedPAN,
		&e.Account, &e.Processing, &e.Amount, &e.Currency, &e.Digest, &e.Code, &e.AuthCode, &e.RRN, &e.Debit,
		&e.Applied, &e.Batch, &e.Reversed, &e.Original, &e.Response, &ns)
	if err != nil {
		return nil, err
	}
	e.Time = time.Unix(0, ns).UTC()
	return &e, nil
}

// Lookup and Original find the rows whose keys wait (see sqlite_keys.go)
// in the committer's memory in an Update, and in the journal above the
// keys' mark in a View; Entries reads them from the journal in both.
func (t *sqliteTx) Lookup(k RequestKey) (*Entry, error) {
	if t.update {
		if err := t.readKeys(); err != nil {
			return nil, err
		}
		if id, ok := t.s.unflushed.taken(k); ok {
			return t.Entry(id)
		}
	}
	e, err := ScanEntry(t.queryRow(qLookup, k.Terminal, k.STAN, k.MTI, k.Transmitted, !t.update))
	if err != nil {
		return nil, storeErr("lookup", err)
	}
	return e, nil
}

func (t *sqliteTx) Original(terminal, stan, transmitted string) (*Entry, error) {
	if t.update {
		if err := t.readKeys(); err != nil {
			return nil, err
		}
		if id, ok := t.s.unflushed.original(terminal, stan, transmitted); ok {
			if e, ok := t.s.unflushed.entry(id); ok {
				return e, nil
			}
			return t.Entry(id)
		}
	}
	e, err := ScanEntry(t.queryRow(qOriginal, terminal, stan, transmitted,
		originalKinds[0], originalKinds[1], originalKinds[2], !t.update))
	if err != nil {
		return nil, storeErr("original", err)
	}
	return e, nil
}

// Orphans reads the orphan reversals, which are few (their own partial
// index holds them), into the committer's memory once, so that the usual
// answer, none, costs no statement.
func (t *sqliteTx) Orphans(terminal, stan string, batch int64) ([]string, error) {
	if !t.update {
		rows, err := t.query(qOrphan, terminal, stan, batch)
		if err != nil {
			return nil, storeErr("journal", err)
		}
		defer rows.Close()
		var ds []string
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				return nil, storeErr("journal", err)
			}
			ds = append(ds, d)
		}
		if err := rows.Err(); err != nil {
			return nil, storeErr("journal", err)
		}
		return ds, nil
	}
	s := t.s
	if !s.orphansOK {
		rows, err := t.query(qOrphans)
		if err != nil {
			return nil, storeErr("journal", err)
		}
		defer rows.Close()
		if s.orphans == nil {
			s.orphans = make(map[orphanKey][]string)
		}
		clear(s.orphans)
		for rows.Next() {
			var k orphanKey
			var d string
			if err := rows.Scan(&k.terminal, &k.stan, &d, &k.batch); err != nil {
				return nil, storeErr("journal", err)
			}
			s.orphans[k] = append(s.orphans[k], d)
		}
		if err := rows.Err(); err != nil {
			return nil, storeErr("journal", err)
		}
		s.orphansOK = true
	}
	return s.orphans[orphanKey{terminal, stan, batch}], nil
}

// Insert checks the request key itself, in the committer's memory and in
// journal_keys (see sqlite_keys.go), and keeps the new row's key in
// memory.
func (t *sqliteTx) Insert(e *Entry) error {
	if !t.update {
		return &StoreError{Op: "journal", Err: errReadOnly}
	}
	if err := t.readKeys(); err != nil {
		return err
	}
	dup := e.Kind != KindRefused
	if dup {
		taken, err := t.keyTaken(RequestKey{Terminal: e.Terminal, STAN: e.STAN, MTI: e.MTI, Transmitted: e.Transmitted})
		if err != nil {
			return err
		}
		if taken {
			return &StoreError{Op: "journal", Err: ErrDuplicateKey}
		}
	}
	if err := t.save(qInsert); err != nil {
		return storeErr("journal", err)
	}
	r, err := t.insert(e)
	t.noteInsert(qInsert, r)
	if err != nil {
		return storeErr("journal", err)
	}
	e.ID = r.id
	t.s.unflushed.add(e.Terminal, unflushedKey{id: e.ID, stan: e.STAN, mti: e.MTI, transmitted: e.Transmitted,
		kind: e.Kind, code: e.Code, refused: !dup})
	t.s.unflushed.remember(e)
	if t.update && t.s.orphansOK && e.Kind == KindReversal && e.Original == 0 && (e.MTI == "0400" || e.MTI == "0420") {
		k := orphanKey{e.Terminal, e.STAN, e.Batch}
		t.s.orphans[k] = append(t.s.orphans[k], e.Digest)
	}
	return nil
}

// insert runs qInsert for e, its values given one by one: on SQLite's
// API they are bound from e's fields, where exec's arguments would box
// each string and integer in an interface (about 18 allocations a row).
func (t *sqliteTx) insert(e *Entry) (result, error) {
	v, err := t.values(qInsert)
	if err != nil {
		return result{}, err
	}
	v.text(e.Terminal)
	v.text(e.MTI)
	v.text(e.STAN)
	v.text(e.Transmitted)
	v.text(e.Kind)
	v.text(e.Merchant)
	v.text(e.MaskedPAN)
	v.text(e.Account)
	v.text(e.Processing)
	v.int64(e.Amount)
	v.text(e.Currency)
	v.text(e.Digest)
	v.text(e.Code)
	v.text(e.AuthCode)
	v.text(e.RRN)
	v.bool(e.Debit)
	v.int64(e.Applied)
	v.int64(e.Batch)
	v.int64(e.Reversed)
	v.int64(e.Original)
	v.blob(e.Response)
	v.int64(e.Time.UnixNano())
	// dup: NULL for a refusal, which may repeat a request key, 0 for the
	// others, whose key is unique.
	if e.Kind == KindRefused {
		v.null()
	} else {
		v.int64(0)
	}
	return t.execValues(qInsert, v)
}

// errReadOnly is the error of a change asked of a View.
var errReadOnly = errors.New("acquirer: read-only transaction")

func (t *sqliteTx) SetReversed(id, by int64) error {
	if _, err := t.write(qSetReversed, by, id); err != nil {
		return storeErr("journal", err)
	}
	if e, ok := t.s.unflushed.entries[id]; ok {
		e.Reversed = by // should the Update fail, the committer forgets
	}
	return nil
}

// Batch reads the open batch from the committer's memory when it can: a
// terminal's batch changes only by CloseBatch, once a day, and every
// request reads it. A batch closed in the current transaction is read from
// the database until the transaction ends, since a savepoint may still
// undo the close.
func (t *sqliteTx) Batch(terminal string) (int64, error) {
	if t.update && !t.closed[terminal] {
		if n, ok := t.s.batches[terminal]; ok {
			return n, nil
		}
	}
	var n int64
	err := t.queryRow(qBatch, terminal).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		n, err = 1, nil
	}
	if err != nil {
		return 0, storeErr("batch", err)
	}
	if t.update && !t.closed[terminal] {
		if t.s.batches == nil {
			t.s.batches = make(map[string]int64)
		}
		t.s.batches[terminal] = n
	}
	return n, nil
}

func (t *sqliteTx) CloseBatch(terminal string, s Settlement) error {
	if t.update {
		if t.closed == nil {
			t.closed = make(map[string]bool)
		}
		t.closed[terminal] = true
		delete(t.s.batches, terminal)
	}
	if _, err := t.write(qCloseBatch, terminal, s.Batch+1); err != nil {
		return storeErr("batch", err)
	}
	if _, err := t.write(qSettle,
		terminal, s.Merchant, s.Batch, s.Time.UnixNano(), s.Balanced); err != nil {
		return storeErr("settlement", err)
	}
	return nil
}

func (t *sqliteTx) Entries(terminal string, batch int64) ([]Entry, error) {
	rows, err := t.query(qEntries, terminal, batch)
	if err != nil {
		return nil, storeErr("entries", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := ScanEntry(rows)
		if err != nil {
			return nil, storeErr("entries", err)
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr("entries", err)
	}
	return out, nil
}

func (t *sqliteTx) Settlements() ([]Settlement, error) {
	rows, err := t.query(qSettlements)
	if err != nil {
		return nil, storeErr("settlements", err)
	}
	defer rows.Close()
	var out []Settlement
	for rows.Next() {
		var s Settlement
		var ns int64
		if err := rows.Scan(&s.Terminal, &s.Merchant, &s.Batch, &ns, &s.Balanced); err != nil {
			return nil, storeErr("settlements", err)
		}
		s.Time = time.Unix(0, ns).UTC()
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr("settlements", err)
	}
	return out, nil
}

// NextSequence hands out the numbers of the sequence from the committer's
// memory; beforeCommit writes the last one handed out with the group's
// commit. A number handed out in a transaction that does not commit is
// never used again (its response was not sent), and every number of a
// committed response is at most the value committed with it, so a restart
// goes on above it.
func (t *sqliteTx) NextSequence() (int64, error) {
	if !t.update {
		return 0, &StoreError{Op: "sequence", Err: errReadOnly}
	}
	s := t.s
	if !s.seqOK {
		var n int64
		err := t.queryRow(qReadSequence).Scan(&n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, storeErr("sequence", err)
		}
		s.seq, s.seqSaved, s.seqOK = n, n, true
	}
	s.seq++
	return s.seq, nil
}

// beforeCommit writes what the committer keeps in memory and the database
// must hold once the group commits: the rows the group changed, the
// journal's keys when enough of them wait, and the sequence.
func (t *sqliteTx) beforeCommit() error {
	if err := t.flushPending(); err != nil {
		return err
	}
	if err := t.flushKeys(); err != nil {
		return err
	}
	s := t.s
	if !s.seqOK || s.seq == s.seqSaved {
		return nil
	}
	if _, err := t.exec(qSaveSequence, s.seq); err != nil {
		return storeErr("sequence", err)
	}
	return nil
}

// afterCommit records that the group committed: the rows it changed are
// now the database's.
func (t *sqliteTx) afterCommit() {
	s := t.s
	s.seqSaved = s.seq
	s.pending.moveTo(&s.known)
}
