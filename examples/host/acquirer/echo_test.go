package acquirer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// echoClient returns a client signing with the MAC key of terminal id that
// sends tid (and mid) in fields 41 and 42 of its echo tests.
func echoClient(t *testing.T, h *testHost, id, tid, mid string) *iso8583.Client {
	mk, err := iso8583.RetailMAC(testMACKey[id])
	if err != nil {
		t.Fatal(err)
	}
	c := iso8583.NewClient(iso8583.ClientConfig{Addr: h.addr, MAC: mk, TerminalID: tid, MerchantID: mid,
		Time: func() time.Time { return testNow }, RetryInterval: time.Hour, Rand: newRand(5)})
	t.Cleanup(func() { c.Close() })
	return c
}

const foundByMAC = "terminal found by its MAC key"

// networkEntries returns the 0800 rows journaled for terminal.
func networkEntries(t *testing.T, h *testHost, terminal string) int {
	t.Helper()
	es, err := h.Journal(context.Background(), terminal)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Kind == acquirer.KindNetwork {
			n++
		}
	}
	return n
}

// TestEchoByTerminalID checks the normal path: the echo test of a client
// configured with its terminal ID carries field 41, the host finds the
// terminal by it (no trial of MAC keys) and journals the echo under it.
func TestEchoByTerminalID(t *testing.T) {
	h := startHost(t, nil)
	c := echoClient(t, h, "TERM0001", "TERM0001", "000000000000001")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Echo(ctx); err != nil {
		t.Fatalf("Echo: %v", err)
	}
	if n := networkEntries(t, h, "TERM0001"); n != 1 {
		t.Errorf("%d echo rows journaled for TERM0001, want 1", n)
	}
	if strings.Contains(h.logs.String(), foundByMAC) {
		t.Error("the host searched the terminals' MAC keys for an echo that names its terminal")
	}
}

// TestEchoWithoutTerminalID checks the compatibility path: a client that
// sends no field 41 is still answered, under the key of the terminal whose
// key verifies the MAC, and journaled without a terminal.
func TestEchoWithoutTerminalID(t *testing.T) {
	h := startHost(t, nil)
	c := echoClient(t, h, "TERM0002", "", "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Echo(ctx); err != nil {
		t.Fatalf("Echo: %v", err)
	}
	if !strings.Contains(h.logs.String(), foundByMAC) {
		t.Error("the host did not log the MAC key search of an echo without terminal")
	}
	if n := networkEntries(t, h, "TERM0002"); n != 0 {
		t.Errorf("%d echo rows journaled for TERM0002, want 0 (no terminal named)", n)
	}
}

// TestEchoRefusals checks that an echo naming its terminal is held to that
// terminal: signed with another terminal's key it is refused 63, and an
// unknown terminal is refused 58, without any search of MAC keys.
func TestEchoRefusals(t *testing.T) {
	h := startHost(t, nil)
	raw := dialRaw(t, h)
	for _, tc := range []struct {
		name     string
		tid      string
		signedBy string
		want     string
	}{
		{"signed with another terminal's key", "TERM0001", "TERM0002", "63"},
		{"unknown terminal", "TERM9999", "TERM0001", "58"},
		{"own key", "TERM0002", "TERM0002", "00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := (&iso8583.NetworkRequest{Code: iso8583.Echo, Transmitted: iso8583.TransmissionTime(testNow),
				STAN: "000101", TerminalID: tc.tid}).Message()
			if err != nil {
				t.Fatal(err)
			}
			if got := raw.roundTrip(sign(t, tc.signedBy, m)).Text(39); got != tc.want {
				t.Errorf("response code %s, want %s", got, tc.want)
			}
		})
	}
	if strings.Contains(h.logs.String(), foundByMAC) {
		t.Error("the host searched the terminals' MAC keys for echoes that name their terminal")
	}
}
