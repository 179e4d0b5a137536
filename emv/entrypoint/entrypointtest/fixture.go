package entrypointtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
)

// FixtureDir is where the public test-card transcripts are shared, relative
// to the directory that holds the module's go.mod: beside the checkout,
// outside the project tree.
const FixtureDir = "../shared/fixtures/contactless"

// PublicPANs are the PANs of the public test cards of the transcripts,
// which a trace must never show in clear.
var PublicPANs = []string{"4761739001010010", "5413339000001513", "5413330089601034"}

// ReadFixture reads the transcript called name from FixtureDir, found
// from the working directory upwards (a test runs in its package's
// directory). The error wraps fs.ErrNotExist when the shared folder or the
// file is absent.
func ReadFixture(name string) (*Transcript, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return ReadTranscript(filepath.Join(dir, FixtureDir, name))
		}
		up := filepath.Dir(dir)
		if up == dir {
			return nil, fmt.Errorf("entrypointtest: no go.mod above the working directory: %w", fs.ErrNotExist)
		}
		dir = up
	}
}

// Fixture returns the transcript called name, and skips the test with a
// message naming the folder when the shared folder or the file is absent.
func Fixture(tb testing.TB, name string) *Transcript {
	tb.Helper()
	tr, err := ReadFixture(name)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("%s not found: the public transcripts live outside the project in %s beside the checkout", name, FixtureDir)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return tr
}

// Transaction returns the transaction of the request: amount (9F02),
// currency (5F2A) and type (9C).
func (t *Transcript) Transaction() emv.Transaction {
	var txn emv.Transaction
	for _, b := range t.Value(0x9F02) {
		txn.Amount = txn.Amount*100 + uint64(b>>4)*10 + uint64(b&15)
	}
	copy(txn.Currency[:], t.Value(0x5F2A))
	if v := t.Value(0x9C); len(v) == 1 {
		txn.Type = emv.TransactionType(v[0])
	}
	return txn
}

// DateTime returns the terminal's date and time of the transcript, in UTC;
// the zero time if they are not valid BCD.
func (t *Transcript) DateTime() time.Time {
	d, err := time.Parse("060102150405", fmt.Sprintf("%X%X", t.Date, t.Time))
	if err != nil {
		return time.Time{}
	}
	return d
}

// Replay sends every recorded command to a new strict replay card and
// returns the first mismatch: the exchanges without a kernel, the floor
// under which a tap cannot go, for benchmarks.
func Replay(t *Transcript) error {
	c := NewCard(t)
	for i := range t.APDUs {
		if _, err := c.Transmit(t.APDUs[i].Command); err != nil {
			return err
		}
	}
	return nil
}
