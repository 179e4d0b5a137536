package scenario

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/terminal/pos"
	"github.com/posflow/posflow/internal/faultnet"
	"github.com/posflow/posflow/iso8583"
)

var (
	faultPayments = flag.Int("faults.payments", 16, "payments per row of TestNetworkFaults (more for a soak run)")
	faultSeed     = flag.Uint64("faults.seed", 1, "seed of the payments and faults of TestNetworkFaults")
	faultTimeout  = flag.Duration("faults.timeout", 500*time.Millisecond, "the terminal's timeout in the network fault tests")
	faultSteps    = flag.Bool("faults.steps", false, "log the terminal's steps with -v")
)

// networkFaults are the faults of the network between terminal and host,
// by name: each strikes a message in one direction.
var networkFaults = []struct {
	name  string
	dir   faultnet.Direction
	fault faultnet.Fault
}{
	// The host decides, the terminal never hears: it reverses.
	{"drop-response", faultnet.ToClient, faultnet.Drop},
	// The host never hears: the terminal reverses what it never saw.
	{"drop-request", faultnet.ToServer, faultnet.Drop},
	// The answer comes after the terminal gave up and sent its reversal.
	{"late-response", faultnet.ToClient, faultnet.Delay},
	// The request reaches the host after the terminal gave up; its
	// reversal follows it on the connection.
	{"late-request", faultnet.ToServer, faultnet.Delay},
	// The connection is reset with half the request sent: the host
	// never has it whole.
	{"reset-mid-request", faultnet.ToServer, faultnet.Reset},
	// The host has answered; the terminal gets half the answer and a
	// reset.
	{"reset-mid-response", faultnet.ToClient, faultnet.Reset},
}

// faultWorld is a world whose terminals reach the host through a
// fault-injecting proxy.
type faultWorld struct {
	*World
	proxy *faultnet.Proxy
	tills []*till // tills[0] is the World's Terminal

	mu      sync.Mutex
	mtis    map[string]int      // messages that went towards the host, by MTI
	answers map[string][]string // messages from the host, by MTI, in order
	decide  func(faultnet.Frame) faultnet.Fault
}

// setDecide makes decide the judge of the frames from now on; nil passes
// them all.
func (fw *faultWorld) setDecide(decide func(faultnet.Frame) faultnet.Fault) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.decide = decide
}

// A till is one terminal of a fault test.
type till struct {
	id   string
	term *pos.Terminal
	pad  *pos.PINPad
}

// startFaulty starts a world, then replaces its terminal with one on the
// same state directory that reaches the host through a faultnet.Proxy
// asking decide for each frame, and waits timeout for each answer; and
// connects tills-1 more terminals (Till 2, 3, ...) the same way.
func startFaulty(t *testing.T, timeout time.Duration, decide func(faultnet.Frame) faultnet.Fault, tills int) *faultWorld {
	t.Helper()
	ctx := context.Background()
	t0 := time.Now()
	o := Options{Seed: 1, StateDir: t.TempDir(), Timeout: timeout, Steps: func(s string) {
		if testing.Verbose() && *faultSteps {
			t.Logf("%6.3fs %s", time.Since(t0).Seconds(), s)
		}
	}}
	w, err := Start(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	if err := w.Terminal.Close(); err != nil {
		t.Fatal(err)
	}
	fw := &faultWorld{World: w, mtis: map[string]int{}, answers: map[string][]string{}, decide: decide}
	fw.proxy = &faultnet.Proxy{Target: w.Link.Addr, MaxHold: 20 * timeout, Decide: func(f faultnet.Frame) faultnet.Fault {
		fw.mu.Lock()
		if len(f.Msg) >= 4 {
			if f.Dir == faultnet.ToServer {
				fw.mtis[string(f.Msg[:4])]++
			} else {
				fw.answers[string(f.Msg[:4])] = append(fw.answers[string(f.Msg[:4])], string(f.Msg))
			}
		}
		decide := fw.decide
		fw.mu.Unlock()
		if decide == nil {
			return faultnet.Pass
		}
		return decide(f)
	}}
	if err := fw.proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fw.proxy.Close() })
	o.Dial = fw.proxy.Dial
	if w.Terminal, w.PINPad, err = Connect(w.Catalogue, w.Link, o); err != nil {
		t.Fatal(err)
	}
	fw.tills = append(fw.tills, &till{id: TerminalID, term: w.Terminal, pad: w.PINPad})
	for n := 2; n <= tills; n++ {
		o.Till, o.StateDir = n, t.TempDir()
		term, pad, err := Connect(w.Catalogue, w.Link, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { term.Close() })
		fw.tills = append(fw.tills, &till{id: Till(n), term: term, pad: pad})
	}
	return fw
}

// answered returns the messages of type mti that came from the host, in
// order, whatever became of them.
func (fw *faultWorld) answered(mti iso8583.MTI) []string {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	return slices.Clone(fw.answers[string(mti)])
}

// sent returns how many messages of type mti went towards the host.
func (fw *faultWorld) sent(mti iso8583.MTI) int {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	return fw.mtis[string(mti)]
}

// pay pays amount with card, the cardholder typing the right PIN.
func (tl *till) pay(t *testing.T, c *Card, amount uint64) *pos.Receipt {
	t.Helper()
	tl.pad.Enter = pos.ScriptedPINs(cardsim.TestPIN)
	r, err := tl.term.Pay(context.Background(), amount, c.Present())
	if err != nil {
		t.Fatalf("Pay(%d, %s): %v", amount, c.Issued.Account, err)
	}
	return r
}

// settle forwards the queue and settles, again after each failure as an
// operator would, and returns the batch it settled and the settlement.
func (tl *till) settle(t *testing.T) (pos.Batch, *pos.Settlement) {
	t.Helper()
	ctx := context.Background()
	b := tl.term.Batch()
	var errs []error
	for range 30 {
		s, err := tl.term.Settle(ctx)
		if err == nil {
			if !s.Closed {
				t.Fatalf("Settle: batch not closed, code %s", string(s.Code))
			}
			if len(errs) > 0 {
				t.Logf("settled after %d failed attempts: %v", len(errs), errors.Join(errs...))
			}
			return b, s
		}
		errs = append(errs, err)
	}
	t.Fatalf("Settle failed 30 times: %v", errors.Join(errs...))
	return b, nil
}

// checkAgreement checks that the terminal's batch b, settled in set, and
// the host's journal agree: every purchase the terminal kept is approved
// once at the host and not reversed; every purchase it reversed is either
// unknown to the host or reversed there exactly once; nothing else moved
// money; no request was applied twice; the host found the batch in
// balance exactly when its totals equal the terminal's; and each card's
// account balance is its opening balance less the purchases the terminal
// kept.
func (fw *faultWorld) checkAgreement(t *testing.T, tl *till, batch int64, b pos.Batch, set *pos.Settlement, opening map[*Card]int64) {
	t.Helper()
	ctx := context.Background()
	rows, err := fw.Host.Journal(ctx, tl.id)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[acquirer.RequestKey]int{}
	sales := map[string]acquirer.Entry{}       // approved 0200 and 0220 of the batch, by STAN
	reversals := map[string][]acquirer.Entry{} // 0400 rows of the batch, by STAN
	var host iso8583.Totals
	for _, e := range rows {
		if e.Kind != acquirer.KindRefused {
			if keys[e.RequestKey]++; keys[e.RequestKey] > 1 {
				t.Errorf("journal: %d rows for request %+v", keys[e.RequestKey], e.RequestKey)
			}
		}
		if e.Batch != batch {
			continue
		}
		switch e.Kind {
		case acquirer.KindFinancial, acquirer.KindAdvice:
			if !iso8583.ResponseCode(e.Code).Approved() {
				continue
			}
			if _, dup := sales[e.STAN]; dup {
				t.Errorf("journal: two approved purchases with STAN %s", e.STAN)
			}
			sales[e.STAN] = e
			host.DebitsNumber++
			host.DebitsAmount += e.Amount
		case acquirer.KindReversal:
			reversals[e.STAN] = append(reversals[e.STAN], e)
			if e.Original != 0 && e.Applied != 0 {
				host.DebitsReversalNumber++
				host.DebitsReversalAmount += e.Amount
			}
		}
	}

	kept := map[string]int64{} // PAN → amount the terminal kept
	for _, e := range b.Entries {
		s, approved := sales[e.STAN]
		revs := reversals[e.STAN]
		switch {
		case !e.Reversed && !approved:
			t.Errorf("terminal kept %v, the host did not approve it", e)
		case !e.Reversed && (s.Reversed != 0 || s.Amount != int64(e.Amount) || s.Applied != -int64(e.Amount)):
			t.Errorf("terminal kept %v; host row %+v", e, s)
		case e.Reversed && len(revs) != 1:
			t.Errorf("terminal reversed %v; host has %d reversals of it", e, len(revs))
		case e.Reversed && approved && (s.Reversed != revs[0].ID || revs[0].Applied != int64(e.Amount)):
			t.Errorf("terminal reversed %v; host approved it (%+v) and reversed it with %+v", e, s, revs[0])
		}
		if !e.Reversed {
			kept[e.PAN] += int64(e.Amount)
		}
		delete(sales, e.STAN)
	}
	for stan, s := range sales {
		if s.Reversed == 0 {
			t.Errorf("host approved STAN %s (%d), which the terminal does not keep", stan, s.Amount)
		}
	}
	if set.InBalance != (host == set.Totals) {
		t.Errorf("settlement in balance %t; host totals %+v, terminal's %+v", set.InBalance, host, set.Totals)
	}
	if !set.InBalance {
		standing := 0
		for _, e := range b.Entries {
			if !e.Reversed {
				standing++
			}
		}
		if set.Uploaded != standing {
			t.Errorf("out of balance: %d uploads, want the %d purchases kept", set.Uploaded, standing)
		}
	}
	if b.Net() != host.DebitsAmount-host.DebitsReversalAmount {
		t.Errorf("terminal's net %d, host's %d", b.Net(), host.DebitsAmount-host.DebitsReversalAmount)
	}
	for c, open := range opening {
		got, err := fw.Balance(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if want := open - kept[c.Issued.PAN]; got != want {
			t.Errorf("account %s: balance %d, want %d (opening %d less %d kept by the terminal)", c.Issued.Account, got, want, open, kept[c.Issued.PAN])
		}
	}
	if n := tl.term.Pending(); n != 0 {
		t.Errorf("%d messages still queued after settlement", n)
	}
}

// openBatch returns the number of the terminal's open batch at the host.
func (fw *faultWorld) openBatch(t *testing.T, tl *till) int64 {
	t.Helper()
	var n int64
	if err := fw.Host.Store().View(context.Background(), func(tx acquirer.Tx) (err error) {
		n, err = tx.Batch(tl.id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// faultOdds: one message in faultOdds suffers the fault of its row.
const faultOdds = 6

// TestNetworkFaults runs many payments through one terminal for each
// network fault, the fault striking about one message in faultOdds of every
// kind (purchases, reversals and their repeats, advices, reconciliation
// and batch upload) at random from -faults.seed; the last row mixes all
// of them. The terminal then forwards its queue and settles, and the
// test checks that it and the host agree (checkAgreement).
func TestNetworkFaults(t *testing.T) {
	type row struct {
		name   string
		faults [2]faultnet.Fault // by direction; none for the mixed row
		mixed  bool
	}
	var rows []row
	for _, f := range networkFaults {
		r := row{name: f.name}
		r.faults[f.dir] = f.fault
		rows = append(rows, r)
	}
	rows = append(rows, row{name: "mixed", mixed: true})
	for i, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(*faultSeed, uint64(i)))
			var mu sync.Mutex
			struck := map[string]int{}
			decide := func(f faultnet.Frame) faultnet.Fault {
				mu.Lock()
				defer mu.Unlock()
				if len(f.Msg) < 4 || f.Msg[0] == '0' && f.Msg[1] == '8' || rng.IntN(faultOdds) != 0 {
					return faultnet.Pass
				}
				fault := r.faults[f.Dir]
				if r.mixed {
					fault = []faultnet.Fault{faultnet.Drop, faultnet.Delay, faultnet.Reset}[rng.IntN(3)]
				}
				if fault != faultnet.Pass {
					struck[fmt.Sprintf("%s %s", fault, f.Msg[:4])]++
				}
				return fault
			}
			fw := startFaulty(t, *faultTimeout, decide, 1)
			tl := fw.tills[0]
			cards := payingCards(fw.Catalogue, "approved", "wrong-pin", "stripe-only", "offline", "insufficient-funds")
			payRandomly(t, tl, cards, rand.New(rand.NewPCG(*faultSeed, 100+uint64(i))), *faultPayments)
			batch := fw.openBatch(t, tl)
			b, set := tl.settle(t)
			fw.checkAgreement(t, tl, batch, b, set, openingBalances(cards))

			mu.Lock()
			defer mu.Unlock()
			if len(struck) == 0 {
				t.Error("no fault struck")
			}
			reversed := 0
			for _, e := range b.Entries {
				if e.Reversed {
					reversed++
				}
			}
			t.Logf("%d purchases, %d reversed; in balance %t, %d uploads; faults %v; repeats 0401 %d, 0221 %d, 0501 %d, 0321 %d",
				len(b.Entries), reversed, set.InBalance, set.Uploaded, struck,
				fw.sent(iso8583.MTIReversalRequestRepeat), fw.sent(iso8583.MTIFinancialAdviceRepeat),
				fw.sent(iso8583.MTIReconciliationRequestRepeat), fw.sent(iso8583.MTIBatchUploadRepeat))
		})
	}
}

// TestNetworkFaultsTerminals runs three terminals of the merchant at once
// against one host, each with cards of its own, through one proxy that
// strikes one message in faultOdds with a fault drawn at random; then
// each settles and checks that it
// and the host agree. The draws are reproducible from -faults.seed as far
// as the terminals' messages interleave the same way.
func TestNetworkFaultsTerminals(t *testing.T) {
	rng := rand.New(rand.NewPCG(*faultSeed, 1000))
	var mu sync.Mutex
	struck := 0
	fw := startFaulty(t, *faultTimeout, func(f faultnet.Frame) faultnet.Fault {
		mu.Lock()
		defer mu.Unlock()
		if len(f.Msg) < 4 || f.Msg[0] == '0' && f.Msg[1] == '8' || rng.IntN(faultOdds) != 0 {
			return faultnet.Pass
		}
		fault := []faultnet.Fault{faultnet.Drop, faultnet.Delay, faultnet.Reset}[rng.IntN(3)]
		struck++
		return fault
	}, 3)
	cards := [][]*Card{
		payingCards(fw.Catalogue, "approved", "offline", "insufficient-funds"),
		payingCards(fw.Catalogue, "wrong-pin", "stripe-only"),
		payingCards(fw.Catalogue, "issuer-script", "fallback", "expired-card"),
	}
	var wg sync.WaitGroup
	for k, tl := range fw.tills {
		// t.Run from several goroutines: the terminals pay at once,
		// whatever -parallel says.
		wg.Go(func() {
			t.Run(tl.id, func(t *testing.T) {
				payRandomly(t, tl, cards[k], rand.New(rand.NewPCG(*faultSeed, 2000+uint64(k))), *faultPayments)
				batch := fw.openBatch(t, tl)
				b, set := tl.settle(t)
				fw.checkAgreement(t, tl, batch, b, set, openingBalances(cards[k]))
				t.Logf("%d purchases; in balance %t, %d uploads", len(b.Entries), set.InBalance, set.Uploaded)
			})
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if struck == 0 {
		t.Error("no fault struck")
	}
}

// payingCards returns the cards of the scenarios named: for example
// chip and PIN (approved: Visa CVN 10; wrong-pin: Visa CVN 18), stripe
// and PIN (stripe-only), a Mastercard that pays offline under the floor
// limit (offline), and one without the funds (insufficient-funds).
func payingCards(cat *Catalogue, scenarios ...string) []*Card {
	var cs []*Card
	for _, name := range scenarios {
		cs = append(cs, cat.Lookup(name).Card)
	}
	return cs
}

// openingBalances returns the issued balances of cards.
func openingBalances(cards []*Card) map[*Card]int64 {
	m := map[*Card]int64{}
	for _, c := range cards {
		m[c] = c.Issued.Balance
	}
	return m
}

// payRandomly makes n payments at tl with cards, the card and the amount
// drawn from rng: from 10.01 to 30.00, over the floor limit, so online;
// under it, offline, for the offline card.
func payRandomly(t *testing.T, tl *till, cards []*Card, rng *rand.Rand, n int) {
	t.Helper()
	for range n {
		c := cards[rng.IntN(len(cards))]
		amount := uint64(1001 + rng.IntN(2000))
		if c.Issued.PAN == "5413330089020102" { // the offline scenario's card
			amount = uint64(100 + rng.IntN(800))
		}
		tl.pay(t, c, amount)
	}
}

// A strike is a fault on command: the nth message (from 0, sign-on and
// echo not counted) in direction dir suffers fault.
type strike struct {
	dir   faultnet.Direction
	nth   int
	fault faultnet.Fault
}

// TestFaultOnCommand strikes one or two messages of a payment with each
// fault, on command, and checks what the terminal did about it: the
// receipt, the queue, the repeats (every 0410 to an 0400 or its 0401 is
// the answer the host journaled, byte for byte), the host's journal and
// the settlement. The rows run one after another on one terminal, each
// settling its batch.
func TestFaultOnCommand(t *testing.T) {
	lose0210 := strike{faultnet.ToClient, 0, faultnet.Drop}
	tests := []struct {
		name    string
		strikes []strike
		// hostApproved: the host approved the first 0200, so the
		// batch balances at the first 0500.
		hostApproved bool
		repeats      int // 0401s the terminal sends
		// alone: no second payment; Settle follows the first at once.
		alone bool
		// race: the late 0200 and its 0400 reach the host together, and
		// it handles them in either order: the 0200 first (approved,
		// then reversed: in balance), or the 0400 first (the reversal
		// of nothing, then the 0200 declined 05: out of balance).
		race bool
	}{
		{name: "drop-response", strikes: []strike{{faultnet.ToClient, 0, faultnet.Drop}}, hostApproved: true},
		{name: "drop-request", strikes: []strike{{faultnet.ToServer, 0, faultnet.Drop}}},
		{name: "late-response", strikes: []strike{{faultnet.ToClient, 0, faultnet.Delay}}, hostApproved: true},
		{name: "late-request", strikes: []strike{{faultnet.ToServer, 0, faultnet.Delay}}, hostApproved: true, race: true},
		{name: "reset-mid-request", strikes: []strike{{faultnet.ToServer, 0, faultnet.Reset}}},
		{name: "reset-mid-response", strikes: []strike{{faultnet.ToClient, 0, faultnet.Reset}}, hostApproved: true},
		// The reversal, or its answer, is lost too: the terminal keeps
		// it and repeats it (0401) before the next purchase, and the
		// host answers a repeat of what it has from its journal.
		{name: "drop-reversal-response", strikes: []strike{lose0210, {faultnet.ToClient, 1, faultnet.Drop}}, hostApproved: true, repeats: 1},
		{name: "drop-reversal-request", strikes: []strike{lose0210, {faultnet.ToServer, 1, faultnet.Drop}}, hostApproved: true, repeats: 1},
		{name: "late-reversal-response", strikes: []strike{lose0210, {faultnet.ToClient, 1, faultnet.Delay}}, hostApproved: true, repeats: 1},
		{name: "reset-mid-reversal-request", strikes: []strike{lose0210, {faultnet.ToServer, 1, faultnet.Reset}}, hostApproved: true, repeats: 1},
		{name: "reset-mid-reversal-response", strikes: []strike{lose0210, {faultnet.ToClient, 1, faultnet.Reset}}, hostApproved: true, repeats: 1},
		// The 0400 arrives late, on the heels of its 0401: the host
		// handles both at once and applies one.
		{name: "late-reversal-request", strikes: []strike{lose0210, {faultnet.ToServer, 1, faultnet.Delay}}, hostApproved: true, repeats: 1, alone: true},
	}
	fw := startFaulty(t, *faultTimeout, nil, 1)
	tl := fw.tills[0]
	ctx := context.Background()
	if err := tl.term.SignOn(ctx); err != nil {
		t.Fatal(err)
	}
	c := fw.Catalogue.Lookup("approved").Card
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen [2]int
			fw.setDecide(func(f faultnet.Frame) faultnet.Fault {
				mu.Lock()
				defer mu.Unlock()
				if len(f.Msg) < 4 || f.Msg[0] == '0' && f.Msg[1] == '8' {
					return faultnet.Pass
				}
				n := seen[f.Dir]
				seen[f.Dir]++
				for _, s := range tt.strikes {
					if s.dir == f.Dir && s.nth == n {
						t.Logf("%s %s (connection %d): %s", f.Dir, f.Msg[:4], f.Conn, s.fault)
						return s.fault
					}
				}
				t.Logf("%s %s (connection %d)", f.Dir, f.Msg[:4], f.Conn)
				return faultnet.Pass
			})
			defer fw.setDecide(nil)
			opening, err := fw.Balance(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			rows := len(journal(t, fw.World))
			repeats := fw.sent(iso8583.MTIReversalRequestRepeat)
			answers := len(fw.answered(iso8583.MTIReversalResponse))

			r := tl.pay(t, c, 2000)
			if r.Approved || string(r.Response) != "Z3" {
				t.Errorf("receipt approved=%t code %q, want declined Z3 after no answer", r.Approved, r.Response)
			}
			if tt.repeats == 0 && (!r.Reversed || tl.term.Pending() != 0) {
				t.Errorf("reversed %t, %d pending; want the reversal acknowledged at once", r.Reversed, tl.term.Pending())
			}
			if tt.repeats > 0 && tl.term.Pending() != 1 {
				t.Errorf("%d pending; want the reversal still queued", tl.term.Pending())
			}
			want := []string{"financial 00", "reversal 00", "financial 00", "reconcile 00"}
			if !tt.alone {
				// The next payment goes through; settlement forwards
				// the reversal first if it is still queued.
				if r := tl.pay(t, c, 1500); !r.Approved {
					t.Errorf("next payment declined: %s %s", string(r.Response), r.Reason)
				}
			} else {
				want = []string{"financial 00", "reversal 00", "reconcile 00"}
			}
			switch {
			case !tt.hostApproved:
				want = []string{"reversal 00", "financial 00", "reconcile 95", "upload 00", "reconcile 00"}
			}
			batch := fw.openBatch(t, tl)
			b, set := tl.settle(t)
			fw.checkAgreement(t, tl, batch, b, set, map[*Card]int64{c: opening})
			if tt.race && !set.InBalance {
				t.Log("the host handled the 0400 first")
				tt.hostApproved = false
				want = []string{"reversal 00", "financial 05", "financial 00", "reconcile 95", "upload 00", "reconcile 00"}
			}
			if set.InBalance != tt.hostApproved {
				t.Errorf("settlement in balance %t, want %t", set.InBalance, tt.hostApproved)
			}
			if n := fw.sent(iso8583.MTIReversalRequestRepeat) - repeats; n != tt.repeats {
				t.Errorf("%d repeats 0401 sent, want %d", n, tt.repeats)
			}
			var kinds []string
			for _, e := range journal(t, fw.World)[rows:] {
				kinds = append(kinds, e.Kind+" "+e.Code)
				if e.Kind != acquirer.KindReversal || tt.repeats == 0 {
					continue
				}
				// Every 0410 of the reversal, to the 0400 and to
				// the 0401, is the answer the journal holds.
				got := fw.answered(iso8583.MTIReversalResponse)[answers:]
				if tt.strikes[1].dir == faultnet.ToClient && len(got) != 2 {
					t.Errorf("%d 0410s, want the one struck and the one to the 0401", len(got))
				}
				for i, a := range got {
					if a != string(e.Response) {
						t.Errorf("0410 number %d = %q, want the journaled answer %q", i+1, a, e.Response)
					}
				}
			}
			if !slices.Equal(kinds, want) {
				t.Errorf("journal %q, want %q", kinds, want)
			}
		})
	}
}
