package pinblock_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

func TestTranslate(t *testing.T) {
	const pin, pan = "1234", "4012345678909"
	keyFor := func(f pinblock.Format) []byte {
		if f == pinblock.ISO4 {
			return aesKey
		}
		return tdesKey
	}
	for from := pinblock.ISO0; from <= pinblock.ISO4; from++ {
		for to := pinblock.ISO0; to <= pinblock.ISO4; to++ {
			blk, err := pinblock.Encrypt(from, keyFor(from), pin, pan)
			if err != nil {
				t.Fatal(err)
			}
			out, err := pinblock.Translate(from, keyFor(from), to, keyFor(to), blk, pan)
			bindsPAN := func(f pinblock.Format) bool { return f == pinblock.ISO0 || f == pinblock.ISO3 || f == pinblock.ISO4 }
			if bindsPAN(from) && !bindsPAN(to) {
				if !errors.Is(err, pinblock.ErrTranslation) || out != nil {
					t.Errorf("Translate(%v→%v) = %X, %v, want ErrTranslation", from, to, out, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Translate(%v→%v): %v", from, to, err)
			}
			if got, err := pinblock.Decrypt(to, keyFor(to), out, pan); err != nil || got != pin {
				t.Errorf("Decrypt(Translate(%v→%v)) = %q, %v", from, to, got, err)
			}
		}
	}
	// A block that does not decode is not translated.
	if _, err := pinblock.Translate(pinblock.ISO0, tdesKey, pinblock.ISO3, tdesKey, make([]byte, 8), pan); err == nil {
		t.Error("Translate of a zero block succeeded")
	}
}

func TestTranslateDeterministic(t *testing.T) {
	// X9.24-1 A.4 KSN ...E00001: format 0 under the PIN-variant key, to
	// format 4 under the X9.24-3 AES PIN key with the published random
	// part, gives the published X9.24-3 block for PAN 4111111111111111
	// only if the PAN matches, so translate a block made for that PAN.
	const pan = "4111111111111111"
	tdes := testvec.MustHex("042666B49184CF5C68DE9628D0397B36")
	in, err := pinblock.Encrypt(pinblock.ISO0, tdes, "1234", pan)
	if err != nil {
		t.Fatal(err)
	}
	c := &pinblock.Config{Rand: fixedRand(testvec.MustHex("2F69ADDE2E9E7ACE"))}
	out, err := c.Translate(pinblock.ISO0, tdes, pinblock.ISO4, testvec.MustHex("AF8CB133A78F8DC2D1359F18527593FB"), in, pan)
	if err != nil || !bytes.Equal(out, testvec.MustHex("A912150391AB65A67E52883D81CE2D15")) {
		t.Errorf("Translate = %X, %v, want A912150391AB65A67E52883D81CE2D15", out, err)
	}
}
