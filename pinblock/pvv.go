package pinblock

import (
	"crypto/subtle"

	des "github.com/posflow/posflow/internal/des"
)

// VisaPVV returns the 4-digit Visa PIN verification value of pin for pan
// under the PIN verification key pvk (a 16- or 24-byte TDES key; a
// single-length key K is given as K‖K), with PIN verification key index
// pvki (0 to 9).
//
// The transformed security parameter is the 11 rightmost PAN digits
// excluding the check digit, the PVKI and the 4 leftmost PIN digits. It is
// enciphered under pvk, and the PVV is the first 4 decimal digits of the
// result read left to right, continued if needed with the digits A–F
// (decimalised as 0–5) read left to right again.
func VisaPVV(pvk []byte, pan string, pvki int, pin string) (string, error) {
	var out [4]byte
	if err := visaPVV(pvk, pan, pvki, pin, &out); err != nil {
		return "", err
	}
	return string(out[:]), nil
}

// VerifyVisaPVV checks pvv against the Visa PVV of pin in constant time.
// It returns nil on a match, [ErrMismatch] otherwise, and a typed error for
// malformed input.
func VerifyVisaPVV(pvk []byte, pan string, pvki int, pin, pvv string) error {
	if len(pvv) != 4 {
		return syntaxErr("PVV", -1, ErrOffset)
	}
	for i := 0; i < len(pvv); i++ {
		if pvv[i] < '0' || pvv[i] > '9' {
			return syntaxErr("PVV", i, ErrOffset)
		}
	}
	var out [4]byte
	defer clear(out[:])
	if err := visaPVV(pvk, pan, pvki, pin, &out); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(out[:], []byte(pvv)) != 1 {
		return ErrMismatch
	}
	return nil
}

func visaPVV(pvk []byte, pan string, pvki int, pinText string, out *[4]byte) error {
	var c des.TripleDESCipher
	if err := setPVK(&c, pvk); err != nil {
		return err
	}
	defer c.Clear()
	p, err := parsePIN(pinText)
	if err != nil {
		return err
	}
	defer p.clear()
	if err := checkPAN(pan); err != nil {
		return err
	}
	if len(pan) < 12 {
		return syntaxErr("PAN", -1, ErrPANLength)
	}
	if pvki < 0 || pvki > 9 {
		return ErrPVKI
	}
	tsp := make([]byte, 8)
	defer clear(tsp)
	body := pan[len(pan)-12 : len(pan)-1]
	for i := 0; i < 11; i++ {
		setNibble(tsp, i, body[i]-'0')
	}
	setNibble(tsp, 11, byte(pvki))
	for i := range 4 {
		setNibble(tsp, 12+i, p.d[i])
	}
	c.Encrypt(tsp, tsp)
	n := 0
	for i := 0; i < 16 && n < 4; i++ {
		if v := nibble(tsp, i); v < 10 {
			out[n] = '0' + v
			n++
		}
	}
	for i := 0; i < 16 && n < 4; i++ {
		if v := nibble(tsp, i); v >= 10 {
			out[n] = '0' + v - 10
			n++
		}
	}
	return nil
}

// setPVK computes the TDES key schedule of a PIN verification key into c,
// which the caller holds on its stack and clears.
func setPVK(c *des.TripleDESCipher, pvk []byte) error {
	if len(pvk) != 16 && len(pvk) != 24 {
		return KeySizeError(len(pvk))
	}
	return c.SetKey(pvk)
}
