package pinblock_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

// checkErr fails unless err matches one of the package's sentinels and
// carries the package prefix.
func checkErr(t *testing.T, err error) {
	t.Helper()
	for _, s := range []error{
		pinblock.ErrFormat, pinblock.ErrKeySize, pinblock.ErrCipher, pinblock.ErrPINLength,
		pinblock.ErrPINDigit, pinblock.ErrPANLength, pinblock.ErrPANDigit, pinblock.ErrBlockSize,
		pinblock.ErrControl, pinblock.ErrFill, pinblock.ErrTranslation, pinblock.ErrRandom,
	} {
		if errors.Is(err, s) {
			if !strings.HasPrefix(err.Error(), "pinblock: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
	}
	t.Fatalf("error %v matches no sentinel", err)
}

func validPIN(s string) bool {
	if len(s) < pinblock.MinPINLength || len(s) > pinblock.MaxPINLength {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FuzzDecode decodes arbitrary clear blocks. A block that decodes must be
// reproduced exactly by Encode when the fill it carries is fed back as
// randomness, and no strict prefix of it may decode.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), testvec.MustHex("041274EDCBA9876F"), "4012345678909")
	f.Add(uint8(1), testvec.MustHex("1512345EDCBA9876"), "")
	f.Add(uint8(2), testvec.MustHex("2C123456789012FF"), "")
	f.Add(uint8(3), testvec.MustHex("341277EEEFCCB43C"), "5544332211009966")
	f.Add(uint8(0), testvec.MustHex("0A1274444CC6876F"), "4012345678909")
	f.Add(uint8(4), testvec.MustHex("441234AAAAAAAAAA"), "4111111111111111")
	f.Fuzz(func(t *testing.T, format uint8, block []byte, pan string) {
		fm := pinblock.Format(format % 6)
		pin, err := pinblock.Decode(fm, block, pan)
		if err != nil {
			checkErr(t, err)
			return
		}
		if !validPIN(pin) {
			t.Fatalf("Decode(%v, %X) = %q, not a valid PIN", fm, block, pin)
		}
		for n := range len(block) {
			if _, err := pinblock.Decode(fm, block[:n], pan); err == nil {
				t.Fatalf("Decode of a %d-byte prefix succeeded", n)
			}
		}
		// Recover the fill and feed it back as randomness.
		clearField := bytes.Clone(block)
		if fm == pinblock.ISO0 || fm == pinblock.ISO3 {
			panBlock, _ := pinblock.Encode(pinblock.ISO2, "0000", "")
			// PAN field = (format 2 block of a known PIN) XOR (format 0
			// block of the same PIN) with the control nibble fixed.
			iso0, err := pinblock.Encode(pinblock.ISO0, "0000", pan)
			if err != nil {
				t.Fatalf("Encode with a PAN Decode accepted: %v", err)
			}
			for i := range clearField {
				clearField[i] ^= iso0[i] ^ panBlock[i]
			}
			clearField[0] = clearField[0]&0x0f | byte(fm)<<4
		}
		var rnd []byte
		for i := 2 + len(pin); i < 16; i++ {
			v := nib(clearField, i)
			switch fm {
			case pinblock.ISO1:
				rnd = append(rnd, v)
			case pinblock.ISO3:
				rnd = append(rnd, v-0xa)
			}
		}
		rnd = append(rnd, make([]byte, 16)...)
		c := &pinblock.Config{Rand: bytes.NewReader(rnd)}
		again, err := c.Encode(fm, pin, pan)
		if err != nil || !bytes.Equal(again, block) {
			t.Fatalf("Encode(Decode(%X)) = %X, %v", block, again, err)
		}
	})
}

// FuzzEncodeDecode checks decode(encode(x)) == x for every format, with
// fuzzed randomness.
func FuzzEncodeDecode(f *testing.F) {
	f.Add(uint8(0), "1234", "4012345678909", []byte{0})
	f.Add(uint8(3), "123456789012", "5544332211009966", []byte{0xff, 0xfc, 1})
	f.Add(uint8(4), "98765", "123456789", []byte("0123456789abcdef"))
	f.Fuzz(func(t *testing.T, format uint8, pin, pan string, rnd []byte) {
		fm := pinblock.Format(format % 6)
		src := bytes.Repeat(append(rnd, 1), 64) // enough accepted bytes
		c := &pinblock.Config{Rand: bytes.NewReader(src)}
		if fm == pinblock.ISO4 {
			field, err := c.Format4PINField(pin)
			if err != nil {
				checkErr(t, err)
				if validPIN(pin) {
					t.Fatalf("Format4PINField(%q) = %v", pin, err)
				}
				return
			}
			got, err := pinblock.DecodeFormat4PINField(field)
			if err != nil || got != pin {
				t.Fatalf("DecodeFormat4PINField(Format4PINField(%q)) = %q, %v", pin, got, err)
			}
			return
		}
		blk, err := c.Encode(fm, pin, pan)
		if err != nil {
			checkErr(t, err)
			return
		}
		got, err := pinblock.Decode(fm, blk, pan)
		if err != nil || got != pin {
			t.Fatalf("Decode(Encode(%v, %q)) = %q, %v", fm, pin, got, err)
		}
	})
}

// FuzzDecodeFormat4PINField decodes arbitrary format 4 PIN fields; a
// field that decodes must be rebuilt exactly from its PIN and random half.
func FuzzDecodeFormat4PINField(f *testing.F) {
	f.Add(testvec.MustHex("441234AAAAAAAAAA2F69ADDE2E9E7ACE"))
	f.Add(testvec.MustHex("4C123456789012AA548ED7FD65495950"))
	f.Fuzz(func(t *testing.T, field []byte) {
		pin, err := pinblock.DecodeFormat4PINField(field)
		if err != nil {
			checkErr(t, err)
			return
		}
		c := &pinblock.Config{Rand: bytes.NewReader(field[8:])}
		again, err := c.Format4PINField(pin)
		if err != nil || !bytes.Equal(again, field) {
			t.Fatalf("Format4PINField(DecodeFormat4PINField(%X)) = %X, %v", field, again, err)
		}
	})
}

// FuzzDecrypt deciphers arbitrary blocks under arbitrary keys: it must
// never panic, and either return a valid PIN or a typed error.
func FuzzDecrypt(f *testing.F) {
	f.Add(uint8(4), testvec.MustHex("AF8CB133A78F8DC2D1359F18527593FB"), testvec.MustHex("A912150391AB65A67E52883D81CE2D15"), "4111111111111111")
	f.Add(uint8(0), testvec.MustHex("042666B49184CF5C68DE9628D0397B36"), testvec.MustHex("1B9C1845EB993A7A"), "4012345678909")
	f.Add(uint8(1), make([]byte, 24), make([]byte, 8), "")
	f.Fuzz(func(t *testing.T, format uint8, key, block []byte, pan string) {
		fm := pinblock.Format(format % 6)
		pin, err := pinblock.Decrypt(fm, key, block, pan)
		if err != nil {
			checkErr(t, err)
			return
		}
		if !validPIN(pin) {
			t.Fatalf("Decrypt returned %q, not a valid PIN", pin)
		}
		// Re-encipher and decipher again: the PIN survives.
		blk, err := pinblock.Encrypt(fm, key, pin, pan)
		if err != nil {
			t.Fatalf("Encrypt with inputs Decrypt accepted: %v", err)
		}
		if again, err := pinblock.Decrypt(fm, key, blk, pan); err != nil || again != pin {
			t.Fatalf("Decrypt(Encrypt(%q)) = %q, %v", pin, again, err)
		}
	})
}
