package pos

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/iso8583"
)

func TestBatchTotals(t *testing.T) {
	b := Batch{Entries: []Entry{
		{STAN: "000001", Amount: 2500},
		{STAN: "000002", Amount: 850, Offline: true, Advice: true},
		{STAN: "000003", Amount: 9900, Reversed: true},
	}}
	want := iso8583.Totals{DebitsNumber: 3, DebitsAmount: 13250, DebitsReversalNumber: 1, DebitsReversalAmount: 9900}
	if got := b.Totals(); got != want {
		t.Errorf("Totals() = %+v, want %+v", got, want)
	}
	if got := b.Net(); got != 3350 {
		t.Errorf("Net() = %d, want 3350", got)
	}
}

func TestEntryStringMasksPAN(t *testing.T) {
	e := Entry{STAN: "000001", PAN: "4761739001010119", Amount: 100}
	if s := e.String(); s == "" || strings.Contains(s, "4761739001010119") {
		t.Errorf("Entry.String() = %q shows the PAN", s)
	}
}

// TestSettleRepeatsAndResumes leaves the 0500 unanswered four times: the
// first Settle sends it and repeats it twice (0501) and gives up, Pay is
// refused meanwhile, and the next Settle resumes with the same STAN and
// transmission time rather than a new 0500.
func TestSettleRepeatsAndResumes(t *testing.T) {
	var mu sync.Mutex
	var seen []*iso8583.Message
	mux := iso8583.NewServeMux()
	mux.HandleFunc(iso8583.MTIReconciliationRequest, func(_ context.Context, m *iso8583.Message) *iso8583.Message {
		mu.Lock()
		seen = append(seen, m)
		n := len(seen)
		mu.Unlock()
		if n <= 4 {
			return nil // lost
		}
		r, err := iso8583.Respond(m, iso8583.Approved)
		if err != nil {
			return nil
		}
		r.SettlementCode = "1"
		rm, _ := r.Message()
		return rm
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &iso8583.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	term, err := New(Config{
		Merchant:   Merchant{Name: "CORNER SHOP", ID: "MERCHANT0000001", Category: "5411", Country: "US"},
		TerminalID: "TERM0001",
		Host:       ln.Addr().String(),
		Timeout:    50 * time.Millisecond,
		Time:       clock(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer term.Close()
	ctx := context.Background()
	var te *iso8583.TimeoutError
	if _, err := term.Settle(ctx); !errors.As(err, &te) {
		t.Fatalf("first Settle = %v, want a *iso8583.TimeoutError", err)
	}
	if _, err := term.Pay(ctx, 100, Card{Track2: "4761739001010119=30122010000000000000"}); !errors.Is(err, ErrSettling) {
		t.Errorf("Pay during the settlement = %v, want ErrSettling", err)
	}
	s, err := term.Settle(ctx)
	if err != nil {
		t.Fatalf("second Settle = %v", err)
	}
	if !s.Closed || !s.InBalance {
		t.Errorf("second Settle = %+v, want closed in balance", s)
	}
	mu.Lock()
	defer mu.Unlock()
	var mtis []string
	for _, m := range seen {
		mtis = append(mtis, string(m.MTI))
		if m.Text(11) != seen[0].Text(11) || m.Text(7) != seen[0].Text(7) {
			t.Errorf("%s with STAN %s time %s, want the first's %s %s", m.MTI, m.Text(11), m.Text(7), seen[0].Text(11), seen[0].Text(7))
		}
	}
	if got, want := strings.Join(mtis, " "), "0500 0501 0501 0501 0501"; got != want {
		t.Errorf("host saw %s, want %s", got, want)
	}
	if term.settlingNow() {
		t.Error("settlement still under way after the host closed the batch")
	}
}
