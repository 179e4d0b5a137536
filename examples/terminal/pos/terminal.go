package pos

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// A Terminal is a point-of-sale terminal connected to one acquirer host.
// It is safe for use by one transaction at a time, as a real terminal is.
type Terminal struct {
	cfg    Config
	spec   *iso8583.Spec
	client *iso8583.Client
	log    *slog.Logger

	mu       sync.Mutex
	stan     int
	sequence uint32
	batch    Batch
	splits   splitLog
	timeout  time.Duration
	settling *settling // a settlement that failed half-way
	// reversing is set while the queue may hold a reversal the host has
	// not acknowledged: Pay forwards the queue before the next purchase.
	reversing bool
}

// New returns a terminal for cfg. It does not connect until the first
// message.
func New(cfg Config) (*Terminal, error) {
	if len(cfg.TerminalID) != 8 {
		return nil, errors.New("pos: terminal ID must be 8 characters")
	}
	if len(cfg.Merchant.ID) != 15 {
		return nil, errors.New("pos: merchant ID must be 15 characters")
	}
	if cfg.Currency == "" {
		cfg.Currency, cfg.CurrencyCode, cfg.Exponent = "840", "USD", 2
	}
	if cfg.Country == "" {
		cfg.Country = "840"
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 15 * time.Second
	}
	t := &Terminal{cfg: cfg, spec: cfg.Spec, log: cfg.Log, stan: cfg.FirstSTAN - 1, splits: newSplitLog()}
	if t.spec == nil {
		t.spec = iso8583.SpecASCII
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.stan < 0 {
		t.stan = 0
	}
	// A queue kept from the last run may hold reversals.
	t.reversing = cfg.Queue != nil && cfg.Queue.Len() > 0
	t.recoverBatch()
	t.client = iso8583.NewClient(iso8583.ClientConfig{
		Addr:          cfg.Host,
		Dial:          cfg.Dial,
		Spec:          t.spec,
		Framing:       cfg.Framing,
		MAC:           cfg.MAC,
		Time:          cfg.Time,
		Rand:          cfg.Rand,
		STAN:          t.nextSTAN,
		TerminalID:    cfg.TerminalID, // fields 41 and 42 of the client's echo tests
		MerchantID:    cfg.Merchant.ID,
		RetryInterval: time.Hour, // the terminal flushes itself, after each transaction and at settlement
		RetryTimeout:  cfg.Timeout,
		MinBackoff:    10 * time.Millisecond,
		MaxBackoff:    time.Second,
		DialTimeout:   5 * time.Second,
		Queue:         cfg.Queue,
	})
	return t, nil
}

// Close closes the connection to the host. Messages still waiting to be
// forwarded stay in Config.Queue: lost with the in-memory queue, sent by
// the next terminal that opens the same FileQueue.
func (t *Terminal) Close() error { return t.client.Close() }

// Forward sends the stored reversals and advices now, in order, and
// returns how many the host acknowledged. A terminal calls it after a
// restart, for the messages its queue kept from the last run; Pay and
// Settle forward them too.
func (t *Terminal) Forward(ctx context.Context) (int, error) {
	n := t.client.Pending()
	err := t.flush(ctx)
	return n - t.client.Pending(), err
}

// SetTimeout sets how long the terminal waits for the answer to an
// authorisation before it reverses it; zero restores the configured
// timeout.
func (t *Terminal) SetTimeout(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.timeout = d
}

func (t *Terminal) authTimeout() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timeout > 0 {
		return t.timeout
	}
	return t.cfg.Timeout
}

// Pending returns the number of reversals and advices waiting to be
// forwarded to the host.
func (t *Terminal) Pending() int { return t.client.Pending() }

// Batch returns a copy of the current batch.
func (t *Terminal) Batch() Batch {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Batch{Entries: append([]Entry(nil), t.batch.Entries...)}
}

func (t *Terminal) nextSTAN() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stan = t.stan%999999 + 1
	return fmt.Sprintf("%06d", t.stan)
}

func (t *Terminal) step(format string, args ...any) {
	if t.cfg.Steps != nil {
		t.cfg.Steps(fmt.Sprintf(format, args...))
	}
}

// SignOn sends the 0800 sign-on and waits for its answer.
func (t *Terminal) SignOn(ctx context.Context) error {
	m, err := (&iso8583.NetworkRequest{
		Code:        iso8583.SignOn,
		Transmitted: iso8583.TransmissionTime(t.cfg.now()),
		STAN:        t.nextSTAN(),
		TerminalID:  t.cfg.TerminalID,
		MerchantID:  t.cfg.Merchant.ID,
	}).Message()
	if err != nil {
		return err
	}
	resp, err := t.send(ctx, m)
	if err != nil {
		return fmt.Errorf("pos: sign-on: %w", err)
	}
	if err := resp.Code.Err(); err != nil {
		return fmt.Errorf("pos: sign-on: %w", err)
	}
	t.step("signed on to the host (0800 → 0810 %s)", string(resp.Code))
	return nil
}

// Echo sends an 0800 echo test (network management code 301) carrying the
// terminal ID and merchant ID in fields 41 and 42, and waits for its 0810.
func (t *Terminal) Echo(ctx context.Context) error {
	if err := t.client.Echo(ctx); err != nil {
		return fmt.Errorf("pos: echo: %w", err)
	}
	t.step("echo test answered (0800 → 0810)")
	return nil
}

// send sends a request and reads its response.
func (t *Terminal) send(ctx context.Context, m *iso8583.Message) (*iso8583.Response, error) {
	t.log.Debug("send", "message", m)
	rm, err := t.client.Send(ctx, m)
	if err != nil {
		return nil, err
	}
	t.log.Debug("receive", "message", rm)
	return iso8583.ReadResponse(rm)
}

// flush forwards the queued reversals and advices, waiting Timeout for
// each answer (the client's RetryTimeout).
func (t *Terminal) flush(ctx context.Context) error {
	n := t.client.Pending()
	if n == 0 {
		return nil
	}
	err := t.client.Flush(ctx)
	if t.client.Pending() == 0 {
		t.setReversing(false)
	}
	t.log.Info("store and forward", "sent", n-t.client.Pending(), "pending", t.client.Pending(), "err", err)
	return err
}

func (t *Terminal) setReversing(v bool) {
	t.mu.Lock()
	t.reversing = v
	t.mu.Unlock()
}

// forwardFirst sends the queue before a purchase when it may hold a
// reversal: a reversal the host has not acknowledged goes before the next
// financial request, so that the cardholder's money is not held until
// settlement. A failure leaves the queue for later; the purchase goes on.
func (t *Terminal) forwardFirst(ctx context.Context) {
	t.mu.Lock()
	reversing := t.reversing
	t.mu.Unlock()
	if !reversing || t.client.Pending() == 0 {
		return
	}
	t.step("a reversal is waiting: forwarding %d stored message(s) first", t.client.Pending())
	if err := t.flush(ctx); err != nil {
		t.step("still %d stored message(s): %v", t.client.Pending(), err)
	}
}

// FormatAmount writes an amount in minor units with the terminal's
// currency: "USD 25.00".
func (t *Terminal) FormatAmount(minor uint64) string {
	return formatAmount(t.cfg.CurrencyCode, t.cfg.Exponent, minor)
}

func formatAmount(code string, exp int, minor uint64) string {
	s := strconv.FormatUint(minor, 10)
	if exp > 0 {
		if len(s) <= exp {
			s = strings.Repeat("0", exp-len(s)+1) + s
		}
		s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	}
	if code == "" {
		return s
	}
	return code + " " + s
}

// numeric2 encodes a three-digit ISO code as the two BCD bytes of EMV
// tags 5F2A and 9F1A.
func numeric2(s string) [2]byte {
	var b [2]byte
	if v, err := hex.DecodeString(fmt.Sprintf("%04s", s)); err == nil && len(v) == 2 {
		copy(b[:], v)
	}
	return b
}
