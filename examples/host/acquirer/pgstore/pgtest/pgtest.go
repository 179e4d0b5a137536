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

	"github.com/jackc/pgx/v5"

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
	dsn := os.Getenv(EnvVar)
	if dsn == "" {
		t.Skip(EnvVar + " is not set: no PostgreSQL to test against")
	}
	ctx := context.Background()
	name := fmt.Sprintf("posflow_test_%d_%d", os.Getpid(), seq.Add(1))
	if err := exec(ctx, dsn, `DROP SCHEMA IF EXISTS `+name+` CASCADE; CREATE SCHEMA `+name); err != nil {
		t.Fatalf("%s: %v", EnvVar, err)
	}
	t.Cleanup(func() {
		if err := exec(ctx, dsn, `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Error(err)
		}
	})
	return pgstore.WithSchema(dsn, name)
}

// exec runs q on a connection of its own.
func exec(ctx context.Context, dsn, q string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, q)
	return err
}
