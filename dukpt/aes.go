package dukpt

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/posflow/posflow/internal/aeskey"
)

// This file implements the host side of AES DUKPT, ANSI X9.24-3-2017
// section 6: the initial key, the intermediate derivation keys, the working
// keys of every usage and type, and the update key.
//
// Every step expands a new AES key and encrypts one or two blocks under it.
// The key schedules live in an aeskey.Schedule on the stack, erased after
// the step, so a derivation allocates only the key it returns (see the
// package documentation, "Performance").

// AESInitialKey derives the initial key of a device from an AES BDK of 16,
// 24 or 32 bytes and the device's 12-byte KSN. The initial key has the
// BDK's length. Only the 8-byte initial key ID of the KSN enters the
// derivation (6.3.3, key usage 8001h).
func AESInitialKey(bdk, ksn []byte) ([]byte, error) {
	t, ok := aesKeyType(len(bdk))
	if !ok {
		return nil, &KeyLengthError{Key: "BDK", Len: len(bdk)}
	}
	k, err := ParseAESKSN(ksn)
	if err != nil {
		return nil, err
	}
	out := make([]byte, t.Size(), 32)
	copy(out, bdk)
	aesInitialKey(out, k.InitialKeyID())
	return out, nil
}

// aesInitialKey replaces the BDK in buf (cap 32) with the initial key for
// ikid.
func aesInitialKey(buf []byte, ikid [8]byte) {
	t, _ := aesKeyType(len(buf))
	var s aeskey.Schedule
	s.Expand(buf)
	fillDerivationData(buf[:32], usageInitialKeyDerivation, t, binary.BigEndian.Uint64(ikid[:]))
	aesEncryptBlocks(&s, buf[:32], t.Size())
	clear(buf[len(buf):32])
	s.Clear()
}

// AESTransactionKey derives the intermediate derivation key for the counter
// of ksn from the device's initial key (16, 24 or 32 bytes): one AES
// derivation (6.3.3, key usage 8000h) for each one-bit of the 32-bit
// counter, from the most significant. This is the key the supplement's
// vectors call the transaction or derivation key; working keys are derived
// from it. Any nonzero counter is accepted, including those with more than
// 16 one-bits; zero returns a [*CounterError] wrapping [ErrCounterZero].
func AESTransactionKey(ik, ksn []byte) ([]byte, error) {
	if _, ok := aesKeyType(len(ik)); !ok {
		return nil, &KeyLengthError{Key: "initial key", Len: len(ik)}
	}
	out := make([]byte, len(ik), 32)
	if _, err := aesTransactionKey(out, ik, ksn); err != nil {
		return nil, err
	}
	return out, nil
}

// aesTransactionKey writes the derivation key of AESTransactionKey into dk
// (len(ik), cap 32) and returns the parsed KSN. The caller has checked the
// length of ik.
func aesTransactionKey(dk, ik, ksn []byte) (AESKSN, error) {
	k, err := ParseAESKSN(ksn)
	if err != nil {
		return AESKSN{}, err
	}
	c := k.Counter()
	if c == 0 {
		return AESKSN{}, &CounterError{Counter: c, Err: ErrCounterZero}
	}
	copy(dk, ik)
	aesWalk(dk, k.derivationID(), 0, c)
	return k, nil
}

// AESWorkingKey derives the working key of usage u and type t for ksn from
// the device's initial key. The working key may be weaker than the initial
// key (an AES-128 PIN key under an AES-256 BDK) but not stronger
// ([ErrKeyStrength]). Every [Usage] is supported.
func AESWorkingKey(ik, ksn []byte, u Usage, t KeyType) ([]byte, error) {
	if err := checkWorkingKey(len(ik), "initial key", u, t); err != nil {
		return nil, err
	}
	var dk [32]byte
	defer clear(dk[:])
	k, err := aesTransactionKey(dk[:len(ik)], ik, ksn)
	if err != nil {
		return nil, err
	}
	return aesWorkingKey(dk[:len(ik)], k.derivationID(), k.Counter(), u, t), nil
}

// AESUpdateKey derives the DUKPT update key of type t (6.5.3): the key
// encryption key derived at the reserved counter FFFFFFFFh. Only the initial
// key ID of ksn is used.
func AESUpdateKey(ik, ksn []byte, t KeyType) ([]byte, error) {
	k, err := ParseAESKSN(ksn)
	if err != nil {
		return nil, err
	}
	k = k.WithCounter(0xFFFFFFFF)
	return AESWorkingKey(ik, k[:], KeyEncryption, t)
}

// checkWorkingKey checks that a working key of usage u and type t may be
// derived from a key of n bytes, whose role names it in errors.
func checkWorkingKey(n int, role string, u Usage, t KeyType) error {
	dt, ok := aesKeyType(n)
	if !ok {
		return &KeyLengthError{Key: role, Len: n}
	}
	if _, ok := u.aesUsage(); !ok {
		return errUsage(u, "AES")
	}
	if !t.valid() {
		return errKeyType(t, "AES")
	}
	if keyTypes[t].strength > keyTypes[dt].strength {
		return fmt.Errorf("%w: %v from %v", ErrKeyStrength, t, dt)
	}
	return nil
}

// aesWorkingKey derives the working key from the derivation key dk. The
// arguments must have been checked by checkWorkingKey.
func aesWorkingKey(dk []byte, derivationID, counter uint32, u Usage, t KeyType) []byte {
	code, _ := u.aesUsage()
	out := make([]byte, 32)
	var s aeskey.Schedule
	s.Expand(dk)
	fillDerivationData(out, code, t, uint64(derivationID)<<32|uint64(counter))
	aesEncryptBlocks(&s, out, t.Size())
	clear(out[t.Size():])
	s.Clear()
	return out[:t.Size()]
}

// aesWalk advances the derivation key in buf (16, 24 or 32 bytes, cap 32)
// from the key of counter from to the key of counter to, where from
// consists of the leading one-bits of to. It returns the number of steps.
func aesWalk(buf []byte, derivationID uint32, from, to uint32) int {
	n := 0
	rest := to &^ from
	for rest != 0 {
		bit := uint32(1) << (31 - bits.LeadingZeros32(rest))
		rest &^= bit
		from |= bit
		aesStep(buf, derivationID, from)
		n++
	}
	return n
}

// aesStep replaces the derivation key in buf (len 16, 24 or 32, cap 32)
// with the intermediate derivation key for counter tc. buf doubles as the
// cipher buffer; the key schedule is on the stack and erased.
func aesStep(buf []byte, derivationID, tc uint32) {
	t, _ := aesKeyType(len(buf))
	var s aeskey.Schedule
	s.Expand(buf)
	fillDerivationData(buf[:32], usageKeyDerivation, t, uint64(derivationID)<<32|uint64(tc))
	aesEncryptBlocks(&s, buf[:32], t.Size())
	clear(buf[len(buf):32])
	s.Clear()
}

// fillDerivationData writes the derivation data of 6.3.3 for the first and
// second key block into buf[0:16] and buf[16:32]: version 01, block
// counter, key usage, algorithm, length in bits, and 8 bytes of KSN data.
func fillDerivationData(buf []byte, usage uint16, t KeyType, data uint64) {
	kt := keyTypes[t]
	for i := 0; i < 2; i++ {
		b := buf[16*i : 16*i+16]
		b[0] = 0x01
		b[1] = byte(i + 1)
		binary.BigEndian.PutUint16(b[2:], usage)
		binary.BigEndian.PutUint16(b[4:], kt.algo)
		binary.BigEndian.PutUint16(b[6:], uint16(8*kt.size))
		binary.BigEndian.PutUint64(b[8:], data)
	}
}

// aesEncryptBlocks encrypts in place as many 16-byte blocks of buf as an
// n-byte key needs.
func aesEncryptBlocks(c *aeskey.Schedule, buf []byte, n int) {
	c.Encrypt(buf[:16], buf[:16])
	if n > 16 {
		c.Encrypt(buf[16:32], buf[16:32])
	}
}
