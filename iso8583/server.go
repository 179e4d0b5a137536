package iso8583

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
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

// A Server accepts connections from terminals or other hosts and answers
// their requests with Handler. Each connection reads frames in order;
// requests are handled concurrently, at most MaxConcurrent at a time
// across the server, and answered as they finish, with the request's TPDU
// reversed. Requests keep the bytes they arrived as, so a handler checks
// their MAC with Verify and signs its response with Sign.
type Server struct {
	// Handler answers requests; typically a *ServeMux.
	Handler Handler
	// Spec unpacks requests and packs responses; nil means SpecASCII.
	Spec *Spec
	// Framing frames messages; its MaxFrame bounds the frames accepted. A
	// frame over the limit closes the connection.
	Framing Framing
	// MaxConcurrent bounds the handlers running at once; 0 means 64. When
	// it is reached, connections stop reading until a handler returns.
	MaxConcurrent int
	// ReadTimeout bounds the wait for each frame, so that a peer that goes
	// silent or trickles bytes is disconnected; 0 means 5 minutes.
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
	sem      chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	lns      map[net.Listener]struct{}
	conns    map[*serverConn]struct{}
	shutdown bool
	wg       sync.WaitGroup
}

func (s *Server) init() {
	if s.sem == nil {
		n := s.MaxConcurrent
		if n <= 0 {
			n = 64
		}
		s.sem = make(chan struct{}, n)
		s.ctx, s.cancel = context.WithCancel(context.Background())
		s.lns = make(map[net.Listener]struct{})
		s.conns = make(map[*serverConn]struct{})
	}
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
			return err
		}
		sc := &serverConn{s: s, c: nc}
		s.mu.Lock()
		if s.shutdown {
			s.mu.Unlock()
			nc.Close()
			return ErrServerClosed
		}
		s.conns[sc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go sc.serve()
	}
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
	for {
		// Check for shutdown and arm the deadline under the lock, so that
		// Shutdown's wake-up deadline cannot be overwritten.
		s.mu.Lock()
		down := s.shutdown
		if !down {
			down = sc.c.SetReadDeadline(time.Now().Add(rt)) != nil
		}
		s.mu.Unlock()
		if down {
			return
		}
		tpdu, b, err := s.Framing.ReadFrame(br, nil)
		if err != nil {
			s.mu.Lock()
			down := s.shutdown
			s.mu.Unlock()
			if !down {
				s.log("iso8583: closing connection", "remote", sc.c.RemoteAddr().String(), "err", err)
			}
			return
		}
		req, err := spec.Unpack(b)
		if err != nil {
			s.log("iso8583: dropping malformed message", "remote", sc.c.RemoteAddr().String(), "err", err)
			continue
		}
		select {
		case s.sem <- struct{}{}:
		case <-s.ctx.Done():
			return
		}
		sc.inflight.Add(1)
		go sc.handle(spec, tpdu, req)
	}
}

func (sc *serverConn) handle(spec *Spec, tpdu TPDU, req *Message) {
	s := sc.s
	defer func() {
		<-s.sem
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
		s.log("iso8583: write failed, closing connection", "remote", sc.c.RemoteAddr().String(), "err", err)
		sc.c.Close()
	}
}
