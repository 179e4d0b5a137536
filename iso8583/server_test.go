package iso8583

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestServerShutdownAnswersRequestsInFlight(t *testing.T) {
	const n = 3
	entered := make(chan struct{}, n)
	release := make(chan struct{})
	mux := NewServeMux()
	mux.HandleFunc(MTIFinancialRequest, func(ctx context.Context, req *Message) *Message {
		entered <- struct{}{}
		<-release
		return approve(ctx, req)
	})
	srv := &Server{Handler: mux}
	addr := startServer(t, srv)
	c := NewClient(ClientConfig{Addr: addr})
	defer c.Close()

	ctx := ctxTimeout(t, 10*time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.Send(ctx, testPurchase("00010"+string(rune('0'+i)), "TERM0001"))
			if err == nil && resp.Text(39) != "00" {
				err = errors.New("not approved")
			}
			errs <- err
		}()
	}
	for range n {
		<-entered
	}
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(ctx) }()
	// Shutdown waits for the handlers: it cannot have returned while they
	// are blocked.
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with handlers in flight", err)
	default:
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("request in flight during shutdown: %v", err)
		}
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown = %v", err)
	}
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Error("server still accepts connections after Shutdown")
	}
}

func TestServerClosesOnOversizeFrame(t *testing.T) {
	var handled atomic.Int32
	srv := &Server{Handler: HandlerFunc(func(ctx context.Context, req *Message) *Message {
		handled.Add(1)
		return nil
	}), Framing: Framing{MaxFrame: 512}}
	addr := startServer(t, srv)
	for _, h := range [][]byte{{0x02, 0x01}, {0xFF, 0xFF}} { // 513 and 65535
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Write(h); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("after an oversize length %X the server did not close: %v", h, err)
		}
		conn.Close()
	}
	if handled.Load() != 0 {
		t.Error("handler ran for an oversize frame")
	}
}

func TestServerDisconnectsSlowClient(t *testing.T) {
	srv := &Server{Handler: HandlerFunc(approve), ReadTimeout: 50 * time.Millisecond}
	addr := startServer(t, srv)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a length header, then silence.
	if _, err := conn.Write([]byte{0x00}); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("slow client: read = %v, want EOF from the server closing", err)
	}
}

func TestServerDisconnectsClientThatDoesNotRead(t *testing.T) {
	if testing.Short() {
		t.Skip("fills socket buffers")
	}
	big := make([]byte, 4000)
	for i := range big {
		big[i] = 'A'
	}
	srv := &Server{Handler: HandlerFunc(func(ctx context.Context, req *Message) *Message {
		r := reject(req, Approved)
		r.Set(63, big[:999])
		return r
	}), WriteTimeout: 50 * time.Millisecond}
	addr := startServer(t, srv)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := NewMessage(MTINetworkRequest)
	req.SetString(11, "000001")
	req.SetString(70, "301")
	raw, _ := SpecASCII.Pack(req)
	frame, _ := Framing{}.AppendFrame(nil, TPDU{}, raw)
	// Send requests without reading the responses until the server gives
	// up writing and closes the connection.
	conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	for {
		_, err := conn.Write(frame)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("server kept the connection of a client that never reads")
		}
		if err != nil {
			return // the server closed the connection
		}
	}
}

func TestServeMuxRouting(t *testing.T) {
	mux := NewServeMux()
	mux.HandleFunc(MTIReversalRequest, func(ctx context.Context, req *Message) *Message { return reject(req, Approved) })
	addr := startServer(t, &Server{Handler: mux, Framing: Framing{Length: ASCII4, TPDU: true}, Spec: SpecBCD})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	f := Framing{Length: ASCII4, TPDU: true}
	br := bufio.NewReader(conn)
	tpdu := TPDU{0x60, 0x00, 0x01, 0x80, 0x00}
	for _, tt := range []struct {
		mti  MTI
		want string
	}{
		{MTIReversalRequestRepeat, "00"}, // falls back to the 0400 handler
		{MTIFinancialRequest, "12"},      // no handler
	} {
		m := NewMessage(tt.mti)
		m.SetString(11, "000042")
		raw, err := SpecBCD.Pack(m)
		if err != nil {
			t.Fatal(err)
		}
		frame, _ := f.AppendFrame(nil, tpdu, raw)
		if _, err := conn.Write(frame); err != nil {
			t.Fatal(err)
		}
		gotTPDU, b, err := f.ReadFrame(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := SpecBCD.Unpack(b)
		if err != nil {
			t.Fatal(err)
		}
		if resp.MTI != tt.mti.Response() || resp.Text(39) != tt.want || resp.Text(11) != "000042" {
			t.Errorf("%s answered %s code %q, want %s %s", tt.mti, resp.MTI, resp.Text(39), tt.mti.Response(), tt.want)
		}
		if gotTPDU != tpdu.Reply() {
			t.Errorf("response TPDU %X, want %X", gotTPDU, tpdu.Reply())
		}
	}
}

func TestServerBoundsConcurrency(t *testing.T) {
	const limit = 2
	var running, peak atomic.Int32
	gate := make(chan struct{})
	mux := NewServeMux()
	mux.HandleFunc(MTIFinancialRequest, func(ctx context.Context, req *Message) *Message {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-gate
		running.Add(-1)
		return approve(ctx, req)
	})
	addr := startServer(t, &Server{Handler: mux, MaxConcurrent: limit})
	c := NewClient(ClientConfig{Addr: addr})
	defer c.Close()
	ctx := ctxTimeout(t, 10*time.Second)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Send(ctx, testPurchase("00020"+string(rune('0'+i)), "TERM0001")); err != nil {
				t.Error(err)
			}
		}()
	}
	// Let the handlers through one at a time.
	for range 6 {
		gate <- struct{}{}
	}
	wg.Wait()
	if peak.Load() > limit {
		t.Errorf("peak concurrency %d, want at most %d", peak.Load(), limit)
	}
}

// logBuffer collects a server's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// frameOf packs m in SpecASCII and frames it with a 2-byte length.
func frameOf(t testing.TB, m *Message) []byte {
	t.Helper()
	raw, err := SpecASCII.Pack(m)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Framing{}.AppendFrame(nil, TPDU{}, raw)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// readMessage reads one framed SpecASCII message from c.
func readMessage(c net.Conn) (*Message, error) {
	_, b, err := Framing{}.ReadFrame(c, nil)
	if err != nil {
		return nil, err
	}
	return SpecASCII.Unpack(b)
}

// closedAfter reads and discards from c until the server closes it or d
// passes, and returns how long the close took and whether it came.
func closedAfter(c net.Conn, d time.Duration) (time.Duration, bool) {
	start := time.Now()
	c.SetReadDeadline(start.Add(d))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return time.Since(start), !(errors.As(err, &ne) && ne.Timeout())
}

func echo(ctx context.Context, req *Message) *Message { return reject(req, Approved) }

// TestServerClosesOnMalformedFrame sends frames that cannot be framed or
// unpacked: the server closes the connection at once, well before its
// read timeout, and logs the peer and the error but no card data.
func TestServerClosesOnMalformedFrame(t *testing.T) {
	const readTimeout = time.Minute
	purchase := frameOf(t, testPurchase("000301", "TERM0001"))
	pan := "4761739001010119"
	for _, tt := range []struct {
		name    string
		framing Framing
		send    []byte
	}{
		{"garbage", Framing{}, []byte("\x00\x2a0200garbage that is no ISO 8583 message...")},
		{"length header not digits", Framing{Length: ASCII4}, []byte("00A10200")},
		{"zero length", Framing{}, []byte{0x00, 0x00, '0', '2'}},
		{"length over MaxFrame", Framing{}, []byte{0xFF, 0xFF, '0', '2', '0', '0'}},
		{"TPDU longer than the frame", Framing{TPDU: true}, []byte{0x00, 0x03, 0x60, 0x00, 0x01}},
		{"bitmap cut short", Framing{}, []byte{0x00, 0x06, '0', '2', '0', '0', 0x72, 0x3C}},
		// A purchase with its PAN and track 2, then a byte the bitmap
		// does not announce: the log must not show the card data.
		{"trailing byte after the last field", Framing{},
			append(binary.BigEndian.AppendUint16(nil, uint16(len(purchase)-2+1)), append(purchase[2:], '9')...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var handled atomic.Int32
			logs := &logBuffer{}
			srv := &Server{Handler: HandlerFunc(func(ctx context.Context, req *Message) *Message {
				handled.Add(1)
				return echo(ctx, req)
			}), Framing: tt.framing, ReadTimeout: readTimeout, Log: logs.logger()}
			addr := startServer(t, srv)
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := c.Write(tt.send); err != nil {
				t.Fatal(err)
			}
			// Well under the read timeout, however loaded the machine.
			if d, ok := closedAfter(c, readTimeout/6); !ok {
				t.Fatalf("connection still open %v after the frame", d)
			}
			if handled.Load() != 0 {
				t.Error("the handler ran")
			}
			out := logs.String()
			if !strings.Contains(out, "closing connection") {
				t.Errorf("log does not say why the connection closed:\n%s", out)
			}
			if strings.Contains(out, pan) || strings.Contains(out, "=2912") {
				t.Errorf("log holds card data:\n%s", out)
			}
		})
	}
}

// TestServerAnswersBeforeClosingOnGarbage sends a valid request and
// garbage in one write: the request is answered, then the connection is
// closed without waiting for the read timeout.
func TestServerAnswersBeforeClosingOnGarbage(t *testing.T) {
	const readTimeout = time.Minute
	addr := startServer(t, &Server{Handler: HandlerFunc(echo), ReadTimeout: readTimeout})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := append(frameOf(t, testPurchase("000302", "TERM0001")), 0x00, 0x05, 'X', 'X', 'X', 'X', 'X')
	if _, err := c.Write(f); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(readTimeout / 6))
	resp, err := readMessage(c)
	if err != nil {
		t.Fatalf("no answer to the request before the garbage: %v", err)
	}
	if resp.MTI != "0210" || resp.Text(11) != "000302" {
		t.Errorf("answer %s STAN %s, want 0210 000302", resp.MTI, resp.Text(11))
	}
	if d, ok := closedAfter(c, readTimeout/6); !ok {
		t.Fatalf("connection still open %v after the garbage", d)
	}
}

// TestServerConnectionLimit floods a server with connections beyond
// MaxConns: each is closed at once, the burst is logged once rather than
// once a connection, the connections within the limit are still served,
// and a connection is accepted again once one closes.
func TestServerConnectionLimit(t *testing.T) {
	const maxConns, flood = 3, 50
	logs := &logBuffer{}
	srv := &Server{Handler: HandlerFunc(echo), MaxConns: maxConns, Log: logs.logger()}
	addr := startServer(t, srv)
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	exchange := func(c net.Conn, stan string) error {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write(frameOf(t, testPurchase(stan, "TERM0001"))); err != nil {
			return err
		}
		resp, err := readMessage(c)
		if err != nil {
			return err
		}
		if resp.Text(11) != stan {
			return errors.New("answer to another request")
		}
		return nil
	}
	var terminals []net.Conn
	for i := range maxConns {
		c := dial()
		// An answer proves the server accepted and counts the connection.
		if err := exchange(c, fmt.Sprintf("%06d", 400+i)); err != nil {
			t.Fatalf("terminal %d within the limit: %v", i, err)
		}
		terminals = append(terminals, c)
	}
	for i := range flood {
		c := dial()
		if d, ok := closedAfter(c, 10*time.Second); !ok {
			t.Fatalf("connection %d beyond the limit still open after %v", i, d)
		}
		c.Close()
	}
	for i, c := range terminals {
		if err := exchange(c, fmt.Sprintf("%06d", 410+i)); err != nil {
			t.Errorf("terminal %d after the flood: %v", i, err)
		}
	}
	if n := strings.Count(logs.String(), "connection limit"); n == 0 || n > 3 {
		t.Errorf("%d log lines about the connection limit for a burst of %d, want 1 to 3:\n%s", n, flood, logs.String())
	}
	// A place frees when a terminal leaves; the server learns it when the
	// read returns, so the next connection may still be refused for a
	// moment.
	terminals[0].Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := dial()
		err := exchange(c, "000420")
		c.Close()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no connection accepted after one closed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "connection limit no longer reached") {
		t.Errorf("the end of the burst is not logged:\n%s", logs.String())
	}
}

// gatedHandler blocks every request until the test lets it through, and
// records the order in which requests entered, as terminal ID and STAN.
type gatedHandler struct {
	gate    chan struct{}
	mu      sync.Mutex
	entered []string
}

func (g *gatedHandler) ServeISO8583(ctx context.Context, req *Message) *Message {
	g.mu.Lock()
	g.entered = append(g.entered, req.Text(41)+"/"+req.Text(11))
	g.mu.Unlock()
	select {
	case <-g.gate:
	case <-ctx.Done():
		return nil
	}
	return echo(ctx, req)
}

func (g *gatedHandler) order() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.entered)
}

// waitFor polls cond until it holds or 10 seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pipeline writes n requests of terminal tid in one write, without waiting
// for answers.
func pipeline(t *testing.T, c net.Conn, tid string, n int) {
	t.Helper()
	var b []byte
	for i := range n {
		b = append(b, frameOf(t, testPurchase(fmt.Sprintf("%06d", i+1), tid))...)
	}
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
}

// TestServerBoundsInFlightPerConn has a greedy connection pipeline many
// requests while the handlers block: it gets MaxInFlightPerConn handlers
// and no more, and another terminal is still served.
func TestServerBoundsInFlightPerConn(t *testing.T) {
	const perConn, greedy = 2, 20
	g := &gatedHandler{gate: make(chan struct{})}
	addr := startServer(t, &Server{Handler: g, MaxConcurrent: 8, MaxInFlightPerConn: perConn})
	gc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	pipeline(t, gc, "GREEDY01", greedy)
	waitFor(t, "the greedy connection's first handlers", func() bool { return len(g.order()) == perConn })
	pc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pipeline(t, pc, "POLITE01", 1)
	waitFor(t, "the other terminal's handler", func() bool { return len(g.order()) == perConn+1 })
	if got := g.order(); got[perConn] != "POLITE01/000001" {
		t.Fatalf("handlers entered %v, want the greedy connection's first %d then POLITE01", got, perConn)
	}
	close(g.gate)
	gc.SetReadDeadline(time.Now().Add(10 * time.Second))
	for i := range greedy {
		if _, err := readMessage(gc); err != nil {
			t.Fatalf("greedy request %d not answered: %v", i+1, err)
		}
	}
}

// TestServerHandlersFirstComeFirstServed has three connections wait for
// the one handler of a server: they get it in the order they asked, so a
// connection that pipelines cannot overtake the others.
func TestServerHandlersFirstComeFirstServed(t *testing.T) {
	g := &gatedHandler{gate: make(chan struct{})}
	srv := &Server{Handler: g, MaxConcurrent: 1, MaxInFlightPerConn: 4}
	addr := startServer(t, srv)
	waiting := func() int {
		srv.mu.Lock()
		q := srv.handlers
		srv.mu.Unlock()
		return q.waiting()
	}
	var conns []net.Conn
	send := func(tid string, n int) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		pipeline(t, c, tid, n)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	// The greedy terminal's first request takes the handler and its second
	// waits; then B and C ask, in that order.
	send("GREEDY01", 6)
	waitFor(t, "the greedy connection to wait for the handler", func() bool { return waiting() == 1 })
	send("TERMB001", 1)
	waitFor(t, "B to wait", func() bool { return waiting() == 2 })
	send("TERMC001", 1)
	waitFor(t, "C to wait", func() bool { return waiting() == 3 })
	for range 8 {
		g.gate <- struct{}{}
	}
	want := []string{"GREEDY01/000001", "GREEDY01/000002", "TERMB001/000001", "TERMC001/000001",
		"GREEDY01/000003", "GREEDY01/000004", "GREEDY01/000005", "GREEDY01/000006"}
	if got := g.order(); !slices.Equal(got, want) {
		t.Errorf("handlers entered in the order\n%v\nwant\n%v", got, want)
	}
}

func TestFIFOSemCancel(t *testing.T) {
	q := newFIFOSem(1)
	if !q.acquire(make(chan struct{}, 1), nil) {
		t.Fatal("acquire of a free slot failed")
	}
	done := make(chan struct{})
	got := make(chan bool)
	go func() { got <- q.acquire(make(chan struct{}, 1), done) }()
	waitFor(t, "the second acquire to wait", func() bool { return q.waiting() == 1 })
	close(done)
	if <-got {
		t.Error("acquire returned true after done ended")
	}
	if q.waiting() != 0 {
		t.Errorf("%d waiters after the cancelled acquire left", q.waiting())
	}
	q.release()
	if !q.acquire(make(chan struct{}, 1), nil) {
		t.Error("the released slot was lost")
	}
}

// echoTestFrame returns a framed 0800 echo test with STAN stan, the first
// frame a terminal sends on a connection it opens ahead of a payment.
func echoTestFrame(t testing.TB, stan string) []byte {
	t.Helper()
	m := NewMessage(MTINetworkRequest)
	m.SetString(11, stan)
	m.SetString(70, "301")
	return frameOf(t, m)
}

// logLines returns the lines of out that contain every one of subs.
func logLines(out string, subs ...string) []string {
	var lines []string
	for line := range strings.Lines(out) {
		if !slices.ContainsFunc(subs, func(s string) bool { return !strings.Contains(line, s) }) {
			lines = append(lines, line)
		}
	}
	return lines
}

// TestServerClosesSilentConnection opens a connection and sends nothing:
// the server closes it at the first-frame timeout, long before its read
// timeout, and logs the peer.
func TestServerClosesSilentConnection(t *testing.T) {
	const firstFrame, readTimeout = 200 * time.Millisecond, time.Minute
	logs := &logBuffer{}
	addr := startServer(t, &Server{Handler: HandlerFunc(echo), FirstFrameTimeout: firstFrame,
		ReadTimeout: readTimeout, Log: logs.logger()})
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Well under the read timeout, however loaded the machine.
	if d, ok := closedAfter(c, readTimeout/6); !ok {
		t.Fatalf("silent connection still open after %v", d)
	}
	// The timeout runs from accept, which comes after start.
	if d := time.Since(start); d < firstFrame {
		t.Errorf("silent connection closed %v after dialling, before the first-frame timeout of %v", d, firstFrame)
	}
	if len(logLines(logs.String(), "no first frame in time", "remote="+c.LocalAddr().String())) != 1 {
		t.Errorf("the silent connection is not logged once with its peer:\n%s", logs.String())
	}
}

// TestServerKeepsIdleConnectionAfterFirstFrame has a terminal send its
// first frame in time and then idle for several first-frame timeouts, as
// between payments: the server keeps the connection until the read
// timeout, and answers the next request on it.
func TestServerKeepsIdleConnectionAfterFirstFrame(t *testing.T) {
	const firstFrame, readTimeout = 500 * time.Millisecond, time.Minute
	logs := &logBuffer{}
	addr := startServer(t, &Server{Handler: HandlerFunc(echo), FirstFrameTimeout: firstFrame,
		ReadTimeout: readTimeout, Log: logs.logger()})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	exchange := func(stan string) {
		t.Helper()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write(echoTestFrame(t, stan)); err != nil {
			t.Fatal(err)
		}
		resp, err := readMessage(c)
		if err != nil {
			t.Fatalf("echo test %s not answered: %v", stan, err)
		}
		if resp.MTI != "0810" || resp.Text(11) != stan {
			t.Fatalf("echo test %s answered %s STAN %s, want 0810 %s", stan, resp.MTI, resp.Text(11), stan)
		}
	}
	exchange("000501")
	if d, ok := closedAfter(c, 4*firstFrame); ok {
		t.Fatalf("connection closed %v into its idle time after the first frame, before the read timeout of %v", d, readTimeout)
	}
	exchange("000502")
	if strings.Contains(logs.String(), "first frame") {
		t.Errorf("a connection that sent its first frame in time is logged as silent:\n%s", logs.String())
	}
}

// TestServerClosesSlowlorisFirstFrame trickles a valid first frame a byte
// every 50 ms, each byte well within the first-frame timeout but the whole
// frame far beyond it: the server closes the connection at the timeout and
// never handles the request.
func TestServerClosesSlowlorisFirstFrame(t *testing.T) {
	const firstFrame, readTimeout, gap = 300 * time.Millisecond, time.Minute, 50 * time.Millisecond
	var handled atomic.Int32
	addr := startServer(t, &Server{Handler: HandlerFunc(func(ctx context.Context, req *Message) *Message {
		handled.Add(1)
		return echo(ctx, req)
	}), FirstFrameTimeout: firstFrame, ReadTimeout: readTimeout})
	f := frameOf(t, testPurchase("000503", "TERM0001"))
	if trickle := time.Duration(len(f)) * gap; trickle < 4*firstFrame {
		t.Fatalf("the frame trickles in %v, not far beyond the first-frame timeout of %v", trickle, firstFrame)
	}
	start := time.Now()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	sent := make(chan int, 1)
	go func() {
		n := 0
		for ; n < len(f); n++ {
			if _, err := c.Write(f[n : n+1]); err != nil {
				break // disconnected
			}
			time.Sleep(gap)
		}
		sent <- n
	}()
	d, ok := closedAfter(c, readTimeout/6)
	c.Close()
	n := <-sent
	if !ok {
		t.Fatalf("trickling connection still open after %v", d)
	}
	if d := time.Since(start); d < firstFrame {
		t.Errorf("trickling connection closed %v after dialling, before the first-frame timeout of %v", d, firstFrame)
	}
	if n == len(f) || handled.Load() != 0 {
		t.Errorf("the server read the whole trickled frame (%d of %d bytes sent, %d handled)", n, len(f), handled.Load())
	}
}

// TestServerSilentConnectionsFreeTheirPlaces fills every place of a
// server with connections that send nothing: a terminal is refused until
// they reach the first-frame timeout, then gets in and is answered, long
// before the read timeout. The silent connections are logged as one burst.
func TestServerSilentConnectionsFreeTheirPlaces(t *testing.T) {
	const maxConns, firstFrame, readTimeout = 3, time.Second, time.Minute
	logs := &logBuffer{}
	addr := startServer(t, &Server{Handler: HandlerFunc(echo), MaxConns: maxConns,
		FirstFrameTimeout: firstFrame, ReadTimeout: readTimeout, Log: logs.logger()})
	start := time.Now()
	var silent []net.Conn
	for range maxConns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		silent = append(silent, c)
	}
	refused := 0
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		_, err = c.Write(echoTestFrame(t, "000504"))
		var resp *Message
		if err == nil {
			resp, err = readMessage(c)
		}
		c.Close()
		if err == nil {
			if resp.Text(11) != "000504" {
				t.Fatalf("answer to another request: STAN %s", resp.Text(11))
			}
			break
		}
		refused++
		if time.Since(start) > firstFrame+10*time.Second {
			t.Fatalf("terminal refused %d times, last: %v", refused, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A place frees only when a silent connection is closed, which is
	// not before its first-frame timeout.
	if d := time.Since(start); d < firstFrame {
		t.Errorf("terminal answered %v after the silent connections, before their first-frame timeout of %v", d, firstFrame)
	}
	t.Logf("terminal refused %d times while the silent connections held the places", refused)
	for i, c := range silent {
		if d, ok := closedAfter(c, 10*time.Second); !ok {
			t.Errorf("silent connection %d still open after %v", i, d)
		}
	}
	if n := len(logLines(logs.String(), "first frame in time")); n == 0 || n > 2 {
		t.Errorf("%d log lines about %d silent connections, want 1 or 2:\n%s", n, maxConns, logs.String())
	}
}

func TestBurst(t *testing.T) {
	const (
		add = iota
		endQuiet
		end
	)
	t0 := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	var b burst
	for _, tt := range []struct {
		name string
		at   time.Duration
		op   int
		want int
	}{
		{"the first of a burst is logged", 0, add, 1},
		{"a second within the interval is only counted", time.Second, add, 0},
		{"not quiet for the interval yet", 5 * time.Second, endQuiet, 0},
		{"the count is logged once the interval has passed", burstLogInterval, add, 3},
		{"the next within the interval is only counted", burstLogInterval + time.Second, add, 0},
		{"quiet for less than the interval", 2*burstLogInterval + time.Second - time.Nanosecond, endQuiet, 0},
		{"quiet for the interval ends the burst with its total", 2*burstLogInterval + time.Second, endQuiet, 4},
		{"no burst to end", 3 * burstLogInterval, endQuiet, 0},
		{"a new burst is logged from 1", 3 * burstLogInterval, add, 1},
		{"end returns the count at once", 3*burstLogInterval + time.Second, end, 1},
		{"end between bursts", 3*burstLogInterval + time.Second, end, 0},
	} {
		now := t0.Add(tt.at)
		var got int
		switch tt.op {
		case add:
			got = b.add(now)
		case endQuiet:
			got = b.endQuiet(now)
		case end:
			got = b.end()
		}
		if got != tt.want {
			t.Errorf("%s: at +%v got %d, want %d", tt.name, tt.at, got, tt.want)
		}
	}
}
