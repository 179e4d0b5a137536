package emv

import "testing"

func TestSelectLanguage(t *testing.T) {
	tests := []struct {
		name     string
		card     string
		terminal []string
		want     string
	}{
		{"card's first language supported", "en", []string{"fr", "en"}, "en"},
		{"card's order wins over the terminal's", "deen", []string{"en", "de"}, "de"},
		{"second card language supported", "itfr", []string{"en", "fr"}, "fr"},
		{"no common language: terminal default", "it", []string{"fr", "en"}, "fr"},
		{"upper-case card codes", "EN", []string{"en"}, "en"},
		{"no card preference: terminal default", "", []string{"en"}, "en"},
		{"trailing odd byte ignored", "frd", []string{"de", "fr"}, "fr"},
		{"terminal without languages", "en", nil, ""},
	}
	for _, tt := range tests {
		if got := SelectLanguage([]byte(tt.card), tt.terminal); got != tt.want {
			t.Errorf("%s: SelectLanguage(%q, %q) = %q, want %q", tt.name, tt.card, tt.terminal, got, tt.want)
		}
	}
}

func TestSupportsCodeTable(t *testing.T) {
	// 6000F0A001 is the usual value: code table 1 only; 02 and 81 add
	// code tables 10, 8 and 1.
	term := Terminal{AdditionalCapabilities: [5]byte{0x60, 0, 0xF0, 0xA2, 0x81}}
	for n, want := range map[byte]bool{0: false, 1: true, 2: false, 7: false, 8: true, 9: false, 10: true, 11: false} {
		if got := term.SupportsCodeTable(n); got != want {
			t.Errorf("SupportsCodeTable(%d) = %v, want %v", n, got, want)
		}
	}
	c := Candidate{Label: "VISA", PreferredName: "VISA CRÉDIT", CodeTable: 1}
	if got := c.DisplayName(&term); got != "VISA CRÉDIT" {
		t.Errorf("DisplayName = %q", got)
	}
	c.CodeTable = 2
	if got := c.DisplayName(&term); got != "VISA" {
		t.Errorf("DisplayName with an unsupported code table = %q", got)
	}
}
