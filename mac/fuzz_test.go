package mac_test

import (
	"bytes"
	"crypto/cipher"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/mac"
)

func fuzzCiphers(t testing.TB) []cipher.Block {
	return []cipher.Block{
		newBlock(t, "DES", testvec.MustHex("0123456789ABCDEF")),
		newBlock(t, "TDES", testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")),
		newBlock(t, "AES", testvec.MustHex("2b7e151628aed2a6abf7158809cf4f3c")),
	}
}

// FuzzAlg1 checks the streaming CBC-MAC, which folds the padding into
// the chaining value, against pad-then-CBC with crypto/cipher, and that
// Verify accepts every truncation of the result.
func FuzzAlg1(f *testing.F) {
	f.Add([]byte(""), uint8(1), uint8(0))
	f.Add(testvec.MustHex("1234567890ABCDEF"), uint8(2), uint8(1))
	f.Add([]byte("4012345678909D987"), uint8(3), uint8(2))
	cs := fuzzCiphers(f)
	f.Fuzz(func(t *testing.T, data []byte, p, which uint8) {
		c := cs[int(which)%len(cs)]
		pad := mac.Padding(p%3 + 1)
		got := mac.Alg1(c, data, pad)
		if want := cbcReference(c, data, pad); !bytes.Equal(got, want) {
			t.Fatalf("Alg1(%X, %v) = %X, reference %X", data, pad, got, want)
		}
		for n := mac.MinTagSize; n <= len(got); n++ {
			if err := mac.VerifyAlg1(c, data, pad, got[:n]); err != nil {
				t.Fatalf("VerifyAlg1(%d-byte tag) = %v", n, err)
			}
		}
	})
}

// FuzzCMAC checks CMAC against a direct transcription of SP 800-38B, and
// that a flipped bit anywhere in the tag fails verification.
func FuzzCMAC(f *testing.F) {
	f.Add([]byte(""), uint8(2), uint16(0))
	f.Add(testvec.MustHex("6bc1bee22e409f96e93d7e117393172a"), uint8(2), uint16(5))
	f.Add(testvec.MustHex("6bc1bee22e409f96e93d7e117393172aae2d8a57"), uint8(1), uint16(63))
	cs := fuzzCiphers(f)
	f.Fuzz(func(t *testing.T, data []byte, which uint8, bit uint16) {
		c := cs[int(which)%len(cs)]
		got := mac.CMAC(c, data)
		if want := cmacReference(c, data); !bytes.Equal(got, want) {
			t.Fatalf("CMAC(%X) = %X, reference %X", data, got, want)
		}
		bad := bytes.Clone(got)
		i := int(bit) % (8 * len(bad))
		bad[i/8] ^= 1 << (i % 8)
		if err := mac.VerifyCMAC(c, data, bad); err == nil {
			t.Fatal("VerifyCMAC accepted a corrupted tag")
		}
	})
}
