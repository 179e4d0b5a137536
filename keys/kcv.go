package keys

import (
	"crypto/cipher"
	"crypto/subtle"

	"github.com/posflow/posflow/mac"
)

// KCV returns the key check value of the key inside c, as defined by
// ANSI X9.24-1:2017:
//
//   - for a 64-bit block cipher (DES, TDES), the leftmost 3 bytes of the
//     encryption of a block of zeros;
//   - for a 128-bit block cipher (AES), the leftmost 5 bytes of the CMAC
//     of one block of zeros.
//
// A check value identifies a key without disclosing it; it is safe to
// print. KCV panics if c has another block size.
func KCV(c cipher.Block) []byte {
	return AppendKCV(nil, c)
}

// AppendKCV is like [KCV] but appends the check value to dst.
func AppendKCV(dst []byte, c cipher.Block) []byte {
	start := len(dst)
	switch c.BlockSize() {
	case 8:
		dst = append(dst, make([]byte, 8)...)
		c.Encrypt(dst[start:], dst[start:])
		clear(dst[start+3:])
		return dst[:start+3]
	case 16:
		var zero [16]byte
		dst = mac.AppendCMAC(dst, c, zero[:])
		clear(dst[start+5:])
		return dst[:start+5]
	default:
		panic("keys: KCV needs a 64- or 128-bit block cipher")
	}
}

// CheckKCV reports, in constant time, whether kcv matches the check value
// of the key inside c. kcv may be shorter than the full check value (some
// systems print 2 bytes), but not empty.
func CheckKCV(c cipher.Block, kcv []byte) bool {
	want := KCV(c)
	if len(kcv) == 0 || len(kcv) > len(want) {
		return false
	}
	return subtle.ConstantTimeCompare(want[:len(kcv)], kcv) == 1
}
