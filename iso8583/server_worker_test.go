package iso8583

import (
	"bytes"
	"context"
	"net"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// goroutineID returns the calling goroutine's number, as the first line of
// its stack trace gives it (for tests only).
func goroutineID() int {
	var b [64]byte
	s := b[:runtime.Stack(b[:], false)]
	s = bytes.TrimPrefix(s, []byte("goroutine "))
	n, _ := strconv.Atoi(string(s[:bytes.IndexByte(s, ' ')]))
	return n
}

// TestServerReusesWorkers checks that requests answered one after another
// run on the same worker goroutine, whose grown stack is kept, and that
// the workers end when the server is closed.
func TestServerReusesWorkers(t *testing.T) {
	before := runtime.NumGoroutine()
	var mu sync.Mutex
	workers := map[int]int{}
	srv := &Server{Handler: HandlerFunc(func(ctx context.Context, req *Message) *Message {
		mu.Lock()
		workers[goroutineID()]++
		mu.Unlock()
		return approve(ctx, req)
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	c := NewClient(ClientConfig{Addr: l.Addr().String()})
	ctx := ctxTimeout(t, 10*time.Second)
	const n = 50
	for i := range n {
		if _, err := c.Send(ctx, testPurchase(strconv.Itoa(100000+i), "TERM0001")); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	mu.Lock()
	// A worker that has answered is waiting for the next request before
	// the client sends it, but the client may be quicker than the
	// worker's return to its queue: a few workers, not one per request.
	if len(workers) > n/5 {
		t.Errorf("%d requests answered on %d goroutines, want workers reused", n, len(workers))
	}
	mu.Unlock()
	srv.Close()
	<-done
	waitFor(t, "workers to end", func() bool { return runtime.NumGoroutine() <= before })
}
