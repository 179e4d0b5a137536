package oda

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"time"
)

// A RID is a registered application provider identifier: the first five
// bytes of an AID, which name the payment scheme (A000000003 Visa,
// A000000004 Mastercard, A000000025 American Express).
type RID [5]byte

// ParseRID reads a RID from ten hexadecimal digits.
func ParseRID(s string) (RID, error) {
	var r RID
	if len(s) != 10 {
		return r, ErrCAPKData
	}
	if _, err := hex.Decode(r[:], []byte(s)); err != nil {
		return r, ErrCAPKData
	}
	return r, nil
}

// String returns the RID in upper-case hexadecimal, as EMV writes it.
func (r RID) String() string {
	var b [10]byte
	for i, c := range r {
		b[2*i], b[2*i+1] = hexDigits[c>>4], hexDigits[c&15]
	}
	return string(b[:])
}

// A CAPK is a certification authority public key as a terminal holds it
// (EMV 4.4 Book 2 5.1): the scheme's RID, the key index the
// card names in tag 8F, the key itself, the algorithm indicators, the
// SHA-1 checksum published with the key and, when known, its expiry date.
type CAPK struct {
	RID   RID
	Index byte
	// HashAlgorithm and KeyAlgorithm are the indicators published with the
	// key; both are 01 (SHA-1, RSA) for every key in use.
	HashAlgorithm byte
	KeyAlgorithm  byte
	Key           *PublicKey
	// Checksum is SHA-1(RID || index || modulus || exponent) as published
	// with the key.
	Checksum [20]byte
	// Expiry is the last day on which the key may be used; the zero value
	// means that no expiry date is recorded. The scheme test keys are
	// published without one.
	Expiry time.Time
	// Name is a free-form description ("Visa test 1984-bit").
	Name string
}

// NewCAPK checks a certification authority public key — modulus and
// exponent within Book 2's ranges, checksum equal to the SHA-1 of RID,
// index, modulus and exponent — and returns it with both algorithm
// indicators set to 01. The slices are copied.
func NewCAPK(rid RID, index byte, modulus, exponent, checksum []byte) (*CAPK, error) {
	key, err := NewPublicKey(modulus, exponent)
	if err != nil {
		return nil, fail(ItemCAPK, err, "RID "+rid.String()+" index "+hexByte(index))
	}
	k := &CAPK{RID: rid, Index: index, HashAlgorithm: 1, KeyAlgorithm: 1, Key: key}
	sum := k.ComputeChecksum()
	if len(checksum) != len(sum) || subtle.ConstantTimeCompare(sum[:], checksum) != 1 {
		return nil, fail(ItemCAPK, ErrChecksum, "RID "+rid.String()+" index "+hexByte(index))
	}
	k.Checksum = sum
	return k, nil
}

// ComputeChecksum returns SHA-1(RID || index || modulus || exponent).
func (k *CAPK) ComputeChecksum() [20]byte {
	h := sha1.New()
	h.Write(k.RID[:])
	h.Write([]byte{k.Index})
	h.Write(k.Key.Modulus)
	h.Write(k.Key.Exponent)
	var sum [20]byte
	h.Sum(sum[:0])
	return sum
}

// Verify checks the key again as NewCAPK does: ranges, indicators and
// checksum. Use it on a CAPK built by hand.
func (k *CAPK) Verify() error {
	if k == nil {
		return fail(ItemCAPK, ErrModulus, "nil key")
	}
	detail := "RID " + k.RID.String() + " index " + hexByte(k.Index)
	if k.Key == nil {
		return fail(ItemCAPK, ErrModulus, detail)
	}
	if err := checkModulus(k.Key.Modulus); err != nil {
		return fail(ItemCAPK, err, detail)
	}
	if _, ok := exponentValue(k.Key.Exponent); !ok {
		return fail(ItemCAPK, ErrExponent, detail)
	}
	if k.HashAlgorithm != 1 {
		return fail(ItemCAPK, ErrHashAlgorithm, detail)
	}
	if k.KeyAlgorithm != 1 {
		return fail(ItemCAPK, ErrKeyAlgorithm, detail)
	}
	sum := k.ComputeChecksum()
	if subtle.ConstantTimeCompare(sum[:], k.Checksum[:]) != 1 {
		return fail(ItemCAPK, ErrChecksum, detail)
	}
	return nil
}

// Expired reports whether the key's expiry date, if any, lies before the
// day of date.
func (k *CAPK) Expired(date time.Time) bool {
	if k.Expiry.IsZero() {
		return false
	}
	y, m, d := k.Expiry.Date()
	ty, tm, td := date.Date()
	switch {
	case ty != y:
		return ty > y
	case tm != m:
		return tm > m
	}
	return td > d
}
