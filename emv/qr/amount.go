package qr

import (
	"errors"
	"strconv"
)

// amount reports whether s is written as the merchant-presented mode writes
// amounts (IDs 54, 56 and 57): decimal digits with at most one "." as the
// decimal mark, no sign, no grouping, beginning with a digit. "98.73",
// "98." and "98" are amounts; ".5", "1,000.00", "-1" and "1.2.3" are not.
func amount(s string) bool {
	if len(s) == 0 || s[0] < '0' || s[0] > '9' {
		return false
	}
	dot := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// percentage reports whether the amount s is from 0.01 to 99.99 with at
// most two decimals.
func percentage(s string) bool {
	whole, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
		}
	}
	if len(frac) > 2 {
		return false
	}
	w, err := strconv.Atoi(whole)
	if err != nil || w > 99 {
		return false
	}
	f := 0
	if frac != "" {
		f, _ = strconv.Atoi(frac)
		if len(frac) == 1 {
			f *= 10
		}
	}
	return w*100+f >= 1
}

// FormatAmount writes an amount in minor units as a transaction amount
// (ID 54): minor 2372 with exponent 2 (the ISO 4217 minor unit of the
// currency) gives "23.72", minor 500 with exponent 0 gives "500". It
// returns an error for a negative amount, an exponent outside 0 to 4, or a
// result longer than the 13 characters ID 54 allows.
func FormatAmount(minor int64, exponent int) (string, error) {
	b, err := AppendAmount(make([]byte, 0, 16), minor, exponent)
	return string(b), err
}

// AppendAmount appends the amount minor, in units of 10^-exponent, to dst
// as FormatAmount writes it.
func AppendAmount(dst []byte, minor int64, exponent int) ([]byte, error) {
	if minor < 0 {
		return dst, errors.New("qr: negative amount")
	}
	if exponent < 0 || exponent > 4 {
		return dst, errors.New("qr: currency exponent not from 0 to 4")
	}
	var buf [24]byte // 19 digits of an int64 and 4 zeros of padding
	d := strconv.AppendInt(buf[:0], minor, 10)
	if exponent > 0 && len(d) <= exponent {
		// Pad on the left to one digit before the mark: 5 with exponent 2
		// is "0.05".
		n := exponent + 1 - len(d)
		d = d[:len(d)+n]
		copy(d[n:], d[:len(d)-n])
		for i := range n {
			d[i] = '0'
		}
	}
	n := len(d)
	if exponent > 0 {
		n++
	}
	if n > 13 {
		return dst, errors.New("qr: amount longer than 13 characters")
	}
	i := len(d) - exponent
	dst = append(dst, d[:i]...)
	if exponent > 0 {
		dst = append(dst, '.')
		dst = append(dst, d[i:]...)
	}
	return dst, nil
}
