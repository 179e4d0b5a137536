// Command host runs the example acquirer host: it answers the ISO 8583
// requests of point-of-sale terminals on TCP, keeps the journal and the
// balances in SQLite, or in PostgreSQL with -postgres, and prints the
// settlement report when it stops.
//
// Usage:
//
//	go run ./examples/host [-config examples/host/testdata/seed.json] [-addr 127.0.0.1:8583] [-db host.db]
//	go run ./examples/host -postgres 'host=db.example dbname=acquirer user=host' [-addr :8583]
//
// Several hosts started with the same configuration and -postgres
// connection string share one journal, and may run behind a TCP load
// balancer (README, "Scale beyond one machine"). The password is best
// left out of the connection string, which other users of the machine
// can read in the process list, and given in PGPASSWORD or ~/.pgpass.
//
// The seed configuration holds test keys only. Interrupt (Ctrl-C) stops the
// host after answering the requests in flight and prints the settlement
// report of the batches closed while it ran (-report csv for CSV).
//
// Unless GOGC is set in the environment, the host runs the garbage
// collector at acquirer.GCPercent (400), which keeps its slowest answers
// fast under load.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
	"github.com/posflow/posflow/iso8583"
)

func main() {
	config := flag.String("config", "examples/host/testdata/seed.json", "configuration `file` (JSON)")
	addr := flag.String("addr", "", "TCP `address` to listen on (default from the configuration, else "+acquirer.DefaultAddr+")")
	db := flag.String("db", "", "SQLite database `file` (default from the configuration, else in memory)")
	pg := flag.String("postgres", "", "PostgreSQL connection `string` of a store that several hosts may share, instead of SQLite")
	report := flag.String("report", "text", "settlement report format at exit: text, csv or none")
	flag.Parse()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(acquirer.GCPercent)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*config, *addr, *db, *pg, *report, log); err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		os.Exit(1)
	}
}

func run(config, addr, db, pg, report string, log *slog.Logger) error {
	cfg, err := acquirer.LoadConfig(config)
	if err != nil {
		return err
	}
	if addr != "" {
		cfg.Addr = addr
	}
	if db != "" {
		cfg.Database = db
	}
	cfg.Log = log
	if pg != "" {
		if db != "" {
			return errors.New("-db and -postgres name two stores: give one")
		}
		s, err := pgstore.Open(context.Background(), pg)
		if err != nil {
			return err
		}
		defer s.Close()
		cfg.Store = s
		log.Info("host: store in PostgreSQL", "store", s.String())
	}
	h, err := acquirer.New(*cfg)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- h.ListenAndServe() }()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	select {
	case err := <-errc:
		h.Shutdown(context.Background())
		return err
	case <-stop:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var r *acquirer.Report
	if report != "none" {
		r, err = h.Report(ctx)
		if err != nil {
			log.Error("host: settlement report", "err", err)
		}
	}
	if err := h.Shutdown(ctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, iso8583.ErrServerClosed) {
		return err
	}
	if r == nil {
		return nil
	}
	if report == "csv" {
		return r.WriteCSV(os.Stdout)
	}
	return r.WriteText(os.Stdout)
}
