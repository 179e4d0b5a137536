package acquirer_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// TestBCDWithTPDU serves the BCD layout behind a TPDU, as POS networks
// frame it, and checks Addr and Serve after Shutdown.
func TestBCDWithTPDU(t *testing.T) {
	framing := iso8583.Framing{TPDU: true}
	h := startHost(t, func(c *acquirer.Config) { c.Spec, c.Framing = iso8583.SpecBCD, framing })
	mk, _ := iso8583.RetailMAC(testMACKey["TERM0001"])
	c := iso8583.NewClient(iso8583.ClientConfig{Addr: h.addr, Spec: iso8583.SpecBCD, Framing: framing,
		TPDU: iso8583.TPDU{0x60, 0, 1, 0, 0}, MAC: mk, RetryInterval: time.Hour})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.Send(ctx, purchaseMessage(t, "TERM0001", "000001", 100))
	if err != nil || resp.Text(39) != "00" {
		t.Fatalf("BCD purchase: %v, %v", resp, err)
	}
	// Serve has run: Addr is the listener's.
	if h.Addr() == nil || h.Addr().String() != h.addr {
		t.Errorf("Addr() = %v, want %s", h.Addr(), h.addr)
	}
}

func TestServeAfterShutdown(t *testing.T) {
	cfg := seedConfig(t)
	h, err := acquirer.New(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h.Addr() != nil {
		t.Errorf("Addr before Serve = %v, want nil", h.Addr())
	}
	if err := h.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Serve(ln); !errors.Is(err, iso8583.ErrServerClosed) {
		t.Errorf("Serve after Shutdown = %v, want ErrServerClosed", err)
	}
	if _, err := ln.Accept(); err == nil {
		t.Errorf("the listener is still open")
	}
}
