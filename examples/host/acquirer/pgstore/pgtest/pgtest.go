// Package pgtest gives tests of the PostgreSQL store (pgstore) a database
// of their own: a new schema in the database that POSFLOW_POSTGRES names,
// dropped when the test ends. Without POSFLOW_POSTGRES the tests are
// skipped; .ci/run starts a PostgreSQL server and sets it.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
)

// EnvVar names the environment variable holding the connection string of
// the database the tests may create schemas in.
const EnvVar = "POSFLOW_POSTGRES"

// seq numbers the schemas of this process.
var seq atomic.Int64

// DSN returns the connection string of a new, empty schema, dropped when t
// ends, or skips t when EnvVar is not set.
func DSN(t testing.TB) string {
	t.Helper()
	env := os.Getenv(EnvVar)
	if env == "" {
		t.Skip(EnvVar + " is not set: no PostgreSQL to test against")
	}
	name := fmt.Sprintf("posflow_test_%d_%d", os.Getpid(), seq.Add(1))
	dsn, drop, err := pgstore.NewSchema(context.Background(), env, name)
	if err != nil {
		t.Fatalf("%s: %v", EnvVar, err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return dsn
}
