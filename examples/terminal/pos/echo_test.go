package pos

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestEchoCarriesTerminal checks that the terminal's echo test names the
// terminal and merchant in fields 41 and 42, so that the host finds the
// terminal by field 41 rather than by trying MAC keys.
func TestEchoCarriesTerminal(t *testing.T) {
	h := startStub(t)
	card := visaCard(t)
	var out bytes.Buffer
	term := testTerminal(t, h.addr, card.Profile().Applications[0].Keys.CAPK, &out)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := term.Echo(ctx); err != nil {
		t.Fatalf("Echo: %v", err)
	}
	if !strings.Contains(out.String(), "echo test answered") {
		t.Errorf("steps %q do not report the echo", out.String())
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.requests) != 1 {
		t.Fatalf("host saw %d requests, want the echo", len(h.requests))
	}
	m := h.requests[0]
	if m.MTI != "0800" || m.Text(70) != "301" || m.Text(41) != "TERM0001" || m.Text(42) != "MERCHANT0000001" {
		t.Errorf("echo: MTI %s, 70 %q, 41 %q, 42 %q; want 0800, 301, TERM0001, MERCHANT0000001",
			m.MTI, m.Text(70), m.Text(41), m.Text(42))
	}
}
