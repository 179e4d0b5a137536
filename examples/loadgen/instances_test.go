package main

import (
	"context"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore/pgtest"
)

// TestInstancesPostgres runs the traffic through a TCP load balancer to
// two host instances that share one PostgreSQL store (pgstore), each with
// its own connections, as two machines would: every request is answered
// as the generator expects, and the journal the instances share accounts
// for every balance. Skipped without POSFLOW_POSTGRES.
func TestInstancesPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	terminals, requests := 20, 1000
	switch {
	case *long:
		terminals, requests = 200, 20000
	case testing.Short():
		terminals, requests = 8, 240
	}
	tr, err := Prepare(terminals, requests/terminals, DefaultCards, 1)
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	var stores []*pgstore.Store
	for range 2 {
		s, err := pgstore.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		stores = append(stores, s)
		cfg := *tr.Config
		cfg.Store = s
		addr, stop, err := startHost(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := stop(); err != nil {
				t.Error(err)
			}
			s.Close()
		})
		addrs = append(addrs, addr)
	}
	lb, err := startBalancer(addrs...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lb.close)
	x, err := Drive(context.Background(), tr, lb.addr(), TargetMemory, Options{Duration: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if x.Requests != requests || x.Errors != 0 || x.Unexpected != 0 {
		t.Errorf("%d answered, %d errors, %d unexpected codes (%v), want %d, 0, 0", x.Requests, x.Errors, x.Unexpected, x.Codes, requests)
	}
	if chip := chipRequests(tr); chip == 0 || x.ARPCs != chip {
		t.Errorf("%d ARPCs verified, want one for each of the %d chip requests", x.ARPCs, chip)
	}
	for i := range lb.conns {
		if n := lb.conns[i].Load(); n == 0 {
			t.Errorf("instance %d had no terminal", i)
		}
	}
	if x.Codes["51"] == 0 || x.Codes["61"] == 0 {
		t.Errorf("codes %v, want declines 51 and 61 in the mix", x.Codes)
	}
	// Each instance's store reads the same journal and balances.
	moved := map[string]int64{}
	err = stores[1].View(context.Background(), func(tx acquirer.Tx) error {
		for _, id := range tr.Terminals {
			es, err := tx.Entries(id, 0)
			if err != nil {
				return err
			}
			keys := map[acquirer.RequestKey]bool{}
			for _, e := range es {
				moved[e.Account] += e.Applied
				if e.Kind != acquirer.KindRefused {
					if keys[e.RequestKey] {
						t.Errorf("%s: two journal rows of %+v", id, e.RequestKey)
					}
					keys[e.RequestKey] = true
				}
			}
		}
		for _, a := range tr.Config.Accounts {
			b, err := tx.Balance(a.ID)
			if err != nil {
				return err
			}
			if b != a.Balance+moved[a.ID] {
				t.Errorf("account %s: balance %d, opening %d + journal %d", a.ID, b, a.Balance, moved[a.ID])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d requests through 2 instances: %.0f auth/s, p99 %.1f ms", x.Requests, x.PerSecond, x.P99)
}

// TestPostgresFails checks that a host whose PostgreSQL store fails
// answers every request with 96 (system malfunction) instead of approving
// without a journal row: first with the journal table gone, then with the
// store closed. Skipped without POSFLOW_POSTGRES.
func TestPostgresFails(t *testing.T) {
	dsn := pgtest.DSN(t)
	tr, err := Prepare(4, 10, DefaultCards, 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := pgstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg := *tr.Config
	cfg.Store = s
	addr, stop, err := startHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	defer s.Close()
	if _, err := s.Pool().Exec(context.Background(), `DROP TABLE journal`); err != nil {
		t.Fatal(err)
	}
	for _, fault := range []string{"no journal table", "store closed"} {
		if fault == "store closed" {
			s.Close()
		}
		x, err := Drive(context.Background(), tr, addr, TargetMemory, Options{Duration: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if x.Requests != 40 || x.Codes["96"] != 40 {
			t.Errorf("%s: %d answered, codes %v; want 40, all 96", fault, x.Requests, x.Codes)
		}
	}
}
