package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
	"github.com/posflow/posflow/iso8583"
)

// servePostgres starts o.Instances hosts on one PostgreSQL store, in a new
// schema of the database o.Postgres names, behind a balancer, and returns
// the balancer's address and a function that stops the hosts and drops
// the schema.
func servePostgres(tr *Traffic, o Options) (addr string, stop func() error, err error) {
	if o.Postgres == "" {
		return "", nil, errors.New("loadgen: the postgres target needs -postgres")
	}
	n := o.Instances
	if n <= 0 {
		n = 2
	}
	ctx := context.Background()
	schema := fmt.Sprintf("loadgen_%d_%d", os.Getpid(), time.Now().UnixNano())
	if err := pgExec(ctx, o.Postgres, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, err
	}
	var stops []func() error
	stop = func() error {
		var errs []error
		for i := len(stops) - 1; i >= 0; i-- {
			errs = append(errs, stops[i]())
		}
		return errors.Join(errs...)
	}
	stops = append(stops, func() error { return pgExec(ctx, o.Postgres, `DROP SCHEMA `+schema+` CASCADE`) })
	var backends []string
	for range n {
		s, err := pgstore.Open(ctx, pgstore.WithSchema(o.Postgres, schema))
		if err != nil {
			return "", nil, errors.Join(err, stop())
		}
		stops = append(stops, s.Close)
		cfg := *tr.Config
		cfg.Store = s
		cfg.MaxConcurrent = o.MaxConcurrent
		cfg.MaxConns = max(iso8583.DefaultMaxConns, len(tr.Scripts))
		h, err := acquirer.New(cfg)
		if err != nil {
			return "", nil, errors.Join(err, stop())
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, errors.Join(err, stop())
		}
		done := make(chan error, 1)
		go func() { done <- h.Serve(ln) }()
		stops = append(stops, func() error {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			err := h.Shutdown(ctx)
			if serr := <-done; !errors.Is(serr, iso8583.ErrServerClosed) {
				err = errors.Join(err, serr)
			}
			return err
		})
		backends = append(backends, ln.Addr().String())
	}
	lb, err := startBalancer(backends...)
	if err != nil {
		return "", nil, errors.Join(err, stop())
	}
	stops = append(stops, func() error { lb.close(); return nil })
	return lb.addr(), stop, nil
}

// pgExec runs q on a connection of its own to the database dsn names.
func pgExec(ctx context.Context, dsn, q string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, q)
	return err
}
