package acquirer

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// Group commit: the Updates of SQLiteStore are run by one goroutine, the
// committer, which takes every Update waiting when it starts a database
// transaction (after letting the goroutines ready to run send theirs,
// see groupYields), runs each fn under its own SAVEPOINT (so that a failing fn
// is rolled back alone and the others see the effects of the ones before
// them; the savepoint is opened at the fn's first change to the database,
// and an fn that changes only rows the committer keeps in memory and
// inserts one journal row needs none, see sqliteTx.write and
// sqlite_deferred.go) and commits them all with one COMMIT, that is one WAL fsync under
// synchronous=FULL. Each Update returns only after that COMMIT, so a
// response is still sent only once its journal row is durable; a failed
// COMMIT fails every Update of the group, which then answers 96.

// ErrStoreClosed is the error of an Update after the store's Close.
var ErrStoreClosed = errors.New("acquirer: store closed")

// qDataVersion reads the number SQLite changes when another connection
// commits to the database.
const qDataVersion = `PRAGMA data_version`

// maxGroup bounds the Updates of one database transaction, so that one
// commit does not hold the first of them for long.
const maxGroup = 128

// groupYields is how many times the committer yields the processor to
// the goroutines ready to run before it starts a group, taking the
// Updates they send meanwhile. On a busy host the requests whose Updates
// would make the group are often ready to run but not running: the
// committer woke them when the last group committed, and it found the
// channel empty and would commit a group of a few. Measured with
// examples/loadgen at 200 terminals, the groups grew from 5-7 Updates to
// 45-50 (and 60 in the durable store), a seventh of the COMMITs and
// WAL fsyncs, and p99 fell by 1-2 ms. On an idle host nothing else is
// ready to run and runtime.Gosched returns at once.
const groupYields = 2

// knownRows bounds the rows the committer keeps in memory (card states,
// balances, DUKPT counters): past it, they are forgotten at the start of
// the next group and read again as requests need them, so that a host
// with millions of cards does not keep them all. At about 100 bytes a row
// it is some tens of megabytes.
var knownRows = 1 << 18

// An update is one Update waiting for the committer.
type update struct {
	ctx  context.Context
	fn   func(Tx) error
	done chan error // receives the outcome once the group is committed
}

// updates holds the updates not in use, each with its channel.
var updates = sync.Pool{New: func() any { return &update{done: make(chan error, 1)} }}

// committer runs until s.quit is closed, committing the updates sent on
// s.updates in groups.
func (s *SQLiteStore) committer() {
	defer close(s.stopped)
	group := make([]*update, 0, maxGroup)
	errs := make([]error, 0, maxGroup)
	var version int64 // the database's data version at the last group
	for {
		select {
		case u := <-s.updates:
			group = append(group[:0], u)
		case <-s.quit:
			return
		}
		for y := 0; ; y++ {
		more:
			for len(group) < maxGroup {
				select {
				case u := <-s.updates:
					group = append(group, u)
				default:
					break more
				}
			}
			if y == groupYields || len(group) == maxGroup {
				break
			}
			runtime.Gosched()
		}
		s.groups++
		errs = s.commitGroup(group, errs[:0], &version)
		for i, u := range group {
			u.done <- errs[i]
			group[i] = nil
		}
	}
}

// commitGroup runs the group's fns in one database transaction and returns
// the outcome of each.
func (s *SQLiteStore) commitGroup(group []*update, errs []error, version *int64) []error {
	fail := func(err error) []error {
		errs = errs[:0]
		for range group {
			errs = append(errs, err)
		}
		return errs
	}
	var out []error
	err := s.withConn(context.Background(), func(rc *rawConn) error {
		out = s.runGroup(rc, group, errs, fail, version)
		return nil
	})
	if err != nil {
		return fail(&StoreError{Op: "begin", Err: err})
	}
	return out
}

// runGroup runs commitGroup on the store's connection.
func (s *SQLiteStore) runGroup(rc *rawConn, group []*update, errs []error, fail func(error) []error, version *int64) []error {
	t := &sqliteTx{rc: rc, s: s, update: true}
	if _, err := t.exec(qBegin); err != nil {
		// A transaction that a failed ROLLBACK left open would refuse
		// every BEGIN from now on: end it and begin once more.
		if _, rerr := t.exec(qRollback); rerr == nil {
			_, err = t.exec(qBegin)
		}
		if err != nil {
			return fail(&StoreError{Op: "begin", Err: err})
		}
	}
	// abort rolls the whole transaction back: what the committer keeps
	// in memory may hold its effects, so it is forgotten too.
	abort := func(err error) []error {
		t.exec(qRollback)
		s.running.reset()
		s.pending.reset()
		s.forget()
		return fail(err)
	}
	// Another connection may have written since the last group (an
	// operator blocking a card, or crediting an account, in a sqlite3
	// shell): what the committer keeps in memory would hide that, so it
	// is forgotten when the data version moved. The write lock, held from
	// BEGIN IMMEDIATE, keeps others out until the COMMIT.
	var v int64
	if err := t.queryRow(qDataVersion).Scan(&v); err != nil {
		return abort(&StoreError{Op: "begin", Err: err})
	}
	if v != *version || s.known.len() > knownRows {
		s.forget()
		*version = v
	}
	ok := 0
	for _, u := range group {
		if err := u.ctx.Err(); err != nil {
			errs = append(errs, err) // the caller is gone: its fn does not run
			continue
		}
		t.inFn, t.saved, t.inserted = true, false, 0
		err := u.fn(t)
		t.inFn = false
		if err != nil {
			errs = append(errs, err)
			s.running.reset()
			if t.saved {
				// ROLLBACK TO keeps the transaction open for the others;
				// if the database rolled back the whole transaction
				// already (a full disk, an I/O error), the group fails.
				if _, rerr := t.exec(qRollbackTo); rerr != nil {
					return abort(&StoreError{Op: "rollback", Err: errors.Join(err, rerr)})
				}
			}
			if rerr := t.undoInsert(); rerr != nil {
				return abort(&StoreError{Op: "rollback", Err: errors.Join(err, rerr)})
			}
			if t.fatal != nil {
				return abort(&StoreError{Op: "rollback", Err: err})
			}
			if t.saved || t.inserted != 0 {
				s.forget()
			}
		} else {
			s.running.moveTo(&s.pending)
			errs = append(errs, nil)
			ok++
		}
		if t.saved {
			if _, err := t.exec(qRelease); err != nil {
				return abort(&StoreError{Op: "savepoint", Err: err})
			}
		}
	}
	if ok == 0 {
		t.exec(qRollback)
		s.pending.reset()
		s.forget()
		return errs
	}
	if err := t.beforeCommit(); err != nil {
		return abort(err)
	}
	if _, err := t.exec(qCommit); err != nil {
		// A COMMIT that fails may leave the transaction open (SQLITE_BUSY):
		// end it, so that nothing of the group stays.
		return abort(&StoreError{Op: "commit", Err: err})
	}
	t.afterCommit()
	return errs
}
