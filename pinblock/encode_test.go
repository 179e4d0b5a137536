package pinblock_test

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

// TestRoundTrip encodes and decodes every format and PIN length.
func TestRoundTrip(t *testing.T) {
	pans := []string{"12345678", "4012345678909", "5544332211009966", "1234567890123456789"}
	for f := pinblock.ISO0; f <= pinblock.ISO3; f++ {
		for n := pinblock.MinPINLength; n <= pinblock.MaxPINLength; n++ {
			for _, pan := range pans {
				pin := "9876543210987"[:n]
				blk, err := pinblock.Encode(f, pin, pan)
				if err != nil {
					t.Fatalf("Encode(%v, %d digits): %v", f, n, err)
				}
				if got, err := pinblock.Decode(f, blk, pan); err != nil || got != pin {
					t.Errorf("Decode(%v, Encode(%v, %q)) = %q, %v", f, f, pin, got, err)
				}
			}
		}
	}
}

// TestAppendEncode checks that AppendEncode keeps dst's prefix.
func TestAppendEncode(t *testing.T) {
	dst := []byte{0xAA}
	out, err := pinblock.AppendEncode(dst, pinblock.ISO0, "1234", "4012345678909")
	if err != nil || !bytes.Equal(out, testvec.MustHex("AA041274EDCBA9876F")) {
		t.Errorf("AppendEncode = %X, %v", out, err)
	}
	// On error dst comes back unchanged.
	out, err = pinblock.AppendEncode(dst, pinblock.ISO0, "12", "4012345678909")
	if err == nil || !bytes.Equal(out, dst) {
		t.Errorf("AppendEncode(bad) = %X, %v", out, err)
	}
}
