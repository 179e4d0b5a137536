package iso8583

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Transport errors.
var (
	// ErrClosed means the client or the connection was closed.
	ErrClosed = errors.New("iso8583: connection closed")
	// ErrDuplicateRequest means a request with the same match key (message
	// class, STAN and terminal ID) is already waiting for its response.
	ErrDuplicateRequest = errors.New("iso8583: a request with the same class, STAN and terminal is in flight")
)

// A TimeoutError is returned by Client.Send when a request was written but
// no valid response came before the context ended or the connection failed
// (a response whose MAC fails counts as none), so the outcome is unknown. For an authorization or financial request it
// carries the reversal the acquirer must send; the client has already put
// it in its store-and-forward queue and repeats it until the host answers.
type TimeoutError struct {
	Request  *Message
	Reversal *Message // nil unless Request is an 0100 or 0200
	Err      error    // the context's error or the connection's
}

func (e *TimeoutError) Error() string {
	s := "iso8583: no response to " + string(e.Request.MTI) + " STAN " + e.Request.Text(11) + ": " + e.Err.Error()
	if e.Reversal != nil {
		s += " (reversal queued)"
	}
	return s
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// ClientConfig configures a Client. The zero value of every field but Addr
// (or Dial) is usable.
type ClientConfig struct {
	// Addr is the host's address, for Dial.
	Addr string
	// Dial opens a connection; nil dials TCP to Addr.
	Dial func(ctx context.Context, addr string) (net.Conn, error)
	// Spec packs messages; nil means SpecASCII.
	Spec *Spec
	// Framing frames messages on the connection.
	Framing Framing
	// TPDU is sent in front of each request when Framing has a TPDU.
	TPDU TPDU
	// MAC, when set, signs each request (field 64 or 128) and verifies the
	// MAC of each response. Messages that already have Raw bytes (see
	// Sign) are sent as they are.
	MAC MACKey
	// Time returns the current time, for field 7; nil means time.Now.
	Time func() time.Time
	// Rand is the source of the first STAN and of back-off jitter; nil
	// means crypto/rand.
	Rand io.Reader
	// STAN returns the next systems trace audit number for requests that
	// have none; nil counts from a random start, 000001 to 999999.
	STAN func() string
	// EchoInterval, if positive, sends an 0800 echo test when the
	// connection has been idle that long; a failed echo closes the
	// connection, which is redialled on next use.
	EchoInterval time.Duration
	// TerminalID and MerchantID, when not empty, are fields 41 (ans8) and
	// 42 (ans15) of the client's own echo tests (Echo and those of
	// EchoInterval), so that a host can find the terminal, and its keys,
	// by field 41 as for every other request. Empty sends an echo without
	// them, as ISO 8583 permits for a link-level test.
	TerminalID, MerchantID string
	// RetryInterval is how often the store-and-forward queue is retried
	// in the background; 0 means 30 seconds.
	RetryInterval time.Duration
	// RetryTimeout bounds each forwarding attempt; 0 means 30 seconds.
	RetryTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait between failed dials, which
	// doubles from MinBackoff (0 means 100 ms) to MaxBackoff (0 means 30 s),
	// with random jitter of up to half the wait.
	MinBackoff, MaxBackoff time.Duration
	// DialTimeout bounds each dial; 0 means 10 seconds.
	DialTimeout time.Duration
	// WriteTimeout bounds each write; 0 means 10 seconds.
	WriteTimeout time.Duration
	// Queue holds the store-and-forward messages; nil means a new
	// MemoryQueue.
	Queue Queue
	// Inbound receives messages that match no waiting request: requests
	// from the host and responses that came too late. Echo tests from the
	// host are answered automatically when Inbound is nil. It runs on the
	// connection's read goroutine and must not block.
	Inbound func(*Message)
}

// A Client sends requests to a host over one connection and matches each
// response to its request by message class, STAN (field 11) and terminal
// ID (field 41), so that many requests can be in flight at once. It
// redials with back-off after a failure, keeps the connection alive with
// echo tests, and keeps reversals and advices in a store-and-forward queue
// until the host acknowledges them. A Client is safe for concurrent use.
type Client struct {
	cfg  ClientConfig
	spec *Spec
	stan atomic.Uint32

	mu       sync.Mutex
	conn     *clientConn
	backoff  time.Duration
	nextDial time.Time
	closed   bool
	saf      Queue
	lastUse  time.Time

	flushMu sync.Mutex
	stop    chan struct{}
	done    chan struct{}
}

// NewClient returns a client for cfg and starts its background work
// (echo tests and store-and-forward retries). It dials on first use.
func NewClient(cfg ClientConfig) *Client {
	c := &Client{cfg: cfg, spec: cfg.Spec, saf: cfg.Queue, stop: make(chan struct{}), done: make(chan struct{})}
	if c.spec == nil {
		c.spec = SpecASCII
	}
	if c.saf == nil {
		c.saf = new(MemoryQueue)
	}
	var b [4]byte
	c.random(b[:])
	c.stan.Store(binary.BigEndian.Uint32(b[:]) % 999999)
	go c.background()
	return c
}

func (c *Client) random(b []byte) {
	r := c.cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b); err != nil {
		clear(b)
	}
}

func (c *Client) now() time.Time {
	if c.cfg.Time != nil {
		return c.cfg.Time()
	}
	return time.Now()
}

func (c *Client) nextSTAN() string {
	if c.cfg.STAN != nil {
		return c.cfg.STAN()
	}
	n := c.stan.Add(1)%999999 + 1
	s := strconv.Itoa(int(n))
	return zeros[:6-len(s)] + s
}

func dur(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Send sends request m and returns its response. A request without field
// 11 or field 7 gets them from the client's STAN counter and clock. Send
// returns when the response arrives, ctx ends or the connection fails.
// If the request was written and no response came, the error is a
// *TimeoutError, which for an 0100 or 0200 carries the queued reversal.
// A response with a declining code is not an error: see ResponseCode.Err.
func (c *Client) Send(ctx context.Context, m *Message) (*Message, error) {
	if m.Raw() == nil {
		if !m.Has(11) {
			m.SetString(11, c.nextSTAN())
		}
		if !m.Has(7) {
			m.SetString(7, TransmissionTime(c.now()))
		}
	}
	resp, written, err := c.roundTrip(ctx, m)
	if err == nil || !written {
		return resp, err
	}
	te := &TimeoutError{Request: m, Err: err}
	if o := m.MTI.Original(); o == MTIAuthorizationRequest || o == MTIFinancialRequest {
		if r, rerr := NewReversal(m, false); rerr == nil {
			if rm, rerr := r.Message(); rerr == nil {
				te.Reversal = rm
				if qerr := c.Forward(rm.Clone()); qerr != nil {
					te.Err = errors.Join(err, qerr)
				}
			}
		}
	}
	return nil, te
}

// roundTrip writes m and waits for its response; written reports whether
// the request may have reached the host.
func (c *Client) roundTrip(ctx context.Context, m *Message) (*Message, bool, error) {
	raw := m.Raw()
	if raw == nil {
		var err error
		if c.cfg.MAC != nil {
			raw, err = Sign(c.spec, m, c.cfg.MAC)
		} else {
			raw, err = c.spec.Pack(m)
		}
		if err != nil {
			return nil, false, err
		}
	}
	frame, err := c.cfg.Framing.AppendFrame(make([]byte, 0, len(raw)+9), c.cfg.TPDU, raw)
	if err != nil {
		return nil, false, err
	}
	cc, err := c.connect(ctx)
	if err != nil {
		return nil, false, err
	}
	key := matchKey(m)
	ch := make(chan *Message, 1)
	if err := cc.register(key, ch); err != nil {
		return nil, false, err
	}
	defer cc.unregister(key)
	if err := cc.write(frame, dur(c.cfg.WriteTimeout, 10*time.Second)); err != nil {
		c.drop(cc, err)
		return nil, true, err
	}
	var r *Message
	select {
	case r = <-ch:
	case <-cc.done:
		// The response may have arrived just before the connection closed:
		// select picks among ready cases at random.
		select {
		case r = <-ch:
		default:
			return nil, true, cc.err
		}
	case <-ctx.Done():
		return nil, true, ctx.Err()
	}
	if c.cfg.MAC != nil {
		if err := Verify(r, c.cfg.MAC); err != nil {
			return nil, true, err
		}
	}
	return r, true, nil
}

// matchKey is the version and class digits of the MTI, the STAN and the
// terminal ID: a request and its response share it.
func matchKey(m *Message) string {
	stan, _ := m.Field(11)
	tid, _ := m.Field(41)
	cls := "??"
	if m.MTI.Valid() {
		cls = string(m.MTI[:2])
	}
	return cls + "|" + string(stan) + "|" + string(tid)
}

// connect returns the live connection, dialling if there is none and the
// back-off allows.
func (c *Client) connect(ctx context.Context) (*clientConn, error) {
	c.mu.Lock()
	for {
		if c.closed {
			c.mu.Unlock()
			return nil, ErrClosed
		}
		if c.conn != nil && c.conn.closed() {
			c.conn = nil // failed; its reader is on the way to drop it
		}
		if c.conn != nil {
			cc := c.conn
			c.lastUse = c.now()
			c.mu.Unlock()
			return cc, nil
		}
		wait := time.Until(c.nextDial)
		if wait <= 0 {
			break
		}
		c.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
		c.mu.Lock()
	}
	// Dial while holding the lock so that only one dial is under way.
	dial := c.cfg.Dial
	if dial == nil {
		dial = func(ctx context.Context, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		}
	}
	dctx, cancel := context.WithTimeout(ctx, dur(c.cfg.DialTimeout, 10*time.Second))
	nc, err := dial(dctx, c.cfg.Addr)
	cancel()
	if err != nil {
		c.backoff = min(max(2*c.backoff, dur(c.cfg.MinBackoff, 100*time.Millisecond)), dur(c.cfg.MaxBackoff, 30*time.Second))
		var b [8]byte
		c.random(b[:])
		jitter := time.Duration(binary.BigEndian.Uint64(b[:]) % uint64(c.backoff/2+1))
		c.nextDial = time.Now().Add(c.backoff/2 + jitter)
		c.mu.Unlock()
		return nil, err
	}
	c.backoff = 0
	cc := &clientConn{c: nc, pending: make(map[string]chan *Message), done: make(chan struct{})}
	c.conn = cc
	c.lastUse = c.now()
	c.mu.Unlock()
	go c.readLoop(cc)
	return cc, nil
}

// drop closes cc after err and forgets it so that the next use redials.
func (c *Client) drop(cc *clientConn, err error) {
	if !errors.Is(err, ErrClosed) {
		err = &connError{err}
	}
	// Forget cc before closing it, so that whoever sees it closed and
	// tries again dials a new connection.
	c.mu.Lock()
	if c.conn == cc {
		c.conn = nil
	}
	c.mu.Unlock()
	cc.close(err)
}

func (c *Client) readLoop(cc *clientConn) {
	br := bufio.NewReader(cc.c)
	for {
		_, b, err := c.cfg.Framing.ReadFrame(br, nil)
		if err != nil {
			c.drop(cc, err)
			return
		}
		m, err := c.spec.Unpack(b)
		if err != nil {
			continue // a malformed frame answers nothing; its request times out
		}
		if m.MTI.IsResponse() && cc.deliver(matchKey(m), m) {
			continue
		}
		if c.cfg.Inbound != nil {
			c.cfg.Inbound(m)
			continue
		}
		if m.MTI == MTINetworkRequest && NetworkCode(m.Text(70)) == Echo {
			if r, err := Respond(m, Approved); err == nil {
				if rm, err := r.Message(); err == nil {
					if raw, err := c.spec.Pack(rm); err == nil {
						if f, err := c.cfg.Framing.AppendFrame(nil, c.cfg.TPDU, raw); err == nil {
							_ = cc.write(f, dur(c.cfg.WriteTimeout, 10*time.Second))
						}
					}
				}
			}
		}
	}
}

// Echo sends an 0800 echo test, with fields 41 and 42 when the
// ClientConfig has them, and waits for its 0810.
func (c *Client) Echo(ctx context.Context) error {
	r := &NetworkRequest{Code: Echo, Transmitted: TransmissionTime(c.now()), STAN: c.nextSTAN(),
		TerminalID: c.cfg.TerminalID, MerchantID: c.cfg.MerchantID}
	m, err := r.Message()
	if err != nil {
		return err
	}
	resp, _, err := c.roundTrip(ctx, m)
	if err != nil {
		return err
	}
	return ResponseCode(resp.Text(39)).Err()
}

// Forward puts m, an advice or reversal, in the store-and-forward queue.
// The client sends it on the next Flush (every RetryInterval in the
// background), as a repeat (0401, 0421, 0221) after the first attempt,
// until the host answers it with a response code other than those that
// say it did nothing (see Flush). A message with Raw bytes (signed by the
// caller) is sent as it is, repeats included, unless ClientConfig.MAC is
// set to sign the repeats.
func (c *Client) Forward(m *Message) error {
	return c.saf.Push(m)
}

// Pending returns the number of messages in the store-and-forward queue.
func (c *Client) Pending() int {
	return c.saf.Len()
}

// Flush sends the queued messages in order, each once, and removes those
// the host answers. An answer that says the host did nothing with the
// message and may later (90, 91, 92, 96: see tryAgain) does
// not remove it. Flush stops at the first failure, keeping that message
// and the rest for the next attempt, and returns the error: the
// ResponseCode for such an answer.
func (c *Client) Flush(ctx context.Context) error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	for {
		m, err := c.saf.Front()
		if err != nil || m == nil {
			return err
		}
		actx, cancel := context.WithTimeout(ctx, dur(c.cfg.RetryTimeout, 30*time.Second))
		resp, written, err := c.roundTrip(actx, m)
		cancel()
		if err == nil {
			if code := ResponseCode(resp.Text(39)); tryAgain(code) {
				err = code
			}
		}
		if err != nil {
			if written && !m.MTI.IsRepeat() && (m.Raw() == nil || c.cfg.MAC != nil) {
				// The host may have it: later attempts are repeats.
				rep := m.Clone()
				rep.MTI = m.MTI.Repeat()
				rep.raw = nil
				if qerr := c.saf.ReplaceFront(rep); qerr != nil {
					return qerr
				}
			}
			return err
		}
		if err := c.saf.PopFront(); err != nil {
			return err
		}
	}
}

// tryAgain reports whether c says that the host did not act on the
// request and the sender may send it again later: 90 (cutover in
// progress), 91 (issuer or switch inoperative), 92 (unable to route) and
// 96 (system malfunction). A reversal or advice answered so stays in the
// store-and-forward queue: the example acquirer answers 96 when its
// journal fails, having applied nothing.
func tryAgain(c ResponseCode) bool {
	switch c {
	case CutoverInProgress, IssuerUnavailable, UnableToRoute, SystemMalfunction:
		return true
	}
	return false
}

func (c *Client) background() {
	defer close(c.done)
	retry := time.NewTicker(dur(c.cfg.RetryInterval, 30*time.Second))
	defer retry.Stop()
	var echo <-chan time.Time
	if c.cfg.EchoInterval > 0 {
		t := time.NewTicker(c.cfg.EchoInterval)
		defer t.Stop()
		echo = t.C
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-c.stop
		cancel()
	}()
	for {
		select {
		case <-c.stop:
			return
		case <-retry.C:
			_ = c.Flush(ctx)
		case <-echo:
			c.mu.Lock()
			idle := c.conn != nil && c.now().Sub(c.lastUse) >= c.cfg.EchoInterval
			cc := c.conn
			c.mu.Unlock()
			if idle {
				ectx, ecancel := context.WithTimeout(ctx, c.cfg.EchoInterval)
				if err := c.Echo(ectx); err != nil {
					c.drop(cc, err)
				}
				ecancel()
			}
		}
	}
}

// Close stops the background work, closes the connection and fails the
// requests in flight with ErrClosed. Queued messages stay in the Queue.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	cc := c.conn
	c.conn = nil
	c.mu.Unlock()
	close(c.stop)
	<-c.done
	if cc != nil {
		cc.close(ErrClosed)
	}
	return nil
}

// clientConn is one connection and the requests waiting on it.
type clientConn struct {
	c       net.Conn
	wmu     sync.Mutex
	mu      sync.Mutex
	pending map[string]chan *Message
	done    chan struct{}
	err     error
	once    sync.Once
}

func (cc *clientConn) register(key string, ch chan *Message) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	select {
	case <-cc.done:
		return cc.err
	default:
	}
	if _, dup := cc.pending[key]; dup {
		return ErrDuplicateRequest
	}
	cc.pending[key] = ch
	return nil
}

func (cc *clientConn) unregister(key string) {
	cc.mu.Lock()
	delete(cc.pending, key)
	cc.mu.Unlock()
}

func (cc *clientConn) deliver(key string, m *Message) bool {
	cc.mu.Lock()
	ch, ok := cc.pending[key]
	delete(cc.pending, key)
	cc.mu.Unlock()
	if ok {
		ch <- m // buffered, one response per key
	}
	return ok
}

func (cc *clientConn) write(frame []byte, timeout time.Duration) error {
	cc.wmu.Lock()
	defer cc.wmu.Unlock()
	if err := cc.c.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	_, err := cc.c.Write(frame)
	return err
}

func (cc *clientConn) closed() bool {
	select {
	case <-cc.done:
		return true
	default:
		return false
	}
}

func (cc *clientConn) close(err error) {
	cc.once.Do(func() {
		cc.mu.Lock()
		cc.err = err
		close(cc.done)
		cc.mu.Unlock()
		cc.c.Close()
	})
}

// connError is a connection failure; it matches ErrClosed and the cause.
type connError struct{ err error }

func (e *connError) Error() string   { return "iso8583: connection failed: " + e.err.Error() }
func (e *connError) Unwrap() []error { return []error{ErrClosed, e.err} }
