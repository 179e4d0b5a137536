package acquirer

import (
	"bytes"
	"cmp"
	"context"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The store's statements run on SQLite's own API (modernc.org/sqlite/lib,
// SQLite translated to Go) rather than through the driver's driver.Stmt.
// The driver allocates C memory for every string and byte slice it binds
// and frees it after the statement, converts every call through
// driver.NamedValue and driver.Result, and SQLite, opened by the driver
// with SQLITE_OPEN_FULLMUTEX, locks and unlocks the connection's mutex in
// every call. Here the values of a statement are copied into one buffer
// the connection keeps and bound where they are (SQLITE_STATIC), without
// an allocation; the journal row's 23 values, and the rows a group
// flushes, are bound from typed fields without boxing them in interfaces
// (stmtValues, sqliteTx.insert); and the store holds the connection's
// mutex while it has the connection (withConn), so that SQLite's own
// enters are a count on a recursive mutex. Measured with examples/loadgen
// at 200 terminals, a request costs about 5 us less CPU, host and
// generator together (see examples/loadgen/README.md, seventh session).
//
// The driver does not export its connection's handle. capiOf reads it,
// and the thread state (libc.TLS) the driver calls SQLite with, from the
// driver's connection by reflection, checking the type and the fields it
// expects. Both are used only while database/sql lends the store the
// connection (sql.Conn.Raw), as the driver uses them: never by two
// goroutines at once. If the fields are not there (another version of the
// driver), the store runs its statements through the driver, and
// TestCAPI, which asserts that the store uses this path with the driver
// go.mod requires, fails. TestCAPIMatchesDriver runs the same Updates on
// both paths and compares every outcome.

// noCAPI makes the store use the driver's statements, for tests that
// compare the two.
var noCAPI = false

// A capi is the SQLite handle of the driver connection and the thread
// state (libc.TLS) its calls run with.
type capi struct {
	tls *libc.TLS
	db  uintptr // sqlite3*

	// The values of a statement are copied into buf, memory of size n
	// from SQLite's allocator, from off on; out holds prepare's *ppStmt.
	// SQLite reads and writes only memory of its own (checkptr, under
	// -race, refuses Go pointers there), which this file reaches through
	// libc.GoBytes. A buffer outgrown during a statement is kept in
	// retired until the next statement, since the values bound before
	// point into it.
	buf     uintptr
	n, off  int
	out     uintptr
	retired []uintptr
}

// bufSize is the first size of a capi's buffer: more than a journal row's
// values.
const bufSize = 1024

// errTooLong reports a value longer than SQLite's API can take.
var errTooLong = errors.New("acquirer: value too long for SQLite")

// begin starts the values of a new statement at the start of the buffer.
func (c *capi) begin() {
	c.off = 0
	for _, p := range c.retired {
		sqlite3.Xsqlite3_free(c.tls, p)
	}
	c.retired = c.retired[:0]
}

// alloc returns n bytes of the buffer, after those of the statement's
// values so far.
func (c *capi) alloc(n int) (uintptr, error) {
	if n > math.MaxInt32 {
		return 0, errTooLong
	}
	if c.off+n > c.n || c.buf == 0 {
		size := max(n, 2*c.n, bufSize)
		p := sqlite3.Xsqlite3_malloc64(c.tls, uint64(size))
		if p == 0 {
			return 0, errors.New("acquirer: SQLite out of memory")
		}
		if c.buf != 0 {
			c.retired = append(c.retired, c.buf)
		}
		c.buf, c.n, c.off = p, size, 0
	}
	p := c.buf + uintptr(c.off)
	c.off += n
	return p, nil
}

// free releases the memory c allocated.
func (c *capi) free() {
	c.begin()
	if c.buf != 0 {
		sqlite3.Xsqlite3_free(c.tls, c.buf)
		c.buf, c.n = 0, 0
	}
	if c.out != 0 {
		sqlite3.Xsqlite3_free(c.tls, c.out)
		c.out = 0
	}
}

// enter enters the connection's mutex, which SQLite enters and leaves
// again in every call: held meanwhile, those are a count on a recursive
// mutex the caller owns rather than a lock and an unlock each. leave(m)
// leaves it.
func (c *capi) enter() (m uintptr) {
	m = sqlite3.Xsqlite3_db_mutex(c.tls, c.db)
	if m != 0 {
		sqlite3.Xsqlite3_mutex_enter(c.tls, m)
	}
	return m
}

func (c *capi) leave(m uintptr) {
	if m != 0 {
		sqlite3.Xsqlite3_mutex_leave(c.tls, m)
	}
}

// capiOf returns the SQLite handle of the driver connection dc, or false
// if dc is not the modernc.org/sqlite connection this file knows.
func capiOf(dc any) (*capi, bool) {
	v := reflect.ValueOf(dc)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, false
	}
	e := v.Elem()
	if e.Kind() != reflect.Struct || e.Type().PkgPath() != "modernc.org/sqlite" || e.Type().Name() != "conn" {
		return nil, false
	}
	db, tls := e.FieldByName("db"), e.FieldByName("tls")
	if !db.IsValid() || db.Kind() != reflect.Uintptr || db.Uint() == 0 ||
		!tls.IsValid() || tls.Type() != reflect.TypeFor[*libc.TLS]() || tls.IsNil() {
		return nil, false
	}
	c := &capi{tls: (*libc.TLS)(tls.UnsafePointer()), db: uintptr(db.Uint())}
	c.out = sqlite3.Xsqlite3_malloc64(c.tls, 8)
	if c.out == 0 {
		return nil, false
	}
	return c, true
}

// A capiError is an error SQLite reported, with its extended result code.
type capiError struct {
	code int
	msg  string
}

func (e *capiError) Error() string { return fmt.Sprintf("%s (%d)", e.msg, e.code) }

// Code returns SQLite's extended result code, as the driver's errors do.
func (e *capiError) Code() int { return e.code }

// err returns the error of result code rc.
func (c *capi) err(rc int32) error {
	msg := libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	if ext := sqlite3.Xsqlite3_extended_errcode(c.tls, c.db); ext&0xff == rc&0xff {
		if m := libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db)); m != msg {
			msg += ": " + m
		}
		rc = ext
	}
	return &capiError{code: int(rc), msg: msg}
}

// prepare compiles q, one statement.
func (c *capi) prepare(q string) (*capiStmt, error) {
	c.begin()
	zSQL, err := c.alloc(len(q) + 1)
	if err != nil {
		return nil, err
	}
	b := libc.GoBytes(zSQL, len(q)+1)
	b[copy(b, q)] = 0
	out := libc.GoBytes(c.out, 8)
	clear(out)
	rc := sqlite3.Xsqlite3_prepare_v3(c.tls, c.db, zSQL, int32(len(q)+1), sqlite3.SQLITE_PREPARE_PERSISTENT, c.out, 0)
	if rc != sqlite3.SQLITE_OK {
		return nil, c.err(rc)
	}
	p := uintptr(binary.NativeEndian.Uint64(out))
	if p == 0 {
		return nil, errors.New("acquirer: empty statement")
	}
	s := &capiStmt{c: c, p: p, params: int(sqlite3.Xsqlite3_bind_parameter_count(c.tls, p))}
	s.rows.s = s
	s.rows.names = make([]string, sqlite3.Xsqlite3_column_count(c.tls, s.p))
	return s, nil
}

// A capiStmt is a prepared statement; it implements the parts of
// driver.Stmt the store uses.
type capiStmt struct {
	c      *capi
	p      uintptr // sqlite3_stmt*
	params int     // sqlite3_bind_parameter_count
	res    result
	rows   capiRows
}

// errParams reports a statement given another number of values than it
// has parameters.
var errParams = errors.New("acquirer: wrong number of statement arguments")

func (s *capiStmt) Close() error {
	if s.p == 0 {
		return nil
	}
	rc := sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
	s.p = 0
	if rc != sqlite3.SQLITE_OK {
		return s.c.err(rc)
	}
	return nil
}

func (s *capiStmt) NumInput() int { return -1 }

func (s *capiStmt) Exec(args []driver.Value) (driver.Result, error) {
	return nil, errors.New("acquirer: Exec without a context")
}

func (s *capiStmt) Query(args []driver.Value) (driver.Rows, error) {
	return nil, errors.New("acquirer: Query without a context")
}

// The destructor arguments of sqlite3_bind_text and _blob: with
// SQLITE_STATIC, SQLite reads the value where it is, in the buffer, as
// long as the statement runs; with SQLITE_TRANSIENT it copies the value
// into memory it allocates, which a statement's next bind frees.
const (
	static    = uintptr(0)
	transient = ^uintptr(0)
)

// bind binds args to the statement's parameters, one each. An exec binds
// its strings and byte slices static: its values stay in the buffer until
// it has run. The rows of a query may be read while other statements use
// the buffer, so a query's are copied.
func (s *capiStmt) bind(args []driver.NamedValue, how uintptr) error {
	b := s.binder(how)
	for _, a := range args {
		b.i = int32(a.Ordinal) - 1
		b.value(a.Value)
	}
	return b.finish()
}

// stage copies v into the buffer and returns its address, never 0
// (SQLite binds a null pointer as NULL, and an empty string must stay an
// empty string).
func stage[T string | []byte](c *capi, v T) (uintptr, error) {
	p, err := c.alloc(len(v))
	if err != nil {
		return 0, err
	}
	copy(libc.GoBytes(p, len(v)), v)
	return p, nil
}

// ExecContext runs the statement to its end.
func (s *capiStmt) ExecContext(_ context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := s.bind(args, static); err != nil {
		s.reset()
		return nil, err
	}
	r, err := s.run()
	if err != nil {
		return nil, err
	}
	s.res = r
	return &s.res, nil
}

// run steps the bound statement to its end and resets it.
func (s *capiStmt) run() (result, error) {
	c := s.c
	for {
		rc := sqlite3.Xsqlite3_step(c.tls, s.p)
		if rc == sqlite3.SQLITE_ROW {
			continue
		}
		if rc != sqlite3.SQLITE_DONE {
			err := c.err(rc)
			s.reset()
			return result{}, err
		}
		break
	}
	r := result{rows: sqlite3.Xsqlite3_changes64(c.tls, c.db), id: sqlite3.Xsqlite3_last_insert_rowid(c.tls, c.db)}
	s.reset()
	return r, nil
}

// reset makes the statement ready to run again; the error sqlite3_reset
// returns repeats that of the last step, which the caller has.
//
// The bindings stay, and a static one points into a buffer that later
// statements reuse or that is freed. They are never read: every run binds
// each parameter again first (bind and capiBinder.finish check the count).
// sqlite3_clear_bindings would make them NULL, but it also marks a
// statement whose plan depends on a parameter's value for preparing
// again, on every run.
func (s *capiStmt) reset() { sqlite3.Xsqlite3_reset(s.c.tls, s.p) }

// A capiBinder binds the parameters of a statement in order, one typed
// value each, its strings and byte slices static or transient (how), and
// keeps the first error.
type capiBinder struct {
	s   *capiStmt
	how uintptr
	i   int32 // the parameters bound
	err error
}

// binder starts binding the statement's values, at the start of the
// connection's buffer.
func (s *capiStmt) binder(how uintptr) capiBinder {
	s.c.begin()
	return capiBinder{s: s, how: how}
}

func (b *capiBinder) done(rc int32) {
	if rc != sqlite3.SQLITE_OK && b.err == nil {
		b.err = b.s.c.err(rc)
	}
}

func (b *capiBinder) text(v string) {
	b.i++
	p, err := stage(b.s.c, v)
	if err != nil {
		b.err = cmp.Or(b.err, err)
		return
	}
	b.done(sqlite3.Xsqlite3_bind_text(b.s.c.tls, b.s.p, b.i, p, int32(len(v)), b.how))
}

// blob binds v, nil as NULL.
func (b *capiBinder) blob(v []byte) {
	if v == nil {
		b.null()
		return
	}
	b.i++
	p, err := stage(b.s.c, v)
	if err != nil {
		b.err = cmp.Or(b.err, err)
		return
	}
	b.done(sqlite3.Xsqlite3_bind_blob(b.s.c.tls, b.s.p, b.i, p, int32(len(v)), b.how))
}

func (b *capiBinder) int64(v int64) {
	b.i++
	b.done(sqlite3.Xsqlite3_bind_int64(b.s.c.tls, b.s.p, b.i, v))
}

// bool binds v as 1 or 0.
func (b *capiBinder) bool(v bool) {
	var n int64
	if v {
		n = 1
	}
	b.int64(n)
}

func (b *capiBinder) null() {
	b.i++
	b.done(sqlite3.Xsqlite3_bind_null(b.s.c.tls, b.s.p, b.i))
}

// value binds v, one of the types of driver.Value.
func (b *capiBinder) value(v driver.Value) {
	switch v := v.(type) {
	case nil:
		b.null()
	case int64:
		b.int64(v)
	case bool:
		b.bool(v)
	case float64:
		b.i++
		b.done(sqlite3.Xsqlite3_bind_double(b.s.c.tls, b.s.p, b.i, v))
	case string:
		b.text(v)
	case []byte:
		b.blob(v)
	default:
		b.i++
		b.err = cmp.Or(b.err, fmt.Errorf("acquirer: statement argument %d: unsupported type %T", b.i, v))
	}
}

// finish returns the first error of binding, or errParams if another
// number of values than the statement's parameters was bound.
func (b *capiBinder) finish() error {
	if b.err == nil && int(b.i) != b.s.params {
		b.err = fmt.Errorf("%w: %d for %d", errParams, b.i, b.s.params)
	}
	return b.err
}

// QueryContext binds args and returns the statement's rows, which the
// statement keeps: one iteration at a time.
func (s *capiStmt) QueryContext(_ context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.bind(args, transient); err != nil {
		s.reset()
		return nil, err
	}
	return &s.rows, nil
}

// capiRows are the rows of a capiStmt.
type capiRows struct {
	s     *capiStmt
	names []string // as many as the columns: the store reads them by position
}

func (r *capiRows) Columns() []string { return r.names }

func (r *capiRows) Close() error {
	r.s.reset()
	return nil
}

// Next steps to the next row and reads its columns into dest: INTEGER as
// int64, REAL as float64, TEXT as string, BLOB as []byte, NULL as nil, as
// the driver does for the store's columns.
func (r *capiRows) Next(dest []driver.Value) error {
	c, p := r.s.c, r.s.p
	switch rc := sqlite3.Xsqlite3_step(c.tls, p); rc {
	case sqlite3.SQLITE_ROW:
	case sqlite3.SQLITE_DONE:
		return io.EOF
	default:
		return c.err(rc)
	}
	for i := range dest {
		col := int32(i)
		switch sqlite3.Xsqlite3_column_type(c.tls, p, col) {
		case sqlite3.SQLITE_INTEGER:
			dest[i] = sqlite3.Xsqlite3_column_int64(c.tls, p, col)
		case sqlite3.SQLITE_FLOAT:
			dest[i] = sqlite3.Xsqlite3_column_double(c.tls, p, col)
		case sqlite3.SQLITE_TEXT:
			t := sqlite3.Xsqlite3_column_text(c.tls, p, col)
			n := int(sqlite3.Xsqlite3_column_bytes(c.tls, p, col))
			if n == 0 {
				dest[i] = ""
			} else {
				dest[i] = string(libc.GoBytes(t, n)) // a copy: GoBytes does not copy
			}
		case sqlite3.SQLITE_BLOB:
			b := sqlite3.Xsqlite3_column_blob(c.tls, p, col)
			n := int(sqlite3.Xsqlite3_column_bytes(c.tls, p, col))
			if n == 0 {
				dest[i] = []byte(nil) // as the driver reads an empty blob
			} else {
				dest[i] = bytes.Clone(libc.GoBytes(b, n))
			}
		default:
			dest[i] = nil
		}
	}
	return nil
}
