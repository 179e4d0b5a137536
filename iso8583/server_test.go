package iso8583

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
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
