package mac_test

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/mac"
)

func TestPadding(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   string
		p      mac.Padding
		n      int
		padded string
	}{
		{"method 1 empty is one zero block", "", mac.Method1, 8, "0000000000000000"},
		{"method 1 full block unchanged", "0102030405060708", mac.Method1, 8, "0102030405060708"},
		{"method 2 empty", "", mac.Method2, 8, "8000000000000000"},
		{"method 2 full block adds a block", "0102030405060708", mac.Method2, 8, "01020304050607088000000000000000"},
		{"method 3 empty is the length block only", "", mac.Method3, 8, "0000000000000000"},
		{"method 3 with 16-byte blocks", "01", mac.Method3, 16, "0000000000000000000000000000000801000000000000000000000000000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mac.AppendPad(nil, testvec.MustHex(tc.data), tc.p, tc.n); !bytes.Equal(got, testvec.MustHex(tc.padded)) {
				t.Errorf("AppendPad = %X, want %s", got, tc.padded)
			}
		})
	}
	if got := mac.Method2.String(); got != "method 2" {
		t.Errorf("String = %q", got)
	}
	if got := mac.Padding(9).String(); got != "Padding(9)" {
		t.Errorf("String = %q", got)
	}
}
