package qr

import (
	"errors"
	"strings"
	"testing"
)

func TestFprintBuilt(t *testing.T) {
	var b strings.Builder
	m := pixMerchant.Static()
	if err := m.Fprint(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "63 CRC") {
		t.Errorf("built MPM printed a CRC:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "  05 Reference Label [15] \"RP12345678-2019\"\n") {
		t.Errorf("output lacks 62.05:\n%s", b.String())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestFprintWriteError(t *testing.T) {
	m, err := ParseMPM(loadMPMVectors(t)[0].Payload)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fprint(failWriter{}); err == nil {
		t.Error("Fprint to a failing writer returned nil")
	}
}
