package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// Targets of a run.
const (
	TargetBare   = "bare"   // a no-op handler on the same iso8583.Server
	TargetMemory = "memory" // the full host, journal in SQLite in memory (not durable)
	TargetFile   = "file"   // the full host, journal in a SQLite file, WAL, synchronous FULL
	// TargetPostgres is Options.Instances full hosts sharing one
	// PostgreSQL store (pgstore) in a schema of their own, behind a TCP
	// load balancer that gives each terminal's connection to the next
	// host in turn.
	TargetPostgres = "postgres"
)

// Options bound a run.
type Options struct {
	Duration time.Duration // stop sending after this long; 0 means no limit
	Timeout  time.Duration // per request; 0 means 10 s
	Progress io.Writer     // a line per Interval while running; nil for none
	Interval time.Duration // 0 means 1 s
	Dir      string        // for the file target's database
	// MaxConcurrent is the server's bound on handlers running at once
	// (iso8583.Server.MaxConcurrent); 0 means one per terminal. Below
	// the number of terminals, connections stop reading while the
	// handlers are busy, and the latency tail grows to seconds.
	MaxConcurrent int
	// Postgres is the connection string of the database of
	// TargetPostgres, in which the run creates a schema of its own and
	// drops it at the end; Instances is the number of hosts (0 means 2).
	Postgres  string
	Instances int

	// connected, if set, is called when every terminal is connected,
	// before the clock starts (for tests that attack a host while its
	// terminals pay).
	connected func()
}

// Result is one target's measurement.
type Result struct {
	Target     string         `json:"target"`
	Terminals  int            `json:"terminals"`
	Requests   int            `json:"requests"`
	Errors     int            `json:"errors"`
	Unexpected int            `json:"unexpected"` // answers other than the expected code or ARPC (full host only)
	ARPCs      int            `json:"arpcs"`      // chip answers whose ARPC (tag 91) was as expected (full host only)
	Seconds    float64        `json:"seconds"`
	PerSecond  float64        `json:"per_second"`
	P50        float64        `json:"p50_ms"`
	P90        float64        `json:"p90_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Codes      map[string]int `json:"codes"`
}

// bareHandler approves everything without looking: the cost of the
// transport alone.
var bareHandler = iso8583.HandlerFunc(func(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, err := iso8583.Respond(req, "00")
	if err != nil {
		return nil
	}
	m, err := r.Message()
	if err != nil {
		return nil
	}
	return m
})

// serve starts target on a loopback port and returns its address and a
// function that stops it.
func serve(tr *Traffic, target string, o Options) (string, func() error, error) {
	switch target {
	case TargetBare:
		srv := &iso8583.Server{Handler: bareHandler, MaxConcurrent: o.MaxConcurrent,
			MaxConns: max(iso8583.DefaultMaxConns, len(tr.Scripts))}
		return serveOn(srv.Serve, srv.Shutdown)
	case TargetPostgres:
		return servePostgres(tr, o)
	case TargetMemory, TargetFile:
		cfg := hostConfig(tr, o)
		if target == TargetFile {
			cfg.Database = filepath.Join(o.Dir, "loadgen.db")
		}
		return startHost(cfg)
	}
	return "", nil, fmt.Errorf("loadgen: unknown target %q", target)
}

// hostConfig is the configuration of a full host for tr: one handler and
// one connection for each terminal at least.
func hostConfig(tr *Traffic, o Options) acquirer.Config {
	cfg := *tr.Config
	cfg.MaxConcurrent = o.MaxConcurrent
	cfg.MaxConns = max(iso8583.DefaultMaxConns, len(tr.Scripts))
	return cfg
}

// startHost starts a host with cfg on a loopback port and returns its
// address and a function that shuts it down.
func startHost(cfg acquirer.Config) (string, func() error, error) {
	h, err := acquirer.New(cfg)
	if err != nil {
		return "", nil, err
	}
	addr, stop, err := serveOn(h.Serve, h.Shutdown)
	if err != nil {
		h.Shutdown(context.Background())
		return "", nil, err
	}
	return addr, stop, nil
}

// serveOn runs serve on a new loopback listener and returns its address
// and a function that shuts the server down (within 10 s) and waits for
// serve to return.
func serveOn(serve func(net.Listener) error, shutdown func(context.Context) error) (string, func() error, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	done := make(chan error, 1)
	go func() { done <- serve(ln) }()
	return ln.Addr().String(), func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := shutdown(ctx)
		if serr := <-done; !errors.Is(serr, iso8583.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		return err
	}, nil
}

// Run drives the prepared traffic against target: one client per terminal,
// each sending its requests one at a time, all terminals at once.
func Run(ctx context.Context, tr *Traffic, target string, o Options) (*Result, error) {
	if o.MaxConcurrent == 0 {
		o.MaxConcurrent = max(64, len(tr.Scripts))
	}
	addr, stop, err := serve(tr, target, o)
	if err != nil {
		return nil, err
	}
	res, err := Drive(ctx, tr, addr, target, o)
	return res, errors.Join(err, stop())
}

// Drive sends the traffic to the host at addr; target names the result
// and says whether response codes are checked (not for TargetBare).
func Drive(ctx context.Context, tr *Traffic, addr, target string, o Options) (*Result, error) {
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Interval == 0 {
		o.Interval = time.Second
	}
	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Duration)
		defer cancel()
	}
	type outcome struct {
		lat   []time.Duration
		codes map[string]int
		errs  int
		bad   int
		arpcs int
	}
	outs := make([]outcome, len(tr.Scripts))
	var sent atomic.Int64
	// Connect every terminal before the clock starts, so that the figures
	// do not count connection set-up (or a listen backlog overflowing
	// with 200 SYNs at once).
	clients := make([]*iso8583.Client, len(tr.Scripts))
	for i := range clients {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			for _, c := range clients[:i] {
				c.Close()
			}
			return nil, err
		}
		first := c
		clients[i] = iso8583.NewClient(iso8583.ClientConfig{Addr: addr, RetryInterval: time.Hour,
			Dial: func(ctx context.Context, addr string) (net.Conn, error) {
				if c := first; c != nil {
					first = nil // only the client's own goroutine dials
					return c, nil
				}
				var d net.Dialer
				return d.DialContext(ctx, "tcp", addr)
			}})
	}
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	if o.connected != nil {
		o.connected()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, script := range tr.Scripts {
		wg.Go(func() {
			out := outcome{lat: make([]time.Duration, 0, len(script)), codes: map[string]int{}}
			for _, rq := range script {
				if ctx.Err() != nil {
					break
				}
				m, err := rq.message()
				if err != nil {
					out.errs++
					continue
				}
				rctx, cancel := context.WithTimeout(ctx, o.Timeout)
				t0 := time.Now()
				resp, err := clients[i].Send(rctx, m)
				d := time.Since(t0)
				cancel()
				if err != nil {
					if ctx.Err() != nil {
						break // the run's time is up: not a failure of the host
					}
					out.errs++
					continue
				}
				out.lat = append(out.lat, d)
				code := resp.Text(39)
				out.codes[code]++
				switch {
				case target == TargetBare:
				case code != rq.want:
					out.bad++
				case rq.auth != nil:
					// The host verified the ARQC and answered with an
					// ARPC: it must be the one prepared.
					if issuerAuthOK(resp, rq.auth) {
						out.arpcs++
					} else {
						out.bad++
					}
				}
				sent.Add(1)
			}
			outs[i] = out
		})
	}
	finished := make(chan struct{})
	if o.Progress != nil {
		go func() {
			tick := time.NewTicker(o.Interval)
			defer tick.Stop()
			prev := int64(0)
			for {
				select {
				case <-finished:
					return
				case <-tick.C:
					n := sent.Load()
					fmt.Fprintf(o.Progress, "%s %5.1fs %8d answered %8.0f/s\n", target, time.Since(start).Seconds(), n,
						float64(n-prev)/o.Interval.Seconds())
					prev = n
				}
			}
		}()
	}
	wg.Wait()
	close(finished)
	elapsed := time.Since(start)
	res := &Result{Target: target, Terminals: len(tr.Scripts), Seconds: elapsed.Seconds(), Codes: map[string]int{}}
	var all []time.Duration
	for _, out := range outs {
		all = append(all, out.lat...)
		res.Errors += out.errs
		res.Unexpected += out.bad
		res.ARPCs += out.arpcs
		for c, n := range out.codes {
			res.Codes[c] += n
		}
	}
	res.Requests = len(all)
	if elapsed > 0 {
		res.PerSecond = float64(len(all)) / elapsed.Seconds()
	}
	slices.Sort(all)
	ms := func(q float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(q*float64(len(all))))]) / 1e6
	}
	res.P50, res.P90, res.P99 = ms(0.50), ms(0.90), ms(0.99)
	if len(all) > 0 {
		res.Max = float64(all[len(all)-1]) / 1e6
	}
	return res, nil
}
