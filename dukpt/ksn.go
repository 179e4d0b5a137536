package dukpt

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
)

// Counter limits of the two variants.
const (
	tdesCounterBits = 21 // ANSI X9.24-1:2009 A.2: rightmost 21 bits of the KSN
	tdesMaxOnes     = 10 // a device never uses a counter with more one-bits
	aesCounterBits  = 32 // ANSI X9.24-3-2017 6.1: 32-bit transaction counter
	aesMaxOnes      = 16

	tdesCounterMask = 1<<tdesCounterBits - 1
)

// KSN is a TDES DUKPT key serial number (ANSI X9.24-1:2009): a 59-bit
// initial key serial number followed by a 21-bit transaction counter. The
// leftmost 8 bytes with the counter bits cleared identify the initial key.
// A KSN is not secret.
type KSN [10]byte

// ParseKSN returns the KSN held in b, which must be exactly 10 bytes.
func ParseKSN(b []byte) (KSN, error) {
	var k KSN
	if len(b) != len(k) {
		return k, &KSNLengthError{Len: len(b), Want: len(k)}
	}
	copy(k[:], b)
	return k, nil
}

// Counter returns the 21-bit transaction counter.
func (k KSN) Counter() uint32 {
	return uint32(k[7]&0x1f)<<16 | uint32(k[8])<<8 | uint32(k[9])
}

// WithCounter returns k with its transaction counter replaced by the low 21
// bits of c.
func (k KSN) WithCounter(c uint32) KSN {
	k[7] = k[7]&0xe0 | byte(c>>16)&0x1f
	k[8] = byte(c >> 8)
	k[9] = byte(c)
	return k
}

// Initial returns the initial key serial number of k: k with a zero counter.
func (k KSN) Initial() KSN { return k.WithCounter(0) }

// Valid reports whether a transaction-originating device may use the
// counter of k: it must be nonzero and have at most 10 one-bits. The error
// is a [*CounterError] wrapping [ErrCounterZero] or [ErrCounterInvalid].
// Host derivation does not require a valid counter; see [TDESTransactionKey].
func (k KSN) Valid() error {
	return checkCounter(uint64(k.Counter()), tdesMaxOnes)
}

// Next returns the KSN whose counter is the next one a device uses after
// that of k, skipping counters with more than 10 one-bits. After the last
// counter it returns a [*CounterError] wrapping [ErrExhausted].
func (k KSN) Next() (KSN, error) {
	c, ok := nextCounter(uint64(k.Counter()), tdesCounterBits, tdesMaxOnes)
	if !ok {
		return k, &CounterError{Counter: k.Counter(), Err: ErrExhausted}
	}
	return k.WithCounter(uint32(c)), nil
}

// register returns the rightmost 64 bits of k with the counter bits
// cleared: the base of the KSN register of ANSI X9.24-1:2009 A.2.
func (k KSN) register() uint64 {
	return binary.BigEndian.Uint64(k[2:]) &^ tdesCounterMask
}

// id returns the leftmost 8 bytes with the counter bits cleared: the input
// of the initial key derivation and the identity of the device.
func (k KSN) id() [8]byte {
	var id [8]byte
	copy(id[:], k[:8])
	id[7] &= 0xe0
	return id
}

// String returns the KSN in upper-case hexadecimal, as printed by X9.24.
func (k KSN) String() string { return upperHex(k[:]) }

// AppendText appends the hexadecimal form of k to b.
func (k KSN) AppendText(b []byte) ([]byte, error) { return appendUpperHex(b, k[:]), nil }

// MarshalText returns the hexadecimal form of k.
func (k KSN) MarshalText() ([]byte, error) { return k.AppendText(nil) }

// UnmarshalText sets k from 20 hexadecimal digits.
func (k *KSN) UnmarshalText(text []byte) error {
	return unmarshalHexKSN(k[:], text)
}

// AESKSN is an AES DUKPT key serial number (ANSI X9.24-3-2017 6.1): the
// 8-byte initial key ID (4-byte BDK ID and 4-byte derivation ID) followed
// by the 32-bit transaction counter. It is not secret.
type AESKSN [12]byte

// ParseAESKSN returns the KSN held in b, which must be exactly 12 bytes.
func ParseAESKSN(b []byte) (AESKSN, error) {
	var k AESKSN
	if len(b) != len(k) {
		return k, &KSNLengthError{Len: len(b), Want: len(k)}
	}
	copy(k[:], b)
	return k, nil
}

// InitialKeyID returns the 8-byte initial key ID.
func (k AESKSN) InitialKeyID() [8]byte { return [8]byte(k[:8]) }

// Counter returns the 32-bit transaction counter.
func (k AESKSN) Counter() uint32 { return binary.BigEndian.Uint32(k[8:]) }

// WithCounter returns k with its transaction counter replaced by c.
func (k AESKSN) WithCounter(c uint32) AESKSN {
	binary.BigEndian.PutUint32(k[8:], c)
	return k
}

// Initial returns k with a zero counter.
func (k AESKSN) Initial() AESKSN { return k.WithCounter(0) }

// Valid reports whether a transaction-originating device may use the
// counter of k: it must be nonzero and have at most 16 one-bits. The error
// is a [*CounterError] wrapping [ErrCounterZero] or [ErrCounterInvalid].
// Host derivation does not require a valid counter; see [AESTransactionKey].
func (k AESKSN) Valid() error {
	return checkCounter(uint64(k.Counter()), aesMaxOnes)
}

// Next returns the KSN whose counter is the next one a device uses after
// that of k, skipping counters with more than 16 one-bits. After the last
// counter it returns a [*CounterError] wrapping [ErrExhausted].
func (k AESKSN) Next() (AESKSN, error) {
	c, ok := nextCounter(uint64(k.Counter()), aesCounterBits, aesMaxOnes)
	if !ok {
		return k, &CounterError{Counter: k.Counter(), Err: ErrExhausted}
	}
	return k.WithCounter(uint32(c)), nil
}

// derivationID returns the rightmost 4 bytes of the initial key ID, which
// enter every derivation after the initial key.
func (k AESKSN) derivationID() uint32 { return binary.BigEndian.Uint32(k[4:8]) }

// String returns the KSN in upper-case hexadecimal.
func (k AESKSN) String() string { return upperHex(k[:]) }

// AppendText appends the hexadecimal form of k to b.
func (k AESKSN) AppendText(b []byte) ([]byte, error) { return appendUpperHex(b, k[:]), nil }

// MarshalText returns the hexadecimal form of k.
func (k AESKSN) MarshalText() ([]byte, error) { return k.AppendText(nil) }

// UnmarshalText sets k from 24 hexadecimal digits.
func (k *AESKSN) UnmarshalText(text []byte) error {
	return unmarshalHexKSN(k[:], text)
}

// checkCounter validates a counter for use by a device.
func checkCounter(c uint64, maxOnes int) error {
	switch {
	case c == 0:
		return &CounterError{Counter: uint32(c), Err: ErrCounterZero}
	case bits.OnesCount64(c) > maxOnes:
		return &CounterError{Counter: uint32(c), Err: ErrCounterInvalid}
	}
	return nil
}

// nextCounter returns the smallest counter above c with at most maxOnes
// one-bits, or false when there is none below 1<<width.
func nextCounter(c uint64, width, maxOnes int) (uint64, bool) {
	c++
	for bits.OnesCount64(c) > maxOnes {
		c += c & -c // clear the lowest run of ones by carrying into it
	}
	return c, c < 1<<width
}

func upperHex(b []byte) string { return string(appendUpperHex(nil, b)) }

func appendUpperHex(dst, b []byte) []byte {
	const digits = "0123456789ABCDEF"
	for _, v := range b {
		dst = append(dst, digits[v>>4], digits[v&0x0f])
	}
	return dst
}

func unmarshalHexKSN(dst, text []byte) error {
	if len(text) != 2*len(dst) {
		return &KSNLengthError{Len: len(text) / 2, Want: len(dst)}
	}
	var buf [12]byte
	if _, err := hex.Decode(buf[:len(dst)], text); err != nil {
		return fmt.Errorf("dukpt: key serial number: %w", err)
	}
	copy(dst, buf[:len(dst)])
	return nil
}
