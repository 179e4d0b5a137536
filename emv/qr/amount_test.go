package qr

import "testing"

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		minor int64
		exp   int
		want  string
	}{
		{2372, 2, "23.72"},
		{5, 2, "0.05"},
		{0, 2, "0.00"},
		{500, 0, "500"},
		{1234, 3, "1.234"},
		{999999999999, 2, "9999999999.99"},
		{1, 4, "0.0001"},
		{0, 0, "0"},
		{120, 1, "12.0"},
	}
	for _, tt := range tests {
		got, err := FormatAmount(tt.minor, tt.exp)
		if err != nil || got != tt.want {
			t.Errorf("FormatAmount(%d, %d) = %q, %v, want %q", tt.minor, tt.exp, got, err, tt.want)
		}
		if !amount(got) {
			t.Errorf("FormatAmount(%d, %d) = %q is not an amount", tt.minor, tt.exp, got)
		}
	}
	for _, bad := range []struct {
		minor int64
		exp   int
	}{{-1, 2}, {1, 5}, {1, -1}, {10000000000000, 2}, {1 << 62, 0}} {
		if got, err := FormatAmount(bad.minor, bad.exp); err == nil {
			t.Errorf("FormatAmount(%d, %d) = %q, want an error", bad.minor, bad.exp, got)
		}
	}
}

func TestAmountFormat(t *testing.T) {
	for _, s := range []string{"0", "98", "98.", "98.73", "0.05", "1234567890123"} {
		if !amount(s) {
			t.Errorf("amount(%q) = false", s)
		}
	}
	for _, s := range []string{"", ".5", "1,000.00", "-1", "+1", "1.2.3", "1e5", " 1", "1 ", "１"} {
		if amount(s) {
			t.Errorf("amount(%q) = true", s)
		}
	}
	for _, s := range []string{"0.01", "3", "3.5", "99.99", "10.", "05"} {
		if !percentage(s) {
			t.Errorf("percentage(%q) = false", s)
		}
	}
	for _, s := range []string{"0", "0.00", "0.001", "100", "99.999", "100.0"} {
		if percentage(s) {
			t.Errorf("percentage(%q) = true", s)
		}
	}
}
