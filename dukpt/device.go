package dukpt

import (
	"math/bits"
)

// This file implements the transaction-originating device (the PIN pad) of
// both variants: the future key registers of ANSI X9.24-1:2009 A.2 (21
// registers) and ANSI X9.24-3-2017 6.5 (32 registers).
//
// Register i holds the key of the counter formed by the bits of the current
// counter above i, plus bit i. For the next counter c, whose lowest one-bit
// is p, register p holds the key of c; registers above p whose bit is clear
// in c hold the keys the device will need later; the others are empty. A
// transaction takes register p, fills registers p-1 … 0 from it (unless c
// already has the maximum number of one-bits, in which case the counter
// skips ahead), and erases register p. So each key is computed once, the
// initial key is not kept, and a used key cannot be recomputed from the
// state.

// TDESDevice is the key management of a TDES DUKPT transaction-originating
// device. Load it with [NewTDESDevice]; each [TDESDevice.Next] returns the
// keys of one transaction. Persist [TDESDevice.MarshalBinary] after every
// Next and before the transaction keys are used: a device restored from
// that state continues with the following counter, so no key is ever used
// twice.
//
// The zero TDESDevice holds no key: Next reports it exhausted and
// MarshalBinary fails. A TDESDevice is not safe for concurrent use.
type TDESDevice struct {
	ksn     KSN    // initial KSN: counter bits zero
	counter uint32 // counter of the next transaction; 1<<21 when exhausted
	valid   uint32 // bit i set: fk[i] holds a key
	fk      [tdesCounterBits][tdesKeyLen]byte
}

// NewTDESDevice loads a device with its 16-byte initial key and its initial
// KSN, whose counter must be zero. It computes the 21 future keys at once;
// the device keeps no copy of ik, which the caller should erase.
func NewTDESDevice(ik []byte, iksn KSN) (*TDESDevice, error) {
	if len(ik) != tdesKeyLen {
		return nil, &KeyLengthError{Key: "initial key", Len: len(ik)}
	}
	if c := iksn.Counter(); c != 0 {
		return nil, &CounterError{Counter: c, Err: ErrInitialKSN}
	}
	d := &TDESDevice{ksn: iksn, counter: 1, valid: 1<<tdesCounterBits - 1}
	reg := iksn.register()
	for i := range d.fk {
		copy(d.fk[i][:], ik)
		nrkgp(d.fk[i][:], reg|1<<i)
	}
	return d, nil
}

// Next returns the KSN and keys of the next transaction and advances the
// device. After the last of the 1,048,575 counters with at most 10
// one-bits it returns a [*CounterError] wrapping [ErrExhausted]: the device
// needs a new initial key.
func (d *TDESDevice) Next() (TDESTransaction, error) {
	c := d.counter
	if c == 0 || c >= 1<<tdesCounterBits {
		return TDESTransaction{}, &CounterError{Counter: c, Err: ErrExhausted}
	}
	p := bits.TrailingZeros32(c)
	t := TDESTransaction{ksn: d.ksn.WithCounter(c), key: d.fk[p], ok: true}
	if bits.OnesCount32(c) < tdesMaxOnes {
		reg := d.ksn.register() | uint64(c)
		for i := p - 1; i >= 0; i-- {
			d.fk[i] = d.fk[p]
			nrkgp(d.fk[i][:], reg|1<<i)
			d.valid |= 1 << i
		}
	}
	clear(d.fk[p][:])
	d.valid &^= 1 << p
	next, ok := nextCounter(uint64(c), tdesCounterBits, tdesMaxOnes)
	if !ok {
		next = 1 << tdesCounterBits
	}
	d.counter = uint32(next)
	return t, nil
}

// KSN returns the KSN of the next transaction. Once the device is
// exhausted, it returns the initial KSN.
func (d *TDESDevice) KSN() KSN {
	if d.Exhausted() {
		return d.ksn
	}
	return d.ksn.WithCounter(d.counter)
}

// Exhausted reports whether the device has used every counter.
func (d *TDESDevice) Exhausted() bool { return d.counter >= 1<<tdesCounterBits }

// AESDevice is the key management of an AES DUKPT transaction-originating
// device, with 32 future key registers. It behaves as [TDESDevice]; persist
// [AESDevice.MarshalBinary] after every Next.
//
// The zero AESDevice holds no key, as the zero [TDESDevice]. An AESDevice
// is not safe for concurrent use.
type AESDevice struct {
	ksn     AESKSN // initial KSN: counter zero
	counter uint64 // counter of the next transaction; 1<<32 when exhausted
	valid   uint32
	n       uint8 // key length
	fk      [aesCounterBits][32]byte
}

// NewAESDevice loads a device with its initial key (16, 24 or 32 bytes) and
// its initial KSN, whose counter must be zero. It computes the 32 future
// keys at once; the device keeps no copy of ik.
func NewAESDevice(ik []byte, iksn AESKSN) (*AESDevice, error) {
	if _, ok := aesKeyType(len(ik)); !ok {
		return nil, &KeyLengthError{Key: "initial key", Len: len(ik)}
	}
	if c := iksn.Counter(); c != 0 {
		return nil, &CounterError{Counter: c, Err: ErrInitialKSN}
	}
	d := &AESDevice{ksn: iksn, counter: 1, valid: 1<<aesCounterBits - 1, n: uint8(len(ik))}
	id := iksn.derivationID()
	for i := range d.fk {
		copy(d.fk[i][:], ik)
		aesStep(d.fk[i][:d.n], id, 1<<i)
	}
	return d, nil
}

// Next returns the KSN and derivation key of the next transaction and
// advances the device. After the last of the 2,448,023,842 counters with at
// most 16 one-bits it returns a [*CounterError] wrapping [ErrExhausted].
func (d *AESDevice) Next() (AESTransaction, error) {
	c := d.counter
	if c == 0 || c >= 1<<aesCounterBits {
		return AESTransaction{}, &CounterError{Counter: uint32(c), Err: ErrExhausted}
	}
	p := bits.TrailingZeros64(c)
	t := AESTransaction{ksn: d.ksn.WithCounter(uint32(c)), key: d.fk[p], n: d.n}
	if bits.OnesCount64(c) < aesMaxOnes {
		id := d.ksn.derivationID()
		for i := p - 1; i >= 0; i-- {
			d.fk[i] = d.fk[p]
			aesStep(d.fk[i][:d.n], id, uint32(c)|1<<i)
			d.valid |= 1 << i
		}
	}
	clear(d.fk[p][:])
	d.valid &^= 1 << p
	next, ok := nextCounter(c, aesCounterBits, aesMaxOnes)
	if !ok {
		next = 1 << aesCounterBits
	}
	d.counter = next
	return t, nil
}

// KSN returns the KSN of the next transaction. Once the device is
// exhausted, it returns the initial KSN.
func (d *AESDevice) KSN() AESKSN {
	if d.Exhausted() {
		return d.ksn
	}
	return d.ksn.WithCounter(uint32(d.counter))
}

// Exhausted reports whether the device has used every counter.
func (d *AESDevice) Exhausted() bool { return d.counter >= 1<<aesCounterBits }

// expectedRegisters returns the set of registers that hold a key when the
// next counter is c, in a counter of width bits. It is empty once the device
// is exhausted.
func expectedRegisters(c uint64, width int) uint32 {
	if c == 0 || c >= 1<<width {
		return 0
	}
	p := bits.TrailingZeros64(c)
	all := uint64(1)<<width - 1
	above := all &^ (uint64(2)<<p - 1)
	return uint32(1<<p | above&^c)
}
