package dukpt

import (
	"bytes"
	"errors"
	"math/bits"
	"testing"
)

// FuzzParseKSN feeds arbitrary bytes to both KSN parsers and the text
// decoders and checks the counter arithmetic against a brute-force search.
func FuzzParseKSN(f *testing.F) {
	f.Add([]byte{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x01})
	f.Add([]byte{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xFF, 0xF8, 0x00})
	f.Add([]byte{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56, 0x00, 0x01, 0xFF, 0xFF})
	f.Add([]byte{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56, 0xFF, 0xFF, 0x00, 0x00})
	f.Add([]byte("FFFF9876543210E00001"))
	f.Add([]byte("123456789012345600000001"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseKSN(b)
		if (err == nil) != (len(b) == 10) {
			t.Fatalf("ParseKSN(%X) error %v", b, err)
		}
		if err == nil {
			if !bytes.Equal(k[:], b) || k.WithCounter(k.Counter()) != k || k.Initial().Counter() != 0 {
				t.Fatalf("ParseKSN(%X) does not round-trip", b)
			}
			text, _ := k.MarshalText()
			var k2 KSN
			if err := k2.UnmarshalText(text); err != nil || k2 != k {
				t.Fatalf("text round trip of %v: %v", k, err)
			}
			checkNext(t, uint64(k.Counter()), tdesCounterBits, tdesMaxOnes, func() (uint64, error) {
				n, err := k.Next()
				if err == nil && n.Initial() != k.Initial() {
					t.Fatalf("Next changed the initial KSN of %v", k)
				}
				return uint64(n.Counter()), err
			})
			checkValid(t, uint64(k.Counter()), tdesMaxOnes, k.Valid())
		}
		a, err := ParseAESKSN(b)
		if (err == nil) != (len(b) == 12) {
			t.Fatalf("ParseAESKSN(%X) error %v", b, err)
		}
		if err == nil {
			if !bytes.Equal(a[:], b) || a.WithCounter(a.Counter()) != a {
				t.Fatalf("ParseAESKSN(%X) does not round-trip", b)
			}
			text, _ := a.MarshalText()
			var a2 AESKSN
			if err := a2.UnmarshalText(text); err != nil || a2 != a {
				t.Fatalf("text round trip of %v: %v", a, err)
			}
			checkNext(t, uint64(a.Counter()), aesCounterBits, aesMaxOnes, func() (uint64, error) {
				n, err := a.Next()
				return uint64(n.Counter()), err
			})
			checkValid(t, uint64(a.Counter()), aesMaxOnes, a.Valid())
		}
		// Text decoding of arbitrary input never panics and round-trips.
		var kt KSN
		if kt.UnmarshalText(b) == nil {
			out, _ := kt.MarshalText()
			if !bytes.EqualFold(out, b) {
				t.Fatalf("UnmarshalText(%q) then MarshalText = %q", b, out)
			}
		}
		var at AESKSN
		if at.UnmarshalText(b) == nil {
			out, _ := at.MarshalText()
			if !bytes.EqualFold(out, b) {
				t.Fatalf("AES UnmarshalText(%q) then MarshalText = %q", b, out)
			}
		}
	})
}

func checkValid(t *testing.T, c uint64, maxOnes int, err error) {
	want := c != 0 && bits.OnesCount64(c) <= maxOnes
	if (err == nil) != want {
		t.Fatalf("Valid() for counter %X = %v", c, err)
	}
}

// checkNext compares Next with a linear search when the gap is short, and
// checks the properties of the result otherwise.
func checkNext(t *testing.T, c uint64, width, maxOnes int, next func() (uint64, error)) {
	n, err := next()
	if err != nil {
		if !errors.Is(err, ErrExhausted) {
			t.Fatalf("Next() of counter %X: %v", c, err)
		}
		for x := c + 1; x < 1<<width && x < c+1<<12; x++ {
			if bits.OnesCount64(x) <= maxOnes {
				t.Fatalf("Next() of counter %X exhausted, but %X is valid", c, x)
			}
		}
		return
	}
	if n <= c || bits.OnesCount64(n) > maxOnes || n >= 1<<width {
		t.Fatalf("Next() of counter %X = %X", c, n)
	}
	for x := c + 1; x < n && x < c+1<<12; x++ {
		if bits.OnesCount64(x) <= maxOnes {
			t.Fatalf("Next() of counter %X = %X skips the valid %X", c, n, x)
		}
	}
}

// FuzzTDESDeviceState decodes arbitrary device states. Inputs are tried
// as they are and with their checksum recomputed, so that the checks
// behind the checksum are reached.
func FuzzTDESDeviceState(f *testing.F) {
	v := loadTDES(f)
	d, _ := NewTDESDevice(v.IK, KSN(v.IKSN))
	for i := 0; i < 5; i++ {
		st, _ := d.MarshalBinary()
		f.Add(st)
		d.Next()
	}
	e := seekTDES(f, v.IK, KSN(v.IKSN), 0x1FFC00)
	st, _ := e.MarshalBinary()
	f.Add(st)
	for !e.Exhausted() {
		e.Next()
	}
	st, _ = e.MarshalBinary()
	f.Add(st)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, resumIfLong(b)} {
			var d TDESDevice
			if err := d.UnmarshalBinary(in); err != nil {
				if !errors.Is(err, ErrState) {
					t.Fatalf("UnmarshalBinary error %v is not ErrState", err)
				}
				continue
			}
			out, _ := d.MarshalBinary()
			if !bytes.Equal(out, in) {
				t.Fatalf("state does not round-trip")
			}
			if d.valid != expectedRegisters(uint64(d.counter), tdesCounterBits) {
				t.Fatalf("decoded registers inconsistent with the counter")
			}
			before := d.KSN()
			if tx, err := d.Next(); err == nil {
				if tx.KSN() != before || tx.KSN().Valid() != nil {
					t.Fatalf("Next() KSN %v, want %v", tx.KSN(), before)
				}
			} else if !errors.Is(err, ErrExhausted) {
				t.Fatal(err)
			}
		}
	})
}

func FuzzAESDeviceState(f *testing.F) {
	for _, name := range aesFiles {
		v := loadAES(f, name)
		iksn := AESKSN(append(append([]byte{}, v.IKID...), 0, 0, 0, 0))
		d, _ := NewAESDevice(v.IK, iksn)
		for i := 0; i < 3; i++ {
			st, _ := d.MarshalBinary()
			f.Add(st)
			d.Next()
		}
		e := seekAES(f, v.IK, iksn, 0xFFFF0000)
		st, _ := e.MarshalBinary()
		f.Add(st)
		e.Next()
		st, _ = e.MarshalBinary()
		f.Add(st)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, resumIfLong(b)} {
			var d AESDevice
			if err := d.UnmarshalBinary(in); err != nil {
				if !errors.Is(err, ErrState) {
					t.Fatalf("UnmarshalBinary error %v is not ErrState", err)
				}
				continue
			}
			out, _ := d.MarshalBinary()
			if !bytes.Equal(out, in) {
				t.Fatalf("state does not round-trip")
			}
			if d.valid != expectedRegisters(d.counter, aesCounterBits) {
				t.Fatalf("decoded registers inconsistent with the counter")
			}
			before := d.KSN()
			if tx, err := d.Next(); err == nil {
				if tx.KSN() != before || tx.KSN().Valid() != nil {
					t.Fatalf("Next() KSN %v, want %v", tx.KSN(), before)
				}
			} else if !errors.Is(err, ErrExhausted) {
				t.Fatal(err)
			}
		}
	})
}

func resumIfLong(b []byte) []byte {
	if len(b) < 32 {
		return b
	}
	return resum(b)
}

// FuzzAESHostAgainstStdlib derives the key of an arbitrary KSN under an
// arbitrary BDK and compares it with the crypto/aes reference of
// aes_stdlib_test.go. sel picks the BDK length; bdk is cut or zero-padded
// to it.
func FuzzAESHostAgainstStdlib(f *testing.F) {
	f.Add(uint8(0), []byte{0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1, 0xF1}, []byte{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56, 0xFF, 0xFF, 0x00, 0x00})
	f.Add(uint8(1), []byte{}, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add(uint8(2), bytes.Repeat([]byte{0xA5}, 32), bytes.Repeat([]byte{0xFF}, 12))
	f.Fuzz(func(t *testing.T, sel uint8, bdkIn, ksnIn []byte) {
		bdk := make([]byte, []int{16, 24, 32}[sel%3])
		copy(bdk, bdkIn)
		var k AESKSN
		copy(k[:], ksnIn)
		h, err := NewAESHost(bdk, HostConfig{})
		if err != nil {
			t.Fatal(err)
		}
		tx, err := h.Transaction(k)
		if k.Counter() == 0 {
			if !errors.Is(err, ErrCounterZero) {
				t.Fatalf("Transaction(%v) error %v, want ErrCounterZero", k, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		want := newStdlibAESHost(bdk).derivationKey(k)
		if got := tx.TransactionKey(); !bytes.Equal(got, want) {
			t.Fatalf("BDK %X, KSN %v: derivation key %X, crypto/aes %X", bdk, k, got, want)
		}
		wk, err := tx.WorkingKey(PINEncryption, AES128)
		if err != nil {
			t.Fatal(err)
		}
		if w := stdlibAESWorkingKey(want, k, PINEncryption, AES128); !bytes.Equal(wk, w) {
			t.Fatalf("BDK %X, KSN %v: PIN key %X, crypto/aes %X", bdk, k, wk, w)
		}
	})
}
