package acquirer

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"time"
)

// DefaultBusyTimeout is how long the SQLite store waits for the write lock
// when another connection (another process on the same file: a backup, an
// operator's sqlite3 shell) holds it, before the Updates waiting fail and
// their requests are answered 96.
//
// Two seconds rides over any short writer, and an Update waits at most
// about one busy timeout (see groupcommit.go), so the answer 96 reaches the
// terminal long before it gives up on the host (15 seconds for
// examples/terminal, 30 to 60 seconds for most terminals) and sends a
// reversal for a request that moved nothing.
const DefaultBusyTimeout = 2 * time.Second

// SQLiteConfig configures the SQLite store; its zero value gives the
// defaults, which OpenSQLite uses.
type SQLiteConfig struct {
	// BusyTimeout is how long an Update waits for the database's write
	// lock held by another connection; 0 means DefaultBusyTimeout, a
	// negative value not to wait. Rounded down to milliseconds.
	BusyTimeout time.Duration `json:"-"`
	// KeysWaiting is how many journal rows' request keys the committer
	// keeps in memory before it copies them to their table (see the
	// package documentation, Performance); 0 means 4096. More saves
	// writes and costs memory, and reads of the journal's tail after a
	// restart or a rollback.
	KeysWaiting int `json:"keys_waiting,omitempty"`
}

// OpenSQLite opens (creating if needed) the SQLite database at path with
// the default SQLiteConfig; an empty path opens a private in-memory
// database.
func OpenSQLite(path string) (*SQLiteStore, error) { return SQLiteConfig{}.Open(path) }

// Open opens (creating if needed) the SQLite database at path; an empty
// path opens a private in-memory database.
func (c SQLiteConfig) Open(path string) (*SQLiteStore, error) {
	busy := c.BusyTimeout
	switch {
	case busy == 0:
		busy = DefaultBusyTimeout
	case busy < 0:
		busy = 0
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busy.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	dsn := ":memory:?" + q.Encode()
	if path != "" {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		dsn = "file:" + path + "?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, &StoreError{Op: "open", Err: err}
	}
	// One connection: SQLite has one writer, and an in-memory database
	// exists per connection.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := createSchema(db); err != nil {
		db.Close()
		return nil, &StoreError{Op: "schema", Err: err}
	}
	st := &SQLiteStore{db: db, updates: make(chan *update), quit: make(chan struct{}), stopped: make(chan struct{})}
	st.unflushed.waiting = max(c.KeysWaiting, 0)
	if err := st.withConn(context.Background(), (*rawConn).prepareAll); err != nil {
		db.Close()
		return nil, &StoreError{Op: "prepare", Err: err}
	}
	go st.committer()
	return st, nil
}

// createSchema creates the tables, adds what a database made by an
// earlier version lacks, and creates the indexes.
func createSchema(db *sql.DB) error {
	if _, err := db.Exec(schema); err != nil {
		return err
	}
	var n int
	if err := db.QueryRow(qHasDup).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if _, err := db.Exec(qMigrateDup); err != nil {
			return err
		}
	}
	if err := migrateKeys(db); err != nil {
		return err
	}
	_, err := db.Exec(schemaIndexes)
	return err
}
