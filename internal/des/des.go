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
// table, as crypto/des does. Cipher.ChainCBC runs the chain of a CBC-MAC
// (the retail MAC of every ISO 8583 message) about a quarter faster than
// Encrypt block by block, keeping the chain permuted between blocks.
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
// Their ciphers are allocated, as crypto/des's are: a *Cipher and a
// *TripleDESCipher. A key used once is better held as a Cipher or TripleDESCipher, a schedule in a value that a
// caller declares as a local variable and keys with SetKey: called
// directly, its methods leave it on the caller's stack, and Clear zeroes
// it when done. Passed as a cipher.Block, or to anything that calls it
// through an interface or a type parameter, it moves to the heap like any
// other value.
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

// Cipher is a DES key schedule held in place, for a caller that uses a
// key once and wants no allocation for it: declared as a local variable,
// keyed with SetKey and used through its methods, it stays on the caller's
// stack. Its zero value holds no key, and its Encrypt and Decrypt panic
// until SetKey succeeds. The schedule is key material: call Clear when done
// with it, and do not copy a keyed Cipher, whose copy Clear would not
// reach.
type Cipher struct {
	ks    schedule
	keyed bool
}

// SetKey computes the schedule of the 8-byte key, replacing any earlier
// key. It accepts the keys NewCipher accepts and fails with the same
// errors, leaving c without a key.
func (c *Cipher) SetKey(key []byte) error {
	c.keyed = false
	if fips140.Enforced() {
		_, err := stddes.NewCipher(key) // which refuses, with its own error
		return err
	}
	if len(key) != 8 {
		return stddes.KeySizeError(len(key))
	}
	expandKey(&c.ks, key)
	c.keyed = true
	return nil
}

// BlockSize returns the DES block size, 8.
func (c *Cipher) BlockSize() int { return BlockSize }

// Encrypt encrypts the first block of src into dst, as a cipher.Block's
// Encrypt does. It panics as crypto/des's does on short or overlapping
// buffers, and if c holds no key.
func (c *Cipher) Encrypt(dst, src []byte) {
	checkBlocks(dst, src)
	c.check()
	cryptBlock(&c.ks, dst, src, false)
}

// Decrypt decrypts the first block of src into dst; see Encrypt.
func (c *Cipher) Decrypt(dst, src []byte) {
	checkBlocks(dst, src)
	c.check()
	cryptBlock(&c.ks, dst, src, true)
}

// ChainCBC encrypts the blocks of src in CBC mode, the block in state as
// the initialization vector, and leaves the last ciphertext block in
// state: the chain of a CBC-MAC (MAC algorithms 1 and 3 of ISO/IEC
// 9797-1), or the last block of cipher.NewCBCEncrypter's output. It panics
// if state is not one block long, if len(src) is not a multiple of the
// block size, and if c holds no key.
//
// Between blocks the chain stays permuted by IP: IP is a permutation of
// bits, so IP(P ⊕ C) = IP(P) ⊕ IP(C), and IP(C) is the rounds' preoutput,
// before IP⁻¹. A block then costs no IP⁻¹, and its IP does not wait for
// the block before: about a quarter less time a block than Encrypt in a
// loop.
func (c *Cipher) ChainCBC(state, src []byte) {
	if len(state) != BlockSize {
		panic("des: CBC state not one block")
	}
	if len(src)%BlockSize != 0 {
		panic("des: input not full blocks")
	}
	c.check()
	l, r := initialPermutation(binary.BigEndian.Uint64(state))
	for ; len(src) >= BlockSize; src = src[BlockSize:] {
		pl, pr := initialPermutation(binary.BigEndian.Uint64(src))
		// The preoutput is R16L16: the next block's IP(C) is (r, l).
		r, l = encryptRounds(&spTable, &c.ks, l^pl, r^pr)
	}
	binary.BigEndian.PutUint64(state, finalPermutation(l, r))
}

// Clear zeroes the key schedule; c then holds no key.
func (c *Cipher) Clear() {
	*c = Cipher{}
}

func (c *Cipher) check() {
	if !c.keyed {
		panic("des: no key set")
	}
}

// TripleDESCipher is a TDEA key schedule held in place, as Cipher is for
// DES: a local variable keyed with SetKey stays on the caller's stack. Its
// zero value holds no key, and its Encrypt and Decrypt panic until SetKey
// succeeds. Call Clear when done with it, and do not copy it after SetKey.
type TripleDESCipher struct {
	ks1, ks2, ks3 schedule
	// option is the keying option of SP 800-67 Rev. 2, 3.1: 1 for K1, K2,
	// K3 with K3 ≠ K1, 2 for K1, K2, K1 (ks3 unused and zero), 0 for no
	// key.
	option uint8
}

// SetKey computes the schedules of a 24-byte key K1‖K2‖K3 or, unlike
// NewTripleDESCipher, of a 16-byte key K1‖K2, used as K1‖K2‖K1. A key whose
// third part equals its first, parity bits aside, computes two schedules.
// A key of another length gives a crypto/des.KeySizeError and, with
// GODEBUG=fips140=only, every key gives crypto/des's error; c is then left
// without a key.
func (c *TripleDESCipher) SetKey(key []byte) error {
	c.option = 0
	if fips140.Enforced() {
		_, err := stddes.NewTripleDESCipher(key) // which refuses, with its own error
		return err
	}
	switch {
	case len(key) == 16 || len(key) == 24 && sameDESKey(key[:8], key[16:]):
		expandKey(&c.ks1, key[:8])
		expandKey(&c.ks2, key[8:16])
		c.ks3 = schedule{} // no stale key material from an earlier key
		c.option = 2
	case len(key) == 24:
		expandKey(&c.ks1, key[:8])
		expandKey(&c.ks2, key[8:16])
		expandKey(&c.ks3, key[16:])
		c.option = 1
	default:
		return stddes.KeySizeError(len(key))
	}
	return nil
}

// BlockSize returns the DES block size, 8.
func (c *TripleDESCipher) BlockSize() int { return BlockSize }

// Encrypt encrypts the first block of src into dst, as a cipher.Block's
// Encrypt does. It panics as crypto/des's does on short or overlapping
// buffers, and if c holds no key.
func (c *TripleDESCipher) Encrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlockEDE(&c.ks1, &c.ks2, c.k3(), dst, src, false)
}

// Decrypt decrypts the first block of src into dst; see Encrypt.
func (c *TripleDESCipher) Decrypt(dst, src []byte) {
	checkBlocks(dst, src)
	cryptBlockEDE(c.k3(), &c.ks2, &c.ks1, dst, src, true)
}

// Clear zeroes the key schedules; c then holds no key.
func (c *TripleDESCipher) Clear() {
	*c = TripleDESCipher{}
}

// k3 returns the schedule of K3, which for keying option 2 is K1's.
func (c *TripleDESCipher) k3() *schedule {
	switch c.option {
	case 1:
		return &c.ks3
	case 2:
		return &c.ks1
	}
	panic("des: no key set")
}

// sameDESKey reports whether the 8-byte DES keys a and b are equal but for
// parity bits. Which keying option a bundle uses shows in the time taken to
// set it up (two schedules or three); the comparison itself takes the same
// time whatever the keys.
func sameDESKey(a, b []byte) bool {
	const parity = 0x0101010101010101
	return binary.BigEndian.Uint64(a)&^parity == binary.BigEndian.Uint64(b)&^parity
}

// NewCipher returns a DES cipher for the 8-byte key; a key of any other
// length gives a crypto/des.KeySizeError. Parity bits are ignored, and weak
// keys are accepted, as in crypto/des. The cipher is a *Cipher on the heap;
// to keep the key off the heap, use a Cipher of your own.
func NewCipher(key []byte) (cipher.Block, error) {
	c := new(Cipher)
	if err := c.SetKey(key); err != nil {
		return nil, err
	}
	return c, nil
}

// NewTripleDESCipher returns a TDEA cipher for the 24-byte key K1‖K2‖K3;
// a key of any other length gives a crypto/des.KeySizeError. A double-length
// key K1‖K2 is passed, as to crypto/des, as K1‖K2‖K1, and, K3 being K1 but
// for parity bits, computes two schedules. The cipher is a
// *TripleDESCipher on the heap; to keep the key off the heap, use a
// TripleDESCipher of your own.
func NewTripleDESCipher(key []byte) (cipher.Block, error) {
	if fips140.Enforced() {
		return stddes.NewTripleDESCipher(key) // which refuses, with its own error
	}
	if len(key) != 24 {
		return nil, stddes.KeySizeError(len(key)) // SetKey would take 16 bytes
	}
	c := new(TripleDESCipher)
	if err := c.SetKey(key); err != nil {
		return nil, err
	}
	return c, nil
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
