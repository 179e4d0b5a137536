package acquirer

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// The SQLite store runs its statements on the driver's connection, under
// database/sql.Conn.Raw, with statements it prepared there itself.
// database/sql's per-call work (connection grab, locks, contexts, the
// result and rows wrappers, reflection in Scan) costs as much as SQLite's
// own on the short statements of a request: an UPDATE … RETURNING of one
// row takes 5.6 µs and 26 allocations through database/sql and 2.9 µs and
// 9 allocations on the driver (modernc.org/sqlite v1.62.0, one core).

// A rawConn is the store's driver connection with its prepared statements.
type rawConn struct {
	dc    any
	c     *capi // SQLite's own API on dc, or nil (see sqlite_capi.go)
	stmts map[string]driver.Stmt
}

// withConn runs fn on the store's one connection, which it holds meanwhile.
// The statements prepared on the connection are kept for the next call;
// if database/sql replaced the connection (after a driver.ErrBadConn),
// they are prepared again.
func (s *SQLiteStore) withConn(ctx context.Context, fn func(*rawConn) error) error {
	c, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(dc any) error {
		if s.raw == nil || s.raw.dc != dc {
			s.raw = &rawConn{dc: dc, stmts: make(map[string]driver.Stmt, len(statements))}
			if c, ok := capiOf(dc); ok && !noCAPI {
				s.raw.c = c
			}
		}
		if c := s.raw.c; c != nil {
			defer c.leave(c.enter())
		}
		return fn(s.raw)
	})
}

// stmt returns the statement of q, preparing it on first use.
func (r *rawConn) stmt(q string) (driver.Stmt, error) {
	if st, ok := r.stmts[q]; ok {
		return st, nil
	}
	if r.c != nil {
		st, err := r.c.prepare(q)
		if err != nil {
			return nil, err
		}
		r.stmts[q] = st
		return st, nil
	}
	p, ok := r.dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, errors.New("acquirer: SQLite driver cannot prepare with a context")
	}
	st, err := p.PrepareContext(context.Background(), q)
	if err != nil {
		return nil, err
	}
	r.stmts[q] = st
	return st, nil
}

// prepareAll prepares every statement of the store, so that a schema that
// does not fit them fails when the store opens.
func (r *rawConn) prepareAll() error {
	for _, q := range statements {
		if _, err := r.stmt(q); err != nil {
			return err
		}
	}
	return nil
}

// close closes the prepared statements.
func (r *rawConn) close() error {
	var errs []error
	for q, st := range r.stmts {
		errs = append(errs, st.Close())
		delete(r.stmts, q)
	}
	if r.c != nil {
		r.c.free()
	}
	return errors.Join(errs...)
}

// bind converts the arguments of a statement into t's argument buffer.
func (t *sqliteTx) bind(args []any) ([]driver.NamedValue, error) {
	nv := t.args[:0]
	for i, a := range args {
		var v driver.Value
		switch a := a.(type) {
		case nil, int64, string, []byte, bool, float64:
			v = a
		case int:
			v = int64(a)
		default:
			return nil, fmt.Errorf("acquirer: statement argument %d: unsupported type %T", i+1, a)
		}
		nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	return nv, nil
}

// A result is what an exec reports.
type result struct{ rows, id int64 }

func (r result) RowsAffected() (int64, error) { return r.rows, nil }
func (r result) LastInsertId() (int64, error) { return r.id, nil }

// checkFatal records err when it is one of the errors after which SQLite
// may have rolled the whole transaction back (a full disk, an I/O error,
// a lock, memory, an interrupt, corruption): every later statement of the
// transaction fails with it, so that none runs outside the transaction
// and is saved on its own.
func (t *sqliteTx) checkFatal(err error) error {
	if err == nil {
		return nil // before se, which escapes: no allocation on success
	}
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 5, 7, 9, 10, 11, 13: // BUSY, NOMEM, INTERRUPT, IOERR, CORRUPT, FULL
			if t.fatal == nil {
				t.fatal = err
			}
		}
	}
	return err
}

func (t *sqliteTx) exec(q string, args ...any) (result, error) {
	if t.fatal != nil && q != qRollback {
		return result{}, t.fatal
	}
	r, err := t.execStmt(q, args)
	return r, t.checkFatal(err)
}

func (t *sqliteTx) execStmt(q string, args []any) (result, error) {
	st, err := t.rc.stmt(q)
	if err != nil {
		return result{}, err
	}
	nv, err := t.bind(args)
	if err != nil {
		return result{}, err
	}
	e, ok := st.(driver.StmtExecContext)
	if !ok {
		return result{}, errors.New("acquirer: SQLite driver cannot execute with a context")
	}
	r, err := e.ExecContext(context.Background(), nv)
	if err != nil {
		return result{}, err
	}
	var out result
	if out.rows, err = r.RowsAffected(); err != nil {
		return result{}, err
	}
	if out.id, err = r.LastInsertId(); err != nil {
		return result{}, err
	}
	return out, nil
}

// rows iterates over the rows of a query, like sql.Rows.
type rows struct {
	t    *sqliteTx // whose checkFatal sees the errors of stepping
	r    driver.Rows
	dest []driver.Value
	err  error
	done bool
}

func (t *sqliteTx) query(q string, args ...any) (*rows, error) {
	if t.fatal != nil {
		return nil, t.fatal
	}
	r, err := t.queryStmt(q, args)
	return r, t.checkFatal(err)
}

func (t *sqliteTx) queryStmt(q string, args []any) (*rows, error) {
	st, err := t.rc.stmt(q)
	if err != nil {
		return nil, err
	}
	nv, err := t.bind(args)
	if err != nil {
		return nil, err
	}
	qc, ok := st.(driver.StmtQueryContext)
	if !ok {
		return nil, errors.New("acquirer: SQLite driver cannot query with a context")
	}
	r, err := qc.QueryContext(context.Background(), nv)
	if err != nil {
		return nil, err
	}
	return &rows{t: t, r: r, dest: make([]driver.Value, len(r.Columns()))}, nil
}

// Next advances to the next row and reports whether there is one.
func (r *rows) Next() bool {
	if r.done {
		return false
	}
	if err := r.r.Next(r.dest); err != nil {
		r.done = true
		if err != io.EOF {
			r.err = r.t.checkFatal(err)
		}
		return false
	}
	return true
}

// Scan copies the columns of the current row into dest.
func (r *rows) Scan(dest ...any) error {
	if len(dest) != len(r.dest) {
		return fmt.Errorf("acquirer: %d columns scanned into %d values", len(r.dest), len(dest))
	}
	for i, v := range r.dest {
		if err := convert(dest[i], v); err != nil {
			return fmt.Errorf("acquirer: column %d: %w", i+1, err)
		}
	}
	return nil
}

// Err returns the error that ended the iteration, if any.
func (r *rows) Err() error { return r.err }

// Close releases the rows.
func (r *rows) Close() error { return r.r.Close() }

// A row is the first row of a query, like sql.Row.
type row struct {
	r   *rows
	err error
}

func (t *sqliteTx) queryRow(q string, args ...any) row {
	r, err := t.query(q, args...)
	return row{r, err}
}

// Scan copies the first row's columns into dest, or returns sql.ErrNoRows.
func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.r.Close()
	if !r.r.Next() {
		if err := r.r.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	return r.r.Scan(dest...)
}

// convert stores the driver value v in dest, a pointer to one of the types
// the store scans into.
func convert(dest any, v driver.Value) error {
	switch d := dest.(type) {
	case *string:
		switch v := v.(type) {
		case string:
			*d = v
		case []byte:
			*d = string(v)
		case nil:
			*d = ""
		default:
			return fmt.Errorf("cannot scan %T into a string", v)
		}
	case *int64:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("cannot scan %T into an int64", v)
		}
		*d = n
	case *int:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("cannot scan %T into an int", v)
		}
		*d = int(n)
	case *bool:
		switch v := v.(type) {
		case int64:
			*d = v != 0
		case bool:
			*d = v
		default:
			return fmt.Errorf("cannot scan %T into a bool", v)
		}
	case *[]byte:
		switch v := v.(type) {
		case []byte:
			*d = append([]byte(nil), v...)
		case string:
			*d = []byte(v)
		case nil:
			*d = nil
		default:
			return fmt.Errorf("cannot scan %T into bytes", v)
		}
	default:
		return fmt.Errorf("cannot scan into %T", dest)
	}
	return nil
}

// stmtValues takes the values of a statement in order. On SQLite's API
// (sqlite_capi.go) it binds each as it comes, typed; on the driver's
// statements it collects them as exec's arguments, each boxed in an
// interface.
type stmtValues struct {
	b    capiBinder // b.s is nil on the driver's statements
	args []any
}

// values starts the values of q, in t's stmtValues: a statement's values
// are given and run before the next statement's start.
func (t *sqliteTx) values(q string) (*stmtValues, error) {
	v := &t.vals
	*v = stmtValues{args: v.args[:0]}
	if t.rc.c == nil {
		return v, nil
	}
	st, err := t.rc.stmt(q)
	if err != nil {
		return nil, err
	}
	v.b = st.(*capiStmt).binder(static)
	return v, nil
}

func (v *stmtValues) text(x string) {
	if v.b.s != nil {
		v.b.text(x)
		return
	}
	v.args = append(v.args, x)
}

// blob takes x, nil as NULL.
func (v *stmtValues) blob(x []byte) {
	if v.b.s != nil {
		v.b.blob(x)
		return
	}
	v.args = append(v.args, x)
}

func (v *stmtValues) int64(x int64) {
	if v.b.s != nil {
		v.b.int64(x)
		return
	}
	v.args = append(v.args, x)
}

// bool takes x as 1 or 0.
func (v *stmtValues) bool(x bool) {
	if v.b.s != nil {
		v.b.bool(x)
		return
	}
	v.args = append(v.args, x)
}

func (v *stmtValues) null() {
	if v.b.s != nil {
		v.b.null()
		return
	}
	v.args = append(v.args, nil)
}

// execValues runs q with the values v took, as exec runs a statement.
func (t *sqliteTx) execValues(q string, v *stmtValues) (result, error) {
	s := v.b.s
	if s == nil {
		return t.exec(q, v.args...)
	}
	if t.fatal != nil {
		s.reset()
		return result{}, t.fatal
	}
	if err := v.b.finish(); err != nil {
		s.reset()
		return result{}, t.checkFatal(err)
	}
	r, err := s.run()
	return r, t.checkFatal(err)
}
