package des

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

func putUint64(b []byte, v uint64) { binary.BigEndian.PutUint64(b, v) }
func getUint64(b []byte) uint64    { return binary.BigEndian.Uint64(b) }

// unlay returns round key k from the rounds' layout as a 48-bit value,
// bit 1 most significant, and fails the test if a bit outside the 48 is
// set.
func unlay(t *testing.T, k uint64) uint64 {
	t.Helper()
	var out, used uint64
	for n := 1; n <= 48; n++ {
		pos := roundKeyPosition(n)
		used |= 1 << pos
		out |= (k >> pos & 1) << (48 - n)
	}
	if k&^used != 0 {
		t.Fatalf("round key %016X has bits outside the 48 positions", k)
	}
	return out
}

// TestExpandKey compares the table-driven schedule with the bit-by-bit one
// for random keys and for keys with one bit set.
func TestExpandKey(t *testing.T) {
	keys := []uint64{0, ^uint64(0)}
	for i := range 64 {
		keys = append(keys, 1<<i)
	}
	r := rand.New(rand.NewChaCha8([32]byte{'k', 's'}))
	for range 2000 {
		keys = append(keys, r.Uint64())
	}
	for _, key := range keys {
		var k [8]byte
		putUint64(k[:], key)
		var ks schedule
		expandKey(&ks, k[:])
		want := refSchedule(key)
		for n := range 16 {
			laid := uint64(ks[n/2][n%2*2])<<32 | uint64(ks[n/2][n%2*2+1])
			if got := unlay(t, laid); got != want[n] {
				t.Fatalf("K%d of %016X = %012X, want %012X", n+1, key, got, want[n])
			}
		}
	}
}

// TestRoundKeyPosition checks that the layout puts the 48 bits in 48
// distinct places, six to a byte, as block.go describes.
func TestRoundKeyPosition(t *testing.T) {
	var used uint64
	for n := 1; n <= 48; n++ {
		pos := roundKeyPosition(n)
		if used>>pos&1 != 0 {
			t.Fatalf("roundKeyPosition(%d) = %d, taken", n, pos)
		}
		used |= 1 << pos
	}
	if used != 0xf3f3f3f33f3f3f3f {
		t.Errorf("positions used %016X, want F3F3F3F33F3F3F3F", used)
	}
}
