package main

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// A balancer is a TCP load balancer in plain TCP mode, as in front of
// several host instances sharing one PostgreSQL store: each connection
// goes to the next backend in turn, and its bytes are copied both ways
// until either side closes.
type balancer struct {
	ln       net.Listener
	backends []string
	wg       sync.WaitGroup
	conns    []atomic.Int64 // connections sent to each backend
}

// startBalancer listens on a loopback port for connections to backends.
func startBalancer(backends ...string) (*balancer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &balancer{ln: ln, backends: backends, conns: make([]atomic.Int64, len(backends))}
	b.wg.Go(func() {
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			k := i % len(backends)
			b.conns[k].Add(1)
			b.wg.Go(func() { b.pipe(c, backends[k]) })
		}
	})
	return b, nil
}

// addr returns the address the balancer listens on.
func (b *balancer) addr() string { return b.ln.Addr().String() }

// close stops accepting and waits for the connections to end, which they
// do when their terminal or their backend closes them.
func (b *balancer) close() {
	b.ln.Close()
	b.wg.Wait()
}

// pipe copies c to and from a new connection to backend.
func (b *balancer) pipe(c net.Conn, backend string) {
	defer c.Close()
	s, err := net.Dial("tcp", backend)
	if err != nil {
		return
	}
	defer s.Close()
	done := make(chan struct{}, 2)
	go func() { io.Copy(s, c); s.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(c, s); c.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	<-done
	<-done
}
