package oda

import (
	"time"
)

// Checks holds the terminal's data that certificate validation compares
// the recovered fields against (EMV 4.4 Book 2 5.3, 6.4 and 7.1).
type Checks struct {
	// PAN is the Application PAN (5A) as read from the card: compressed
	// numeric, padded on the right with hexadecimal F.
	PAN []byte
	// Date is the transaction date (9A). Only year, month and day are
	// used. The zero value means time.Now().
	Date time.Time
	// Revoked is the issuer public key certificate revocation list; nil
	// means an empty list.
	Revoked *RevocationList
}

func (c *Checks) date() time.Time {
	if c.Date.IsZero() {
		return time.Now()
	}
	return c.Date
}

// bcd2 reads a byte of two decimal digits.
func bcd2(b byte) (int, bool) {
	hi, lo := int(b>>4), int(b&15)
	if hi > 9 || lo > 9 {
		return 0, false
	}
	return hi*10 + lo, true
}

// expiryYearMonth reads an MMYY certificate expiration date. Two-digit
// years 00-49 are 2000-2049 and 50-99 are 1950-1999, the rule EMV
// terminals apply to two-digit years.
func expiryYearMonth(mmyy [2]byte) (year int, month time.Month, ok bool) {
	m, ok1 := bcd2(mmyy[0])
	y, ok2 := bcd2(mmyy[1])
	if !ok1 || !ok2 || m < 1 || m > 12 {
		return 0, 0, false
	}
	if y < 50 {
		y += 2000
	} else {
		y += 1900
	}
	return y, time.Month(m), true
}

// checkExpiry reports whether the last day of the month of mmyy is on or
// after the transaction date (Book 2 5.3, 6.4).
func checkExpiry(item Item, mmyy [2]byte, date time.Time) error {
	y, m, ok := expiryYearMonth(mmyy)
	if !ok {
		return fail(item, ErrExpiryDate, "")
	}
	ty, tm, _ := date.Date()
	if ty > y || (ty == y && tm > m) {
		return fail(item, ErrExpired, "expiry MMYY "+hexByte(mmyy[0])+hexByte(mmyy[1]))
	}
	return nil
}

// nibble returns the i-th four-bit digit of b.
func nibble(b []byte, i int) byte {
	if i&1 == 0 {
		return b[i/2] >> 4
	}
	return b[i/2] & 15
}

// panDigits returns the number of leading decimal digits of a compressed
// numeric PAN and whether the rest is F padding only.
func panDigits(pan []byte) (int, bool) {
	n := 0
	for n < 2*len(pan) && nibble(pan, n) <= 9 {
		n++
	}
	for i := n; i < 2*len(pan); i++ {
		if nibble(pan, i) != 0xF {
			return n, false
		}
	}
	return n, true
}

// checkIssuerID verifies that the issuer identifier is 3 to 8 digits
// padded with F and equal to the leftmost digits of the PAN (Book 2 5.3).
func checkIssuerID(id [4]byte, pan []byte) error {
	n, ok := panDigits(id[:])
	if !ok || n < 3 {
		return fail(ItemIssuerCertificate, ErrIssuerID, "malformed issuer identifier")
	}
	pn, pok := panDigits(pan)
	if !pok || pn < n {
		return fail(ItemIssuerCertificate, ErrIssuerID, "")
	}
	for i := range n {
		if nibble(id[:], i) != nibble(pan, i) {
			return fail(ItemIssuerCertificate, ErrIssuerID, "")
		}
	}
	return nil
}

// checkPAN verifies that the PAN recovered from an ICC certificate equals
// the application PAN, digit for digit, both padded with F (Book 2 6.4).
func checkPAN(item Item, certPAN [10]byte, pan []byte) error {
	n, ok := panDigits(certPAN[:])
	pn, pok := panDigits(pan)
	if !ok || !pok || n != pn || n == 0 {
		return fail(item, ErrPAN, "")
	}
	for i := range n {
		if nibble(certPAN[:], i) != nibble(pan, i) {
			return fail(item, ErrPAN, "")
		}
	}
	return nil
}
