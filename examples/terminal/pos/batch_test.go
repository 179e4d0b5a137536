package pos

import (
	"context"
	"errors"
	"net"
	"path/filepath"
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

// TestSettleResumesAfterRestart stops a terminal in the middle of its
// settlement, after the host lost its answers three times, and starts a
// new one on the same batch file: the new terminal goes on with the
// messages the first one wrote to the file, as repeats with their STAN
// and transmission time, and closes the batch it kept.
func TestSettleResumesAfterRestart(t *testing.T) {
	for _, tt := range []struct {
		name string
		lose iso8583.MTI // three of these get no answer
		skip int         // after this many answered
		// the MTIs the host sees, before and after the restart
		before, after string
		uploaded      int
	}{
		{"0500 unanswered", iso8583.MTIReconciliationRequest, 0, "0500 0501 0501", "0501", 0},
		{"first 0320 unanswered", iso8583.MTIBatchUpload, 0, "0500 0320 0321 0321", "0321 0321 0501", 2},
		{"second 0320 unanswered", iso8583.MTIBatchUpload, 1, "0500 0320 0320 0321 0321", "0321 0501", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen []*iso8583.Message
			lost := 0
			answer := func(_ context.Context, m *iso8583.Message) *iso8583.Message {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, m)
				if m.MTI.Original() == tt.lose {
					if tt.skip > 0 {
						tt.skip--
					} else if lost < 3 {
						lost++
						return nil
					}
				}
				code, sc := iso8583.Approved, "1"
				if tt.lose == iso8583.MTIBatchUpload && m.MTI.Original() == iso8583.MTIReconciliationRequest {
					sc = "2"
					if m.Text(11) == seen[0].Text(11) {
						code = iso8583.ReconcileError
					}
				}
				r, err := iso8583.Respond(m, code)
				if err != nil {
					return nil
				}
				if m.MTI.Original() == iso8583.MTIReconciliationRequest {
					r.SettlementCode = sc
				}
				rm, _ := r.Message()
				return rm
			}
			mux := iso8583.NewServeMux()
			for _, mti := range []iso8583.MTI{iso8583.MTIReconciliationRequest, iso8583.MTIReconciliationRequestRepeat, iso8583.MTIBatchUpload, iso8583.MTIBatchUploadRepeat} {
				mux.HandleFunc(mti, answer)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &iso8583.Server{Handler: mux}
			go srv.Serve(ln)
			t.Cleanup(func() { srv.Close() })

			path := filepath.Join(t.TempDir(), "pos.batch")
			f := openBatch(t, path)
			for _, e := range testEntries {
				if err := f.add(e); err != nil {
					t.Fatal(err)
				}
			}
			clk := clock()
			start := func() *Terminal {
				term, err := New(Config{
					Merchant:   Merchant{Name: "CORNER SHOP", ID: "MERCHANT0000001", Category: "5411", Country: "US"},
					TerminalID: "TERM0001",
					Host:       ln.Addr().String(),
					Timeout:    50 * time.Millisecond,
					Time:       clk,
					BatchFile:  openBatch(t, path),
				})
				if err != nil {
					t.Fatal(err)
				}
				return term
			}
			ctx := context.Background()
			term := start()
			var te *iso8583.TimeoutError
			if _, err := term.Settle(ctx); !errors.As(err, &te) {
				t.Fatalf("first Settle = %v, want a *iso8583.TimeoutError", err)
			}
			term.Close() // the crash: only the file stays
			mu.Lock()
			sentBefore := append([]*iso8583.Message(nil), seen...)
			mu.Unlock()

			inFile := map[string]bool{}
			if st := openBatch(t, path).settlement(); st != nil {
				for _, m := range append([]*iso8583.Message{st.first, st.second}, st.uploads...) {
					if m != nil {
						inFile[m.Text(11)+m.Text(7)] = true
					}
				}
			}
			term = start()
			defer term.Close()
			if !term.settlingNow() {
				t.Fatal("restarted terminal is not settling")
			}
			if n := len(term.Batch().Entries); n != len(testEntries) {
				t.Fatalf("restarted terminal's batch: %d purchases, want %d", n, len(testEntries))
			}
			if _, err := term.Pay(ctx, 100, Card{Track2: "4761739001010119=30122010000000000000"}); !errors.Is(err, ErrSettling) {
				t.Errorf("Pay during the resumed settlement = %v, want ErrSettling", err)
			}
			s, err := term.Settle(ctx)
			if err != nil {
				t.Fatalf("Settle after the restart = %v", err)
			}
			if !s.Closed || s.Uploaded != tt.uploaded {
				t.Errorf("Settle after the restart = %+v, want closed after %d uploads", s, tt.uploaded)
			}
			mu.Lock()
			defer mu.Unlock()
			mtis := func(ms []*iso8583.Message) string {
				var s []string
				for _, m := range ms {
					s = append(s, string(m.MTI))
				}
				return strings.Join(s, " ")
			}
			if got := mtis(seen[:len(sentBefore)]); got != tt.before {
				t.Errorf("before the restart the host saw %s, want %s", got, tt.before)
			}
			if got := mtis(seen[len(sentBefore):]); got != tt.after {
				t.Errorf("after the restart the host saw %s, want %s", got, tt.after)
			}
			// Every message after the restart is one the first terminal
			// wrote to the file, sent as a repeat.
			for _, m := range seen[len(sentBefore):] {
				if !inFile[m.Text(11)+m.Text(7)] || !m.MTI.IsRepeat() {
					t.Errorf("after the restart: %s STAN %s time %s, not a repeat of a message in the file", m.MTI, m.Text(11), m.Text(7))
				}
			}
			if term.settlingNow() || len(term.Batch().Entries) != 0 {
				t.Errorf("after the close: settling %t, %d purchases", term.settlingNow(), len(term.Batch().Entries))
			}
			g := openBatch(t, path)
			if g.settlement() != nil || len(g.Batch().Entries) != 0 {
				t.Errorf("batch file after the close: %s", snapshot(t, g))
			}
		})
	}
}
