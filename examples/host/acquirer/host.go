package acquirer

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// A Host is an acquirer host: it answers the ISO 8583 requests of the
// terminals configured in its Config, keeps the journal and the balances
// in its Store, and produces the settlement report. It is safe for
// concurrent use; the state of every card and account is in the Store, so
// several Hosts may share one Store that supports it.
type Host struct {
	spec     *iso8583.Spec
	hsm      SecurityModule
	store    Store
	ownStore bool
	log      *slog.Logger
	now      func() time.Time
	addr     string
	framing  iso8583.Framing
	// Settings of the iso8583.Server that Serve starts.
	maxConns, maxConcurrent, maxInFlightPerConn int
	firstFrameTimeout, readTimeout              time.Duration
	writeTimeout, handlerTimeout                time.Duration
	feeRate                                     int64
	limits                                      Limits
	cards                                       map[string]*Card
	terminals                                   map[string]*Terminal
	merchants                                   map[string]*Merchant
	mux                                         *iso8583.ServeMux

	randMu sync.Mutex
	rand   io.Reader

	pinPads pinPadCache

	mu     sync.Mutex
	srv    *iso8583.Server
	ln     net.Listener
	closed bool
}

// New returns a Host for cfg: it checks the configuration, builds the
// software security module from cfg.Keys (unless cfg.SecurityModule is
// set), opens the SQLite store at cfg.Database (unless cfg.Store is set)
// and seeds it with the accounts and cards it does not hold yet.
func New(cfg Config) (*Host, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	h := &Host{
		spec: cfg.Spec, hsm: cfg.SecurityModule, store: cfg.Store, log: cfg.Log, now: cfg.Time,
		rand: cfg.Rand, addr: cfg.Addr, framing: cfg.Framing, feeRate: cfg.FeeRate, limits: cfg.Limits,
		cards: map[string]*Card{}, terminals: map[string]*Terminal{}, merchants: map[string]*Merchant{},
	}
	h.maxConns, h.maxConcurrent, h.maxInFlightPerConn = cfg.MaxConns, cfg.MaxConcurrent, cfg.MaxInFlightPerConn
	h.firstFrameTimeout, h.readTimeout = cfg.FirstFrameTimeout, cfg.ReadTimeout
	h.writeTimeout, h.handlerTimeout = cfg.WriteTimeout, cfg.HandlerTimeout
	if h.spec == nil {
		h.spec = iso8583.SpecASCII
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.rand == nil {
		h.rand = rand.Reader
	}
	if h.addr == "" {
		h.addr = DefaultAddr
	}
	if h.limits.PINTryLimit == 0 {
		h.limits.PINTryLimit = DefaultPINTryLimit
	}
	for i := range cfg.Cards {
		c := cfg.Cards[i]
		h.cards[c.PAN] = &c
	}
	for i := range cfg.Terminals {
		t := cfg.Terminals[i]
		t.MACKey, t.TMK = nil, nil // keys stay in the security module
		h.terminals[t.ID] = &t
	}
	for i := range cfg.Merchants {
		m := cfg.Merchants[i]
		h.merchants[m.ID] = &m
	}
	if h.hsm == nil {
		sm, err := NewSoftwareModule(cfg.Keys, cfg.Terminals, cfg.Rand)
		if err != nil {
			return nil, err
		}
		h.hsm = sm
	}
	if h.store == nil {
		s, err := cfg.SQLite.Open(cfg.Database)
		if err != nil {
			return nil, err
		}
		h.store, h.ownStore = s, true
	}
	if err := h.store.Seed(context.Background(), cfg.Accounts, cfg.Cards); err != nil {
		if h.ownStore {
			h.store.Close()
		}
		return nil, err
	}
	h.mux = iso8583.NewServeMux()
	h.mux.HandleFunc(iso8583.MTINetworkRequest, h.network)
	h.mux.HandleFunc(iso8583.MTIAuthorizationRequest, h.authorization)
	h.mux.HandleFunc(iso8583.MTIFinancialRequest, h.financial)
	h.mux.HandleFunc(iso8583.MTIFinancialAdvice, h.advice)
	h.mux.HandleFunc(iso8583.MTIReversalRequest, h.reversal)
	h.mux.HandleFunc(iso8583.MTIReversalAdvice, h.reversal)
	h.mux.HandleFunc(iso8583.MTIReconciliationRequest, h.reconciliation)
	h.mux.HandleFunc(iso8583.MTIBatchUpload, h.batchUpload)
	return h, nil
}

// ServeISO8583 answers one request, as the TCP server does: the Host is an
// iso8583.Handler, so tests can call it without a connection. The request
// must have been unpacked from bytes (iso8583.Spec.Unpack) for its MAC to
// be checked.
func (h *Host) ServeISO8583(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	if req.MTI.IsRequest() && h.mux.Handler(req.MTI) == nil && h.mux.Handler(req.MTI.Original()) == nil {
		return h.unsupported(ctx, req)
	}
	return h.mux.ServeISO8583(ctx, req)
}

// Serve answers the requests of the connections accepted on ln until
// Shutdown. It returns iso8583.ErrServerClosed after Shutdown, also when
// called after Shutdown (and then closes ln).
func (h *Host) Serve(ln net.Listener) error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		ln.Close()
		return iso8583.ErrServerClosed
	}
	if h.srv == nil {
		h.srv = &iso8583.Server{Handler: h, Spec: h.spec, Framing: h.framing, Log: h.log,
			MaxConns: h.maxConns, MaxConcurrent: h.maxConcurrent, MaxInFlightPerConn: h.maxInFlightPerConn,
			FirstFrameTimeout: h.firstFrameTimeout, ReadTimeout: h.readTimeout,
			WriteTimeout: h.writeTimeout, HandlerTimeout: h.handlerTimeout}
	}
	h.ln = ln
	srv := h.srv
	h.mu.Unlock()
	h.log.Info("acquirer: serving", "addr", ln.Addr().String(), "spec", h.spec.Name())
	return srv.Serve(ln)
}

// ListenAndServe listens on the configured address and serves.
func (h *Host) ListenAndServe() error {
	ln, err := net.Listen("tcp", h.addr)
	if err != nil {
		return err
	}
	return h.Serve(ln)
}

// Addr returns the address the host listens on, or nil before Serve.
func (h *Host) Addr() net.Addr {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ln == nil {
		return nil
	}
	return h.ln.Addr()
}

// Shutdown stops accepting connections, answers the requests in flight and
// closes the store the Host opened. If ctx ends first, connections are
// closed at once.
func (h *Host) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	srv := h.srv
	h.mu.Unlock()
	var err error
	if srv != nil {
		err = srv.Shutdown(ctx)
	}
	if h.ownStore {
		err = errors.Join(err, h.store.Close())
	}
	return err
}

// Store returns the host's store, for tests and reports.
func (h *Host) Store() Store { return h.store }

// Balance returns the balance of account.
func (h *Host) Balance(ctx context.Context, account string) (int64, error) {
	var b int64
	err := h.store.View(ctx, func(tx Tx) (err error) {
		b, err = tx.Balance(account)
		return err
	})
	return b, err
}

// CardState returns the state of the card with pan.
func (h *Host) CardState(ctx context.Context, pan string) (CardState, error) {
	var s CardState
	err := h.store.View(ctx, func(tx Tx) (err error) {
		s, err = tx.CardState(pan)
		return err
	})
	return s, err
}

// Journal returns the journal rows of a terminal, in order.
func (h *Host) Journal(ctx context.Context, terminal string) ([]Entry, error) {
	var es []Entry
	err := h.store.View(ctx, func(tx Tx) (err error) {
		es, err = tx.Entries(terminal, 0)
		return err
	})
	return es, err
}

// authCode returns a random six-digit authorization code.
func (h *Host) authCode() (string, error) {
	var b [4]byte
	h.randMu.Lock()
	_, err := io.ReadFull(h.rand, b[:])
	h.randMu.Unlock()
	if err != nil {
		return "", err
	}
	var d [6]byte
	return string(appendDigits(d[:0], uint64(binary.BigEndian.Uint32(b[:])%1000000), 6)), nil
}

// rrn returns a retrieval reference number: the last digit of the year,
// the day of the year and eight digits of the host's sequence (the usual
// YDDD + sequence layout of field 37).
func rrn(now time.Time, seq int64) string {
	var d [12]byte
	b := appendDigits(d[:0], uint64(now.Year()%10), 1)
	b = appendDigits(b, uint64(now.YearDay()), 3)
	return string(appendDigits(b, uint64(seq%100000000), 8))
}

// appendDigits appends the last width decimal digits of v to dst, with
// leading zeros: fmt's %0*d without its cost, on every approval's
// authorization code and RRN.
func appendDigits(dst []byte, v uint64, width int) []byte {
	n := len(dst) + width
	dst = append(dst, make([]byte, width)...)
	for i := n - 1; i >= n-width; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
	return dst
}
