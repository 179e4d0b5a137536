// Command loadgen drives many point-of-sale terminals at the example
// acquirer host (examples/host/acquirer) over loopback and reports
// authorizations per second and latency percentiles, next to the same
// traffic against a no-op handler on the same iso8583 transport, so that
// the report gives the full host's throughput as a ratio of the bare
// transport's.
//
// The traffic is prepared before the run: approved purchases with an
// online PIN (TDES DUKPT PIN blocks from one PIN pad per terminal), EMV
// chip purchases whose field 55 carries a real ARQC (Visa CVN 10, 18, 22,
// Mastercard CVN 16, 17, 20, 21) over a strictly increasing ATC, declines
// (51, 61) and reversals of approved purchases, each signed with the
// terminal's ANSI X9.19 MAC, together with the ARPC expected in each chip
// answer, so that the generator spends its CPU on sending only. An answer
// with another code than expected, or a chip answer without the expected
// ARPC (tag 91), counts as unexpected. Each terminal has one request in
// flight at a time.
//
// Usage:
//
//	go run ./examples/loadgen [-terminals 200] [-requests 20000] [-duration 30s] [-targets bare,memory,file] [-maxconcurrent 0] [-cards 100] [-json report.json] [-cpuprofile cpu.prof] [-memprofile mem.prof] [-gogc 400]
//	go run ./examples/loadgen -targets bare,postgres -postgres 'host=… dbname=…' [-instances 2]
//
// Targets: bare (no-op handler), memory (full host, SQLite in memory:
// no durable journal), file (full host, SQLite file in WAL mode with
// synchronous FULL) and postgres (-instances full hosts sharing one
// PostgreSQL store behind a TCP round-robin balancer; the run creates a
// schema of its own in the database -postgres names and drops it after).
//
// The hosts run in the generator's process, so the run takes the host
// command's garbage collector target, acquirer.GCPercent (400), unless
// GOGC is set or -gogc given; the report says which (GOGC = ...). Go's
// default is -gogc 100.
package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/posflow/posflow/examples/host/acquirer"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

func main() {
	terminals := flag.Int("terminals", 200, "concurrent `terminals`")
	requests := flag.Int("requests", 20000, "requests in all, shared between the terminals")
	duration := flag.Duration("duration", 30*time.Second, "maximum `time` per target")
	targets := flag.String("targets", "bare,memory,file", "comma-separated `targets`: bare, memory, file, postgres")
	pg := flag.String("postgres", "", "PostgreSQL connection `string` of the postgres target's database")
	instances := flag.Int("instances", 2, "hosts of the postgres target, sharing its store")
	jsonOut := flag.String("json", "", "write the JSON report to `file` (- for standard output)")
	seed := flag.Uint64("seed", 1, "random `seed` of the traffic")
	cards := flag.Int("cards", DefaultCards, "PIN `cards` (and accounts) the purchases draw from")
	quiet := flag.Bool("q", false, "no progress lines")
	maxConcurrent := flag.Int("maxconcurrent", 0, "the servers' bound on handlers at once; 0 means one per terminal")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run (host and generator) to `file`")
	memprofile := flag.String("memprofile", "", "write the run's allocations (host and generator) to `file`, as a heap profile")
	gogc := flag.Int("gogc", 0, "garbage collector target `percent` of the run (host and generator); 0 means GOGC from the environment, else the host command's, acquirer.GCPercent")
	flag.Parse()
	gc := setGC(*gogc)
	if *memprofile != "" {
		defer func() {
			if err := writeHeapProfile(*memprofile); err != nil {
				fmt.Fprintln(os.Stderr, "loadgen:", err)
			}
		}()
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	progress := io.Writer(os.Stderr)
	if *quiet {
		progress = nil
	}
	r, err := run(context.Background(), *terminals, *requests, *cards, *seed, strings.Split(*targets, ","), Options{Duration: *duration, Progress: progress, MaxConcurrent: *maxConcurrent,
		Postgres: *pg, Instances: *instances})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	r.GOGC, r.Cards = gc, *cards
	if err := r.WriteText(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	if *jsonOut != "" {
		w := os.Stdout
		if *jsonOut != "-" {
			if w, err = os.Create(*jsonOut); err != nil {
				fmt.Fprintln(os.Stderr, "loadgen:", err)
				os.Exit(1)
			}
		}
		err = r.WriteJSON(w)
		if cerr := w.Close(); err == nil && w != os.Stdout {
			err = cerr
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, terminals, requests, cards int, seed uint64, targets []string, o Options) (*Report, error) {
	per := max(1, (requests+terminals-1)/terminals)
	t0 := time.Now()
	tr, err := Prepare(terminals, per, cards, seed)
	if err != nil {
		return nil, err
	}
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "prepared %d requests for %d terminals in %.1fs\n", per*terminals, terminals, time.Since(t0).Seconds())
	}
	dir, err := os.MkdirTemp("", "loadgen")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var rs []*Result
	for _, t := range targets {
		o.Dir = dir
		res, err := Run(ctx, tr, strings.TrimSpace(t), o)
		if err != nil {
			return nil, err
		}
		rs = append(rs, res)
	}
	return newReport(rs), nil
}

// writeHeapProfile writes the allocations since the program started (see
// go tool pprof -sample_index=alloc_space) to file.
func writeHeapProfile(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// setGC sets the garbage collector's target of the run, as the host
// command does: percent if it is positive, else GOGC from the environment
// if set, else acquirer.GCPercent. It returns the target in GOGC's form.
func setGC(percent int) string {
	switch env := os.Getenv("GOGC"); {
	case percent > 0:
	case env != "":
		return env
	default:
		percent = acquirer.GCPercent
	}
	debug.SetGCPercent(percent)
	return strconv.Itoa(percent)
}
