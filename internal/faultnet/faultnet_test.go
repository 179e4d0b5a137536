package faultnet

import (
	"bufio"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// server is a framed echo server that reports each frame it reads, and
// the error that ended each connection, on its channels.
type server struct {
	ln     net.Listener
	frames chan string
	ends   chan error
}

func startServer(t *testing.T) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln, frames: make(chan string, 16), ends: make(chan error, 4)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				var f iso8583.Framing
				for {
					_, msg, err := f.ReadFrame(br, nil)
					if err != nil {
						s.ends <- err
						return
					}
					s.frames <- string(msg)
					b, _ := f.AppendFrame(nil, iso8583.TPDU{}, append([]byte("re:"), msg...))
					if _, err := c.Write(b); err != nil {
						s.ends <- err
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

// client is one connection through the proxy.
type client struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, p *Proxy) *client {
	t.Helper()
	c, err := p.Dial(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{t: t, c: c, br: bufio.NewReader(c)}
}

func (c *client) send(msg string) {
	c.t.Helper()
	var f iso8583.Framing
	b, _ := f.AppendFrame(nil, iso8583.TPDU{}, []byte(msg))
	if _, err := c.c.Write(b); err != nil {
		c.t.Fatalf("write %q: %v", msg, err)
	}
}

func (c *client) recv() (string, error) {
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var f iso8583.Framing
	_, msg, err := f.ReadFrame(c.br, nil)
	return string(msg), err
}

func (c *client) want(msg string) {
	c.t.Helper()
	got, err := c.recv()
	if err != nil || got != msg {
		c.t.Fatalf("read = %q, %v; want %q", got, err, msg)
	}
}

func (s *server) want(t *testing.T, msg string) {
	t.Helper()
	select {
	case got := <-s.frames:
		if got != msg {
			t.Fatalf("server read %q, want %q", got, msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("server read nothing, want %q", msg)
	}
}

func (s *server) none(t *testing.T) {
	t.Helper()
	select {
	case got := <-s.frames:
		t.Fatalf("server read %q, want nothing yet", got)
	default:
	}
}

func start(t *testing.T, s *server, maxHold time.Duration) *Proxy {
	t.Helper()
	p := &Proxy{Target: s.ln.Addr().String(), MaxHold: maxHold}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// isReset reports whether err is what a reader sees of a RST: a reset
// connection, or the end of the stream inside a frame.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

func TestPass(t *testing.T) {
	s := startServer(t)
	p := start(t, s, 0)
	c := dial(t, p)
	for _, m := range []string{"0200a", "0200b"} {
		c.send(m)
		s.want(t, m)
		c.want("re:" + m)
	}
	if n := p.Count(ToServer, Pass); n != 2 {
		t.Errorf("Count(ToServer, Pass) = %d, want 2", n)
	}
}

func TestDrop(t *testing.T) {
	s := startServer(t)
	p := start(t, s, 0)
	c := dial(t, p)
	p.Next(ToServer, Drop)
	c.send("lost")
	c.send("second")
	s.want(t, "second") // the first never arrived
	c.want("re:second")

	p.Next(ToClient, Drop)
	c.send("third")
	s.want(t, "third")
	c.send("fourth")
	s.want(t, "fourth")
	c.want("re:fourth") // the answer to the third was lost
	if p.Count(ToServer, Drop) != 1 || p.Count(ToClient, Drop) != 1 {
		t.Errorf("drops counted %d, %d; want 1, 1", p.Count(ToServer, Drop), p.Count(ToClient, Drop))
	}
}

// TestDelayResponse holds an answer until the client speaks again: the
// late answer arrives after the client's next request has gone, and
// before that request's answer.
func TestDelayResponse(t *testing.T) {
	s := startServer(t)
	p := start(t, s, 0)
	c := dial(t, p)
	p.Next(ToClient, Delay)
	c.send("slow")
	s.want(t, "slow")
	c.c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	var f iso8583.Framing
	if _, m, err := f.ReadFrame(c.br, nil); err == nil {
		t.Fatalf("answer %q came before the client spoke again", m)
	}
	c.send("next")
	c.want("re:slow")
	c.want("re:next")
}

// TestDelayRequest holds a request until the client sends the next: the
// server reads both, in order, only then.
func TestDelayRequest(t *testing.T) {
	s := startServer(t)
	p := start(t, s, 0)
	c := dial(t, p)
	p.Next(ToServer, Delay)
	c.send("slow")
	c.send("next")
	s.want(t, "slow")
	s.want(t, "next")
	c.want("re:slow")
	c.want("re:next")
}

// TestDelayMaxHold releases a held frame when the client says nothing
// more.
func TestDelayMaxHold(t *testing.T) {
	s := startServer(t)
	p := start(t, s, 20*time.Millisecond)
	c := dial(t, p)
	p.Next(ToServer, Delay)
	c.send("slow")
	s.want(t, "slow")
	c.want("re:slow")
}

// TestResetRequest cuts a request in half: the server reads half a frame
// and a reset, the client a reset.
func TestResetRequest(t *testing.T) {
	s := startServer(t)
	p := start(t, s, 0)
	c := dial(t, p)
	p.Next(ToServer, Reset)
	c.send("0200 cut in the middle")
	if _, err := c.recv(); !isReset(err) {
		t.Errorf("client read after a reset: %v, want a reset", err)
	}
	select {
	case err := <-s.ends:
		if !isReset(err) {
			t.Errorf("server read after a reset: %v, want a reset", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server connection not ended")
	}
	s.none(t)
	if n := p.Count(ToServer, Reset); n != 1 {
		t.Errorf("Count(ToServer, Reset) = %d, want 1", n)
	}
	// A new connection goes through.
	c = dial(t, p)
	c.send("again")
	s.want(t, "again")
	c.want("re:again")
}

// TestResetResponse cuts an answer in half: the server has read the whole
// request, the client gets half the answer and a reset.
func TestResetResponse(t *testing.T) {
	s := startServer(t)
	p := start(t, s, 0)
	c := dial(t, p)
	p.Next(ToClient, Reset)
	c.send("0200 answered")
	s.want(t, "0200 answered")
	if m, err := c.recv(); !isReset(err) {
		t.Errorf("client read = %q, %v; want a reset", m, err)
	}
}

// TestDecide sees every frame with its direction and connection.
func TestDecide(t *testing.T) {
	s := startServer(t)
	type seen struct {
		dir  Direction
		conn int
		msg  string
	}
	ch := make(chan seen, 8)
	p := &Proxy{Target: s.ln.Addr().String(), Decide: func(f Frame) Fault {
		ch <- seen{f.Dir, f.Conn, string(f.Msg)}
		if f.Dir == ToServer && string(f.Msg) == "drop me" {
			return Drop
		}
		return Pass
	}}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c := dial(t, p)
	c.send("drop me")
	c.send("keep me")
	c.want("re:keep me")
	want := []seen{{ToServer, 1, "drop me"}, {ToServer, 1, "keep me"}, {ToClient, 1, "re:keep me"}}
	for _, w := range want {
		if got := <-ch; got != w {
			t.Errorf("Decide saw %+v, want %+v", got, w)
		}
	}
}

// TestCloseWhileHolding closes the proxy with a frame held back for
// longer than the test may last: Close resets the connections and returns
// without waiting out the hold.
func TestCloseWhileHolding(t *testing.T) {
	s := startServer(t)
	p := &Proxy{Target: s.ln.Addr().String(), MaxHold: time.Hour}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	c := dial(t, p)
	p.Next(ToClient, Delay)
	c.send("held")
	s.want(t, "held")
	done := make(chan error)
	go func() { done <- p.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close waits for the held frame")
	}
	if m, err := c.recv(); err == nil {
		t.Errorf("client read %q after Close, want the connection reset", m)
	}
}
