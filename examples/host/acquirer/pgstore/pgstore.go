// Package pgstore is an acquirer.Store in PostgreSQL, for several host
// instances sharing one journal behind a TCP load balancer (README,
// "Scale beyond one machine"). SQLite stays the host's embedded default
// (acquirer.OpenSQLite); this store keeps nothing in an instance's memory
// between transactions, so that any number of instances may use one
// database at once.
//
// Each Update is one transaction at READ COMMITTED in which every row the
// host reads to decide on and then changes is locked first, so that
// concurrent requests wait for each other instead of failing:
//   - an account's balance and a card's state are read FOR UPDATE (two
//     instances that approve from one account at the same time cannot both
//     see the balance before the other's debit);
//   - the journal row a reversal or completion refers to is read FOR UPDATE
//     (it is reversed once);
//   - everything about one terminal (its request keys, its open batch and
//     settlement, the reversals that came before their original) is
//     serialised by a transaction-scoped advisory lock on the terminal,
//     taken by the first method that names it (with that method's
//     statement, in one round trip).
//
// A terminal has one request in flight at a time, so its lock is never
// contended in normal operation; it orders a resend that reaches another
// instance after the first, and an 0500 against the requests of its batch.
// An Update is tried again from the start (up to DefaultRetries times,
// after a random pause) when PostgreSQL reports a deadlock or a
// serialization failure (SQLSTATE 40P01, 40001), and when its connection
// fails before COMMIT (PostgreSQL rolls such a transaction back): the
// function it runs may therefore run more than once, and must leave
// nothing behind but what it did through the Tx. A COMMIT whose answer is
// lost is not tried again: the Update fails, and the host answers 96.
//
// SERIALIZABLE would need no locks, but measured with examples/loadgen at
// 200 terminals (two instances, 100 accounts) it failed most transactions
// on the accounts' rows and on the pages of the journal's indexes that
// every request reads and writes: 835 auth/s, with requests answered 96
// once their retries ran out. With the locks: see the README.
//
// A request key (terminal, STAN, MTI, transmission time) is unique among
// the journal rows that are not refusals, by a partial unique index:
// Insert of a second row, from any instance, fails with an error matching
// acquirer.ErrDuplicateKey and leaves the transaction usable, so that the
// host answers the duplicate with the first answer instead of moving
// money twice. The RRN sequence is a PostgreSQL sequence, and a PIN pad's
// DUKPT counter advances only upwards, in one statement.
//
// An instance that hangs, or is cut off from the database, in the middle
// of an Update would hold its locks, and every request of that terminal
// or account would wait for it: the store's sessions run with
// idle_in_transaction_session_timeout (DefaultIdleInTransaction, unless
// the connection string sets it), after which PostgreSQL ends such a
// session and rolls its transaction back. An Update is never idle for
// long in a transaction of its own: the host runs nothing slow between
// its statements. A request that gives up (its context ends) while its
// statement waits for a lock does not leave its session waiting with the
// locks it took before: pgx sends PostgreSQL a cancel request, and the
// transaction is rolled back (TestAbandonedWait).
//
// Durability is PostgreSQL's: Update returns once COMMIT returns, which
// with synchronous_commit on (the default) is after the commit's WAL is
// flushed; PostgreSQL shares WAL flushes between the transactions that
// commit together (its own group commit).
//
// The store was written against PostgreSQL 15 with
// github.com/jackc/pgx/v5; its tests run when POSFLOW_POSTGRES names a
// database (a pgx connection string) and are skipped otherwise.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// schema creates the tables, once per database; several instances that
// start together take turns (schemaLock).
const schema = `
CREATE TABLE IF NOT EXISTS accounts (
	id text PRIMARY KEY,
	balance bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS cards (
	pan text PRIMARY KEY,
	status text NOT NULL,
	pin_tries integer NOT NULL,
	last_atc integer NOT NULL,
	script text NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	terminal text NOT NULL,
	mti text NOT NULL,
	stan text NOT NULL,
	transmitted text NOT NULL,
	kind text NOT NULL,
	merchant text NOT NULL,
	masked_pan text NOT NULL,
	account text NOT NULL,
	processing text NOT NULL,
	amount bigint NOT NULL,
	currency text NOT NULL,
	digest text NOT NULL,
	code text NOT NULL,
	auth_code text NOT NULL,
	rrn text NOT NULL,
	debit boolean NOT NULL,
	applied bigint NOT NULL,
	batch bigint NOT NULL,
	reversed bigint NOT NULL,
	original bigint NOT NULL,
	response bytea,
	time bigint NOT NULL -- Unix nanoseconds, as in the SQLite store
);
-- The request key, unique but for refusals, which may repeat a key.
CREATE UNIQUE INDEX IF NOT EXISTS journal_key ON journal (terminal, stan, mti, transmitted)
	WHERE kind <> 'refused';
CREATE INDEX IF NOT EXISTS journal_batch ON journal (terminal, batch, id);
CREATE TABLE IF NOT EXISTS pinpads (
	device text PRIMARY KEY,
	counter bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
	terminal text PRIMARY KEY,
	open bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS settlements (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	terminal text NOT NULL,
	merchant text NOT NULL,
	batch bigint NOT NULL,
	time bigint NOT NULL,
	balanced boolean NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS rrn;
`

// schemaLock is the advisory lock key under which an instance creates the
// schema: CREATE ... IF NOT EXISTS run by two sessions at once may still
// fail on the catalog's unique indexes.
const schemaLock = 0x706f73666c6f77 // "posflow"

// A Store is an acquirer.Store in a PostgreSQL database. It is safe for
// concurrent use, by any number of instances.
type Store struct {
	pool *pgxpool.Pool
}

// DefaultRetries is the number of times an Update is tried again after a
// serialization failure or a deadlock before it fails.
const DefaultRetries = 20

// DefaultIdleInTransaction is the idle_in_transaction_session_timeout of
// the store's sessions when the connection string does not set it: how
// long an instance that stopped in the middle of an Update keeps the
// others waiting for its locks.
const DefaultIdleInTransaction = 5 * time.Second

// Open connects to the database named by dsn (a pgx connection string,
// "postgres://…" or "host=… dbname=…"), creates the tables it lacks and
// returns the store.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, &acquirer.StoreError{Op: "open", Err: err}
	}
	if _, ok := cfg.ConnConfig.RuntimeParams[idleParam]; !ok && !strings.Contains(cfg.ConnConfig.RuntimeParams["options"], idleParam) {
		cfg.ConnConfig.RuntimeParams[idleParam] = fmt.Sprint(DefaultIdleInTransaction.Milliseconds())
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, &acquirer.StoreError{Op: "open", Err: err}
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(schemaLock)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, schema)
		return err
	})
	if err != nil {
		pool.Close()
		return nil, &acquirer.StoreError{Op: "schema", Err: err}
	}
	return &Store{pool: pool}, nil
}

// idleParam is the setting that ends sessions idle in a transaction.
const idleParam = "idle_in_transaction_session_timeout"

// Close closes the store's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool returns the store's connection pool, for tests and operators'
// tools.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Seed adds the accounts and cards that are not in the database yet, and
// leaves those that are as they are.
func (s *Store) Seed(ctx context.Context, accounts []acquirer.Account, cards []acquirer.Card) error {
	return s.Update(ctx, func(t acquirer.Tx) error {
		tx := t.(*tx)
		for _, a := range accounts {
			if _, err := tx.exec("seed", `INSERT INTO accounts (id, balance) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
				a.ID, a.Balance); err != nil {
				return err
			}
		}
		for _, c := range cards {
			status := c.Status
			if status == "" {
				status = acquirer.StatusActive
			}
			if _, err := tx.exec("seed", `INSERT INTO cards (pan, status, pin_tries, last_atc, script)
				VALUES ($1, $2, $3, -1, $4) ON CONFLICT DO NOTHING`, c.PAN, status, c.PINTries, c.Script); err != nil {
				return err
			}
		}
		return nil
	})
}

// Update runs fn in a READ COMMITTED transaction that locks what it reads
// to decide on (see the package documentation) and commits it, trying
// again from the start after a deadlock or a serialization failure.
func (s *Store) Update(ctx context.Context, fn func(acquirer.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.attempt(ctx, fn)
		if err == nil || !retryable(err) || attempt == DefaultRetries {
			return err
		}
		// Back off a little, more each time, at random, so that two
		// instances that collided do not collide again.
		d := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6)))
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return &acquirer.StoreError{Op: "begin", Err: ctx.Err()}
		}
	}
}

// attempt runs fn once in its own transaction, on a connection of its
// own. The transaction's BEGIN is sent with its first statement, in one
// pgx batch (see tx.send), which saves the round trip pgx.Tx's Begin
// makes.
func (s *Store) attempt(ctx context.Context, fn func(acquirer.Tx) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return &acquirer.StoreError{Op: "begin", Err: connLost(ctx, err)}
	}
	// A connection whose transaction is still open when it is released
	// (its ROLLBACK failed) is closed by the pool rather than reused.
	defer conn.Release()
	t := &tx{ctx: ctx, q: conn, update: true}
	t.prefix = append(t.prefix, queued{sql: qBegin})
	ferr := fn(t)
	if ferr == nil && t.failed != nil {
		// fn went on after a statement failed: PostgreSQL has aborted
		// the transaction, and the commit would only roll it back.
		ferr = t.failed
	}
	if ferr != nil {
		if t.begun {
			conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
		if t.failed != nil {
			if err := connLost(ctx, t.failed); retryable(err) {
				return err // whatever fn made of it
			}
		}
		return ferr
	}
	if !t.begun {
		return nil // fn ran no statement: there is nothing to commit
	}
	// A COMMIT whose answer is lost may have committed: it is not tried
	// again, and the host answers 96 (the terminal then reverses).
	tag, err := conn.Exec(ctx, "COMMIT")
	if err != nil {
		return &acquirer.StoreError{Op: "commit", Err: err}
	}
	if tag.String() != "COMMIT" {
		// PostgreSQL answers ROLLBACK to the COMMIT of a transaction a
		// statement aborted; t.failed should have caught that first.
		return &acquirer.StoreError{Op: "commit", Err: errRolledBack}
	}
	return nil
}

// qBegin starts an Update's transaction, at READ COMMITTED whatever the
// server's default_transaction_isolation says.
const qBegin = `BEGIN ISOLATION LEVEL READ COMMITTED`

// errRolledBack is the error of an Update whose COMMIT PostgreSQL answered
// with ROLLBACK.
var errRolledBack = errors.New("pgstore: transaction rolled back at commit")

// errConnLost marks an error of a connection that failed before COMMIT:
// PostgreSQL rolls the transaction of a lost connection back, so the
// Update may be tried again on another.
var errConnLost = errors.New("pgstore: connection lost before commit")

// connLost returns err marked with errConnLost when the connection failed:
// an error of the network rather than an answer of PostgreSQL, or
// PostgreSQL's own notice that it ended the session (SQLSTATE class 08,
// connection exception; 57P01-57P05, an administrator's or a crash's
// shutdown, or an idle session's timeout; or 25P03, a session idle in a
// transaction for longer than idle_in_transaction_session_timeout). The
// end of ctx is not a connection lost.
func connLost(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, errConnLost) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !strings.HasPrefix(pe.Code, "08") && !strings.HasPrefix(pe.Code, "57P") &&
		pe.Code != "25P03" {
		return err
	}
	return fmt.Errorf("%w: %w", errConnLost, err)
}

// View runs fn in a read-only REPEATABLE READ transaction: one snapshot of
// the database.
func (s *Store) View(ctx context.Context, fn func(acquirer.Tx) error) error {
	ptx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return &acquirer.StoreError{Op: "view", Err: err}
	}
	defer ptx.Rollback(context.WithoutCancel(ctx))
	return fn(&tx{ctx: ctx, q: ptx})
}

// retryable reports whether err is a serialization failure, a deadlock or
// a connection lost before COMMIT, after which the transaction can be
// tried again.
func retryable(err error) bool {
	if errors.Is(err, errConnLost) {
		return true
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// errReadOnly is the error of a change asked of a View that PostgreSQL
// would not see as one (NextSequence: nextval is allowed in a read-only
// transaction).
var errReadOnly = errors.New("pgstore: read-only transaction")

// A tx is one attempt of an Update, or a View.
type tx struct {
	ctx    context.Context
	q      querier // the Update's connection, or the View's pgx.Tx
	update bool
	failed error    // the first statement error, after which PostgreSQL refuses the rest
	locked []string // terminals whose lock the transaction holds, or takes with its next statement
	prefix []queued // statements to send before the next one, in its batch (see send)
	begun  bool     // the BEGIN was sent
}

// A querier runs statements: a connection of the pool, or a pgx.Tx.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// A queued statement waits to be sent with the next one.
type queued struct {
	sql  string
	args []any
}

// terminalLocks is the first key of the advisory locks on terminals (the
// two-key space, apart from the one-key space of schemaLock); the second
// is a hash of the terminal ID. Two terminals with the same hash share a
// lock, which costs a wait and nothing else.
const terminalLocks = 0x706f73 // "pos"

// lock takes the lock of terminal for the rest of an Update, once. The
// lock is taken by the transaction's next statement, which is sent with
// it in one pgx batch, one round trip: PostgreSQL runs the statement once
// it holds the lock, and at READ COMMITTED the statement's snapshot is
// taken then, so it sees what the lock's last holder committed. A lock
// with no statement after it would guard nothing, and is not taken.
func (t *tx) lock(terminal string) error {
	if !t.update || slices.Contains(t.locked, terminal) {
		return nil
	}
	h := fnv.New32a()
	h.Write([]byte(terminal))
	t.locked = append(t.locked, terminal)
	t.prefix = append(t.prefix, queued{qLock, []any{int32(terminalLocks), int32(h.Sum32())}})
	return nil
}

// qLock takes a terminal's lock.
const qLock = `SELECT pg_advisory_xact_lock($1, $2)`

// send sends the statements that wait (the BEGIN, locks) and then q as
// one batch, and returns the batch's results, positioned at q's. It
// returns nil, nil when none waits, for the caller to run q alone; with q
// "", it sends those that wait alone.
func (t *tx) send(q string, args []any) (pgx.BatchResults, error) {
	if len(t.prefix) == 0 {
		return nil, nil
	}
	b := &pgx.Batch{}
	for _, p := range t.prefix {
		if p.sql == qBegin {
			t.begun = true
		}
		b.Queue(p.sql, p.args...)
	}
	if q != "" {
		b.Queue(q, args...)
	}
	t.prefix = t.prefix[:0]
	br := t.q.SendBatch(t.ctx, b)
	for range len(b.QueuedQueries) - 1 {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, err
		}
	}
	if q == "" {
		_, err := br.Exec()
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return nil, err
	}
	return br, nil
}

// sendWaiting sends the statements that wait, before a query of many
// rows.
func (t *tx) sendWaiting() error {
	if _, err := t.send("", nil); err != nil {
		return t.fail("begin", err)
	}
	return nil
}

// row runs q, after the statements that wait (see send), for one row.
func (t *tx) row(q string, args ...any) pgx.Row {
	br, err := t.send(q, args)
	if err != nil {
		return errRow{err}
	}
	if br == nil {
		return t.q.QueryRow(t.ctx, q, args...)
	}
	return batchRow{br, br.QueryRow()}
}

// A batchRow is the row of the last query of a batch, which Scan closes.
type batchRow struct {
	br  pgx.BatchResults
	row pgx.Row
}

func (r batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

// An errRow is the row of a batch that failed before its last query.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// forUpdate is the locking clause of the reads of an Update.
func (t *tx) forUpdate() string {
	if t.update {
		return " FOR UPDATE"
	}
	return ""
}

// fail records err, a statement's error, and returns it as a StoreError.
func (t *tx) fail(op string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return acquirer.ErrNotFound
	}
	se := &acquirer.StoreError{Op: op, Err: err}
	if t.failed == nil {
		t.failed = se
	}
	return se
}

func (t *tx) exec(op, q string, args ...any) (pgconn.CommandTag, error) {
	br, err := t.send(q, args)
	var tag pgconn.CommandTag
	switch {
	case err != nil:
	case br == nil:
		tag, err = t.q.Exec(t.ctx, q, args...)
	default:
		tag, err = br.Exec()
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return tag, t.fail(op, err)
	}
	return tag, nil
}

func (t *tx) queryRow(op, q string, args []any, dest ...any) error {
	if err := t.row(q, args...).Scan(dest...); err != nil {
		return t.fail(op, err)
	}
	return nil
}

func (t *tx) CardState(pan string) (acquirer.CardState, error) {
	c := acquirer.CardState{PAN: pan}
	err := t.queryRow("card", `SELECT status, pin_tries, last_atc, script FROM cards WHERE pan = $1`+t.forUpdate(),
		[]any{pan}, &c.Status, &c.PINTries, &c.LastATC, &c.Script)
	if err != nil {
		return acquirer.CardState{}, err
	}
	return c, nil
}

func (t *tx) SetCardState(c acquirer.CardState) error {
	tag, err := t.exec("card", `UPDATE cards SET status = $1, pin_tries = $2, last_atc = $3, script = $4 WHERE pan = $5`,
		c.Status, c.PINTries, c.LastATC, c.Script, c.PAN)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return acquirer.ErrNotFound
	}
	return nil
}

func (t *tx) Balance(account string) (int64, error) {
	var b int64
	if err := t.queryRow("balance", `SELECT balance FROM accounts WHERE id = $1`+t.forUpdate(), []any{account}, &b); err != nil {
		return 0, err
	}
	return b, nil
}

func (t *tx) AddBalance(account string, delta int64) error {
	tag, err := t.exec("balance", `UPDATE accounts SET balance = balance + $1 WHERE id = $2`, delta, account)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return acquirer.ErrNotFound
	}
	return nil
}

// entry reads the one row of a query of acquirer.EntryColumns.
func (t *tx) entry(op, q string, args ...any) (*acquirer.Entry, error) {
	e, err := acquirer.ScanEntry(t.row(q, args...))
	if err != nil {
		return nil, t.fail(op, err)
	}
	return e, nil
}

func (t *tx) Lookup(k acquirer.RequestKey) (*acquirer.Entry, error) {
	if err := t.lock(k.Terminal); err != nil {
		return nil, err
	}
	return t.entry("lookup", `SELECT `+acquirer.EntryColumns+` FROM journal
		WHERE terminal = $1 AND stan = $2 AND mti = $3 AND transmitted = $4 AND kind <> 'refused'`,
		k.Terminal, k.STAN, k.MTI, k.Transmitted)
}

// originalKinds are the kinds of row a reversal or completion refers to,
// and approvedCodes the response codes iso8583.ResponseCode.Approved
// accepts (of the two-character codes): an original is one of those kinds
// and was approved.
var (
	originalKinds = []string{acquirer.KindAuthorization, acquirer.KindFinancial, acquirer.KindAdvice}
	approvedCodes = func() []string {
		const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		var codes []string
		for _, a := range alnum {
			for _, b := range alnum {
				if c := string([]rune{a, b}); iso8583.ResponseCode(c).Approved() {
					codes = append(codes, c)
				}
			}
		}
		return codes
	}()
)

// Original's kind <> 'refused' is implied by kind = ANY($4), but the
// planner cannot see that in a generic plan, where $4 is a parameter: said
// outright, it lets the query use journal_key (whose predicate it is)
// instead of reading all the terminal's rows (checked with EXPLAIN).
func (t *tx) Original(terminal, stan, transmitted string) (*acquirer.Entry, error) {
	if err := t.lock(terminal); err != nil {
		return nil, err
	}
	return t.entry("original", `SELECT `+acquirer.EntryColumns+` FROM journal
		WHERE terminal = $1 AND stan = $2 AND ($3 = '' OR transmitted = $3)
			AND kind <> 'refused' AND kind = ANY($4) AND code = ANY($5)
		ORDER BY id DESC LIMIT 1`+t.forUpdate(), terminal, stan, transmitted, originalKinds, approvedCodes)
}

func (t *tx) Orphans(terminal, stan string, batch int64) ([]string, error) {
	if err := t.lock(terminal); err != nil {
		return nil, err
	}
	if err := t.sendWaiting(); err != nil {
		return nil, err
	}
	rows, err := t.q.Query(t.ctx, `SELECT digest FROM journal
		WHERE terminal = $1 AND stan = $2 AND mti IN ('0400', '0420') AND kind = 'reversal' AND original = 0
			AND batch = $3`, terminal, stan, batch)
	if err != nil {
		return nil, t.fail("journal", err)
	}
	ds, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, t.fail("journal", err)
	}
	return ds, nil
}

// Insert writes the row unless its request key is taken, in one statement
// that leaves the transaction usable either way (ON CONFLICT DO NOTHING).
func (t *tx) Insert(e *acquirer.Entry) error {
	if err := t.lock(e.Terminal); err != nil {
		return err
	}
	err := t.row(`INSERT INTO journal (terminal, mti, stan, transmitted, kind, merchant, masked_pan,
		account, processing, amount, currency, digest, code, auth_code, rrn, debit, applied, batch, reversed, original,
		response, time)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
		ON CONFLICT (terminal, stan, mti, transmitted) WHERE kind <> 'refused' DO NOTHING
		RETURNING id`,
		e.Terminal, e.MTI, e.STAN, e.Transmitted, e.Kind, e.Merchant, e.MaskedPAN, e.Account, e.Processing,
		e.Amount, e.Currency, e.Digest, e.Code, e.AuthCode, e.RRN, e.Debit, e.Applied, e.Batch, e.Reversed,
		e.Original, e.Response, e.Time.UnixNano()).Scan(&e.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return &acquirer.StoreError{Op: "journal", Err: acquirer.ErrDuplicateKey}
	}
	if err != nil {
		return t.fail("journal", err)
	}
	return nil
}

func (t *tx) SetReversed(id, by int64) error {
	_, err := t.exec("journal", `UPDATE journal SET reversed = $1 WHERE id = $2`, by, id)
	return err
}

func (t *tx) Entry(id int64) (*acquirer.Entry, error) {
	return t.entry("entry", `SELECT `+acquirer.EntryColumns+` FROM journal WHERE id = $1`+t.forUpdate(), id)
}

// AdvanceKSN moves the counter only upwards, in one statement, so that of
// two instances that see the same KSN only one sees it as new.
func (t *tx) AdvanceKSN(device string, counter int64) (bool, error) {
	tag, err := t.exec("pinpad", `INSERT INTO pinpads (device, counter) VALUES ($1, $2)
		ON CONFLICT (device) DO UPDATE SET counter = excluded.counter WHERE pinpads.counter < excluded.counter`,
		device, counter)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

func (t *tx) Batch(terminal string) (int64, error) {
	if err := t.lock(terminal); err != nil {
		return 0, err
	}
	var n int64
	err := t.queryRow("batch", `SELECT open FROM batches WHERE terminal = $1`, []any{terminal}, &n)
	if errors.Is(err, acquirer.ErrNotFound) {
		return 1, nil
	}
	return n, err
}

func (t *tx) CloseBatch(terminal string, s acquirer.Settlement) error {
	if err := t.lock(terminal); err != nil {
		return err
	}
	if _, err := t.exec("batch", `INSERT INTO batches (terminal, open) VALUES ($1, $2)
		ON CONFLICT (terminal) DO UPDATE SET open = excluded.open`, terminal, s.Batch+1); err != nil {
		return err
	}
	_, err := t.exec("settlement", `INSERT INTO settlements (terminal, merchant, batch, time, balanced)
		VALUES ($1, $2, $3, $4, $5)`, terminal, s.Merchant, s.Batch, s.Time.UnixNano(), s.Balanced)
	return err
}

func (t *tx) Entries(terminal string, batch int64) ([]acquirer.Entry, error) {
	if err := t.lock(terminal); err != nil {
		return nil, err
	}
	if err := t.sendWaiting(); err != nil {
		return nil, err
	}
	rows, err := t.q.Query(t.ctx, `SELECT `+acquirer.EntryColumns+` FROM journal
		WHERE terminal = $1 AND ($2 = 0 OR batch = $2) ORDER BY id`, terminal, batch)
	if err != nil {
		return nil, t.fail("entries", err)
	}
	es, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (acquirer.Entry, error) {
		e, err := acquirer.ScanEntry(r)
		if err != nil {
			return acquirer.Entry{}, err
		}
		return *e, nil
	})
	if err != nil {
		return nil, t.fail("entries", err)
	}
	return es, nil
}

func (t *tx) Settlements() ([]acquirer.Settlement, error) {
	if err := t.sendWaiting(); err != nil {
		return nil, err
	}
	rows, err := t.q.Query(t.ctx, `SELECT terminal, merchant, batch, time, balanced FROM settlements ORDER BY id`)
	if err != nil {
		return nil, t.fail("settlements", err)
	}
	ss, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (acquirer.Settlement, error) {
		var s acquirer.Settlement
		var ns int64
		err := r.Scan(&s.Terminal, &s.Merchant, &s.Batch, &ns, &s.Balanced)
		s.Time = time.Unix(0, ns).UTC()
		return s, err
	})
	if err != nil {
		return nil, t.fail("settlements", err)
	}
	return ss, nil
}

// NextSequence takes the next value of the rrn sequence. A value taken by
// a transaction that then rolls back is not used again.
func (t *tx) NextSequence() (int64, error) {
	if !t.update {
		return 0, &acquirer.StoreError{Op: "sequence", Err: errReadOnly}
	}
	var n int64
	if err := t.queryRow("sequence", `SELECT nextval('rrn')`, nil, &n); err != nil {
		return 0, err
	}
	return n, nil
}

// String describes the store without its connection string, which may
// hold a password.
func (s *Store) String() string {
	c := s.pool.Config().ConnConfig
	return fmt.Sprintf("pgstore(%s/%s)", c.Host, c.Database)
}

// WithSchema returns dsn with search_path set to schema, so that a store
// opened with it keeps its tables in that schema (which must exist): a
// URL gets a query parameter, a keyword/value string one more keyword,
// quoted. PostgreSQL folds an unquoted name in search_path to lower case,
// so schema should be lower case.
func WithSchema(dsn, schema string) string {
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + url.QueryEscape(schema)
	}
	return dsn + " search_path='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(schema) + "'"
}

// NewSchema creates the schema name in the database dsn names and returns
// dsn for it (WithSchema) and a function that drops it with all it holds:
// a store of its own, for a test or a load run. A schema of that name
// already there is dropped first.
func NewSchema(ctx context.Context, dsn, name string) (string, func() error, error) {
	id := pgx.Identifier{name}.Sanitize()
	if err := execOnce(ctx, dsn, `DROP SCHEMA IF EXISTS `+id+` CASCADE; CREATE SCHEMA `+id); err != nil {
		return "", nil, &acquirer.StoreError{Op: "schema", Err: err}
	}
	drop := func() error { return execOnce(context.WithoutCancel(ctx), dsn, `DROP SCHEMA `+id+` CASCADE`) }
	return WithSchema(dsn, name), drop, nil
}

// execOnce runs q on a connection of its own.
func execOnce(ctx context.Context, dsn, q string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, q)
	return err
}
