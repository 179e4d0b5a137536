package pinblock

import (
	"bytes"
	"testing"
)

// TestRandomNibblesUniform feeds every byte value once and checks that
// each accepted fill value comes out equally often: rejection sampling
// leaves no modulo bias.
func TestRandomNibblesUniform(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, tc := range []struct {
		lo       byte
		accepted int
	}{{0, 256}, {0xa, 252}} {
		out := make([]byte, tc.accepted)
		if err := randomNibbles(bytes.NewReader(all), out, tc.lo); err != nil {
			t.Fatal(err)
		}
		counts := map[byte]int{}
		for _, v := range out {
			counts[v]++
		}
		size := 16 - int(tc.lo)
		if len(counts) != size {
			t.Fatalf("lo %X: %d distinct values, want %d", tc.lo, len(counts), size)
		}
		for v, n := range counts {
			if v < tc.lo || v > 0xf || n != tc.accepted/size {
				t.Errorf("lo %X: value %X seen %d times, want %d", tc.lo, v, n, tc.accepted/size)
			}
		}
	}
}

func TestNibbles(t *testing.T) {
	b := make([]byte, 2)
	for i, v := range []byte{1, 2, 0xe, 0xf} {
		setNibble(b, i, v)
	}
	if b[0] != 0x12 || b[1] != 0xef {
		t.Fatalf("setNibble gave %X", b)
	}
	for i, want := range []byte{1, 2, 0xe, 0xf} {
		if got := nibble(b, i); got != want {
			t.Errorf("nibble(%d) = %X, want %X", i, got, want)
		}
	}
}
