package mac

import "crypto/cipher"

// CMAC returns the CMAC of data under c as specified by NIST SP 800-38B
// (RFC 4493 for AES-128; MAC algorithm 5 of ISO/IEC 9797-1:2011). The result
// is one full block of c; callers truncate it.
//
// c must have a 64-bit block (DES, TDES) or a 128-bit block (AES, SM4),
// the two sizes for which SP 800-38B defines the constant Rb; CMAC panics
// otherwise.
func CMAC(c cipher.Block, data []byte) []byte {
	return AppendCMAC(nil, c, data)
}

// AppendCMAC is like [CMAC] but appends the MAC to dst. It does not
// allocate when dst has room for one block.
func AppendCMAC(dst []byte, c cipher.Block, data []byte) []byte {
	bs := c.BlockSize()
	var rb byte
	switch bs {
	case 8:
		rb = 0x1b
	case 16:
		rb = 0x87
	default:
		panic("mac: CMAC needs a 64- or 128-bit block cipher")
	}
	dst, state := grow(dst, bs)

	// Subkeys (SP 800-38B clause 6.1): L = E(K, 0), K1 = dbl(L),
	// K2 = dbl(K1). Only the one the last block needs is kept.
	var subkey [16]byte
	k := subkey[:bs]
	c.Encrypt(state, state)
	copy(k, state)
	clear(state)
	dbl(k, rb)

	n := len(data)
	blocks := (n + bs - 1) / bs
	complete := n > 0 && n%bs == 0
	if !complete {
		dbl(k, rb)
		blocks = max(blocks, 1)
	}
	for i := range blocks - 1 {
		xorInto(state, data[i*bs:(i+1)*bs])
		c.Encrypt(state, state)
	}
	tail := data[(blocks-1)*bs:]
	xorInto(state, tail)
	if !complete {
		state[len(tail)] ^= 0x80
	}
	xorInto(state, k)
	clear(subkey[:])
	c.Encrypt(state, state)
	return dst
}

// dbl multiplies b by x in GF(2^n) (SP 800-38B clause 6.1), in place and
// without branching on secret bits.
func dbl(b []byte, rb byte) {
	msb := b[0] >> 7
	for i := 0; i < len(b)-1; i++ {
		b[i] = b[i]<<1 | b[i+1]>>7
	}
	b[len(b)-1] = b[len(b)-1]<<1 ^ (-msb & rb)
}

// VerifyCMAC checks tag, the leftmost bytes of a [CMAC], in constant time.
// It returns a [TagSizeError] if tag is shorter than [MinTagSize] or
// longer than a block, and [ErrMismatch] if it does not verify.
func VerifyCMAC(c cipher.Block, data, tag []byte) error {
	if err := checkTag(tag, c.BlockSize()); err != nil {
		return err
	}
	return compare(AppendCMAC(make([]byte, 0, 16), c, data), tag)
}
