package dukpt

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"
)

func TestTDESStateRoundTrip(t *testing.T) {
	v := loadTDES(t)
	d, _ := NewTDESDevice(v.IK, KSN(v.IKSN))
	for i := 0; i < 40; i++ {
		st, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var r TDESDevice
		if err := r.UnmarshalBinary(st); err != nil {
			t.Fatalf("UnmarshalBinary(state %d): %v", i, err)
		}
		if r != *d {
			t.Fatalf("state %d does not round-trip", i)
		}
		// The restored device continues where the original stopped: it
		// never returns a key the original already returned.
		a, errA := d.Next()
		b, errB := r.Next()
		if errA != nil || errB != nil || a.KSN() != b.KSN() || a.key != b.key {
			t.Fatalf("restored device diverges at %v: %v %v", a.KSN(), errA, errB)
		}
	}
	// Exhausted state.
	e := seekTDES(t, v.IK, KSN(v.IKSN), 0x1FF800)
	for !e.Exhausted() {
		e.Next()
	}
	st, _ := e.MarshalBinary()
	var r TDESDevice
	if err := r.UnmarshalBinary(st); err != nil || !r.Exhausted() {
		t.Fatalf("exhausted state: %v, Exhausted() = %v", err, r.Exhausted())
	}
	if len(st) != 7+10+8+32 {
		t.Errorf("exhausted state is %d bytes, want no registers", len(st))
	}
}

func TestAESStateRoundTrip(t *testing.T) {
	for _, name := range aesFiles {
		v := loadAES(t, name)
		iksn := AESKSN(append(append([]byte{}, v.IKID...), 0, 0, 0, 0))
		d, _ := NewAESDevice(v.IK, iksn)
		for i := 0; i < 20; i++ {
			st, _ := d.MarshalBinary()
			var r AESDevice
			if err := r.UnmarshalBinary(st); err != nil {
				t.Fatalf("%s: state %d: %v", name, i, err)
			}
			if r != *d {
				t.Fatalf("%s: state %d does not round-trip", name, i)
			}
			d.Next()
		}
	}
}

// resum replaces the checksum of a state after the test has altered it, so
// that the consistency checks behind the checksum are reached.
func resum(st []byte) []byte {
	body := st[:len(st)-32]
	s := sha256.Sum256(body)
	return append(append([]byte{}, body...), s[:]...)
}

func TestStateCorrupt(t *testing.T) {
	v := loadTDES(t)
	d, _ := NewTDESDevice(v.IK, KSN(v.IKSN))
	d.Next()
	good, _ := d.MarshalBinary()
	a := loadAES(t, "aes256_x9_24_3.json")
	ad, _ := NewAESDevice(a.IK, AESKSN(append(append([]byte{}, a.IKID...), 0, 0, 0, 0)))
	agood, _ := ad.MarshalBinary()

	mod := func(b []byte, f func([]byte)) []byte {
		b = append([]byte{}, b...)
		f(b)
		return b
	}
	tests := []struct {
		name string
		st   []byte
	}{
		{"empty", nil},
		{"truncated by one byte", good[:len(good)-1]},
		{"header only", good[:25]},
		{"trailing byte", append(append([]byte{}, good...), 0)},
		{"flipped bit in a register", mod(good, func(b []byte) { b[40] ^= 1 })},
		{"flipped bit in the checksum", mod(good, func(b []byte) { b[len(b)-1] ^= 0x80 })},
		{"wrong magic", resum(mod(good, func(b []byte) { b[0] = 'X' }))},
		{"version 2", resum(mod(good, func(b []byte) { b[4] = 2 }))},
		{"AES state given to a TDES device", agood},
		{"key length 24 for TDES", resum(mod(good, func(b []byte) { b[6] = 24 }))},
		{"key length 17", resum(mod(good, func(b []byte) { b[6] = 17 }))},
		{"counter 0", resum(mod(good, func(b []byte) { copy(b[17:25], make([]byte, 8)) }))},
		{"counter beyond 2^21", resum(mod(good, func(b []byte) { b[22] = 0x40 }))},
		{"counter with 11 one-bits", resum(mod(good, func(b []byte) { b[23], b[24] = 0x07, 0xFF }))},
		{"initial KSN with a counter", resum(mod(good, func(b []byte) { b[16] = 1 }))},
	}
	for _, tt := range tests {
		var r TDESDevice
		before := r
		err := r.UnmarshalBinary(tt.st)
		var se *StateError
		if !errors.Is(err, ErrState) || !errors.As(err, &se) {
			t.Errorf("%s: UnmarshalBinary error %v, want a *StateError", tt.name, err)
		}
		if r != before {
			t.Errorf("%s: device modified by a failed UnmarshalBinary", tt.name)
		}
	}
	var r AESDevice
	if err := r.UnmarshalBinary(good); !errors.Is(err, ErrState) {
		t.Errorf("TDES state given to an AES device: %v", err)
	}
	if err := r.UnmarshalBinary(resum(mod(agood, func(b []byte) { b[6] = 16 }))); !errors.Is(err, ErrState) {
		t.Errorf("AES key length changed: %v", err)
	}
	// No key material in the error text.
	err := new(TDESDevice).UnmarshalBinary(mod(good, func(b []byte) { b[40] ^= 1 }))
	if bytes.Contains([]byte(err.Error()), []byte("%x")) {
		t.Error("error contains a format verb")
	}
}
