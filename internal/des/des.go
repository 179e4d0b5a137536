// Package des implements the Data Encryption Algorithm of FIPS 46-3 (DES,
// October 25, 1999) and the Triple Data Encryption Algorithm of NIST SP
// 800-67 Rev. 2 (TDEA, November 2017), with the API and the results of
// crypto/des.
//
// It exists for the speed of key setup. Payment key management derives a
// new DES or TDEA key for nearly every transaction (DUKPT, PIN and PVV
// keys, EMV session keys) and uses it for a block or two, so the key
// schedule costs more than the encryption. crypto/des builds each round key
// by moving the 48 bits of PC-2 one at a time, and computes three schedules
// for a double-length key K1K2K1; here PC-1 and PC-2 are tables built once
// from the standard's, a schedule is 144 table lookups, and a TDEA key whose
// third part equals its first (parity bits aside) computes two schedules.
// The block encryption combines each S-box with the permutation P in one
// table, as crypto/des does.
//
// Like crypto/des, this package is not constant time in the cache-timing
// sense: the key schedule looks up tables indexed by key bits and the
// rounds look up tables indexed by key and data bits, so an attacker who
// can observe the cache (a process sharing the CPU) may learn about keys.
//
// NewCipher and NewTripleDESCipher accept the same keys as crypto/des and
// fail with the same errors: a crypto/des.KeySizeError for a key of the
// wrong length, and crypto/des's own error when the program runs with
// GODEBUG=fips140=only. Encrypt and Decrypt panic, as crypto/des's do, when
// src or dst is shorter than a block or they overlap other than exactly.
//
// The package's name is the standard library's; it is internal, and files
// that import both name one of them.
package des

import (
	"crypto/cipher"
	stddes "crypto/des"
	"crypto/fips140"
	"encoding/binary"
	"unsafe"
)

// BlockSize is the DES block size in bytes.
const BlockSize = 8

// desCipher is a DES key.
type desCipher struct {
	ks schedule
}

// NewCipher returns a DES cipher for the 8-byte key; a key of any other
// length gives a crypto/des.KeySizeError. Parity bits are ignored, and weak
// keys are accepted, as in crypto/des.
func NewCipher(key []byte) (cipher.Block, error) {
	if fips140.Enforced() {
		return stddes.NewCipher(key) // which refuses, with its own error
	}
	if len(key) != 8 {
		return nil, stddes.KeySizeError(len(key))
	}
	c := new(desCipher)
	expandKey(&c.ks, key)
	return c, nil
}

func (c *desCipher) BlockSize() int { return BlockSize }

func (c *desCipher) Encrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlock(&c.ks, dst, src, false)
}

func (c *desCipher) Decrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlock(&c.ks, dst, src, true)
}

// tripleDESCipher is a TDEA key bundle K1, K2, K3 with K3 ≠ K1 (keying
// option 1 of SP 800-67 Rev. 2, 3.1).
type tripleDESCipher struct {
	ks1, ks2, ks3 schedule
}

// twoKeyTripleDESCipher is a TDEA key bundle K1, K2, K1 (keying option 2),
// with the schedule of K1 computed once.
type twoKeyTripleDESCipher struct {
	ks1, ks2 schedule
}

// NewTripleDESCipher returns a TDEA cipher for the 24-byte key K1‖K2‖K3;
// a key of any other length gives a crypto/des.KeySizeError. A double-length
// key K1‖K2 is passed, as to crypto/des, as K1‖K2‖K1.
func NewTripleDESCipher(key []byte) (cipher.Block, error) {
	if fips140.Enforced() {
		return stddes.NewTripleDESCipher(key) // which refuses, with its own error
	}
	if len(key) != 24 {
		return nil, stddes.KeySizeError(len(key))
	}
	// K3 = K1 but for parity bits gives K1's schedule. Which keying option
	// the bundle uses shows in the time taken (two schedules or three); the
	// comparison itself takes the same time whatever the keys.
	const parity = 0x0101010101010101
	k1 := binary.BigEndian.Uint64(key[:8]) &^ parity
	k3 := binary.BigEndian.Uint64(key[16:]) &^ parity
	if k1 == k3 {
		c := new(twoKeyTripleDESCipher)
		expandKey(&c.ks1, key[:8])
		expandKey(&c.ks2, key[8:16])
		return c, nil
	}
	c := new(tripleDESCipher)
	expandKey(&c.ks1, key[:8])
	expandKey(&c.ks2, key[8:16])
	expandKey(&c.ks3, key[16:])
	return c, nil
}

func (c *tripleDESCipher) BlockSize() int { return BlockSize }

func (c *tripleDESCipher) Encrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlockEDE(&c.ks1, &c.ks2, &c.ks3, dst, src, false)
}

func (c *tripleDESCipher) Decrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlockEDE(&c.ks3, &c.ks2, &c.ks1, dst, src, true)
}

func (c *twoKeyTripleDESCipher) BlockSize() int { return BlockSize }

func (c *twoKeyTripleDESCipher) Encrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlockEDE(&c.ks1, &c.ks2, &c.ks1, dst, src, false)
}

func (c *twoKeyTripleDESCipher) Decrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlockEDE(&c.ks1, &c.ks2, &c.ks1, dst, src, true)
}

// checkBlocks panics, as crypto/des's Encrypt and Decrypt do, if src or dst
// is shorter than a block or their first blocks overlap other than exactly:
// each is a mistake in the calling program.
func checkBlocks(dst, src []byte) {
	if len(src) < BlockSize {
		panic("des: input not full block")
	}
	if len(dst) < BlockSize {
		panic("des: output not full block")
	}
	if inexactOverlap(dst[:BlockSize], src[:BlockSize]) {
		panic("des: invalid buffer overlap")
	}
}

// inexactOverlap reports whether the non-empty x and y share memory without
// starting at the same byte. Comparing addresses needs unsafe; nothing is
// read or written through them.
func inexactOverlap(x, y []byte) bool {
	if &x[0] == &y[0] {
		return false
	}
	x0, x1 := uintptr(unsafe.Pointer(&x[0])), uintptr(unsafe.Pointer(&x[len(x)-1]))
	y0, y1 := uintptr(unsafe.Pointer(&y[0])), uintptr(unsafe.Pointer(&y[len(y)-1]))
	return x0 <= y1 && y0 <= x1
}
