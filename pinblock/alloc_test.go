package pinblock_test

import (
	"testing"

	"github.com/posflow/posflow/pinblock"
)

// TestAllocations pins the allocations of the host's PIN paths under TDES
// keys. The key schedule is on the stack, so a PVV or IBM 3624 check
// allocates nothing. Encrypt, Decrypt and Translate allocate what they
// return, and the 8-byte clear PIN block, which moves to the heap because
// the same code deciphers with a cipher.Block for format 4 and the *With
// functions: one allocation each way.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	const pan = "4012345678909"
	iso0, err := pinblock.Encrypt(pinblock.ISO0, tdesKey, "1234", pan)
	if err != nil {
		t.Fatal(err)
	}
	pvv, err := pinblock.VisaPVV(tdesKey, "1122334455667788", 3, "4524")
	if err != nil {
		t.Fatal(err)
	}
	off, err := pinblock.IBM3624Offset(tdesKey, "1234567890123456", "1122334455667788", "4524")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		{"Decrypt ISO 0, TDES", 2, func() {
			if _, err := pinblock.Decrypt(pinblock.ISO0, tdesKey, iso0, pan); err != nil {
				t.Fatal(err)
			}
		}},
		{"VerifyVisaPVV", 0, func() {
			if err := pinblock.VerifyVisaPVV(tdesKey, "1122334455667788", 3, "4524", pvv); err != nil {
				t.Fatal(err)
			}
		}},
		{"VerifyIBM3624Offset", 0, func() {
			if err := pinblock.VerifyIBM3624Offset(tdesKey, "1234567890123456", "1122334455667788", "4524", off); err != nil {
				t.Fatal(err)
			}
		}},
		{"Encrypt ISO 0, TDES", 2, func() {
			if _, err := pinblock.Encrypt(pinblock.ISO0, tdesKey, "1234", pan); err != nil {
				t.Fatal(err)
			}
		}},
		{"Translate ISO 0 to ISO 3, TDES", 4, func() {
			if _, err := pinblock.Translate(pinblock.ISO0, tdesKey, pinblock.ISO3, tdesKey, iso0, pan); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(50, tt.f); got != tt.want {
			t.Errorf("%s: %v allocations, want %v", tt.name, got, tt.want)
		}
	}
}
