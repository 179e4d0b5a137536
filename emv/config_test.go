package emv

import (
	"strings"
	"testing"
)

func TestTerminalType(t *testing.T) {
	tests := []struct {
		typ                                      byte
		addCash                                  bool
		atm, onlineOnly, offlineOnly, unattended bool
	}{
		{0x22, false, false, false, false, false},
		{0x21, false, false, true, false, false},
		{0x23, false, false, false, true, false},
		{0x14, true, true, true, false, true},
		{0x14, false, false, true, false, true}, // no cash: not an ATM
		{0x25, true, false, false, false, true}, // merchant operated
		{0x36, false, false, false, true, true},
	}
	for _, tt := range tests {
		term := Terminal{Type: tt.typ}
		if tt.addCash {
			term.AdditionalCapabilities[0] = 0x80
		}
		if term.ATM() != tt.atm || term.OnlineOnly() != tt.onlineOnly || term.OfflineOnly() != tt.offlineOnly || term.Unattended() != tt.unattended {
			t.Errorf("type %02X cash %v: ATM %v online-only %v offline-only %v unattended %v", tt.typ, tt.addCash,
				term.ATM(), term.OnlineOnly(), term.OfflineOnly(), term.Unattended())
		}
	}
}

func TestPINPromptString(t *testing.T) {
	s := PINPrompt{Amount: 100, TriesLeft: 2, PAN: "4761739001010119"}.String()
	if strings.Contains(s, "4761739001010119") || !strings.Contains(s, "476173******0119") || !strings.Contains(s, "2 tries left") {
		t.Errorf("PINPrompt.String() = %q", s)
	}
	if s := (OnlinePIN{Block: make([]byte, 16)}).String(); s != "online PIN block (16 bytes)" {
		t.Errorf("OnlinePIN.String() = %q", s)
	}
}
