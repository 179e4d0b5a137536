package pgstore

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/posflow/posflow/examples/host/acquirer"
)

// A tripCounter counts what a connection sends to the server and waits
// for: each query and each batch (one round trip each, once its
// statements are prepared).
type tripCounter struct{ n atomic.Int64 }

func (c *tripCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (*tripCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *tripCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (*tripCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (*tripCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// TestRoundTrips counts the round trips of one purchase's Update as the
// host runs it (the statements of BenchmarkPurchase): ten, where BEGIN
// and the terminal's lock each took one more before they were sent with
// the next statement (tx.send).
func TestRoundTrips(t *testing.T) {
	env := os.Getenv("POSFLOW_POSTGRES") // pgtest's; it imports this package
	if env == "" {
		t.Skip("POSFLOW_POSTGRES is not set: no PostgreSQL to test against")
	}
	ctx := context.Background()
	dsn, drop, err := NewSchema(ctx, env, fmt.Sprintf("posflow_trips_%d", os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	s, err := Open(ctx, dsn) // creates the tables
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pan := "4761739001010119"
	if err := s.Seed(ctx, []acquirer.Account{{ID: "acct", Balance: 1 << 40}}, []acquirer.Card{{PAN: pan, Account: "acct"}}); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var trips tripCounter
	cfg.ConnConfig.Tracer = &trips
	cfg.MaxConns = 1
	cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return false } // a ping is a query too
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	traced := &Store{pool: pool}
	defer traced.Close()
	purchase := func(i int) {
		t.Helper()
		if err := traced.Update(ctx, func(tx acquirer.Tx) error { return Purchase(tx, pan, i) }); err != nil {
			t.Fatal(err)
		}
	}
	purchase(1) // prepares the statements
	trips.n.Store(0)
	const n = 5
	for i := range n {
		purchase(2 + i)
	}
	if got := trips.n.Load(); got != n*10 {
		t.Errorf("%d round trips in %d purchases, want %d", got, n, n*10)
	}
}

// Purchase runs, in tx, the statements of the i-th PIN purchase of card
// pan (of account "acct", at terminal TERM0001) as the host's Update runs
// them: the terminal's lock and batch, the card's state and the
// account's balance locked, the PIN pad's counter, the orphan check, an
// RRN, the journal row and the two changes. BenchmarkPurchase and
// TestRoundTrips share it (exported to the package's tests only).
func Purchase(tx acquirer.Tx, pan string, i int) error {
	batch, err := tx.Batch("TERM0001")
	if err != nil {
		return err
	}
	c, err := tx.CardState(pan)
	if err != nil {
		return err
	}
	if _, err := tx.Balance("acct"); err != nil {
		return err
	}
	if _, err := tx.AdvanceKSN("FFFF9876543210E0", int64(i)); err != nil {
		return err
	}
	stan := fmt.Sprintf("%06d", i%1000000)
	if _, err := tx.Orphans("TERM0001", stan, batch); err != nil {
		return err
	}
	if _, err := tx.NextSequence(); err != nil {
		return err
	}
	if err := tx.Insert(&acquirer.Entry{RequestKey: acquirer.RequestKey{Terminal: "TERM0001", MTI: "0200",
		STAN: stan, Transmitted: fmt.Sprintf("%010d", i/1000000)}, Kind: acquirer.KindFinancial,
		Account: "acct", Amount: 100, Code: "00", Debit: true, Applied: -100, Batch: batch,
		Time: time.Unix(1, 0)}); err != nil {
		return err
	}
	if err := tx.AddBalance("acct", -100); err != nil {
		return err
	}
	c.LastATC = i
	return tx.SetCardState(c)
}
