package iso8583

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"syscall"
	"time"
)

// ErrServerClosed is returned by Server.Serve after Shutdown or Close.
var ErrServerClosed = errors.New("iso8583: server closed")

// A Handler answers one request. It returns the response to send, or nil to
// send nothing. A response with Raw bytes (see Sign) is sent as it is;
// otherwise the server packs it. ctx ends at the handler deadline or when
// the server is closed.
type Handler interface {
	ServeISO8583(ctx context.Context, req *Message) *Message
}

// HandlerFunc adapts a function to a Handler.
type HandlerFunc func(ctx context.Context, req *Message) *Message

// ServeISO8583 calls f.
func (f HandlerFunc) ServeISO8583(ctx context.Context, req *Message) *Message { return f(ctx, req) }

// A ServeMux routes requests to handlers by MTI, in the manner of
// net/http.ServeMux: a repeat (0401, 0221) goes to the handler of its MTI
// if there is one and to the handler of the original MTI (0400, 0220)
// otherwise. A request no handler takes is answered with response code 12
// (invalid transaction); a response no handler takes is dropped.
type ServeMux struct {
	mu sync.RWMutex
	m  map[MTI]Handler
}

// NewServeMux returns an empty ServeMux.
func NewServeMux() *ServeMux { return &ServeMux{m: make(map[MTI]Handler)} }

// Handle registers h for mti. It panics if mti is not four digits, h is
// nil, or mti already has a handler: these are programming errors.
func (mux *ServeMux) Handle(mti MTI, h Handler) {
	if !mti.Valid() || h == nil {
		panic("iso8583: ServeMux.Handle: invalid MTI or nil handler")
	}
	mux.mu.Lock()
	defer mux.mu.Unlock()
	if _, dup := mux.m[mti]; dup {
		panic("iso8583: ServeMux.Handle: MTI " + string(mti) + " registered twice")
	}
	mux.m[mti] = h
}

// HandleFunc registers f for mti.
func (mux *ServeMux) HandleFunc(mti MTI, f func(ctx context.Context, req *Message) *Message) {
	mux.Handle(mti, HandlerFunc(f))
}

// Handler returns the handler for mti, or nil.
func (mux *ServeMux) Handler(mti MTI) Handler {
	mux.mu.RLock()
	defer mux.mu.RUnlock()
	if h, ok := mux.m[mti]; ok {
		return h
	}
	return mux.m[mti.Original()]
}

// ServeISO8583 dispatches req to its handler.
func (mux *ServeMux) ServeISO8583(ctx context.Context, req *Message) *Message {
	if h := mux.Handler(req.MTI); h != nil {
		return h.ServeISO8583(ctx, req)
	}
	if !req.MTI.IsRequest() {
		return nil
	}
	return reject(req, InvalidTransaction)
}

// reject answers req with code, echoing the fields a response repeats,
// without the class's other required fields.
func reject(req *Message, code ResponseCode) *Message {
	m := NewMessage(req.MTI.Response())
	for _, id := range echoed {
		if v, ok := req.Field(id); ok {
			m.Set(id, v)
		}
	}
	m.SetString(39, string(code))
	return m
}

// Defaults of the Server's limits.
const (
	// DefaultMaxConns is the number of connections a Server keeps open
	// when MaxConns is 0. A host instance serves a few hundred terminals on
	// persistent connections; the limit leaves room for their reconnections
	// and for other hosts, and keeps a flood of connections to about 20 MiB
	// of buffers and goroutine stacks.
	DefaultMaxConns = 1024
	// DefaultMaxConcurrent is the number of handlers a Server runs at once
	// when MaxConcurrent is 0.
	DefaultMaxConcurrent = 64
	// DefaultMaxInFlightPerConn is the number of requests of one
	// connection a Server handles at once when MaxInFlightPerConn is 0. A
	// terminal waits for each response before its next request, and a
	// store controller or concentrator multiplexes a few lanes; a
	// host-to-host link that keeps more requests outstanding should raise
	// it.
	DefaultMaxInFlightPerConn = 8
)

// burstLogInterval is how often a Server logs the count of connections it
// keeps closing for one reason, after logging the first; a burst of
// connections closed for want of a first frame also ends after this long
// without one.
const burstLogInterval = 10 * time.Second

// A burst counts the connections a Server closes for one reason (refused
// at the connection limit, or silent after accept), so that a flood of
// them is logged in a few lines rather than one a connection: the first
// at once, the count at most every burstLogInterval, and the total when
// the burst ends. The Server's mu guards it.
type burst struct {
	n      int       // connections since the burst began; 0 between bursts
	logged time.Time // when the burst was last logged
	last   time.Time // when its last connection was counted
}

// add counts a connection closed at now and returns the count to log: 1
// for the first of a burst, the count so far once burstLogInterval has
// passed since the last line, and 0 when there is nothing to log.
func (b *burst) add(now time.Time) int {
	b.n++
	b.last = now
	if b.n == 1 || now.Sub(b.logged) >= burstLogInterval {
		b.logged = now
		return b.n
	}
	return 0
}

// end ends the burst and returns its count, 0 if there was none.
func (b *burst) end() int {
	n := b.n
	*b = burst{}
	return n
}

// endQuiet ends the burst as end does if no connection has been counted
// for burstLogInterval before now; otherwise it returns 0.
func (b *burst) endQuiet(now time.Time) int {
	if b.n == 0 || now.Sub(b.last) < burstLogInterval {
		return 0
	}
	return b.end()
}

// A Server accepts connections from terminals or other hosts and answers
// their requests with Handler, with the request's TPDU reversed. Requests
// keep the bytes they arrived as, so a handler checks their MAC with Verify
// and signs its response with Sign.
//
// Each connection reads its frames in order and hands each request to a
// handler of its own, so responses go out as they are ready. The server
// protects the terminals it serves from a peer that misbehaves:
//
//   - At most MaxConns connections are open; one accepted beyond is closed
//     at once, and a burst of them is logged once, not once a connection.
//   - A frame that cannot be framed (a length header that is not a length,
//     or over Framing.MaxFrame) or unpacked closes its connection at once,
//     after the requests read before it are answered; the log names the
//     peer and the error, never the message's contents.
//   - A connection has at most MaxInFlightPerConn requests being handled;
//     it is not read further until one is answered, so one peer cannot
//     take every handler.
//   - At most MaxConcurrent handlers run at once; a connection that waits
//     for one is served in the order it asked, not overtaken by others.
//   - FirstFrameTimeout disconnects a peer that does not send a complete
//     frame soon after it connects, so that silent connections cannot hold
//     every place for long; a burst of them is logged once.
//   - ReadTimeout disconnects a peer that goes silent or trickles bytes,
//     and WriteTimeout one that does not read its responses.
type Server struct {
	// Handler answers requests; typically a *ServeMux.
	Handler Handler
	// Spec unpacks requests and packs responses; nil means SpecASCII.
	Spec *Spec
	// Framing frames messages; its MaxFrame bounds the frames accepted. A
	// frame over the limit closes the connection.
	Framing Framing
	// MaxConns bounds the connections open at once; 0 means
	// DefaultMaxConns. A connection accepted beyond it is closed at once.
	MaxConns int
	// MaxConcurrent bounds the handlers running at once across the
	// server; 0 means DefaultMaxConcurrent. Connections that wait for a
	// handler are served first come, first served.
	MaxConcurrent int
	// MaxInFlightPerConn bounds the requests of one connection being
	// handled at once; 0 means DefaultMaxInFlightPerConn. When it is
	// reached the connection is not read until one is answered.
	MaxInFlightPerConn int
	// FirstFrameTimeout bounds the time from accept to the end of a
	// connection's first frame (with the TLS handshake if the listener
	// is a TLS listener), however the bytes trickle in; 0 means 30
	// seconds. A terminal connects because it has a request or an echo
	// test to send, so its first frame follows within a round trip or
	// two; 30 seconds leaves room for slow mobile links and TCP
	// retransmissions, yet a peer that opens connections and sends
	// nothing must open MaxConns of them every 30 seconds, not every
	// ReadTimeout, to keep the terminals out. A peer that connects ahead
	// of its first request should send an echo test (0800) at once. Like
	// the other limits it has no value that turns it off; set it to
	// ReadTimeout or more to leave the first frame to ReadTimeout.
	FirstFrameTimeout time.Duration
	// ReadTimeout bounds the wait for each frame, so that a peer that goes
	// silent or trickles bytes is disconnected; 0 means 5 minutes. It is
	// long because a terminal keeps its connection between payments.
	ReadTimeout time.Duration
	// WriteTimeout bounds each write, so that a peer that does not read is
	// disconnected; 0 means 30 seconds.
	WriteTimeout time.Duration
	// HandlerTimeout is the deadline of each handler's context; 0 means
	// 30 seconds.
	HandlerTimeout time.Duration
	// Log receives connection and frame errors, never message contents;
	// nil discards them.
	Log *slog.Logger

	mu       sync.Mutex
	handlers *fifoSem
	ctx      context.Context
	cancel   context.CancelFunc
	lns      map[net.Listener]struct{}
	conns    map[*serverConn]struct{}
	shutdown bool
	wg       sync.WaitGroup
	work     chan job // to the idle workers (see dispatch)
	// Connections refused at the limit, and connections closed without a
	// first frame.
	refused, silent burst
}

func (s *Server) init() {
	if s.handlers == nil {
		s.handlers = newFIFOSem(limit(s.MaxConcurrent, DefaultMaxConcurrent))
		s.ctx, s.cancel = context.WithCancel(context.Background())
		s.lns = make(map[net.Listener]struct{})
		s.conns = make(map[*serverConn]struct{})
		s.work = make(chan job)
	}
}

func limit(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func (s *Server) log(msg string, args ...any) {
	if s.Log != nil {
		s.Log.Warn(msg, args...)
	}
}

// ListenAndServe listens on TCP address addr and serves.
func (s *Server) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(l)
}

// Serve accepts connections on l until Shutdown or Close, and then returns
// ErrServerClosed.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	s.init()
	if s.shutdown {
		s.mu.Unlock()
		l.Close()
		return ErrServerClosed
	}
	s.lns[l] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.lns, l)
		s.mu.Unlock()
	}()
	maxConns := limit(s.MaxConns, DefaultMaxConns)
	var backoff time.Duration
	for {
		nc, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			down := s.shutdown
			s.mu.Unlock()
			if down {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				// Out of file descriptors: wait for connections to end
				// rather than stop serving, as net/http does.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log("iso8583: accept failed, retrying", "err", err, "in", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		sc := &serverConn{s: s, c: nc, accepted: time.Now(), ready: make(chan struct{}, 1),
			slots: make(chan struct{}, limit(s.MaxInFlightPerConn, DefaultMaxInFlightPerConn))}
		var note func()
		s.mu.Lock()
		if s.shutdown {
			s.mu.Unlock()
			nc.Close()
			return ErrServerClosed
		}
		if len(s.conns) >= maxConns {
			note = s.refuseLocked(nc, maxConns)
			s.mu.Unlock()
			nc.Close()
			note()
			continue
		}
		if n := s.refused.end(); n > 0 {
			note = func() { s.log("iso8583: connection limit no longer reached", "refused", n, "max_conns", maxConns) }
		}
		s.conns[sc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		if note != nil {
			note()
		}
		go sc.serve()
	}
}

// refuseLocked counts a connection refused at the limit and returns the
// logging to do once s.mu is released: the first refusal of a burst, then
// the count at most every burstLogInterval.
func (s *Server) refuseLocked(nc net.Conn, maxConns int) func() {
	switch n := s.refused.add(time.Now()); n {
	case 0:
		return func() {}
	case 1:
		remote := nc.RemoteAddr().String()
		return func() {
			s.log("iso8583: connection limit reached, closing new connections", "max_conns", maxConns, "remote", remote)
		}
	default:
		return func() { s.log("iso8583: connection limit still reached", "refused", n, "max_conns", maxConns) }
	}
}

// silentLocked counts a connection closed for want of a first frame
// within timeout and returns the logging to do once s.mu is released, as
// refuseLocked does. A burst of them ends when none has been closed for
// burstLogInterval.
func (s *Server) silentLocked(sc *serverConn, timeout time.Duration) func() {
	now := time.Now()
	ended := s.silent.endQuiet(now)
	n := s.silent.add(now)
	return func() {
		if ended > 0 {
			s.logSilentEnd(ended)
		}
		switch n {
		case 0:
		case 1:
			s.log("iso8583: closing connections that send no first frame in time", "timeout", timeout, "remote", sc.remote())
		default:
			s.log("iso8583: still closing connections that send no first frame in time", "closed", n, "timeout", timeout)
		}
	}
}

func (s *Server) logSilentEnd(n int) {
	s.log("iso8583: connections send their first frame in time again", "closed", n)
}

// Shutdown stops accepting connections and reading requests, waits for the
// requests in flight to be answered, and closes the connections. If ctx
// ends first, it closes everything at once and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	s.shutdown = true
	for l := range s.lns {
		l.Close()
	}
	for sc := range s.conns {
		// Wake the reader; it sees shutdown and stops reading.
		sc.c.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.Close()
		<-done
		return ctx.Err()
	}
}

// Close stops the server at once: listeners and connections are closed and
// handler contexts cancelled.
func (s *Server) Close() error {
	s.mu.Lock()
	s.init()
	s.shutdown = true
	for l := range s.lns {
		l.Close()
	}
	for sc := range s.conns {
		sc.c.Close()
	}
	s.mu.Unlock()
	s.cancel()
	return nil
}

type serverConn struct {
	s        *Server
	c        net.Conn
	accepted time.Time
	ready    chan struct{} // the connection's place in the handlers' queue
	slots    chan struct{} // one token per request being handled
	wmu      sync.Mutex
	inflight sync.WaitGroup
}

func (sc *serverConn) serve() {
	s := sc.s
	defer func() {
		sc.inflight.Wait()
		sc.c.Close()
		s.mu.Lock()
		delete(s.conns, sc)
		s.mu.Unlock()
		s.wg.Done()
	}()
	spec := s.Spec
	if spec == nil {
		spec = SpecASCII
	}
	br := bufio.NewReader(sc.c)
	rt := dur(s.ReadTimeout, 5*time.Minute)
	// The first frame is due FirstFrameTimeout after accept, each later
	// one ReadTimeout after the read for it begins.
	first := true
	firstTimeout := min(dur(s.FirstFrameTimeout, 30*time.Second), rt)
	for {
		// A connection with its limit of requests in flight is not read
		// until one is answered.
		select {
		case sc.slots <- struct{}{}:
		case <-s.ctx.Done():
			return
		}
		// Check for shutdown and arm the deadline under the lock, so that
		// Shutdown's wake-up deadline cannot be overwritten.
		deadline := time.Now().Add(rt)
		if first {
			deadline = sc.accepted.Add(firstTimeout)
		}
		s.mu.Lock()
		down := s.shutdown
		if !down {
			down = sc.c.SetReadDeadline(deadline) != nil
		}
		s.mu.Unlock()
		if down {
			return
		}
		tpdu, b, err := s.Framing.ReadFrame(br, nil)
		if err != nil {
			var ne net.Error
			var silent func()
			s.mu.Lock()
			down := s.shutdown
			if !down && first && errors.As(err, &ne) && ne.Timeout() {
				silent = s.silentLocked(sc, firstTimeout)
			}
			s.mu.Unlock()
			switch {
			case down:
			case silent != nil:
				silent()
			case err == io.EOF:
				if s.Log != nil {
					s.Log.Debug("iso8583: connection closed by peer", "remote", sc.remote())
				}
			default:
				s.log("iso8583: closing connection", "remote", sc.remote(), "err", err)
			}
			return
		}
		if first {
			first = false
			s.mu.Lock()
			n := s.silent.endQuiet(time.Now())
			s.mu.Unlock()
			if n > 0 {
				s.logSilentEnd(n)
			}
		}
		req, err := spec.Unpack(b)
		if err != nil {
			// The frame's bytes may hold card data: log only their
			// length and the error, which never quotes a field.
			s.log("iso8583: closing connection after a message that does not unpack",
				"remote", sc.remote(), "bytes", len(b), "err", err)
			return
		}
		if !s.handlers.acquire(sc.ready, s.ctx.Done()) {
			return
		}
		sc.inflight.Add(1)
		s.dispatch(job{sc, spec, tpdu, req})
	}
}

// A job is a request for a worker.
type job struct {
	sc   *serverConn
	spec *Spec
	tpdu TPDU
	req  *Message
}

// workerIdle is how long a worker waits for another request before it
// ends.
const workerIdle = 10 * time.Second

// dispatch hands a request to an idle worker goroutine, or to a new one.
// Workers are kept for the next request, rather than a goroutine started
// for each, because a handler's deep calls (MAC, DUKPT, a database) grow a
// new goroutine's stack several times over, copying it each time: 4% of
// the CPU of examples/host under load. There are at most twice as many
// workers as handlers may run at once (MaxConcurrent): those handling,
// and those that have answered and are not yet waiting again. A worker
// idle for workerIdle ends.
func (s *Server) dispatch(j job) {
	select {
	case s.work <- j:
	default:
		go s.worker(j)
	}
}

// worker handles j, then the requests dispatch hands it, until it has
// been idle for workerIdle or the server is closed.
func (s *Server) worker(j job) {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		j.sc.handle(j.spec, j.tpdu, j.req)
		j = job{} // nothing of the request stays reachable while idle
		idle.Reset(workerIdle)
		select {
		case j = <-s.work:
		case <-idle.C:
			return
		case <-s.ctx.Done():
			return
		}
	}
}

func (sc *serverConn) remote() string { return sc.c.RemoteAddr().String() }

func (sc *serverConn) handle(spec *Spec, tpdu TPDU, req *Message) {
	s := sc.s
	defer func() {
		s.handlers.release()
		<-sc.slots
		sc.inflight.Done()
	}()
	ctx, cancel := context.WithTimeout(s.ctx, dur(s.HandlerTimeout, 30*time.Second))
	resp := s.Handler.ServeISO8583(ctx, req)
	cancel()
	if resp == nil {
		return
	}
	raw := resp.Raw()
	if raw == nil {
		var err error
		if raw, err = spec.Pack(resp); err != nil {
			s.log("iso8583: cannot pack response", "mti", string(resp.MTI), "err", err)
			return
		}
	}
	frame, err := s.Framing.AppendFrame(make([]byte, 0, len(raw)+9), tpdu.Reply(), raw)
	if err != nil {
		s.log("iso8583: cannot frame response", "err", err)
		return
	}
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	if err := sc.c.SetWriteDeadline(time.Now().Add(dur(s.WriteTimeout, 30*time.Second))); err != nil {
		return
	}
	if _, err := sc.c.Write(frame); err != nil {
		s.log("iso8583: write failed, closing connection", "remote", sc.remote(), "err", err)
		sc.c.Close()
	}
}

// A fifoSem is a counting semaphore that grants its slots in the order
// they were asked for, so that a connection waiting for a handler is not
// overtaken by connections that asked after it (a Go channel makes no such
// promise in its specification). Each waiter brings its own channel of
// capacity 1, on which it is granted its slot: a connection's, whose one
// reader asks for one slot at a time.
type fifoSem struct {
	mu      sync.Mutex
	free    int
	waiters []chan struct{} // first come first
}

func newFIFOSem(n int) *fifoSem { return &fifoSem{free: n} }

// acquire takes a slot, waiting in line on ready, and reports whether it
// did: false when done ends first.
func (q *fifoSem) acquire(ready chan struct{}, done <-chan struct{}) bool {
	q.mu.Lock()
	if q.free > 0 && len(q.waiters) == 0 {
		q.free--
		q.mu.Unlock()
		return true
	}
	q.waiters = append(q.waiters, ready)
	q.mu.Unlock()
	select {
	case <-ready:
		return true
	case <-done:
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if i := slices.Index(q.waiters, ready); i >= 0 {
		q.waiters = slices.Delete(q.waiters, i, i+1)
		return false
	}
	// Granted as done ended: hand the slot on.
	<-ready
	q.releaseLocked()
	return false
}

// release returns a slot, to the first waiter if there is one.
func (q *fifoSem) release() {
	q.mu.Lock()
	q.releaseLocked()
	q.mu.Unlock()
}

func (q *fifoSem) releaseLocked() {
	if len(q.waiters) == 0 {
		q.free++
		return
	}
	w := q.waiters[0]
	q.waiters[0] = nil
	q.waiters = q.waiters[1:]
	w <- struct{}{} // never blocks: the waiter's channel is empty
}

// waiting returns the number of waiters, for tests.
func (q *fifoSem) waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.waiters)
}
