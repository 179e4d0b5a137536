package des

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestInitialPermutation moves each bit through initialPermutation and
// finalPermutation alone and checks where it lands against IP and IP⁻¹.
func TestInitialPermutation(t *testing.T) {
	for i := range 64 {
		in := uint64(1) << (63 - i) // bit i+1
		l, r := initialPermutation(in)
		got := uint64(bits.RotateLeft32(l, -1))<<32 | uint64(bits.RotateLeft32(r, -1))
		if want := permute(in, 64, initialPermutationTable[:]); got != want {
			t.Errorf("initialPermutation(bit %d) = %016X, want %016X", i+1, got, want)
		}
		// finalPermutation takes R16 and L16 and permutes R16L16.
		got = finalPermutation(bits.RotateLeft32(uint32(in>>32), 1), bits.RotateLeft32(uint32(in), 1))
		if want := permute(in, 64, finalPermutationTable[:]); got != want {
			t.Errorf("finalPermutation(bit %d) = %016X, want %016X", i+1, got, want)
		}
	}
}

// TestPermutationTables checks that IP⁻¹ as typed is the inverse of IP, and
// that each S-box row is a permutation of 0…15, as FIPS 46-3's are.
func TestPermutationTables(t *testing.T) {
	for i, from := range initialPermutationTable {
		if back := finalPermutationTable[from-1]; int(back) != i+1 {
			t.Errorf("IP⁻¹[IP[%d]] = %d, want %d", i+1, back, i+1)
		}
	}
	for j, box := range sBoxes {
		for row, values := range box {
			var seen uint16
			for _, v := range values {
				seen |= 1 << v
			}
			if seen != 0xffff {
				t.Errorf("S%d row %d is not a permutation of 0…15: %v", j+1, row, values)
			}
		}
	}
}

// TestAgainstReference compares whole blocks with the reference DES.
func TestAgainstReference(t *testing.T) {
	r := rand.New(rand.NewChaCha8([32]byte{'r', 'e', 'f'}))
	for range 2000 {
		key, block := r.Uint64(), r.Uint64()
		var k, src, dst [8]byte
		putUint64(k[:], key)
		putUint64(src[:], block)
		var ks schedule
		expandKey(&ks, k[:])
		for _, decrypt := range []bool{false, true} {
			cryptBlock(&ks, dst[:], src[:], decrypt)
			got := getUint64(dst[:])
			if want := refCrypt(key, block, decrypt); got != want {
				t.Fatalf("cryptBlock(%016X, decrypt %v) under %016X = %016X, want %016X", block, decrypt, key, got, want)
			}
		}
	}
}
