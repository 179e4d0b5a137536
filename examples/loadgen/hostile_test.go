package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// syncBuffer collects the host's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// closedWithin reports whether the host closes c within d (reading and
// discarding whatever it answers first).
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// TestHostileClients attacks the host with broken and hostile connections
// while well-behaved terminals keep paying: first a flood of connections
// beyond the server's connection limit, then the other attacks at once.
// Every terminal request is answered as expected, the attackers are
// disconnected, the flood is logged once rather than once a connection,
// and no full PAN reaches the log.
func TestHostileClients(t *testing.T) {
	// More requests than the terminals send while the attacks last: the
	// drive is stopped when the attacks end.
	terminals, per, flood := 4, 2000, 100
	if !testing.Short() {
		terminals, per, flood = 10, 2000, 300
	}
	// Room for the terminals and the other attacks (20 idle connections
	// and 4 more), so that the flood goes beyond the limit.
	maxConns := terminals + 30
	// One more terminal than are driven: the attacks send its first
	// request, so that they use none of the driven PIN pads' KSNs.
	all, err := Prepare(terminals+1, per, DefaultCards, 5)
	if err != nil {
		t.Fatal(err)
	}
	tr := &Traffic{Config: all.Config, Terminals: all.Terminals[:terminals], Scripts: all.Scripts[:terminals]}
	logs := &syncBuffer{}
	cfg := *tr.Config
	cfg.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const readTimeout = time.Second
	cfg.ReadTimeout, cfg.MaxConns = readTimeout, maxConns
	addr, stop, err := startHost(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	}()
	frame := func(msg []byte) []byte {
		f, err := iso8583.Framing{}.AppendFrame(nil, iso8583.TPDU{}, msg)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	good := all.Scripts[terminals][0].raw
	// dial returns a connection the server has accepted: one it answers
	// (the spare terminal's request, or its duplicate). A connection
	// closed at once was refused while the server had not yet counted
	// the end of a flood connection; dial tries again.
	dial := func(t *testing.T) net.Conn {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			c.SetDeadline(time.Now().Add(5 * time.Second))
			_, err = c.Write(frame(good))
			if err == nil {
				_, _, err = iso8583.Framing{}.ReadFrame(c, nil)
			}
			if err == nil {
				c.SetDeadline(time.Time{})
				t.Cleanup(func() { c.Close() })
				return c
			}
			c.Close()
			if time.Now().After(deadline) {
				t.Fatalf("no connection accepted: %v", err)
			}
		}
	}

	// closedFor checks that the server closed c for the reason its log
	// gives, not at the read timeout.
	closedFor := func(t *testing.T, c net.Conn, reason string) {
		t.Helper()
		if !closedWithin(c, 5*time.Second) {
			t.Fatal("connection still open")
		}
		remote := `"remote":"` + c.LocalAddr().String() + `"`
		for line := range strings.Lines(logs.String()) {
			if strings.Contains(line, remote) && strings.Contains(line, reason) {
				return
			}
		}
		t.Errorf("no log line with %s and %q", remote, reason)
	}

	// The well-behaved terminals run during the attacks, connected
	// before the flood.
	var drive *Result
	var driveErr error
	driving, connected := make(chan struct{}), make(chan struct{})
	driveCtx, stopDrive := context.WithCancel(context.Background())
	defer stopDrive()
	go func() {
		defer close(driving)
		drive, driveErr = Drive(driveCtx, tr, addr, TargetMemory,
			Options{Timeout: 10 * time.Second, connected: func() { close(connected) }})
	}()
	select {
	case <-connected:
	case <-driving:
		t.Fatalf("terminals did not connect: %v", driveErr)
	}

	t.Run("connection flood beyond the limit", func(t *testing.T) {
		var cs []net.Conn
		for range flood {
			c, err := net.DialTimeout("tcp", addr, 2*time.Second)
			if err != nil {
				break // refused or backlog full: also acceptable
			}
			cs = append(cs, c)
		}
		// Those beyond the limit are closed at once, those within it
		// after the read timeout.
		var wg sync.WaitGroup
		var open atomic.Int32
		for _, c := range cs {
			wg.Go(func() {
				if !closedWithin(c, readTimeout+5*time.Second) {
					open.Add(1)
				}
				c.Close()
			})
		}
		wg.Wait()
		if n := open.Load(); n > 0 {
			t.Errorf("%d of %d flood connections still open", n, len(cs))
		}
		if len(cs) <= maxConns {
			t.Fatalf("only %d connections of the flood, not beyond the limit of %d", len(cs), maxConns)
		}
	})

	attacks := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"malformed frame", func(t *testing.T) {
			c := dial(t)
			c.Write(frame([]byte("0200garbage that is no ISO 8583 message")))
			closedFor(t, c, "does not unpack")
		}},
		{"oversize length header", func(t *testing.T) {
			c := dial(t)
			c.Write([]byte{0xFF, 0xFF, '0', '2', '0', '0'})
			closedFor(t, c, "frame too large")
		}},
		{"slowloris", func(t *testing.T) {
			c := dial(t)
			f := frame(good)
			start := time.Now()
			for _, b := range f {
				if _, err := c.Write([]byte{b}); err != nil {
					break // disconnected: what we want
				}
				time.Sleep(50 * time.Millisecond)
				if time.Since(start) > 10*readTimeout {
					break
				}
			}
			if !closedWithin(c, 2*readTimeout) {
				t.Errorf("a sender trickling a byte every 50 ms still connected after %v", time.Since(start))
			}
		}},
		{"idle connections", func(t *testing.T) {
			var cs []net.Conn
			for range 20 {
				cs = append(cs, dial(t))
			}
			for i, c := range cs {
				if !closedWithin(c, readTimeout+2*time.Second) {
					t.Errorf("idle connection %d still open", i)
				}
			}
		}},
		{"greedy pipelining", func(t *testing.T) {
			// Requests written back to back without waiting for answers:
			// the server handles a few of them at a time
			// (iso8583.DefaultMaxInFlightPerConn), so that the terminals
			// keep their share of the handlers; all are answered.
			const n = 200
			c := dial(t)
			c.SetDeadline(time.Now().Add(30 * time.Second))
			go c.Write(bytes.Repeat(frame(good), n))
			for i := range n {
				if _, _, err := (iso8583.Framing{}).ReadFrame(c, nil); err != nil {
					t.Fatalf("answer %d of %d pipelined requests: %v", i+1, n, err)
				}
			}
		}},
		{"garbage after a valid message", func(t *testing.T) {
			c := dial(t)
			c.Write(append(frame(good), 0x00, 0x05, 'X', 'X', 'X', 'X', 'X'))
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, msg, err := iso8583.Framing{}.ReadFrame(c, nil)
			if err != nil {
				t.Fatalf("no answer to the valid message before the garbage: %v", err)
			}
			m, err := iso8583.SpecASCII.Unpack(msg)
			if err != nil || m.MTI != "0210" {
				t.Fatalf("answer %v, %v; want an 0210", m, err)
			}
			closedFor(t, c, "does not unpack")
		}},
	}
	var wg sync.WaitGroup
	for _, a := range attacks {
		wg.Go(func() { t.Run(a.name, a.run) })
	}
	wg.Wait()
	stopDrive()
	<-driving
	if driveErr != nil {
		t.Fatal(driveErr)
	}
	if drive.Requests == 0 || drive.Errors != 0 || drive.Unexpected != 0 {
		t.Errorf("terminals under attack: %d answered, %d errors, %d unexpected (%v); want some, 0, 0",
			drive.Requests, drive.Errors, drive.Unexpected, drive.Codes)
	}
	if drive.Requests == terminals*per {
		t.Logf("the terminals sent all %d requests before the attacks ended", drive.Requests)
	}
	out := logs.String()
	for _, c := range cfg.Cards {
		if strings.Contains(out, c.PAN) {
			t.Fatalf("the log holds the full PAN %s", iso8583.MaskPAN(c.PAN))
		}
	}
	// The flood is logged by bursts: a line when the limit is reached and
	// a line when it no longer is, not one a connection.
	if n := strings.Count(out, "connection limit reached"); n == 0 || n > 5 {
		t.Errorf("%d log lines of the connection limit being reached during a flood of %d, want 1 to 5", n, flood)
	}
	t.Logf("terminals under attack: %d answered in %.1f s, %d ARPCs verified, p99 %.1f ms, max %.1f ms",
		drive.Requests, drive.Seconds, drive.ARPCs, drive.P99, drive.Max)
}
