package mac

import (
	"crypto/cipher"

	des "github.com/posflow/posflow/internal/des"
)

// Alg1 returns MAC algorithm 1 of ISO/IEC 9797-1:2011 (CBC-MAC: initial
// transformation 1, output transformation 1) over data padded with p,
// computed with c. The result is one full block of c; callers truncate it.
//
// With DES or TDES and Method1 this is the MAC of ANSI X9.9 and FIPS 113.
// CBC-MAC is only secure for messages of a fixed length; prefer [CMAC] for
// new designs. Alg1 panics if p is not a padding method.
func Alg1(c cipher.Block, data []byte, p Padding) []byte {
	return AppendAlg1(nil, c, data, p)
}

// AppendAlg1 is like [Alg1] but appends the MAC to dst. It does not
// allocate when dst has room for one block.
func AppendAlg1(dst []byte, c cipher.Block, data []byte, p Padding) []byte {
	p.check()
	dst, state := grow(dst, c.BlockSize())
	d, _ := c.(*des.Cipher)
	chain(state, data, p, func() { c.Encrypt(state, state) }, d)
	return dst
}

// VerifyAlg1 checks tag, the leftmost bytes of an [Alg1] MAC, in constant
// time. It returns a [TagSizeError] if tag is shorter than [MinTagSize] or
// longer than a block, and [ErrMismatch] if it does not verify.
func VerifyAlg1(c cipher.Block, data []byte, p Padding, tag []byte) error {
	if err := checkTag(tag, c.BlockSize()); err != nil {
		return err
	}
	return compare(AppendAlg1(make([]byte, 0, 16), c, data, p), tag)
}
