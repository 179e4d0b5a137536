package issuer

import (
	"crypto/sha1"

	des "github.com/posflow/posflow/internal/des"
	"github.com/posflow/posflow/keys"
)

// MinPANLength and MaxPANLength bound the primary account numbers this
// package accepts, as package pinblock does: ISO/IEC 7812-1 allows at most
// 19 digits.
const (
	MinPANLength = 8
	MaxPANLength = 19
)

// Option is an ICC master key derivation option of EMV 4.4 Book 2 Annex
// A1.4.
type Option uint8

const (
	// OptionA derives the ICC master key from the rightmost 16 digits of
	// PAN ‖ PSN (Annex A1.4.1).
	OptionA Option = 1
	// OptionB hashes PAN ‖ PSN with SHA-1 when the PAN is longer than 16
	// digits and is option A otherwise (Annex A1.4.2).
	OptionB Option = 2
)

// String returns "option A", "option B" or "Option(n)".
func (o Option) String() string {
	switch o {
	case OptionA:
		return "option A"
	case OptionB:
		return "option B"
	}
	return "Option(" + itoa(int(o)) + ")"
}

// MasterKeyA derives the ICC master key from the issuer master key imk
// with option A of EMV 4.4 Book 2 Annex A1.4.1: Y is the rightmost 16
// digits of PAN ‖ PSN, zero-filled on the left, and the key is
// 3DES(imk)[Y] ‖ 3DES(imk)[Y ⊕ FF…FF] with odd parity, as an HSM returns
// it. An empty psn means 00. imk is a double-length TDES key.
func MasterKeyA(imk []byte, pan, psn string) ([]byte, error) {
	return appendMasterKey(make([]byte, 0, 16), imk, pan, psn, OptionA)
}

// MasterKeyB derives the ICC master key with option B of EMV 4.4 Book 2
// Annex A1.4.2. For a PAN of 16 digits or fewer it equals [MasterKeyA].
// For a longer PAN, the SHA-1 digest of PAN ‖ PSN (packed decimal,
// zero-filled on the left to whole bytes) is decimalised: its decimal
// digits in order, then, if fewer than 16, its digits a–f mapped to 0–5,
// give the 16 digits Y that option A then enciphers.
func MasterKeyB(imk []byte, pan, psn string) ([]byte, error) {
	return appendMasterKey(make([]byte, 0, 16), imk, pan, psn, OptionB)
}

// AppendMasterKey appends the ICC master key derived with option o to dst.
// It is the allocation-free form of [MasterKeyA] and [MasterKeyB] when dst
// has room for 16 bytes.
func AppendMasterKey(dst, imk []byte, pan, psn string, o Option) ([]byte, error) {
	return appendMasterKey(dst, imk, pan, psn, o)
}

func appendMasterKey(dst, imk []byte, pan, psn string, o Option) ([]byte, error) {
	if len(imk) != 16 {
		return dst, errKey("issuer master key", len(imk))
	}
	var y [8]byte
	if err := derivationData(&y, pan, psn, o); err != nil {
		return dst, err
	}
	var c des.TripleDESCipher // the schedule of imk, on the stack
	if err := c.SetKey(imk); err != nil {
		return dst, err
	}
	dst = appendDiversified(dst, &c, &y)
	c.Clear()
	return dst, nil
}

// appendDiversified appends E(y) ‖ E(y ⊕ FF…FF) under c with odd parity,
// and zeroes its own copy of the key.
func appendDiversified(dst []byte, c *des.TripleDESCipher, y *[8]byte) []byte {
	var b [16]byte
	c.Encrypt(b[:8], y[:])
	for i := range y {
		y[i] ^= 0xFF
	}
	c.Encrypt(b[8:], y[:])
	keys.AdjustParity(b[:])
	dst = append(dst, b[:]...)
	clear(b[:])
	return dst
}

// derivationData writes the 8-byte value Y of option o for pan and psn.
func derivationData(y *[8]byte, pan, psn string, o Option) error {
	if err := checkPAN(pan); err != nil {
		return err
	}
	if err := checkPSN(psn); err != nil {
		return err
	}
	if psn == "" {
		psn = "00"
	} else if len(psn) == 1 {
		psn = "0" + psn
	}
	var digits [MaxPANLength + 2]byte
	n := copy(digits[:], pan)
	n += copy(digits[n:], psn)
	d := digits[:n]
	switch o {
	case OptionA:
	case OptionB:
		if len(pan) > 16 {
			optionBDigits(y, d)
			return nil
		}
	default:
		return errOption(o)
	}
	// Rightmost 16 digits, zero-filled on the left.
	var x [16]byte
	for i := range x {
		x[i] = '0'
	}
	if len(d) > 16 {
		d = d[len(d)-16:]
	}
	copy(x[16-len(d):], d)
	packDigits(y[:], x[:])
	return nil
}

// optionBDigits writes the decimalised SHA-1 digest of the digits d.
func optionBDigits(y *[8]byte, d []byte) {
	var packed [11]byte // up to 21 digits, zero-filled on the left to even
	m := (len(d) + 1) / 2
	odd := len(d)%2 == 1
	for i, c := range d {
		j := i
		if odd {
			j++
		}
		v := c - '0'
		if j%2 == 0 {
			packed[j/2] = v << 4
		} else {
			packed[j/2] |= v
		}
	}
	sum := sha1.Sum(packed[:m])
	var out [16]byte
	n := 0
	for _, b := range sum {
		for _, v := range [2]byte{b >> 4, b & 0x0F} {
			if v < 10 && n < 16 {
				out[n] = '0' + v
				n++
			}
		}
	}
	for _, b := range sum {
		for _, v := range [2]byte{b >> 4, b & 0x0F} {
			if v >= 10 && n < 16 {
				out[n] = '0' + v - 10
				n++
			}
		}
	}
	packDigits(y[:], out[:])
}

// packDigits packs the ASCII digits in s (an even number) into dst.
func packDigits(dst, s []byte) {
	for i := 0; i+1 < len(s); i += 2 {
		dst[i/2] = (s[i]-'0')<<4 | (s[i+1] - '0')
	}
}

func checkPAN(pan string) error {
	if len(pan) < MinPANLength || len(pan) > MaxPANLength || !isDigits(pan) {
		return ErrPAN
	}
	return nil
}

func checkPSN(psn string) error {
	if len(psn) > 2 || !isDigits(psn) {
		return ErrPSN
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
