// Package aeskey implements the AES block cipher of FIPS 197 (November 26,
// 2001), encryption only, with the expanded key held in a [Schedule] value
// that the caller owns. Key derivation schemes such as AES DUKPT (ANSI
// X9.24-3-2017) expand a new key for every block or two they encrypt;
// crypto/aes allocates each expanded key on the heap, while a Schedule can
// live on the caller's stack.
//
// On amd64 processors with AES-NI, Expand and Encrypt run in assembly with
// the AESKEYGENASSIST, AESENC and AESENCLAST instructions: no table lookups
// and no branches on key or data, so their timing does not depend on
// secrets. Elsewhere, without AES-NI, under the purego build tag, or when
// the program runs in FIPS 140-3 mode (GODEBUG=fips140=on or only), a
// Schedule holds a crypto/aes cipher instead, which allocates.
package aeskey

import (
	"crypto/aes"
	"crypto/cipher"
	"strconv"
	"sync"
)

// BlockSize is the AES block size in bytes.
const BlockSize = 16

// Schedule is an expanded AES-128, AES-192 or AES-256 encryption key. The
// zero value holds no key. Once expanded, a Schedule may be copied, and
// Encrypt may be called from several goroutines at once; [Schedule.Clear]
// erases it.
type Schedule struct {
	// rk holds the round keys as the words w[0], w[1], … of FIPS 197
	// 5.2, each in byte order: 11, 13 or 15 round keys of 16 bytes. The
	// AES-192 expansion writes two unused words past its 13th round key,
	// inside the room of AES-256's 15.
	rk     [15 * BlockSize]byte
	rounds int          // Nr: 10, 12 or 14; 0 for the zero value
	block  cipher.Block // the crypto/aes cipher, when AES-NI is not used
}

// Expand replaces the key held by s with key, which must be 16, 24 or 32
// bytes long; other lengths are a programming error and panic.
func (s *Schedule) Expand(key []byte) {
	var nr int
	switch len(key) {
	case 16:
		nr = 10
	case 24:
		nr = 12
	case 32:
		nr = 14
	default:
		panic("aeskey: invalid key length " + strconv.Itoa(len(key)))
	}
	s.rounds = nr
	if useAESNI {
		s.block = nil
		expandKeyAsm(nr, &key[0], &s.rk[0])
		return
	}
	// aes.NewCipher only fails on a key length checked above.
	s.block, _ = aes.NewCipher(key)
}

// Encrypt encrypts the first block of src into the first block of dst,
// which may be the same block (in-place encryption). It panics if either
// is shorter than a block or if s holds no key.
func (s *Schedule) Encrypt(dst, src []byte) {
	if len(src) < BlockSize || len(dst) < BlockSize {
		panic("aeskey: input or output shorter than a block")
	}
	if s.rounds == 0 {
		panic("aeskey: Encrypt with an empty Schedule")
	}
	if useAESNI {
		encryptBlockAsm(s.rounds, &s.rk[0], &dst[0], &src[0])
		return
	}
	// The block goes through a pooled buffer so that dst and src do not
	// escape through the interface call: callers' buffers stay on the
	// stack, and the fallback allocates only in Expand.
	b := blockPool.Get().(*[BlockSize]byte)
	copy(b[:], src)
	s.block.Encrypt(b[:], b[:])
	copy(dst, b[:])
	clear(b[:])
	blockPool.Put(b)
}

// blockPool holds the fallback's cleared single-block buffers.
var blockPool = sync.Pool{New: func() any { return new([BlockSize]byte) }}

// Accelerated reports whether Expand and Encrypt run in AES-NI assembly, so
// that a Schedule on the stack costs no allocation. It is false where they
// fall back to crypto/aes.
func Accelerated() bool { return useAESNI }

// Clear erases the key held by s; s then holds no key.
func (s *Schedule) Clear() {
	clear(s.rk[:])
	s.rounds = 0
	s.block = nil
}
