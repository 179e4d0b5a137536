package pos

import (
	"bytes"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/qr"
)

func TestQRPayload(t *testing.T) {
	var out bytes.Buffer
	term := testTerminal(t, "127.0.0.1:1", nil, &out)
	p, err := term.QRPayload(2500)
	if err != nil {
		t.Fatal(err)
	}
	m, err := qr.ParseMPM(p)
	if err != nil {
		t.Fatalf("ParseMPM(%q) = %v", p, err)
	}
	got, err := m.Payload()
	if err != nil || got != p {
		t.Errorf("payload does not round-trip: %q, %v", got, err)
	}
	for _, want := range []string{"010212", "5303840", "540525.00", "5802US", "5911CORNER SHOP", "0708TERM0001"} {
		if !strings.Contains(p, want) {
			t.Errorf("payload %q lacks %q", p, want)
		}
	}
	var screen bytes.Buffer
	if err := term.ShowQR(&screen, 2500); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(screen.String(), "▀") || !strings.Contains(screen.String(), "USD 25.00") {
		t.Errorf("QR screen lacks the symbol or the amount:\n%s", screen.String())
	}
}
