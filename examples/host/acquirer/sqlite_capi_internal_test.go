package acquirer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCAPI checks that the SQLite store runs its statements on SQLite's
// own API (sqlite_capi.go) with the driver this module requires. It fails
// when a new version of modernc.org/sqlite no longer has the connection
// fields capiOf reads: the store then works through the driver's
// statements, a few microseconds a request slower.
func TestCAPI(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "capi.db")} {
		s, err := OpenSQLite(path)
		if err != nil {
			t.Fatal(err)
		}
		err = s.withConn(context.Background(), func(rc *rawConn) error {
			if rc.c == nil {
				t.Fatalf("OpenSQLite(%q): the store uses the driver's statements: capiOf does not know the driver's connection", path)
			}
			for q, st := range rc.stmts {
				if _, ok := st.(*capiStmt); !ok {
					t.Errorf("statement %.40q is a %T", q, st)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := capiOf(struct{ db uintptr }{1}); ok {
		t.Error("capiOf accepts a value that is not the driver's connection")
	}
}

// TestCAPIMatchesDriver runs the same random Updates and Views on two
// in-memory stores, one on SQLite's API and one on the driver's
// statements, and compares every outcome and the final state: the binding
// of strings (empty ones, long ones past the bind buffer, NUL bytes),
// blobs (nil, empty, long) and NULLs, the reading of every column type,
// and the errors of failed statements.
func TestCAPIMatchesDriver(t *testing.T) {
	ctx := context.Background()
	capiStore, err := OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer capiStore.Close()
	restore := DriverStatements()
	driverStore, err := OpenSQLite("")
	restore()
	if err != nil {
		t.Fatal(err)
	}
	defer driverStore.Close()
	stores := []*SQLiteStore{capiStore, driverStore}
	for _, s := range stores {
		// Small bounds, so that keys are copied to journal_keys often.
		s.unflushed.waiting, s.unflushed.perTerminal, s.unflushed.perGroup = 6, 5, 3
	}
	accounts := []Account{{ID: "a", Balance: 1000}, {ID: "", Balance: -5}, {ID: "ü\x00c", Balance: 1 << 40}}
	cards := []Card{{PAN: "4761739001010119", Account: "a"}, {PAN: "5413330089010434", Account: "", PINTries: 2}}
	for _, s := range stores {
		if err := s.Seed(ctx, accounts, cards); err != nil {
			t.Fatal(err)
		}
	}

	str := func(r *rand.Rand) string {
		switch r.IntN(6) {
		case 0:
			return ""
		case 1:
			return strings.Repeat("x", 200+r.IntN(800)) // past the bind buffer
		case 2:
			return "a\x00b"
		default:
			return fmt.Sprintf("%06d", r.IntN(50))
		}
	}
	blob := func(r *rand.Rand) []byte {
		switch r.IntN(4) {
		case 0:
			return nil
		case 1:
			return []byte{}
		case 2:
			return []byte(strings.Repeat("\x00\xff", 300+r.IntN(400)))
		default:
			return []byte{0x02, 0x10, byte(r.IntN(256))}
		}
	}
	kinds := []string{KindFinancial, KindAuthorization, KindReversal, KindAdvice, KindRefused}
	errFail := errors.New("the Update fails")
	// outcome is what one operation returned, in a form both stores must
	// give alike: values, and the class of the error.
	outcome := func(v any, err error) string {
		class := "nil"
		switch {
		case err == nil:
		case errors.Is(err, ErrDuplicateKey):
			class = "duplicate"
		case errors.Is(err, ErrNotFound):
			class = "not found"
		case errors.Is(err, errFail):
			class = "failed"
		default:
			class = "error"
		}
		return fmt.Sprintf("%+v %s", v, class)
	}

	for round := range 60 {
		seed := uint64(round)
		var got [2][]string
		for i, s := range stores {
			// What the committer keeps in memory is read again from
			// the database: the rows a flush wrote are compared too.
			// (The committer waits for an Update meanwhile.)
			s.forget()
			r := rand.New(rand.NewPCG(seed, 1))
			var out []string
			for range 1 + r.IntN(8) {
				fail := r.IntN(6) == 0
				err := s.Update(ctx, func(tx Tx) error {
					for range 1 + r.IntN(6) {
						switch r.IntN(8) {
						case 0, 1, 2:
							e := &Entry{
								RequestKey: RequestKey{Terminal: "T" + fmt.Sprint(r.IntN(3)), MTI: "0200",
									STAN: fmt.Sprintf("%06d", r.IntN(40)), Transmitted: "1126120000"},
								Kind: kinds[r.IntN(len(kinds))], Merchant: str(r), MaskedPAN: str(r), Account: str(r),
								Processing: "000000", Amount: r.Int64N(1 << 50), Currency: "978", Digest: str(r),
								Code: []string{"00", "51", "05"}[r.IntN(3)], AuthCode: str(r), RRN: str(r),
								Debit: r.IntN(2) == 0, Applied: r.Int64N(2000) - 1000, Batch: r.Int64N(3),
								Original: r.Int64N(3), Response: blob(r), Time: time.Unix(0, r.Int64N(1<<62)),
							}
							err := tx.Insert(e)
							out = append(out, outcome(e.ID, err))
						case 3:
							err := tx.AddBalance(accounts[r.IntN(len(accounts))].ID, r.Int64N(100)-50)
							out = append(out, outcome(nil, err))
						case 4:
							c := CardState{PAN: cards[r.IntN(len(cards))].PAN, Status: StatusActive, PINTries: r.IntN(3), LastATC: r.IntN(100), Script: str(r)}
							out = append(out, outcome(nil, tx.SetCardState(c)))
						case 5:
							err := tx.SetReversed(r.Int64N(20), r.Int64N(20))
							out = append(out, outcome(nil, err))
						case 7:
							ok, err := tx.AdvanceKSN("FFFF98765432100"+fmt.Sprint(r.IntN(3)), r.Int64N(50))
							out = append(out, outcome(ok, err))
						case 6:
							e, err := tx.Original("T"+fmt.Sprint(r.IntN(3)), fmt.Sprintf("%06d", r.IntN(40)), "1126120000")
							out = append(out, outcome(e, err))
						}
					}
					if fail {
						return errFail
					}
					return nil
				})
				out = append(out, outcome(nil, err))
			}
			err := s.View(ctx, func(tx Tx) error {
				for _, a := range accounts {
					b, err := tx.Balance(a.ID)
					out = append(out, outcome(b, err))
				}
				for _, c := range cards {
					st, err := tx.CardState(c.PAN)
					out = append(out, outcome(st, err))
				}
				for term := range 3 {
					for batch := range int64(3) {
						es, err := tx.Entries("T"+fmt.Sprint(term), batch)
						out = append(out, outcome(es, err))
					}
				}
				for id := range int64(25) {
					e, err := tx.Entry(id)
					out = append(out, outcome(e, err))
				}
				// Every table, as the driver values read.
				t := tx.(*sqliteTx)
				for _, table := range []string{"accounts", "cards", "pinpads", "journal", "journal_keys", "sequence", "batches"} {
					rs, err := t.query("SELECT * FROM " + table + " ORDER BY 1, 2")
					if err != nil {
						return err
					}
					for rs.Next() {
						out = append(out, fmt.Sprintf("%s %q", table, rs.dest))
					}
					out = append(out, outcome(table, rs.Err()))
					rs.Close()
				}
				return nil
			})
			out = append(out, outcome(nil, err))
			got[i] = out
		}
		if diff := cmp.Diff(got[1], got[0]); diff != "" {
			t.Fatalf("round %d: SQLite's API (+) and the driver's statements (-) differ:\n%s", round, diff)
		}
	}
}

// TestCAPIErrors checks that an error SQLite reports on its API carries
// the extended result code and message the driver's errors do.
func TestCAPIErrors(t *testing.T) {
	s, err := OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.withConn(context.Background(), func(rc *rawConn) error {
		if _, err := rc.stmt("SELECT * FROM no_such_table"); err == nil || !strings.Contains(err.Error(), "no such table: no_such_table") {
			t.Errorf("prepare error %v", err)
		}
		t := &sqliteTx{rc: rc, s: s}
		if _, err := t.exec(qBegin); err != nil {
			return err
		}
		defer t.exec(qRollback)
		_, err := t.exec(qCloseBatch, "T", nil) // batches.open is NOT NULL
		var se interface{ Code() int }
		if !errors.As(err, &se) || se.Code() != 1299 { // SQLITE_CONSTRAINT_NOTNULL
			return fmt.Errorf("NULL into NOT NULL: error %v, want SQLITE_CONSTRAINT_NOTNULL (1299)", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// purchaseEntry returns the journal row of an approved purchase, with a
// response of n bytes.
func purchaseEntry(n int) *Entry {
	return &Entry{RequestKey: RequestKey{Terminal: "TERM0001", MTI: "0200", STAN: "000001", Transmitted: "1126120000"},
		Kind: KindFinancial, Merchant: "M1", MaskedPAN: "476173******0119", Account: "a", Processing: "000000",
		Amount: 123456, Currency: "978", Digest: strings.Repeat("d", 64), Code: "00", AuthCode: "123456",
		RRN: "633012345678", Debit: true, Applied: -123456, Response: []byte(strings.Repeat("r", n)), Time: time.Now()}
}

// TestCAPIInsertAllocs checks that a journal row's INSERT on SQLite's API
// allocates nothing in Go: its 23 values are bound from the Entry.
func TestCAPIInsertAllocs(t *testing.T) {
	s, err := OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := purchaseEntry(300)
	err = s.withConn(context.Background(), func(rc *rawConn) error {
		tx := &sqliteTx{rc: rc, s: s, update: true}
		if _, err := tx.exec(qBegin); err != nil {
			return err
		}
		defer tx.exec(qRollback)
		var ierr error
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := tx.insert(e); err != nil {
				ierr = err
			}
		})
		if ierr != nil {
			return ierr
		}
		if allocs != 0 {
			t.Errorf("insert: %v allocations, want 0", allocs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkJournalInsert measures a journal row's INSERT, 16 rows a
// transaction in an in-memory database, on SQLite's API and through the
// driver's statements, in the same run.
func BenchmarkJournalInsert(b *testing.B) {
	for _, path := range []string{"capi", "driver"} {
		b.Run(path, func(b *testing.B) {
			if path == "driver" {
				defer DriverStatements()()
			}
			s, err := OpenSQLite("")
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			e := purchaseEntry(200)
			err = s.withConn(context.Background(), func(rc *rawConn) error {
				tx := &sqliteTx{rc: rc, s: s, update: true}
				n := 0
				b.ReportAllocs()
				for b.Loop() {
					if n%16 == 0 {
						if n > 0 {
							if _, err := tx.exec(qCommit); err != nil {
								return err
							}
						}
						if _, err := tx.exec(qBegin); err != nil {
							return err
						}
					}
					n++
					if _, err := tx.insert(e); err != nil {
						return err
					}
				}
				_, err := tx.exec(qCommit)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}
