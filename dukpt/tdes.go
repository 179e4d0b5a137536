package dukpt

import (
	"encoding/binary"
	"math/bits"

	des "github.com/posflow/posflow/internal/des"
)

// This file implements the host side of TDES DUKPT, ANSI X9.24-1:2009
// Annex A: the initial key, the non-reversible key generation process and
// the working-key variants.

const tdesKeyLen = 16

// keyRegisterMask is the mask applied to the BDK for the right half of the
// initial key and to the key register inside the non-reversible key
// generation process: C0C0C0C0 00000000 C0C0C0C0 00000000 (one half shown).
const keyRegisterMask = 0xC0C0C0C000000000

// Variants of ANSI X9.24-1:2009 table A-1, applied to both key halves.
const (
	variantPIN          = 0x00000000000000FF
	variantMACRequest   = 0x000000000000FF00
	variantMACResponse  = 0x00000000FF000000
	variantDataRequest  = 0x0000000000FF0000
	variantDataResponse = 0x000000FF00000000
)

// TDESInitialKey derives the initial key (IPEK) of a device from a 16-byte
// double-length BDK and the device's 10-byte KSN. Only the leftmost 8 bytes
// of the KSN enter the derivation, with the 21 counter bits cleared, so any
// KSN of the device gives the same key.
func TDESInitialKey(bdk, ksn []byte) ([]byte, error) {
	if len(bdk) != tdesKeyLen {
		return nil, &KeyLengthError{Key: "BDK", Len: len(bdk)}
	}
	k, err := ParseKSN(ksn)
	if err != nil {
		return nil, err
	}
	out := make([]byte, tdesKeyLen)
	tdesInitialKey(out, [16]byte(bdk), k.id())
	return out, nil
}

// tdesInitialKey writes the initial key for the device id into out (16
// bytes, heap-allocated by the caller: it is the cipher buffer).
func tdesInitialKey(out []byte, bdk [16]byte, id [8]byte) {
	copy(out[:8], id[:])
	copy(out[8:], id[:])
	tdesEncrypt(bdk, out[:8])
	xorHalves(&bdk, keyRegisterMask)
	tdesEncrypt(bdk, out[8:])
	clear(bdk[:])
}

// TDESTransactionKey derives the transaction key (the "current key" of
// ANSI X9.24-1:2009 A.2) for ksn from the device's 16-byte initial key,
// applying the non-reversible key generation process once for each one-bit
// of the 21-bit counter, from the most significant. Any nonzero counter is
// accepted, including those a device never uses; a zero counter returns a
// [*CounterError] wrapping [ErrCounterZero].
func TDESTransactionKey(ik, ksn []byte) ([]byte, error) {
	if len(ik) != tdesKeyLen {
		return nil, &KeyLengthError{Key: "initial key", Len: len(ik)}
	}
	k, err := ParseKSN(ksn)
	if err != nil {
		return nil, err
	}
	c := k.Counter()
	if c == 0 {
		return nil, &CounterError{Counter: c, Err: ErrCounterZero}
	}
	out := make([]byte, tdesKeyLen)
	copy(out, ik)
	tdesWalk(out, k.register(), 0, c)
	return out, nil
}

// TDESWorkingKey derives the working key for usage u and ksn from the
// device's initial key: the transaction key XORed with the variant of u
// (ANSI X9.24-1:2009 table A-1) and, for [DataRequest] and [DataResponse],
// the one-way step in which each half of the variant key is encrypted with
// TDEA under the variant key itself. [PINEncryption], [MACRequest],
// [MACResponse], [DataRequest] and [DataResponse] are supported; other
// usages return [ErrUsage].
func TDESWorkingKey(ik, ksn []byte, u Usage) ([]byte, error) {
	if _, ok := tdesVariant(u); !ok {
		return nil, errUsage(u, "TDES")
	}
	key, err := TDESTransactionKey(ik, ksn)
	if err != nil {
		return nil, err
	}
	tdesWorkingKey(key, u)
	return key, nil
}

// tdesVariant returns the variant mask of u.
func tdesVariant(u Usage) (uint64, bool) {
	switch u {
	case PINEncryption:
		return variantPIN, true
	case MACRequest:
		return variantMACRequest, true
	case MACResponse:
		return variantMACResponse, true
	case DataRequest:
		return variantDataRequest, true
	case DataResponse:
		return variantDataResponse, true
	}
	return 0, false
}

// tdesWorkingKey turns the transaction key in buf (16 bytes) into the
// working key for u in place. u must be a TDES usage.
func tdesWorkingKey(buf []byte, u Usage) {
	v, _ := tdesVariant(u)
	l := binary.BigEndian.Uint64(buf[:8]) ^ v
	r := binary.BigEndian.Uint64(buf[8:]) ^ v
	binary.BigEndian.PutUint64(buf[:8], l)
	binary.BigEndian.PutUint64(buf[8:], r)
	if u == DataRequest || u == DataResponse {
		var vk [16]byte
		copy(vk[:], buf)
		tdesEncrypt(vk, buf[:8])
		tdesEncrypt(vk, buf[8:])
		clear(vk[:])
	}
}

// tdesWalk advances the key in buf (16 bytes, heap) from the key of counter
// from to the key of counter to, where from must consist of the leading
// one-bits of to. reg is the KSN register with the counter bits cleared.
// It returns the number of steps taken.
func tdesWalk(buf []byte, reg uint64, from, to uint32) int {
	n := 0
	rest := to &^ from
	for rest != 0 {
		bit := uint32(1) << (31 - bits.LeadingZeros32(rest))
		rest &^= bit
		from |= bit
		nrkgp(buf, reg|uint64(from))
		n++
	}
	return n
}

// nrkgp is the non-reversible key generation process of ANSI X9.24-1:2009
// A.2: it replaces the key in buf (16 bytes) with the key for the KSN
// register value reg. buf is also the cipher buffer, and the DES key
// schedule is on the stack, so that nothing is allocated.
func nrkgp(buf []byte, reg uint64) {
	kl := binary.BigEndian.Uint64(buf[:8])
	kr := binary.BigEndian.Uint64(buf[8:])

	// Right half: crypto register 1 XOR key right, DES under key left,
	// XOR key right.
	var kb [8]byte
	binary.BigEndian.PutUint64(kb[:], kl)
	// An 8-byte key is refused only with GODEBUG=fips140=only, which
	// leaves c without a key: Encrypt then panics.
	var c des.Cipher
	_ = c.SetKey(kb[:])
	binary.BigEndian.PutUint64(buf[8:], reg^kr)
	c.Encrypt(buf[8:], buf[8:])
	right := binary.BigEndian.Uint64(buf[8:]) ^ kr

	// Left half: the same under the key XORed with C0C0C0C0 00000000.
	kl ^= keyRegisterMask
	kr ^= keyRegisterMask
	binary.BigEndian.PutUint64(kb[:], kl)
	_ = c.SetKey(kb[:])
	binary.BigEndian.PutUint64(buf[:8], reg^kr)
	c.Encrypt(buf[:8], buf[:8])
	left := binary.BigEndian.Uint64(buf[:8]) ^ kr

	binary.BigEndian.PutUint64(buf[:8], left)
	binary.BigEndian.PutUint64(buf[8:], right)
	clear(kb[:])
	c.Clear()
}

// tdesEncrypt encrypts the 8-byte block in place with two-key TDEA
// (encrypt-decrypt-encrypt, K1 K2 K1), whose two DES key schedules are
// computed on the stack.
func tdesEncrypt(key [16]byte, block []byte) {
	// A 16-byte key is refused only with GODEBUG=fips140=only, which leaves
	// c without a key: Encrypt then panics.
	var c des.TripleDESCipher
	_ = c.SetKey(key[:])
	c.Encrypt(block, block)
	c.Clear()
}

// xorHalves XORs m into both 8-byte halves of key.
func xorHalves(key *[16]byte, m uint64) {
	binary.BigEndian.PutUint64(key[:8], binary.BigEndian.Uint64(key[:8])^m)
	binary.BigEndian.PutUint64(key[8:], binary.BigEndian.Uint64(key[8:])^m)
}
