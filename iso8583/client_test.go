package iso8583

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// approve answers any request with 00, echoing its fields.
func approve(_ context.Context, req *Message) *Message {
	r, err := Respond(req, Approved)
	if err != nil {
		return nil
	}
	r.AuthCode = "A1B2C3"
	m, err := r.Message()
	if err != nil {
		return reject(req, SystemMalfunction)
	}
	return m
}

func TestClientMatchesUnderConcurrency(t *testing.T) {
	// The handler answers in an order different from the requests': each
	// request waits for the one after it, so responses come back in
	// reverse order of arrival on the server within each terminal.
	mux := NewServeMux()
	mux.HandleFunc(MTIFinancialRequest, func(ctx context.Context, req *Message) *Message {
		// Amount echoes TID and STAN so that a mismatch would show.
		resp := approve(ctx, req)
		resp.SetString(37, fmt.Sprintf("%-8s%04s", req.Text(41)[4:], req.Text(11)[2:]))
		return resp
	})
	addr := startServer(t, &Server{Handler: mux, MaxConcurrent: 8})
	c := NewClient(ClientConfig{Addr: addr})
	defer c.Close()

	const terminals, perTerminal = 4, 25
	ctx := ctxTimeout(t, 20*time.Second)
	var wg sync.WaitGroup
	var bad atomic.Int32
	for term := range terminals {
		for i := range perTerminal {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// The same STANs on every terminal: the terminal ID must
				// take part in matching.
				tid := fmt.Sprintf("TERM%04d", term)
				stan := fmt.Sprintf("%06d", i+1)
				resp, err := c.Send(ctx, testPurchase(stan, tid))
				if err != nil {
					t.Errorf("Send(%s, %s): %v", tid, stan, err)
					bad.Add(1)
					return
				}
				want := fmt.Sprintf("%-8s%04s", tid[4:], stan[2:])
				if resp.MTI != MTIFinancialResponse || resp.Text(11) != stan || resp.Text(41) != tid || resp.Text(37) != want {
					t.Errorf("Send(%s, %s) got response %s %s RRN %q", tid, stan, resp.Text(41), resp.Text(11), resp.Text(37))
				}
			}()
		}
	}
	wg.Wait()
}

func TestClientTimeoutQueuesReversal(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	var reversals atomic.Int32
	var mtis sync.Map
	mux := NewServeMux()
	mux.HandleFunc(MTIFinancialRequest, func(ctx context.Context, req *Message) *Message {
		arrived <- struct{}{}
		<-release // answer only after the client gave up
		return approve(ctx, req)
	})
	mux.HandleFunc(MTIReversalRequest, func(ctx context.Context, req *Message) *Message {
		mtis.Store(reversals.Add(1), req.MTI)
		if reversals.Load() == 1 {
			return nil // the first attempt goes unanswered
		}
		return approve(ctx, req)
	})
	addr := startServer(t, &Server{Handler: mux})
	late := make(chan *Message, 1)
	c := NewClient(ClientConfig{Addr: addr, RetryInterval: time.Hour, RetryTimeout: 50 * time.Millisecond,
		Inbound: func(m *Message) { late <- m }})
	defer c.Close()

	req := testPurchase("000777", "TERM0001")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel() // the terminal's timer fires while the host is still working
	}()
	_, err := c.Send(ctx, req)
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want a *TimeoutError wrapping context.Canceled", err)
	}
	if te.Reversal == nil || te.Reversal.MTI != MTIReversalRequest {
		t.Fatalf("TimeoutError.Reversal = %v, want an 0400", te.Reversal)
	}
	rev, err := ReadReversal(te.Reversal)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Original.MTI != MTIFinancialRequest || rev.Original.STAN != "000777" || rev.PAN != "4761739001010119" || rev.Amount != 2599 {
		t.Errorf("reversal = %+v", rev)
	}
	if te.Reversal.Has(35) || te.Reversal.Has(52) || te.Reversal.Has(55) {
		t.Error("reversal carries track 2, PIN block or chip data")
	}
	if c.Pending() != 1 {
		t.Fatalf("Pending() = %d, want 1", c.Pending())
	}

	close(release)
	if m := <-late; m.MTI != MTIFinancialResponse {
		t.Errorf("late message %s, want the 0210", m.MTI)
	}

	// First attempt: no answer, the reversal stays and becomes a repeat.
	if err := c.Flush(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("first Flush = %v, want a deadline", err)
	}
	if c.Pending() != 1 {
		t.Fatalf("Pending() after unanswered attempt = %d, want 1", c.Pending())
	}
	if err := c.Flush(ctxTimeout(t, 5*time.Second)); err != nil {
		t.Fatalf("second Flush = %v", err)
	}
	if c.Pending() != 0 {
		t.Fatalf("Pending() after acknowledgement = %d, want 0", c.Pending())
	}
	first, _ := mtis.Load(int32(1))
	second, _ := mtis.Load(int32(2))
	if first != MTIReversalRequest || second != MTIReversalRequestRepeat {
		t.Errorf("host saw %v then %v, want 0400 then 0401", first, second)
	}
}

func TestClientEcho(t *testing.T) {
	mux := NewServeMux()
	mux.HandleFunc(MTINetworkRequest, approve)
	addr := startServer(t, &Server{Handler: mux})
	c := NewClient(ClientConfig{Addr: addr})
	defer c.Close()
	if err := c.Echo(ctxTimeout(t, 5*time.Second)); err != nil {
		t.Fatalf("Echo = %v", err)
	}
}

// TestClientEchoTerminal checks that the client's echo tests, by Echo and
// when idle, carry fields 41 and 42 when the config has them, and only
// then, and that the 0810 echoing field 41 is matched to its echo.
func TestClientEchoTerminal(t *testing.T) {
	for _, tt := range []struct {
		name       string
		tid, mid   string
		want41     string
		want42     string
		wantFields []int
	}{
		{"none configured", "", "", "", "", []int{7, 11, 70}},
		{"terminal", "TERM0001", "", "TERM0001", "", []int{7, 11, 41, 70}},
		{"terminal and merchant", "TERM0001", "MERCHANT0000001", "TERM0001", "MERCHANT0000001", []int{7, 11, 41, 42, 70}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			echoes := make(chan *Message, 16)
			mux := NewServeMux()
			mux.HandleFunc(MTINetworkRequest, func(ctx context.Context, req *Message) *Message {
				select {
				case echoes <- req:
				default:
				}
				return approve(ctx, req)
			})
			addr := startServer(t, &Server{Handler: mux})
			c := NewClient(ClientConfig{Addr: addr, TerminalID: tt.tid, MerchantID: tt.mid, EchoInterval: 20 * time.Millisecond})
			defer c.Close()
			if err := c.Echo(ctxTimeout(t, 5*time.Second)); err != nil {
				t.Fatalf("Echo = %v", err)
			}
			for _, how := range []string{"Echo", "idle"} {
				var req *Message
				select {
				case req = <-echoes:
				case <-time.After(5 * time.Second):
					t.Fatalf("no %s echo test", how)
				}
				var ids []int
				for id := range req.All() {
					ids = append(ids, id)
				}
				if fmt.Sprint(ids) != fmt.Sprint(tt.wantFields) || req.Text(41) != tt.want41 || req.Text(42) != tt.want42 {
					t.Errorf("%s echo: fields %v, 41 %q, 42 %q; want %v, %q, %q", how, ids, req.Text(41), req.Text(42), tt.wantFields, tt.want41, tt.want42)
				}
			}
		})
	}
}

// TestClientEchoBadTerminal checks that an echo whose configured terminal
// ID does not fit field 41 (ans8) fails before anything is sent.
func TestClientEchoBadTerminal(t *testing.T) {
	c := NewClient(ClientConfig{Addr: "127.0.0.1:1", TerminalID: "TERM1"})
	defer c.Close()
	var fe *FieldError
	if err := c.Echo(ctxTimeout(t, 5*time.Second)); !errors.As(err, &fe) || fe.Field != 41 {
		t.Fatalf("Echo with a 5-character terminal ID = %v, want a field 41 error", err)
	}
}

func TestClientReconnectsWithBackoff(t *testing.T) {
	mux := NewServeMux()
	mux.HandleFunc(MTINetworkRequest, approve)
	addr := startServer(t, &Server{Handler: mux})
	var dials atomic.Int32
	c := NewClient(ClientConfig{
		Addr:       addr,
		MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
		Dial: func(ctx context.Context, addr string) (net.Conn, error) {
			if dials.Add(1) <= 3 {
				return nil, errors.New("network unreachable")
			}
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		},
	})
	defer c.Close()
	ctx := ctxTimeout(t, 5*time.Second)
	var err error
	for range 10 {
		if err = c.Echo(ctx); err == nil {
			break
		}
	}
	if err != nil || dials.Load() != 4 {
		t.Fatalf("Echo after failed dials = %v after %d dials, want success on the 4th", err, dials.Load())
	}
	// The host drops the connection: the next request redials.
	c.mu.Lock()
	cc := c.conn
	c.mu.Unlock()
	cc.c.Close()
	<-cc.done
	if err := c.Echo(ctx); err != nil {
		t.Fatalf("Echo after drop = %v", err)
	}
	if dials.Load() != 5 {
		t.Errorf("dials = %d, want 5", dials.Load())
	}
}

func TestClientSendsEchoWhenIdle(t *testing.T) {
	echoes := make(chan struct{}, 16)
	mux := NewServeMux()
	mux.HandleFunc(MTINetworkRequest, func(ctx context.Context, req *Message) *Message {
		if NetworkCode(req.Text(70)) == Echo {
			select {
			case echoes <- struct{}{}:
			default:
			}
		}
		return approve(ctx, req)
	})
	mux.HandleFunc(MTIFinancialRequest, approve)
	addr := startServer(t, &Server{Handler: mux})
	c := NewClient(ClientConfig{Addr: addr, EchoInterval: 10 * time.Millisecond})
	defer c.Close()
	// One request opens the connection; then the client is idle.
	if _, err := c.Send(ctxTimeout(t, 5*time.Second), testPurchase("000001", "TERM0001")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-echoes:
	case <-time.After(5 * time.Second):
		t.Fatal("no echo test on an idle connection")
	}
}

func TestClientRejectsBadResponseMAC(t *testing.T) {
	good, _ := RetailMAC(mustHex("0123456789ABCDEFFEDCBA9876543210"))
	other, _ := RetailMAC(mustHex("FEDCBA98765432100123456789ABCDEF"))
	mux := NewServeMux()
	mux.HandleFunc(MTIFinancialRequest, func(ctx context.Context, req *Message) *Message {
		if err := Verify(req, good); err != nil {
			return reject(req, SecurityViolation)
		}
		resp := approve(ctx, req)
		if _, err := Sign(SpecASCII, resp, other); err != nil { // the wrong key
			return nil
		}
		return resp
	})
	addr := startServer(t, &Server{Handler: mux})
	c := NewClient(ClientConfig{Addr: addr, MAC: good})
	defer c.Close()
	_, err := c.Send(ctxTimeout(t, 5*time.Second), testPurchase("000001", "TERM0001"))
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, ErrMACMismatch) || te.Reversal == nil {
		t.Fatalf("Send with a bad response MAC = %v, want a TimeoutError with a reversal", err)
	}
}

func TestClientRefusesDuplicateInFlight(t *testing.T) {
	entered := make(chan struct{}, 1)
	release := make(chan struct{})
	mux := NewServeMux()
	mux.HandleFunc(MTIFinancialRequest, func(ctx context.Context, req *Message) *Message {
		entered <- struct{}{}
		<-release
		return approve(ctx, req)
	})
	addr := startServer(t, &Server{Handler: mux})
	c := NewClient(ClientConfig{Addr: addr})
	defer c.Close()
	ctx := ctxTimeout(t, 5*time.Second)
	first := make(chan error, 1)
	go func() {
		_, err := c.Send(ctx, testPurchase("000555", "TERM0001"))
		first <- err
	}()
	<-entered
	// Same class, STAN and terminal: refused before it is written, so no
	// reversal.
	if _, err := c.Send(ctx, testPurchase("000555", "TERM0001")); !errors.Is(err, ErrDuplicateRequest) {
		t.Errorf("second Send = %v, want ErrDuplicateRequest", err)
	}
	// Same STAN on another terminal is a different transaction.
	go func() { <-entered }()
	close(release)
	if _, err := c.Send(ctx, testPurchase("000555", "TERM0002")); err != nil {
		t.Errorf("Send from another terminal = %v", err)
	}
	if err := <-first; err != nil {
		t.Errorf("first Send = %v", err)
	}
	if c.Pending() != 0 {
		t.Errorf("Pending() = %d, want 0", c.Pending())
	}
}

// TestClientKeepsReversalAnswered96 answers the first reversal with 96
// (the host's store failed; it applied nothing): the reversal stays
// queued, as a repeat, and goes again on the next Flush.
func TestClientKeepsReversalAnswered96(t *testing.T) {
	var seen []MTI
	var mu sync.Mutex
	mux := NewServeMux()
	mux.HandleFunc(MTIReversalRequest, func(ctx context.Context, req *Message) *Message {
		mu.Lock()
		seen = append(seen, req.MTI)
		n := len(seen)
		mu.Unlock()
		if n == 1 {
			return reject(req, SystemMalfunction)
		}
		return approve(ctx, req)
	})
	addr := startServer(t, &Server{Handler: mux})
	c := NewClient(ClientConfig{Addr: addr, RetryInterval: time.Hour})
	defer c.Close()
	r, err := NewReversal(testPurchase("000778", "TERM0001"), false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.Message()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Forward(m); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(ctxTimeout(t, 5*time.Second)); !errors.Is(err, SystemMalfunction) {
		t.Fatalf("first Flush = %v, want the 96", err)
	}
	if c.Pending() != 1 {
		t.Fatalf("Pending() after a 96 = %d, want 1", c.Pending())
	}
	if err := c.Flush(ctxTimeout(t, 5*time.Second)); err != nil {
		t.Fatalf("second Flush = %v", err)
	}
	if c.Pending() != 0 {
		t.Fatalf("Pending() after a 00 = %d, want 0", c.Pending())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != MTIReversalRequest || seen[1] != MTIReversalRequestRepeat {
		t.Errorf("host saw %v, want 0400 then 0401", seen)
	}
}
