package pinblock_test

import (
	"errors"
	"testing"

	"github.com/posflow/posflow/pinblock"
)

// TestIBM3624OffsetArithmetic checks offsets against the natural PIN for
// customer-selected PINs of several lengths.
func TestIBM3624OffsetArithmetic(t *testing.T) {
	const dec, vd = "0123456789012345", "4012345678909FFF"
	nat, err := pinblock.IBM3624NaturalPIN(tdesKey, dec, vd, 12)
	if err != nil {
		t.Fatal(err)
	}
	for _, pin := range []string{"0000", "9999", "12345", "987654321098"} {
		off, err := pinblock.IBM3624Offset(tdesKey, dec, vd, pin)
		if err != nil {
			t.Fatal(err)
		}
		for i := range pin {
			if (int(nat[i]-'0')+int(off[i]-'0'))%10 != int(pin[i]-'0') {
				t.Fatalf("offset %s does not map natural %s to %s", off, nat[:len(pin)], pin)
			}
		}
		if got, err := pinblock.IBM3624PIN(tdesKey, dec, vd, off); err != nil || got != pin {
			t.Errorf("IBM3624PIN(%s) = %q, %v, want %q", off, got, err, pin)
		}
		if err := pinblock.VerifyIBM3624Offset(tdesKey, dec, vd, pin, off); err != nil {
			t.Errorf("VerifyIBM3624Offset(%s) = %v", pin, err)
		}
		// Check length shorter than the PIN: only the leftmost 4 digits.
		if err := pinblock.VerifyIBM3624Offset(tdesKey, dec, vd, pin, off[:4]); err != nil {
			t.Errorf("VerifyIBM3624Offset with check length 4 = %v", err)
		}
	}
	if err := pinblock.VerifyIBM3624Offset(tdesKey, dec, vd, "1111", "0000"); err != nil && !errors.Is(err, pinblock.ErrMismatch) {
		t.Errorf("unexpected error %v", err)
	}
}
