package dukpt

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"math/bits"
)

// Serialised device state, version 1:
//
//	offset  size  field
//	0       4     magic "DKPT"
//	4       1     version, 1
//	5       1     variant: 1 TDES, 2 AES
//	6       1     key length: 16 (TDES); 16, 24 or 32 (AES)
//	7       k     initial KSN, counter zero (k = 10 TDES, 12 AES)
//	7+k     8     counter of the next transaction, big-endian;
//	              2^21 (TDES) or 2^32 (AES) once exhausted
//	15+k    r*n   the r registers that hold a key, lowest first; which
//	              they are follows from the counter
//	end-32  32    SHA-256 of everything before it
//
// The checksum detects a damaged state (a torn write, a flipped bit); it is
// not a MAC, and the state holds keys in the clear, so it must be stored
// where the device's keys may be.

const (
	stateMagic   = "DKPT"
	stateVersion = 1
	stateTDES    = 1
	stateAES     = 2
	stateSum     = sha256.Size
)

// errNotLoaded is returned when saving a device that was never loaded.
var errNotLoaded = &StateError{Offset: -1, Reason: "device not loaded with an initial key"}

// AppendBinary appends the state of d to b. See [TDESDevice.MarshalBinary].
func (d *TDESDevice) AppendBinary(b []byte) ([]byte, error) {
	if d.counter == 0 {
		return b, errNotLoaded
	}
	return appendState(b, stateTDES, tdesKeyLen, d.ksn[:], uint64(d.counter), tdesCounterBits, func(i int) []byte { return d.fk[i][:] }), nil
}

// MarshalBinary returns the state of d: its KSN, counter and future key
// registers, with a checksum. The state contains key material.
func (d *TDESDevice) MarshalBinary() ([]byte, error) { return d.AppendBinary(nil) }

// UnmarshalBinary restores a state written by MarshalBinary. A state that is
// truncated, extended, of another version or variant, fails its checksum or
// is inconsistent returns a [*StateError] wrapping [ErrState], and d is
// left unchanged.
func (d *TDESDevice) UnmarshalBinary(data []byte) error {
	var nd TDESDevice
	s, err := parseState(data, stateTDES, len(nd.ksn), tdesCounterBits, tdesMaxOnes)
	if err != nil {
		return err
	}
	if s.n != tdesKeyLen {
		return &StateError{Offset: 6, Reason: "key length does not match the variant"}
	}
	copy(nd.ksn[:], s.ksn)
	if nd.ksn.Counter() != 0 {
		return &StateError{Offset: 7, Reason: "initial key serial number has a nonzero counter"}
	}
	nd.counter = uint32(s.counter)
	nd.valid = s.valid
	s.eachRegister(func(i int, key []byte) { copy(nd.fk[i][:], key) })
	*d = nd
	clear(nd.fk[:])
	return nil
}

// AppendBinary appends the state of d to b. See [AESDevice.MarshalBinary].
func (d *AESDevice) AppendBinary(b []byte) ([]byte, error) {
	if d.counter == 0 {
		return b, errNotLoaded
	}
	return appendState(b, stateAES, int(d.n), d.ksn[:], d.counter, aesCounterBits, func(i int) []byte { return d.fk[i][:d.n] }), nil
}

// MarshalBinary returns the state of d: its KSN, counter and future key
// registers, with a checksum. The state contains key material.
func (d *AESDevice) MarshalBinary() ([]byte, error) { return d.AppendBinary(nil) }

// UnmarshalBinary restores a state written by MarshalBinary; see
// [TDESDevice.UnmarshalBinary].
func (d *AESDevice) UnmarshalBinary(data []byte) error {
	var nd AESDevice
	s, err := parseState(data, stateAES, len(nd.ksn), aesCounterBits, aesMaxOnes)
	if err != nil {
		return err
	}
	if _, ok := aesKeyType(s.n); !ok {
		return &StateError{Offset: 6, Reason: "key length does not match the variant"}
	}
	copy(nd.ksn[:], s.ksn)
	if nd.ksn.Counter() != 0 {
		return &StateError{Offset: 7, Reason: "initial key serial number has a nonzero counter"}
	}
	nd.counter = s.counter
	nd.valid = s.valid
	nd.n = uint8(s.n)
	s.eachRegister(func(i int, key []byte) { copy(nd.fk[i][:], key) })
	*d = nd
	clear(nd.fk[:])
	return nil
}

func appendState(b []byte, variant byte, n int, ksn []byte, counter uint64, width int, reg func(int) []byte) []byte {
	start := len(b)
	b = append(b, stateMagic...)
	b = append(b, stateVersion, variant, byte(n))
	b = append(b, ksn...)
	b = binary.BigEndian.AppendUint64(b, counter)
	for m := expectedRegisters(counter, width); m != 0; m &= m - 1 {
		b = append(b, reg(bits.TrailingZeros32(m))...)
	}
	sum := sha256.Sum256(b[start:])
	return append(b, sum[:]...)
}

// state is a parsed, checked serialised state; its slices alias the input.
type state struct {
	n       int
	ksn     []byte
	counter uint64
	valid   uint32
	regs    []byte
}

func (s *state) eachRegister(f func(i int, key []byte)) {
	off := 0
	for m := s.valid; m != 0; m &= m - 1 {
		f(bits.TrailingZeros32(m), s.regs[off:off+s.n])
		off += s.n
	}
}

// parseState checks everything that does not depend on the variant's key
// lengths: framing, checksum and counter.
func parseState(data []byte, variant byte, ksnLen, width, maxOnes int) (state, error) {
	var s state
	hdr := 7 + ksnLen + 8
	if len(data) < hdr+stateSum {
		return s, &StateError{Offset: len(data), Reason: "truncated"}
	}
	if string(data[:4]) != stateMagic {
		return s, &StateError{Offset: 0, Reason: "not a device state"}
	}
	if data[4] != stateVersion {
		return s, &StateError{Offset: 4, Reason: "unknown version"}
	}
	if data[5] != variant {
		return s, &StateError{Offset: 5, Reason: "state of the other DUKPT variant"}
	}
	s.n = int(data[6])
	if s.n != 16 && s.n != 24 && s.n != 32 {
		return s, &StateError{Offset: 6, Reason: "invalid key length"}
	}
	s.ksn = data[7 : 7+ksnLen]
	s.counter = binary.BigEndian.Uint64(data[7+ksnLen:])
	exhausted := s.counter == 1<<width
	switch {
	case s.counter == 0 || s.counter > 1<<width:
		return s, &StateError{Offset: 7 + ksnLen, Reason: "counter out of range"}
	case !exhausted && bits.OnesCount64(s.counter) > maxOnes:
		return s, &StateError{Offset: 7 + ksnLen, Reason: "counter has too many one-bits"}
	}
	s.valid = expectedRegisters(s.counter, width)
	want := hdr + bits.OnesCount32(s.valid)*s.n + stateSum
	if len(data) != want {
		if len(data) < want {
			return s, &StateError{Offset: len(data), Reason: "truncated"}
		}
		return s, &StateError{Offset: want, Reason: "trailing bytes"}
	}
	body := data[:len(data)-stateSum]
	sum := sha256.Sum256(body)
	if subtle.ConstantTimeCompare(sum[:], data[len(body):]) != 1 {
		return s, &StateError{Offset: len(body), Reason: "checksum mismatch"}
	}
	s.regs = body[hdr:]
	return s, nil
}
