package issuer

import (
	"crypto/subtle"

	des "github.com/posflow/posflow/internal/des"
	"github.com/posflow/posflow/mac"
)

// IVCVC3 returns the 2-byte initial vector of the Mastercard CVC3 for the
// static track data of a contactless magnetic-stripe card: the rightmost
// 2 bytes of ISO/IEC 9797-1 MAC algorithm 3 with padding method 2 over
// track under the card's CVC3 key iccKey (the ICC master key derived from
// the issuer's CVC3 master key). track is the track 2 data as packed
// digits (with the D separator and F filler nibbles) or the track 1 data
// as ASCII, as the card was personalised.
func IVCVC3(iccKey, track []byte) ([]byte, error) {
	if len(iccKey) != 16 {
		return nil, errKey("ICC CVC3 key", len(iccKey))
	}
	if len(track) == 0 {
		return nil, ErrCardData
	}
	m, err := mac.Alg3(iccKey, track, mac.Method2)
	if err != nil {
		return nil, err
	}
	return m[6:8], nil
}

// CVC3 returns the dynamic Mastercard CVC3 as 5 decimal digits: the
// rightmost 2 bytes of 3DES(iccKey)[IVCVC3 ‖ UN ‖ ATC] read as a number.
// un is the 4-byte unpredictable number (9F6A) and atc the 2-byte ATC. The
// card puts only the rightmost digits of it in the track (3 to 5, as its
// track bitmaps say); [VerifyCVC3] compares those.
func CVC3(iccKey, ivcvc3, un, atc []byte) (string, error) {
	if len(iccKey) != 16 {
		return "", errKey("ICC CVC3 key", len(iccKey))
	}
	if len(ivcvc3) != 2 {
		return "", errLen("IVCVC3", len(ivcvc3), "2")
	}
	if len(un) != 4 {
		return "", errLen("unpredictable number", len(un), "4")
	}
	if len(atc) != 2 {
		return "", errLen("ATC", len(atc), "2")
	}
	var c des.TripleDESCipher // the schedule of iccKey, on the stack
	if err := c.SetKey(iccKey); err != nil {
		return "", err
	}
	var b [8]byte
	copy(b[:2], ivcvc3)
	copy(b[2:6], un)
	copy(b[6:], atc)
	c.Encrypt(b[:], b[:])
	c.Clear()
	v := int(b[6])<<8 | int(b[7])
	s := itoa(v)
	for len(s) < 5 {
		s = "0" + s
	}
	return s, nil
}

// VerifyCVC3 checks the rightmost len(value) digits (1 to 5) of the CVC3
// in constant time.
func VerifyCVC3(iccKey, ivcvc3, un, atc []byte, value string) error {
	want, err := CVC3(iccKey, ivcvc3, un, atc)
	if err != nil {
		return err
	}
	if len(value) == 0 || len(value) > 5 || !isDigits(value) {
		return ErrCardData
	}
	if subtle.ConstantTimeCompare([]byte(want[5-len(value):]), []byte(value)) != 1 {
		return ErrMismatch
	}
	return nil
}
