package pos

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// Test keys of ANSI X9.24-1:2009 A.4.
var (
	testBDK  = []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}
	testIKSN = dukpt.KSN{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x00}
)

// stubHost is an acquirer for the terminal's unit tests: it approves
// every 0200 whose PIN is cardsim.TestPIN and whose ARQC verifies under
// cardsim.TestIMK, and acknowledges everything else. The end-to-end tests
// use the real host of examples/host.
type stubHost struct {
	addr string
	srv  *iso8583.Server

	mu       sync.Mutex
	requests []*iso8583.Message
	dukpt    *dukpt.TDESHost
}

func startStub(t *testing.T) *stubHost {
	t.Helper()
	h := &stubHost{}
	var err error
	if h.dukpt, err = dukpt.NewTDESHost(testBDK, dukpt.HostConfig{}); err != nil {
		t.Fatal(err)
	}
	mux := iso8583.NewServeMux()
	ack := func(code iso8583.ResponseCode) func(context.Context, *iso8583.Message) *iso8583.Message {
		return func(_ context.Context, m *iso8583.Message) *iso8583.Message {
			h.record(m)
			r, err := iso8583.Respond(m, code)
			if err != nil {
				return nil
			}
			if m.MTI == iso8583.MTIReconciliationRequest {
				r.SettlementCode = "1"
			}
			rm, _ := r.Message()
			return rm
		}
	}
	mux.HandleFunc(iso8583.MTINetworkRequest, ack(iso8583.Approved))
	mux.HandleFunc(iso8583.MTIReversalRequest, ack(iso8583.Approved))
	mux.HandleFunc(iso8583.MTIFinancialAdvice, ack(iso8583.Approved))
	mux.HandleFunc(iso8583.MTIReconciliationRequest, ack(iso8583.Approved))
	mux.HandleFunc(iso8583.MTIFinancialRequest, h.financial)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.addr = ln.Addr().String()
	h.srv = &iso8583.Server{Handler: mux}
	go h.srv.Serve(ln)
	t.Cleanup(func() { h.srv.Close() })
	return h
}

func (h *stubHost) record(m *iso8583.Message) {
	h.mu.Lock()
	h.requests = append(h.requests, m)
	h.mu.Unlock()
}

func (h *stubHost) financial(_ context.Context, m *iso8583.Message) *iso8583.Message {
	h.record(m)
	req, err := iso8583.ReadFinancialRequest(m)
	if err != nil {
		return nil
	}
	pan := req.PAN
	if pan == "" {
		pan, _, _ = strings.Cut(req.Track2, "=")
	}
	code := iso8583.Approved
	if req.PINBlock != nil {
		ksn, err := dukpt.ParseKSN(req.SecurityControl)
		if err != nil {
			code = iso8583.SecurityViolation
		} else if tx, err := h.dukpt.Transaction(ksn); err != nil {
			code = iso8583.SecurityViolation
		} else if pin, err := tx.DecryptPIN(0, req.PINBlock, pan); err != nil || pin != cardsim.TestPIN {
			code = iso8583.IncorrectPIN
		}
	}
	r, err := iso8583.Respond(m, code)
	if err != nil {
		return nil
	}
	r.RRN, r.AuthCode = "000000000001", "A1B2C3"
	if req.ICC != nil {
		data, err := issuer.ParseField55(req.ICC)
		if err != nil {
			return nil
		}
		psn := strings.TrimPrefix(req.CardSequence, "0")
		arc := []byte(code)
		cvn, err := issuer.Verify(cardsim.TestIMK, pan, psn, data)
		if err != nil {
			r.Code, arc = iso8583.DoNotHonour, []byte("05")
		}
		if cvn.ARPCMethod() == 2 {
			// Visa CVN 18 and 22: a card status update, byte 2 bit 8
			// set when the issuer approves.
			arc = []byte{0, 0, 0, 0}
			if r.Code == iso8583.Approved {
				arc[1] = 0x80
			}
		}
		if cvn != 0 {
			// An ARPC needs a cryptogram version; without one (an
			// unknown 9F10) the 05 goes without field 55.
			arpc, err := issuer.ARPC(cvn, cardsim.TestIMK, pan, psn, data, data[0x9F26], arc)
			if err != nil {
				return nil
			}
			iad, err := issuer.IssuerAuthenticationData(cvn, arpc, arc, nil)
			if err != nil {
				return nil
			}
			r.ICC, _ = tlv.AppendTLV(nil, 0x91, iad)
		}
	}
	rm, _ := r.Message()
	return rm
}

func (h *stubHost) mtis() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var s []string
	for _, m := range h.requests {
		s = append(s, string(m.MTI))
	}
	return s
}

// clock returns a clock that starts at 10:30 on 26 November 2026 and
// moves one second each time it is read.
func clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}
