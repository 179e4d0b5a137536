package scenario

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/terminal/pos"
)

// syncBuffer is a bytes.Buffer safe for the host's and terminal's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// want is what a scenario must leave behind, besides its receipt.
type want struct {
	journal []string // kind and code of the host's new journal rows
	cid     emv.CID  // the card's last cryptogram type
	auth    cardsim.IssuerAuth
	tries   int // the host's count of wrong PINs afterwards
	scripts int // issuer script commands the card ran
	// issuerCommands is how many EXTERNAL AUTHENTICATE and script
	// commands a contactless qVSDC card has received on second taps.
	issuerCommands int
}

var wants = map[string]want{
	"approved":            {journal: []string{"financial 00"}, cid: emv.TC, auth: cardsim.IssuerAuthPassed},
	"wrong-pin":           {journal: []string{"financial 55", "financial 00"}, cid: emv.TC, auth: cardsim.IssuerAuthPassed},
	"pin-tries-exhausted": {journal: []string{"financial 75"}, cid: emv.AAC, auth: cardsim.IssuerAuthPassed, tries: 3},
	"insufficient-funds":  {journal: []string{"financial 51"}, cid: emv.AAC, auth: cardsim.IssuerAuthPassed},
	"blocked-card":        {journal: nil, cid: emv.AAC},
	"expired-card":        {journal: []string{"financial 54"}, cid: emv.AAC, auth: cardsim.IssuerAuthPassed},
	"lost-card":           {journal: []string{"financial 41"}, cid: emv.AAC, auth: cardsim.IssuerAuthPassed},
	"fallback":            {journal: []string{"financial 00"}, cid: emv.AAC},
	"stripe-only":         {journal: []string{"financial 00"}},
	"offline":             {journal: nil, cid: emv.TC},
	"issuer-script":       {journal: []string{"financial 00"}, cid: emv.TC, auth: cardsim.IssuerAuthPassed, scripts: 1},
	// The advice of the offline approval goes with the reversal, in the
	// order they were queued.
	"host-timeout":  {journal: []string{"financial 00", "advice 00", "reversal 00"}, cid: emv.AAC},
	"card-declines": {journal: []string{"financial 00", "reversal 00"}, cid: emv.AAC, auth: cardsim.IssuerAuthPassed},
	// Contactless: the offline tap's advice goes at settlement, the
	// online taps are approved on their cryptogram (contactless.go).
	"tap-offline": {journal: nil},
	"tap-online":  {journal: []string{"financial 00"}},
	"tap-pin":     {journal: []string{"financial 00"}},
	// A wrong online PIN on a tap: the cardholder taps again, with a new
	// cryptogram and STAN (contactless_test.go).
	"tap-wrong-pin": {journal: []string{"financial 55", "financial 00"}},
	// The second tap of issuer update processing delivers the ARPC and
	// the host's unblock script (contactless_test.go).
	"tap-issuer-script": {journal: []string{"financial 00"}, issuerCommands: 2},
}

// start runs a world whose logs and steps go to the returned buffer.
func start(t *testing.T) (*World, *syncBuffer) {
	t.Helper()
	var out syncBuffer
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w, err := Start(context.Background(), Options{
		Seed:        1,
		StateDir:    t.TempDir(),
		HostLog:     log.With("component", "host"),
		TerminalLog: log.With("component", "terminal"),
		Steps:       func(s string) { fmt.Fprintln(&out, s) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return w, &out
}

func journal(t *testing.T, w *World) []acquirer.Entry {
	t.Helper()
	rows, err := w.Host.Journal(context.Background(), TerminalID)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestScenarios runs the whole catalogue in order on one terminal and one
// host, as the demo does, and checks after each payment the receipt, the
// account's balance, the host's journal, the host's card state and the
// card's own state; then the settlement.
func TestScenarios(t *testing.T) {
	ctx := context.Background()
	w, out := start(t)
	if err := w.Terminal.SignOn(ctx); err != nil {
		t.Fatal(err)
	}
	var receipts []string
	opening := map[string]int64{}
	for _, s := range w.Catalogue.Scenarios {
		wt, ok := wants[s.Name]
		if !ok {
			t.Fatalf("no expectations for scenario %s", s.Name)
		}
		before, err := w.Balance(ctx, s.Card)
		if err != nil {
			t.Fatal(err)
		}
		opening[s.Name] = before
		rows := len(journal(t, w))
		r, err := w.Run(ctx, s)
		if err != nil {
			t.Fatalf("%s: Pay: %v", s.Name, err)
		}
		receipts = append(receipts, r.String())
		if r.Approved != s.Expect.Approved || string(r.Response) != s.Expect.Code || r.Reversed != s.Expect.Reversed {
			t.Errorf("%s: receipt approved=%t code %q reversed=%t, want %t %q %t", s.Name,
				r.Approved, r.Response, r.Reversed, s.Expect.Approved, s.Expect.Code, s.Expect.Reversed)
		}
		after, err := w.Balance(ctx, s.Card)
		if err != nil {
			t.Fatal(err)
		}
		if before-after != s.Expect.Debited {
			t.Errorf("%s: balance %d → %d, want a debit of %d", s.Name, before, after, s.Expect.Debited)
		}
		var got []string
		for _, e := range journal(t, w)[rows:] {
			got = append(got, e.Kind+" "+e.Code)
		}
		if !slices.Equal(got, wt.journal) {
			t.Errorf("%s: new journal rows %q, want %q", s.Name, got, wt.journal)
		}
		if c := s.Card.Chip; c != nil {
			st := c.State()
			if s.Name == "blocked-card" {
				if !st.CardBlocked {
					t.Errorf("%s: card state %+v, want blocked", s.Name, st)
				}
			} else if st.LastCID.Type() != wt.cid || st.IssuerAuth != wt.auth {
				t.Errorf("%s: card's last cryptogram %v, issuer authentication %v; want %v, %v", s.Name, st.LastCID, st.IssuerAuth, wt.cid, wt.auth)
			}
		}
		if c, ok := s.Card.Tap.(*cardsim.QVSDCCard); ok && len(c.IssuerCommands) != wt.issuerCommands {
			t.Errorf("%s: the contactless card received %d issuer commands, want %d", s.Name, len(c.IssuerCommands), wt.issuerCommands)
		}
		if c := s.Card.Chip; c != nil {
			if st := c.State(); st.ScriptCommands != wt.scripts || st.ScriptFailed {
				t.Errorf("%s: card ran %d script commands (failed %t), want %d", s.Name, st.ScriptCommands, st.ScriptFailed, wt.scripts)
			}
		}
		cs, err := w.Host.CardState(ctx, s.Card.Issued.PAN)
		if err != nil {
			t.Fatal(err)
		}
		if cs.PINTries != wt.tries {
			t.Errorf("%s: host counts %d wrong PINs, want %d", s.Name, cs.PINTries, wt.tries)
		}
	}

	set, err := w.Terminal.Settle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !set.InBalance || set.Uploaded != 0 {
		t.Errorf("Settle: in balance %t after %d uploads, want in balance at once", set.InBalance, set.Uploaded)
	}
	if got, want := set.Totals.DebitsNumber-set.Totals.DebitsReversalNumber, int64(11); got != want {
		t.Errorf("Settle: %d purchases not reversed, want %d", got, want)
	}
	for i, s := range w.Catalogue.Scenarios {
		if s.Expect.DebitedAtSettlement == 0 {
			continue
		}
		after, err := w.Balance(ctx, s.Card)
		if err != nil {
			t.Fatal(err)
		}
		// Later scenarios of the same card debit it online too (the
		// qVSDC card taps offline, then online).
		want := s.Expect.DebitedAtSettlement
		for _, l := range w.Catalogue.Scenarios[i+1:] {
			if l.Card == s.Card {
				want += l.Expect.Debited
			}
		}
		if opening[s.Name]-after != want {
			t.Errorf("%s: balance %d after settlement, want a debit of %d", s.Name, after, want)
		}
	}
	rep, err := w.Host.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total.Sales != 11 || rep.Total.Gross != 31150 || rep.Total.Reversals != 2 {
		t.Errorf("host report: %d sales, gross %d, %d reversals; want 11, 31150, 2", rep.Total.Sales, rep.Total.Gross, rep.Total.Reversals)
	}
	if w.Terminal.Pending() != 0 {
		t.Errorf("%d messages still queued after settlement", w.Terminal.Pending())
	}

	checkNoSecrets(t, w, out.String()+strings.Join(receipts, ""))
}

// checkNoSecrets fails if text holds a full PAN, a track, a PIN block's
// PIN as typed, or a key of the demo.
func checkNoSecrets(t *testing.T, w *World, text string) {
	t.Helper()
	if text == "" {
		t.Fatal("nothing to check")
	}
	for _, c := range w.Catalogue.Cards() {
		if strings.Contains(text, c.Issued.PAN) {
			t.Errorf("output contains the full PAN %s", c.Issued.PAN[:6]+"…")
		}
		if strings.Contains(text, c.Track2[len(c.Issued.PAN):]) {
			t.Errorf("output contains the track data of %s", c.Issued.PAN[:6]+"…")
		}
	}
	keys := map[string][]byte{"BDK": BDK, "PVK": PVK, "MAC key": MACKey, "IMK": cardsim.TestIMK, "IMK SMI": cardsim.TestIMKSMI, "IMK SMC": cardsim.TestIMKSMC}
	for name, k := range keys {
		for _, s := range []string{hex.EncodeToString(k), strings.ToUpper(hex.EncodeToString(k)), hex.EncodeToString(k[:8]), strings.ToUpper(hex.EncodeToString(k[:8]))} {
			if strings.Contains(text, s) {
				t.Errorf("output contains the %s", name)
			}
		}
	}
	// The PINs typed appear nowhere, not even as digits inside another
	// value: the demo's amounts, STANs and times avoid them.
	for _, pin := range []string{cardsim.TestPIN, "9999"} {
		if strings.Contains(text, pin) {
			t.Errorf("output contains a PIN typed (%s)", pin)
		}
	}
	// The check is not vacuous: the masked PANs are there.
	if !strings.Contains(text, emv.MaskPAN(w.Catalogue.Scenarios[0].Card.Issued.PAN)) {
		t.Error("output lacks the masked PAN of the first card")
	}
}

// TestSettlementOutOfBalance loses an authorisation on its way to the
// host: the terminal reverses a purchase the host never saw and counts it,
// the host does not, so the first 0500 is out of balance (95); the
// terminal uploads its batch (0320) and the host closes it on the upload
// (00), recording that the batch did not balance at first.
func TestSettlementOutOfBalance(t *testing.T) {
	ctx := context.Background()
	w, out := start(t)
	approved := *w.Catalogue.Lookup("approved")
	lost := *w.Catalogue.Lookup("host-timeout")
	lost.Fault = RequestLost
	for _, s := range []*Scenario{&approved, &lost} {
		if _, err := w.Run(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	before, err := w.Balance(ctx, approved.Card)
	if err != nil {
		t.Fatal(err)
	}
	if want := approved.Card.Issued.Balance - approved.Amount64(); before != want {
		t.Errorf("balance %d after the lost request, want %d", before, want)
	}
	set, err := w.Terminal.Settle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !set.Closed || set.Uploaded != 1 || set.Code != "00" {
		t.Errorf("Settle = closed %t, %d uploads, code %s; want closed after 1 upload, 00", set.Closed, set.Uploaded, string(set.Code))
	}
	var settled []acquirer.Settlement
	if err := w.Host.Store().View(ctx, func(tx acquirer.Tx) (err error) {
		settled, err = tx.Settlements()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(settled) != 1 || settled[0].Balanced {
		t.Errorf("host settlements %+v, want one batch closed out of balance", settled)
	}
	var kinds []string
	for _, e := range journal(t, w) {
		kinds = append(kinds, e.Kind+" "+e.Code)
	}
	want := []string{"financial 00", "reversal 00", "reconcile 95", "upload 00", "reconcile 00"}
	if !slices.Equal(kinds, want) {
		t.Errorf("journal %q, want %q", kinds, want)
	}
	if n := len(w.Terminal.Batch().Entries); n != 0 {
		t.Errorf("%d entries left in the closed batch", n)
	}
	checkNoSecrets(t, w, out.String())
}

// TestRestartKeepsDUKPT runs a payment, stops the terminal and the host,
// and starts them again on the same PIN pad state: the PIN pad goes on
// from the next key, and the host (with a fresh journal) still deciphers
// its PIN.
func TestRestartKeepsDUKPT(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var ksns []string
	for run := range 2 {
		var steps []string
		w, err := Start(ctx, Options{Seed: 1, StateDir: dir, Steps: func(s string) { steps = append(steps, s) }})
		if err != nil {
			t.Fatal(err)
		}
		r, err := w.Run(ctx, w.Catalogue.Lookup("approved"))
		if cerr := w.Close(ctx); cerr != nil {
			t.Error(cerr)
		}
		if err != nil {
			t.Fatal(err)
		}
		if !r.Approved {
			t.Errorf("run %d: declined %s", run, string(r.Response))
		}
		for _, s := range steps {
			if k, ok := strings.CutPrefix(s, "PIN entered: enciphered under DUKPT key "); ok {
				ksns = append(ksns, k)
			}
		}
	}
	if len(ksns) != 2 || ksns[0] == ksns[1] || ksns[1] <= ksns[0] {
		t.Errorf("KSNs of the two runs %q, want two increasing ones", ksns)
	}
}

// TestCrashKeepsQueue queues an advice (an offline approval) and a
// reversal (the card declined after the host approved, and the link went
// down before the reversal could go), then drops the terminal without
// forwarding them, as a crash would, keeping only its state directory. A
// new terminal on the same directory finds both in its queue file and
// sends each exactly once: the host's journal shows one advice and one
// reversal, and the balances move once.
func TestCrashKeepsQueue(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Start(ctx, Options{Seed: 1, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	offline, declines := w.Catalogue.Lookup("offline"), w.Catalogue.Lookup("card-declines")
	opening := map[*Scenario]int64{}
	for _, s := range []*Scenario{offline, declines} {
		if opening[s], err = w.Balance(ctx, s.Card); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Run(ctx, offline); err != nil {
		t.Fatal(err)
	}
	w.Link.CutAfterNextResponse()
	r, err := w.Run(ctx, declines)
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Response) != "00" || r.Approved {
		t.Fatalf("card-declines: receipt %s approved=%t, want 00 declined by the card", string(r.Response), r.Approved)
	}
	if n := w.Terminal.Pending(); n != 2 {
		t.Fatalf("%d messages queued before the crash, want the advice and the reversal", n)
	}

	// The crash: the terminal's memory is gone, its files stay.
	if err := w.Terminal.Close(); err != nil {
		t.Fatal(err)
	}
	w.Terminal = nil
	path := filepath.Join(dir, QueueFile)
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Card{offline.Card, declines.Card} {
		if bytes.Contains(file, []byte(c.Track2[len(c.Issued.PAN):])) {
			t.Errorf("queue file holds the track data of %s…", c.Issued.PAN[:6])
		}
	}

	w.Link.Restore()
	term, _, err := Connect(w.Catalogue, w.Link, Options{Seed: 1, StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	w.Terminal = term
	if n := term.Pending(); n != 2 {
		t.Fatalf("restarted terminal finds %d messages in %s, want 2", n, QueueFile)
	}
	for range 2 { // the second time, nothing is left to send
		if _, err := term.Forward(ctx); err != nil {
			t.Fatalf("Forward after restart: %v", err)
		}
	}
	if n := term.Pending(); n != 0 {
		t.Errorf("%d messages still queued after Forward", n)
	}
	var got []string
	for _, e := range journal(t, w) {
		got = append(got, e.Kind+" "+e.Code)
	}
	if want := []string{"financial 00", "advice 00", "reversal 00"}; !slices.Equal(got, want) {
		t.Errorf("journal %q, want %q: one advice and one reversal", got, want)
	}
	for _, s := range []*Scenario{offline, declines} {
		after, err := w.Balance(ctx, s.Card)
		if err != nil {
			t.Fatal(err)
		}
		if want := s.Expect.Debited + s.Expect.DebitedAtSettlement; opening[s]-after != want {
			t.Errorf("%s: balance %d → %d, want a debit of %d", s.Name, opening[s], after, want)
		}
	}
	// A third start finds the queue empty.
	q, err := pos.OpenQueue(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if q.Len() != 0 {
		t.Errorf("OpenQueue after forwarding: %d messages, want none", q.Len())
	}
}

// TestCorruptQueueStopsTerminal checks that a terminal does not start over
// a queue file it cannot read: it may hold reversals the cardholder is
// owed.
func TestCorruptQueueStopsTerminal(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, QueueFile), []byte("PSAF\x01\x00\x01garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	cat, err := New(1)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Connect(cat, &Link{Addr: "127.0.0.1:1"}, Options{Seed: 1, StateDir: dir})
	var qe *pos.QueueFileError
	if !errors.As(err, &qe) || !errors.Is(err, pos.ErrQueueCorrupt) {
		t.Errorf("Connect over a corrupt queue file = %v, want a *pos.QueueFileError", err)
	}
}
