package oda

import (
	"crypto/sha1"
	"crypto/subtle"
)

// hashSHA1 is the only hash algorithm of EMV 4.4 Book 2 Annex B3
// (indicator 01).
const hashSHA1 = 0x01

// rsaAlgorithm is the only public key algorithm of Book 2 Annex B2
// (indicator 01).
const rsaAlgorithm = 0x01

// checkHash compares want with SHA-1 over the concatenation of parts.
func checkHash(item Item, want []byte, parts ...[]byte) error {
	h := sha1.New()
	for _, p := range parts {
		h.Write(p)
	}
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	if subtle.ConstantTimeCompare(sum[:], want) != 1 {
		return fail(item, ErrHash, "")
	}
	return nil
}

func sha1Of(parts ...[]byte) [sha1.Size]byte {
	h := sha1.New()
	for _, p := range parts {
		h.Write(p)
	}
	var sum [sha1.Size]byte
	h.Sum(sum[:0])
	return sum
}
