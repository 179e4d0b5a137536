// Package faultnet is a TCP proxy for tests that injects network faults
// into the length-framed messages of package iso8583 (its Framing: a length
// header, an optional TPDU, the message) between a client and a server,
// one frame at a time: it loses a frame, holds one back and delivers it
// late, or resets the connection (a TCP RST, RFC 9293 section 3.5.2)
// after only part of a frame went through.
//
// The proxy keeps TCP's order within each direction of a connection: a
// frame held back holds back the frames behind it, as a segment that is
// lost and retransmitted does. A held frame is released when the client
// sends its next frame on the connection, so a test learns without a
// clock that the client has given up waiting (a terminal sends its
// reversal) before the late frame arrives; MaxHold bounds the hold when
// the client sends nothing more.
//
// A test decides each frame's fate in Proxy.Decide, at random from a seed
// or on command (Proxy.Next), and reads what happened from Proxy.Count.
package faultnet

import (
	"bufio"
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// Direction is the way a frame travels.
type Direction uint8

const (
	// ToServer is a frame from the client (a request) on its way to the
	// server.
	ToServer Direction = iota
	// ToClient is a frame from the server (a response) on its way to the
	// client.
	ToClient
)

func (d Direction) String() string {
	if d == ToServer {
		return "to server"
	}
	return "to client"
}

// A Fault is what the proxy does to one frame.
type Fault uint8

const (
	// Pass delivers the frame at once.
	Pass Fault = iota
	// Drop loses the frame; the connection stays up.
	Drop
	// Delay holds the frame, and the frames behind it in its direction,
	// until the client sends its next frame on the connection (or
	// MaxHold passes, or the connection ends), then delivers it.
	Delay
	// Reset writes the first half of the frame (length header included)
	// and resets both connections: each side sees a RST, the receiver
	// of the frame after a partial frame.
	Reset
	numFaults
)

func (f Fault) String() string {
	switch f {
	case Pass:
		return "pass"
	case Drop:
		return "drop"
	case Delay:
		return "delay"
	case Reset:
		return "reset"
	}
	return "fault?"
}

// A Frame is what Decide sees of a frame.
type Frame struct {
	Dir Direction
	// Conn numbers the client's connections through the proxy from 1.
	Conn int
	// Msg is the message, without length header and TPDU. It is valid
	// only during the call.
	Msg []byte
}

// DefaultMaxHold is the longest a Delay holds a frame when MaxHold is 0.
const DefaultMaxHold = 5 * time.Second

// A Proxy listens on a loopback port and relays each connection to
// Target, frame by frame. Set the fields, then call Start; the fields
// must not change after.
type Proxy struct {
	// Target is the server's address.
	Target string
	// Framing splits each direction's stream into frames.
	Framing iso8583.Framing
	// Decide returns the fault for a frame that no Next command claims;
	// nil passes every frame. It is called from the proxy's goroutines,
	// one frame at a time.
	Decide func(Frame) Fault
	// MaxHold bounds how long a Delay holds a frame; 0 means
	// DefaultMaxHold.
	MaxHold time.Duration

	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	next [2][]Fault
	n    [2][numFaults]int
	conn int
	live map[*pair]bool
	done bool
}

// Start listens on 127.0.0.1 at a free port and serves until Close.
func (p *Proxy) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	p.ln, p.live = ln, map[*pair]bool{}
	p.wg.Add(1)
	go p.accept()
	return nil
}

// Addr returns the address clients dial.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Dial connects to the proxy; its signature is that of
// iso8583.ClientConfig.Dial, whose address it ignores.
func (p *Proxy) Dial(ctx context.Context, _ string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", p.Addr())
}

// Next makes the next frame in direction dir suffer fault f, before
// Decide is asked; several calls queue in order.
func (p *Proxy) Next(dir Direction, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next[dir] = append(p.next[dir], f)
}

// Count returns how many frames in direction dir have suffered fault f
// so far (Pass counts the frames delivered untouched).
func (p *Proxy) Count(dir Direction, f Fault) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n[dir][f]
}

// Close stops listening, resets every connection and waits for the
// proxy's goroutines.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	p.done = true
	live := make([]*pair, 0, len(p.live))
	for c := range p.live {
		live = append(live, c)
	}
	p.mu.Unlock()
	for _, c := range live {
		c.close(true)
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		var d net.Dialer
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s, err := d.DialContext(ctx, "tcp", p.Target)
		cancel()
		if err != nil {
			reset(c)
			continue
		}
		p.mu.Lock()
		if p.done {
			p.mu.Unlock()
			reset(c)
			reset(s)
			return
		}
		p.conn++
		pr := &pair{p: p, id: p.conn, side: [2]net.Conn{ToServer: s, ToClient: c}, ended: make(chan struct{}), spoke: make(chan struct{})}
		p.live[pr] = true
		p.mu.Unlock()
		for _, dir := range []Direction{ToServer, ToClient} {
			q := make(chan item, 64)
			p.wg.Add(2)
			go pr.read(dir, q)
			go pr.write(dir, q)
		}
	}
}

// decide returns the fault of a frame and counts it.
func (p *Proxy) decide(f Frame) Fault {
	p.mu.Lock()
	var fault Fault
	if q := p.next[f.Dir]; len(q) > 0 {
		fault, p.next[f.Dir] = q[0], q[1:]
		p.mu.Unlock()
	} else {
		p.mu.Unlock()
		if p.Decide != nil {
			fault = p.Decide(f)
		}
	}
	if fault >= numFaults {
		fault = Pass
	}
	p.mu.Lock()
	p.n[f.Dir][fault]++
	p.mu.Unlock()
	return fault
}

// pair is one client connection and its connection to the server.
type pair struct {
	p    *Proxy
	id   int
	side [2]net.Conn // indexed by the direction a write to it goes

	mu      sync.Mutex
	spoken  int           // frames read from the client so far
	spoke   chan struct{} // closed and replaced when spoken grows
	ended   chan struct{} // closed when a reader stops
	endOnce sync.Once
	once    sync.Once
	closing atomic.Bool // set before close resets or closes the sides
}

// item is a frame on its way through the proxy.
type item struct {
	frame []byte
	fault Fault
	after int // for Delay: released once the client has spoken more
}

// read reads the frames travelling in dir and queues them for write.
func (c *pair) read(dir Direction, q chan<- item) {
	defer c.p.wg.Done()
	defer close(q)
	src := c.side[ToClient]
	if dir == ToClient {
		src = c.side[ToServer]
	}
	br := bufio.NewReader(src)
	for {
		tpdu, msg, err := c.p.Framing.ReadFrame(br, nil)
		if err != nil {
			c.endOnce.Do(func() { close(c.ended) })
			return
		}
		frame, err := c.p.Framing.AppendFrame(nil, tpdu, msg)
		if err != nil {
			c.endOnce.Do(func() { close(c.ended) })
			return
		}
		it := item{frame: frame, fault: c.p.decide(Frame{Dir: dir, Conn: c.id, Msg: msg})}
		c.mu.Lock()
		if dir == ToServer {
			c.spoken++
			close(c.spoke)
			c.spoke = make(chan struct{})
		}
		it.after = c.spoken
		c.mu.Unlock()
		q <- it
	}
}

// write delivers the frames of q to the side dir points at, as their
// faults say, and closes the pair when q ends or a write fails.
func (c *pair) write(dir Direction, q <-chan item) {
	defer c.p.wg.Done()
	dst := c.side[dir]
	hold := c.p.MaxHold
	if hold <= 0 {
		hold = DefaultMaxHold
	}
	for it := range q {
		switch it.fault {
		case Drop:
			continue
		case Delay:
			c.wait(it.after, hold)
			if c.closing.Load() {
				// The wait ended because the pair is closing (one
				// side's reader stopped first): the held frame is lost
				// with the connection, not delivered on the other side
				// before its reset.
				continue
			}
		case Reset:
			dst.Write(it.frame[:len(it.frame)/2])
			c.close(true)
			continue
		}
		if _, err := dst.Write(it.frame); err != nil {
			c.close(true)
		}
	}
	c.close(false)
}

// wait returns once the client has sent more than after frames, hold has
// passed, or a reader has stopped.
func (c *pair) wait(after int, hold time.Duration) {
	t := time.NewTimer(hold)
	defer t.Stop()
	for {
		c.mu.Lock()
		spoken, spoke := c.spoken, c.spoke
		c.mu.Unlock()
		if spoken > after {
			return
		}
		select {
		case <-spoke:
		case <-t.C:
			return
		case <-c.ended:
			return
		}
	}
}

// close closes both connections, with a RST when rst is set, and forgets
// the pair.
func (c *pair) close(rst bool) {
	c.once.Do(func() {
		c.closing.Store(true)
		for _, s := range c.side {
			if rst {
				reset(s)
			} else {
				s.Close()
			}
		}
		c.p.mu.Lock()
		delete(c.p.live, c)
		c.p.mu.Unlock()
	})
}

// reset closes c with a RST rather than a FIN: SO_LINGER with a zero
// timeout discards what is unsent and aborts the connection.
func reset(c net.Conn) {
	if t, ok := c.(*net.TCPConn); ok {
		t.SetLinger(0)
	}
	c.Close()
}
