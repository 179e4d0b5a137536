package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
)

// servePostgres starts o.Instances hosts on one PostgreSQL store, in a new
// schema of the database o.Postgres names, behind a balancer, and returns
// the balancer's address and a function that stops the hosts and drops
// the schema.
func servePostgres(tr *Traffic, o Options) (string, func() error, error) {
	if o.Postgres == "" {
		return "", nil, errors.New("loadgen: the postgres target needs -postgres")
	}
	n := o.Instances
	if n <= 0 {
		n = 2
	}
	ctx := context.Background()
	schema := fmt.Sprintf("loadgen_%d_%d", os.Getpid(), time.Now().UnixNano())
	dsn, drop, err := pgstore.NewSchema(ctx, o.Postgres, schema)
	if err != nil {
		return "", nil, err
	}
	stops := []func() error{drop}
	stop := func() error {
		var errs []error
		for i := len(stops) - 1; i >= 0; i-- {
			errs = append(errs, stops[i]())
		}
		return errors.Join(errs...)
	}
	var backends []string
	for range n {
		s, err := pgstore.Open(ctx, dsn)
		if err != nil {
			return "", nil, errors.Join(err, stop())
		}
		stops = append(stops, s.Close)
		cfg := hostConfig(tr, o)
		cfg.Store = s
		addr, stopHost, err := startHost(cfg)
		if err != nil {
			return "", nil, errors.Join(err, stop())
		}
		stops = append(stops, stopHost)
		backends = append(backends, addr)
	}
	lb, err := startBalancer(backends...)
	if err != nil {
		return "", nil, errors.Join(err, stop())
	}
	stops = append(stops, func() error { lb.close(); return nil })
	return lb.addr(), stop, nil
}
