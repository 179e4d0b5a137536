package iso8583

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestMaskPAN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4761739001010119", "476173******0119"},
		{"4761739001010119123", "476173*********9123"},
		{"123456789012", "********9012"}, // under 13 digits: last four only
		{"1234", "****"},
		{"", ""},
		{"4761-7390", "[9 chars]"}, // not digits: hidden whole
	}
	for _, tt := range tests {
		if got := MaskPAN(tt.in); got != tt.want {
			t.Errorf("MaskPAN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// secrets are the values of the test purchase that no printed form may
// contain.
var secrets = []string{"4761739001010119", "29122011143804400000", "8B5E2F1A9C3D4E70", "8b5e2f1a9c3d4e70", "2912"}

func checkNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, x := range secrets {
		if strings.Contains(s, x) {
			t.Errorf("%s contains %q:\n%s", what, x, s)
		}
	}
}

func TestMessagePrintingMasks(t *testing.T) {
	m := testPurchase("000123", "TERM0001")
	// Field 55 with a PAN and track 2 equivalent inside.
	m.Set(55, append(mustHex("5A084761739001010119570F4761739001010119D2912201114380"), testICC...))
	var d bytes.Buffer
	if err := Describe(&d, m); err != nil {
		t.Fatal(err)
	}
	var l bytes.Buffer
	slog.New(slog.NewTextHandler(&l, nil)).Info("sent", "msg", m)
	r := benchPurchase()
	for what, s := range map[string]string{
		"String":      m.String(),
		"%v":          fmt.Sprintf("%v", m),
		"%+v":         fmt.Sprintf("%+v", m),
		"%#v":         fmt.Sprintf("%#v", m),
		"Describe":    d.String(),
		"slog":        l.String(),
		"Transaction": fmt.Sprintf("%v %+v %#v", r.Transaction, r.Transaction, r.Transaction),
	} {
		checkNoSecrets(t, what, s)
		if what != "Transaction" && !strings.Contains(s, "476173******0119") {
			t.Errorf("%s does not show the masked PAN:\n%s", what, s)
		}
	}
	if !strings.Contains(d.String(), "5A=476173******0119") || !strings.Contains(d.String(), "57=[15 bytes hidden]") || !strings.Contains(d.String(), "9F26=C2A4B3F1E0D7C6B5") {
		t.Errorf("Describe field 55:\n%s", d.String())
	}
}
