package tlv

import (
	"fmt"
	"math/bits"
	"strconv"
)

// A Tag is a BER-TLV tag: the big-endian value of its one to four bytes, so
// that the EMV tag written 9F26 is Tag(0x9F26).
//
// The zero Tag is not a valid tag: the byte 0x00 is padding, never the first
// byte of a tag.
type Tag uint32

// Class is the class of a tag, bits 8-7 of its first byte.
type Class uint8

// The tag classes of ISO/IEC 8825-1.
const (
	Universal       Class = 0 // 00xxxxxx
	Application     Class = 1 // 01xxxxxx
	ContextSpecific Class = 2 // 10xxxxxx
	Private         Class = 3 // 11xxxxxx
)

var classNames = [...]string{"universal", "application", "context-specific", "private"}

// String returns the name of the class, such as "application".
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "Class(" + strconv.Itoa(int(c)) + ")"
}

// MaxTagLen is the greatest number of bytes in a tag this package accepts.
const MaxTagLen = 4

// Len returns the number of bytes in the encoding of t, from 1 to 4. It
// returns 1 for the zero Tag.
func (t Tag) Len() int {
	return max(bits.Len32(uint32(t))+7, 8) >> 3
}

// first returns the first byte of t's encoding.
func (t Tag) first() byte {
	return byte(t >> ((bits.Len32(uint32(t|1)) - 1) &^ 7))
}

// Class returns the class of t.
func (t Tag) Class() Class {
	return Class(t.first() >> 6)
}

// Constructed reports whether t is the tag of a constructed data object,
// one whose value is a sequence of data objects (bit 6 of the first byte).
func (t Tag) Constructed() bool {
	return t.first()&0x20 != 0
}

// Valid reports whether t is a well-formed tag: a first byte other than 0x00
// whose tag number bits announce exactly the subsequent bytes that follow,
// each subsequent byte but the last with bit 8 set, and a first subsequent
// byte other than 0x80 or 0x00.
func (t Tag) Valid() bool {
	if t == 0 {
		return false
	}
	var buf [MaxTagLen]byte
	b := AppendTag(buf[:0], t)
	n, err := parseTag(b)
	return err == nil && n == len(b)
}

// String returns the tag in upper-case hexadecimal, two digits a byte, as
// EMV writes tags: "9F26", "5A", "BF0C".
func (t Tag) String() string {
	var buf [2 * MaxTagLen]byte
	return string(t.appendHex(buf[:0]))
}

const hexDigits = "0123456789ABCDEF"

func (t Tag) appendHex(dst []byte) []byte {
	for i := t.Len() - 1; i >= 0; i-- {
		b := byte(t >> (8 * i))
		dst = append(dst, hexDigits[b>>4], hexDigits[b&0x0F])
	}
	return dst
}

// AppendTag appends the encoding of t, one to four bytes, to dst. It does not
// check that t is valid; see [Tag.Valid].
func AppendTag(dst []byte, t Tag) []byte {
	for i := t.Len() - 1; i >= 0; i-- {
		dst = append(dst, byte(t>>(8*i)))
	}
	return dst
}

// ParseTag parses a tag written in hexadecimal, such as "9F26" or "bf0c",
// and checks that it is valid.
func ParseTag(s string) (Tag, error) {
	if len(s) == 0 || len(s)%2 != 0 || len(s) > 2*MaxTagLen {
		return 0, fmt.Errorf("tlv: tag %q: want 2, 4, 6 or 8 hex digits", s)
	}
	var t Tag
	for i := 0; i < len(s); i++ {
		d, ok := fromHex(s[i])
		if !ok {
			return 0, fmt.Errorf("tlv: tag %q: invalid hex digit %q", s, s[i])
		}
		t = t<<4 | Tag(d)
	}
	if s[0] == '0' && s[1] == '0' || !t.Valid() {
		return 0, fmt.Errorf("tlv: tag %q: %w", s, ErrInvalidTag)
	}
	return t, nil
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

// parseTag reads the tag at the start of b and returns the number of bytes
// it takes. It returns ErrTruncated if b ends inside the tag and
// ErrInvalidTag if the tag is malformed or longer than MaxTagLen bytes.
func parseTag(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, ErrTruncated
	}
	if b[0]&0x1F != 0x1F {
		return 1, nil
	}
	// High tag number form: subsequent bytes follow, bit 8 set on all but
	// the last. X.690 8.1.2.4.2 (c): bits 7-1 of the first may not all be
	// zero, so it is neither 0x80 nor 0x00.
	if len(b) < 2 {
		return 0, ErrTruncated
	}
	if b[1]&0x7F == 0 {
		return 0, ErrInvalidTag
	}
	for i := 1; i < MaxTagLen; i++ {
		if i >= len(b) {
			return 0, ErrTruncated
		}
		if b[i]&0x80 == 0 {
			return i + 1, nil
		}
	}
	return 0, ErrInvalidTag
}
