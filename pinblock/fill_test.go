package pinblock_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

// TestFillDigits checks the fill of every format on many blocks.
func TestFillDigits(t *testing.T) {
	for f := pinblock.ISO0; f <= pinblock.ISO3; f++ {
		seen := map[byte]bool{}
		for range 200 {
			blk, err := pinblock.Encode(f, "1234", "4000001234562")
			if err != nil {
				t.Fatal(err)
			}
			if f == pinblock.ISO0 || f == pinblock.ISO3 {
				// Undo the PAN field (0000 0000 0012 3456) to see the fill.
				for i, b := range testvec.MustHex("0000400000123456") {
					blk[i] ^= b
				}
			}
			for i := 6; i < 16; i++ {
				v := nib(blk, i)
				seen[v] = true
				switch {
				case (f == pinblock.ISO0 || f == pinblock.ISO2) && v != 0xf,
					f == pinblock.ISO3 && v < 0xa:
					t.Fatalf("%v: fill nibble %d = %X", f, i, v)
				}
			}
		}
		want := map[pinblock.Format]int{pinblock.ISO0: 1, pinblock.ISO1: 16, pinblock.ISO2: 1, pinblock.ISO3: 6}[f]
		if len(seen) != want {
			t.Errorf("%v: %d distinct fill values in 2000 nibbles, want %d", f, len(seen), want)
		}
	}
}

func nib(b []byte, i int) byte {
	if i%2 == 0 {
		return b[i/2] >> 4
	}
	return b[i/2] & 0xf
}

// TestDeterministicFill shows that Config.Rand drives the fill.
func TestDeterministicFill(t *testing.T) {
	// Bytes 0x00..0x0F give nibbles 0..F for format 1 and, for format 3,
	// 0x00..0x05 give A..F.
	c := &pinblock.Config{Rand: fixedRand(testvec.MustHex("000102030405060708090A0B0C0D0E0F"))}
	blk, err := c.Encode(pinblock.ISO1, "1234", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := testvec.MustHex("141234012345678" + "9"); !bytes.Equal(blk, want) {
		t.Errorf("ISO-1 with fixed Rand = %X, want %X", blk, want)
	}
	c = &pinblock.Config{Rand: fixedRand(testvec.MustHex("FF00FC0102FD030405000000000000000000"))}
	blk, err = c.Encode(pinblock.ISO3, "1234", "4000001234562")
	if err != nil {
		t.Fatal(err)
	}
	// 0xFF, 0xFC and 0xFD are rejected (>= 252); the rest map to A + b%6,
	// and the zeros that follow give A.
	want := testvec.MustHex("341234ABCDEFAAAA")
	for i, b := range testvec.MustHex("0000400000123456") {
		want[i] ^= b
	}
	if !bytes.Equal(blk, want) {
		t.Errorf("ISO-3 with fixed Rand = %X, want %X", blk, want)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy exhausted") }

type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

func TestBadRandom(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    pinblockReader
		f    pinblock.Format
	}{
		{"reader fails", failingReader{}, pinblock.ISO1},
		{"reader only yields rejected bytes", constReader(0xff), pinblock.ISO3},
		{"reader fails for format 4", failingReader{}, pinblock.ISO4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &pinblock.Config{Rand: tc.r}
			var err error
			if tc.f == pinblock.ISO4 {
				_, err = c.Format4PINField("1234")
			} else {
				_, err = c.Encode(tc.f, "1234", "4000001234562")
			}
			if !errors.Is(err, pinblock.ErrRandom) {
				t.Errorf("err = %v, want ErrRandom", err)
			}
		})
	}
}

type pinblockReader interface{ Read([]byte) (int, error) }

func TestDefaultRandIsCryptoRand(t *testing.T) {
	// A nil Config and a zero Config both work and produce valid blocks.
	var c *pinblock.Config
	for _, cfg := range []*pinblock.Config{c, {}, {Rand: rand.Reader}} {
		blk, err := cfg.Encode(pinblock.ISO3, "1234", "4012345678909")
		if err != nil {
			t.Fatal(err)
		}
		if pin, err := pinblock.Decode(pinblock.ISO3, blk, "4012345678909"); err != nil || pin != "1234" {
			t.Errorf("Decode = %q, %v", pin, err)
		}
	}
}
