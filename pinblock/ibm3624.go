package pinblock

import (
	"crypto/subtle"

	des "github.com/posflow/posflow/internal/des"
)

// IBM 3624 PIN verification (IBM 3624 Consumer Transaction Facility; the
// "IBM method" of ISO 9564-1 annexes and HSM manuals).
//
// The validation data (16 hexadecimal digits, usually chosen from the PAN)
// is enciphered under the PIN verification key; each hexadecimal digit of
// the result is replaced by the digit at that position of the
// decimalisation table, and the leftmost digits form the natural PIN. A
// customer-selected PIN is verified through its offset: the digit-by-digit
// difference, modulo 10, between the customer PIN and the natural PIN.
//
// Decimalisation tables are secret-relevant: a host that lets callers
// choose the table offers a PIN-guessing oracle (the decimalisation table
// attack). Use the issuer's fixed table.

// IBM3624NaturalPIN returns the natural PIN of the given length (4 to 12)
// for validationData (16 hexadecimal digits) under pvk (a 16- or 24-byte
// TDES key; a single-length key K is given as K‖K), using decimalization,
// a table of 16 decimal digits such as "0123456789012345".
func IBM3624NaturalPIN(pvk []byte, decimalization, validationData string, length int) (string, error) {
	if length < MinPINLength || length > MaxPINLength {
		return "", syntaxErr("PIN", -1, ErrPINLength)
	}
	var nat [16]byte
	defer clear(nat[:])
	if err := naturalPIN(pvk, decimalization, validationData, &nat); err != nil {
		return "", err
	}
	return digitString(nat[:length]), nil
}

// IBM3624Offset returns the PIN offset of pin: for each digit, the
// customer digit minus the natural PIN digit, modulo 10. The offset has as
// many digits as pin. Arguments are as for [IBM3624NaturalPIN].
func IBM3624Offset(pvk []byte, decimalization, validationData, pin string) (string, error) {
	p, err := parsePIN(pin)
	if err != nil {
		return "", err
	}
	defer p.clear()
	var nat [16]byte
	defer clear(nat[:])
	if err := naturalPIN(pvk, decimalization, validationData, &nat); err != nil {
		return "", err
	}
	var off [MaxPINLength]byte
	for i := range p.n {
		off[i] = (p.d[i] + 10 - nat[i]) % 10
	}
	return digitString(off[:p.n]), nil
}

// IBM3624PIN returns the customer PIN that offset (4 to 12 digits) gives:
// the natural PIN plus the offset, digit by digit, modulo 10. Arguments
// are as for [IBM3624NaturalPIN]. Issuers use it to print PIN mailers.
func IBM3624PIN(pvk []byte, decimalization, validationData, offset string) (string, error) {
	off, err := parseOffset(offset)
	if err != nil {
		return "", err
	}
	var nat [16]byte
	defer clear(nat[:])
	if err := naturalPIN(pvk, decimalization, validationData, &nat); err != nil {
		return "", err
	}
	for i := range off.n {
		nat[i] = (nat[i] + off.d[i]) % 10
	}
	return digitString(nat[:off.n]), nil
}

// VerifyIBM3624Offset checks pin against offset in constant time. The
// offset length is the check length: the leftmost len(offset) digits of
// pin are verified, so the offset may be shorter than the PIN but not
// longer. It returns nil on a match and [ErrMismatch] otherwise.
func VerifyIBM3624Offset(pvk []byte, decimalization, validationData, pin, offset string) error {
	p, err := parsePIN(pin)
	if err != nil {
		return err
	}
	defer p.clear()
	off, err := parseOffset(offset)
	if err != nil {
		return err
	}
	if off.n > p.n {
		return syntaxErr("offset", -1, ErrOffset)
	}
	var nat [16]byte
	defer clear(nat[:])
	if err := naturalPIN(pvk, decimalization, validationData, &nat); err != nil {
		return err
	}
	var got [MaxPINLength]byte
	for i := range off.n {
		got[i] = (p.d[i] + 10 - nat[i]) % 10
	}
	ok := subtle.ConstantTimeCompare(got[:off.n], off.d[:off.n])
	clear(got[:])
	if ok != 1 {
		return ErrMismatch
	}
	return nil
}

// naturalPIN writes the 16 decimalised digits (values 0–9) to nat.
func naturalPIN(pvk []byte, decimalization, validationData string, nat *[16]byte) error {
	var c des.TripleDESCipher
	if err := setPVK(&c, pvk); err != nil {
		return err
	}
	defer c.Clear()
	if len(decimalization) != 16 {
		return syntaxErr("decimalisation table", -1, ErrDecimalization)
	}
	var table [16]byte
	for i := range 16 {
		d := decimalization[i]
		if d < '0' || d > '9' {
			return syntaxErr("decimalisation table", i, ErrDecimalization)
		}
		table[i] = d - '0'
	}
	if len(validationData) != 16 {
		return syntaxErr("validation data", -1, ErrValidationData)
	}
	block := make([]byte, 8)
	defer clear(block)
	for i := range 16 {
		v, ok := fromHex(validationData[i])
		if !ok {
			return syntaxErr("validation data", i, ErrValidationData)
		}
		setNibble(block, i, v)
	}
	c.Encrypt(block, block)
	for i := range 16 {
		nat[i] = table[nibble(block, i)]
	}
	return nil
}

// parseOffset reads an offset of 4 to 12 decimal digits.
func parseOffset(s string) (pin, error) {
	var o pin
	if len(s) < MinPINLength || len(s) > MaxPINLength {
		return o, syntaxErr("offset", -1, ErrOffset)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return o, syntaxErr("offset", i, ErrOffset)
		}
		o.d[i] = s[i] - '0'
	}
	o.n = len(s)
	return o, nil
}

func digitString(d []byte) string {
	var b [16]byte
	for i, v := range d {
		b[i] = '0' + v
	}
	s := string(b[:len(d)])
	clear(b[:])
	return s
}

func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
