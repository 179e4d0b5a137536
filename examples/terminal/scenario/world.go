package scenario

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"path/filepath"
	"sync"
	"time"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/terminal/pos"
	"github.com/posflow/posflow/iso8583"
)

// Options configure Start.
type Options struct {
	// Seed personalises the cards and seeds every random choice.
	Seed uint64
	// StateDir holds the PIN pad's DUKPT state file, the terminal's
	// store-and-forward queue (QueueFile) and its batch (BatchFile).
	StateDir string
	// HostLog and TerminalLog receive the structured logs; nil discards
	// them.
	HostLog, TerminalLog *slog.Logger
	// Steps receives the terminal's steps.
	Steps func(string)
	// Time is the terminal's clock; nil means Clock.
	Time func() time.Time
	// SilentTimeout is how long the terminal waits in the HostSilent
	// scenario; zero means 300 ms. Other scenarios wait Timeout.
	SilentTimeout time.Duration
	// Timeout is how long the terminal waits for each answer of the host
	// before it reverses or repeats (pos.Config.Timeout); zero means 15
	// seconds.
	Timeout time.Duration
	// Dial, when set, opens the terminal's connections to the host
	// instead of the Link: a test puts a fault-injecting proxy there
	// (see faults_test.go). It is called with the Link's address.
	Dial func(ctx context.Context, addr string) (net.Conn, error)
	// Till is the number of the terminal Connect makes, from 1 to
	// Terminals: its ID is Till(n) and its PIN pad's TillIKSN(n); zero
	// means 1, TerminalID. Each terminal needs a StateDir of its own.
	Till int
}

// A World is an acquirer host on a loopback port and a terminal connected
// to it through a Link, with the catalogue's cards issued.
type World struct {
	Catalogue *Catalogue
	Host      *acquirer.Host
	Terminal  *pos.Terminal
	PINPad    *pos.PINPad
	Link      *Link

	opts  Options
	serve chan error
}

// Clock returns a clock that starts at 10:30:00 UTC on 26 November 2026
// and moves one second each time it is read, so that runs are repeatable.
func Clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// Start issues the cards, starts the host on 127.0.0.1 at a free port and
// connects a terminal to it.
func Start(ctx context.Context, o Options) (*World, error) {
	if o.SilentTimeout == 0 {
		o.SilentTimeout = 300 * time.Millisecond
	}
	cat, err := New(o.Seed)
	if err != nil {
		return nil, err
	}
	hc, err := cat.HostConfig()
	if err != nil {
		return nil, err
	}
	hc.Time = Clock()
	hc.Rand = rand.NewChaCha8(seed32(o.Seed, 1<<32))
	hc.Log = o.HostLog
	host, err := acquirer.New(*hc)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		host.Shutdown(ctx)
		return nil, err
	}
	w := &World{Catalogue: cat, Host: host, opts: o, serve: make(chan error, 1)}
	go func() { w.serve <- host.Serve(ln) }()
	w.Link = &Link{Addr: ln.Addr().String()}

	if w.Terminal, w.PINPad, err = Connect(cat, w.Link, o); err != nil {
		w.Close(ctx)
		return nil, err
	}
	return w, nil
}

// The contactless reader limits of the demo's terminal, in cents: offline
// under USD 10.00, cardholder verified from USD 50.00, insert the card
// from USD 250.00.
const (
	ContactlessFloorLimit = 1000
	ContactlessCVMLimit   = 5000
	ContactlessLimit      = 25000
)

// QueueFile is the name of the terminal's store-and-forward queue file in
// Options.StateDir.
const QueueFile = "saf.queue"

// BatchFile is the name of the terminal's batch file in Options.StateDir:
// the purchases since the last settlement and a settlement under way
// (pos.OpenBatch).
const BatchFile = "pos.batch"

// Connect returns a terminal for the catalogue's cards that reaches the
// host through link, with its PIN pad (state in o.StateDir), its
// store-and-forward queue (o.StateDir/QueueFile: reversals and advices a
// previous run left are forwarded with the next message), its batch
// (o.StateDir/BatchFile: the purchases a previous run kept are settled
// with the next ones) and the demo's keys, merchant and clock.
func Connect(cat *Catalogue, link *Link, o Options) (*pos.Terminal, *pos.PINPad, error) {
	till := max(o.Till, 1)
	if till > Terminals {
		return nil, nil, fmt.Errorf("scenario: terminal %d of %d", till, Terminals)
	}
	iksn := TillIKSN(till)
	ik, err := dukpt.TDESInitialKey(BDK, iksn[:])
	if err != nil {
		return nil, nil, err
	}
	pad, err := pos.OpenPINPad(filepath.Join(o.StateDir, "pinpad.state"), ik, iksn)
	clear(ik)
	if err != nil {
		return nil, nil, err
	}
	pad.Rand = rand.NewChaCha8(seed32(o.Seed, 2<<32))
	queue, err := pos.OpenQueue(filepath.Join(o.StateDir, QueueFile), nil)
	if err != nil {
		return nil, nil, err
	}
	batch, err := pos.OpenBatch(filepath.Join(o.StateDir, BatchFile), nil)
	if err != nil {
		return nil, nil, err
	}
	mac, err := iso8583.RetailMAC(MACKey)
	if err != nil {
		return nil, nil, err
	}
	clock := o.Time
	if clock == nil {
		clock = Clock()
	}
	dial := link.Dial
	if o.Dial != nil {
		dial = o.Dial
	}
	term, err := pos.New(pos.Config{
		Merchant:              pos.Merchant{Name: MerchantName, City: "SPRINGFIELD", ID: MerchantID, Category: "5411", Country: "US"},
		TerminalID:            Till(till),
		FloorLimit:            1000,
		ContactlessFloorLimit: ContactlessFloorLimit,
		ContactlessCVMLimit:   ContactlessCVMLimit,
		ContactlessLimit:      ContactlessLimit,
		CAPKs:                 cat.CAPKs,
		Host:                  link.Addr,
		Dial:                  dial,
		MAC:                   mac,
		Timeout:               o.Timeout,
		Queue:                 queue,
		BatchFile:             batch,
		PINPad:                pad,
		Time:                  clock,
		Rand:                  rand.NewChaCha8(seed32(o.Seed, 3<<32)),
		Log:                   o.TerminalLog,
		Steps:                 o.Steps,
	})
	if err != nil {
		return nil, nil, err
	}
	return term, pad, nil
}

// Run performs scenario s: the cardholder types its PINs, the link loses
// what its fault says, and the terminal pays.
func (w *World) Run(ctx context.Context, s *Scenario) (*pos.Receipt, error) {
	w.PINPad.Enter = pos.ScriptedPINs(s.PINs...)
	return Pay(ctx, w.Terminal, w.Link, s, w.opts.SilentTimeout)
}

// Pay performs scenario s on term, whose PIN pad the caller has set up:
// for HostSilent and RequestLost, link loses the host's answer or the
// request and the terminal waits only silent.
func Pay(ctx context.Context, term *pos.Terminal, link *Link, s *Scenario, silent time.Duration) (*pos.Receipt, error) {
	if s.Fault == HostSilent || s.Fault == RequestLost {
		if silent == 0 {
			silent = 300 * time.Millisecond
		}
		if s.Fault == HostSilent {
			link.DropNextResponse()
		} else {
			link.DropNextRequest()
		}
		term.SetTimeout(silent)
		defer term.SetTimeout(0)
	}
	return term.Pay(ctx, s.Amount, s.Card.Present())
}

// Balance returns the balance of the card's account at the host.
func (w *World) Balance(ctx context.Context, c *Card) (int64, error) {
	return w.Host.Balance(ctx, c.Issued.Account)
}

// Close closes the terminal and shuts the host down.
func (w *World) Close(ctx context.Context) error {
	var err error
	if w.Terminal != nil {
		err = w.Terminal.Close()
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err = errors.Join(err, w.Host.Shutdown(ctx))
	select {
	case serr := <-w.serve:
		if serr != nil && !errors.Is(serr, iso8583.ErrServerClosed) {
			err = errors.Join(err, fmt.Errorf("scenario: host: %w", serr))
		}
	case <-ctx.Done():
	}
	return err
}
