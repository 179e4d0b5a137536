package issuer

import (
	"crypto/subtle"

	des "github.com/posflow/posflow/internal/des"
)

// Service codes of the static card verification values.
const (
	ServiceCodeCVV2 = "000" // CVV2 is printed on the card: service code 000
	ServiceCodeICVV = "999" // iCVV is in the chip's track 2 equivalent data: service code 999
)

// CVV returns the 3-digit Visa card verification value (also Mastercard's
// CVC) of pan, expiry (YYMM) and the 3-digit service code under the
// double-length card verification key cvk (CVK A ‖ CVK B):
//
//	the digits PAN ‖ expiry ‖ service code, zero-filled on the right to 32,
//	make two blocks B1 and B2; R = 3DES(cvk)[DES(CVK A)[B1] ⊕ B2];
//	the decimal digits of R in order, then its digits A–F less 10, give
//	the value's digits.
//
// The magnetic stripe CVV uses the card's service code, CVV2 uses
// [ServiceCodeCVV2] and iCVV [ServiceCodeICVV]. The same algorithm with
// the ATC in the PAN gives [DCVV].
func CVV(cvk []byte, pan, expiry, serviceCode string) (string, error) {
	if err := checkPAN(pan); err != nil {
		return "", err
	}
	return cvv(cvk, pan, expiry, serviceCode, 3)
}

// CVV2 returns the CVV with service code 000.
func CVV2(cvk []byte, pan, expiry string) (string, error) {
	return CVV(cvk, pan, expiry, ServiceCodeCVV2)
}

// ICVV returns the CVV with service code 999.
func ICVV(cvk []byte, pan, expiry string) (string, error) {
	return CVV(cvk, pan, expiry, ServiceCodeICVV)
}

// VerifyCVV checks a CVV, CVV2 or iCVV in constant time; it returns
// [ErrMismatch] when it differs.
func VerifyCVV(cvk []byte, pan, expiry, serviceCode, value string) error {
	want, err := CVV(cvk, pan, expiry, serviceCode)
	if err != nil {
		return err
	}
	return compareDigits(want, value)
}

// DCVV returns the Visa dynamic CVV of a contactless magnetic-stripe
// transaction: the CVV algorithm under the card's dCVV key iccKey (the
// ICC master key derived from the issuer's dCVV master key with
// [MasterKeyA]) over the PAN whose four leftmost digits are replaced by
// the ATC in hexadecimal digits, the expiry (YYMM) and the service code.
// This is the algorithm of jPOS's software HSM, which agrees with its
// published test value; Visa's own specification of dCVV is not public.
func DCVV(iccKey []byte, pan, expiry, serviceCode string, atc []byte) (string, error) {
	if err := checkPAN(pan); err != nil {
		return "", err
	}
	if len(atc) != 2 {
		return "", errLen("ATC", len(atc), "2")
	}
	const hexDigits = "0123456789ABCDEF"
	b := []byte{hexDigits[atc[0]>>4], hexDigits[atc[0]&15], hexDigits[atc[1]>>4], hexDigits[atc[1]&15]}
	return cvv(iccKey, string(b)+pan[4:], expiry, serviceCode, 3)
}

// VerifyDCVV checks a dCVV in constant time.
func VerifyDCVV(iccKey []byte, pan, expiry, serviceCode string, atc []byte, value string) error {
	want, err := DCVV(iccKey, pan, expiry, serviceCode, atc)
	if err != nil {
		return err
	}
	return compareDigits(want, value)
}

// cvv computes the CVV algorithm over the hexadecimal digits in acct.
func cvv(key []byte, acct, expiry, serviceCode string, n int) (string, error) {
	if len(key) != 16 {
		return "", errKey("CVK", len(key))
	}
	if len(expiry) != 4 || !isDigits(expiry) || len(serviceCode) != 3 || !isDigits(serviceCode) {
		return "", ErrCardData
	}
	var digits [32]byte
	for i := range digits {
		digits[i] = '0'
	}
	m := copy(digits[:], acct)
	m += copy(digits[m:], expiry)
	copy(digits[m:], serviceCode)
	var b1, b2 [8]byte
	packHexUpper(b1[:], digits[:16])
	packHexUpper(b2[:], digits[16:])

	// The schedules of CVK A and CVK B, on the stack.
	var ka, kb des.Cipher
	if err := ka.SetKey(key[:8]); err != nil {
		return "", err
	}
	if err := kb.SetKey(key[8:]); err != nil {
		ka.Clear()
		return "", err
	}
	var r [8]byte
	ka.Encrypt(r[:], b1[:])
	for i := range r {
		r[i] ^= b2[i]
	}
	ka.Encrypt(r[:], r[:])
	kb.Decrypt(r[:], r[:])
	ka.Encrypt(r[:], r[:])
	ka.Clear()
	kb.Clear()
	return decimalise(r[:], n), nil
}

// decimalise returns the first n digits of the Visa decimalisation of r:
// its nibbles 0–9 in order, then its nibbles A–F less 10.
func decimalise(r []byte, n int) string {
	out := make([]byte, 0, 16)
	for pass := 0; pass < 2; pass++ {
		for _, b := range r {
			for _, v := range [2]byte{b >> 4, b & 15} {
				if len(out) == n {
					return string(out)
				}
				if pass == 0 && v < 10 {
					out = append(out, '0'+v)
				} else if pass == 1 && v >= 10 {
					out = append(out, '0'+v-10)
				}
			}
		}
	}
	return string(out)
}

// packHexUpper packs hexadecimal digits (0-9, A-F) into dst.
func packHexUpper(dst, s []byte) {
	nib := func(c byte) byte {
		if c >= 'A' {
			return c - 'A' + 10
		}
		return c - '0'
	}
	for i := 0; i+1 < len(s); i += 2 {
		dst[i/2] = nib(s[i])<<4 | nib(s[i+1])
	}
}

// compareDigits compares a computed value with one received, in constant
// time for values of the same length.
func compareDigits(want, got string) error {
	if subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return ErrMismatch
	}
	return nil
}
