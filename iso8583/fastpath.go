package iso8583

import (
	"strconv"

	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/prefix"
)

// The fast paths of packing and unpacking. moov's encoders and prefixers
// return a fresh slice for every value and length they code, which costs
// an allocation or more per field. For the coders whose output is the
// value's own bytes, or the length in ASCII decimal digits, the Spec writes
// and reads those bytes itself. Each fast path applies only to the exact
// moov coder it reproduces, found by identity when the spec is built, and
// refuses exactly what that coder refuses; every other coder (BCD, LBCD,
// EBCDIC, binary and BCD length prefixes, track 2 nibbles, and hexadecimal
// when unpacking) is still called. Hexadecimal values are also packed
// without moov (appendUpperHex). fastpath_test.go checks the two agree, byte for byte and
// error for error, on every field of every spec.

// A direct tells how a codec's encoder writes a value when it writes the
// value's bytes as they are.
type direct uint8

const (
	viaMoov      direct = iota // not directly: call the encoder
	directASCII                // encoding.ASCII: the bytes as they are, refusing any above 127
	directBinary               // encoding.Binary: the bytes as they are
)

// directOf returns how e writes a value: directASCII for moov's
// encoding.ASCII, directBinary for encoding.Binary, viaMoov for any other.
func directOf(e encoding.Encoder) direct {
	switch e {
	case encoding.Encoder(encoding.ASCII):
		return directASCII
	case encoding.Encoder(encoding.Binary):
		return directBinary
	}
	return viaMoov
}

// asciiDigitsOf returns the number of ASCII decimal digits of moov's
// length prefixer p (0 for prefix.ASCII.Fixed), and whether p is one of
// moov's ASCII prefixers at all.
func asciiDigitsOf(p prefix.Prefixer) (int, bool) {
	switch p {
	case prefix.ASCII.Fixed:
		return 0, true
	case prefix.ASCII.L:
		return 1, true
	case prefix.ASCII.LL:
		return 2, true
	case prefix.ASCII.LLL:
		return 3, true
	case prefix.ASCII.LLLL:
		return 4, true
	case prefix.ASCII.LLLLL:
		return 5, true
	case prefix.ASCII.LLLLLL:
		return 6, true
	}
	return 0, false
}

// setFast chooses the fast paths of c from its encoder and prefixer. The
// prefix is coded directly only when it is an ASCII prefixer with as many
// digits as c.digits, the count that UnpackInto reads and checks.
func (c *codec) setFast() {
	c.direct = directOf(c.enc)
	d, ok := asciiDigitsOf(c.pref)
	c.asciiLen = ok && d == c.digits && !c.bcdLen
	c.hexOut = c.enc == encoding.Encoder(encoding.BytesToASCIIHex)
}

// appendUpperHex appends v in upper-case hexadecimal, as moov's
// encoding.BytesToASCIIHex encodes it (which never fails).
func appendUpperHex(dst, v []byte) []byte {
	const digits = "0123456789ABCDEF"
	for _, b := range v {
		dst = append(dst, digits[b>>4], digits[b&0x0f])
	}
	return dst
}

// isASCII reports whether every byte of v is at most 127, as
// encoding.ASCII requires.
func isASCII(v []byte) bool {
	for _, b := range v {
		if b > 127 {
			return false
		}
	}
	return true
}

// appendASCIILength appends the length n of a value as moov's ASCII
// prefixer of the given digits writes it for a field of max (fixed
// length, for 0 digits): nothing for a fixed field, else n in decimal
// zero-padded to digits. It reports false where that prefixer returns an
// error: a fixed field whose value is not max long, or a variable one
// whose value is longer than max or whose length has more digits than the
// prefix.
func appendASCIILength(dst []byte, digits, max, n int) ([]byte, bool) {
	if digits == 0 {
		return dst, n == max
	}
	if n > max {
		return dst, false
	}
	var buf [20]byte
	d := strconv.AppendUint(buf[:0], uint64(n), 10)
	if len(d) > digits {
		return dst, false
	}
	for range digits - len(d) {
		dst = append(dst, '0')
	}
	return append(dst, d...), true
}

// asciiLength returns the value of the ASCII decimal digits p, which the
// caller has checked are digits, at most 6 of them.
func asciiLength(p []byte) int {
	n := 0
	for _, d := range p {
		n = n*10 + int(d-'0')
	}
	return n
}

// appendField appends the length prefix and the wire bytes of v, a value
// that c.check accepted. On error, dst is returned as it came.
func (c *codec) appendField(dst, v []byte) ([]byte, error) {
	mark := len(dst)
	if c.asciiLen {
		var ok bool
		if dst, ok = appendASCIILength(dst, c.digits, c.max, len(v)); !ok {
			return dst[:mark], c.lengthError()
		}
	} else {
		p, err := c.pref.EncodeLength(c.max, len(v))
		if err != nil {
			return dst, c.lengthError()
		}
		dst = append(dst, p...)
	}
	switch c.direct {
	case directASCII:
		if !isASCII(v) {
			return dst[:mark], c.encodeError()
		}
		dst = append(dst, v...)
	case directBinary:
		dst = append(dst, v...)
	default:
		if c.hexOut {
			dst = appendUpperHex(dst, v)
			break
		}
		w, err := c.enc.Encode(v)
		if err != nil {
			return dst[:mark], c.encodeError()
		}
		dst = append(dst, w...)
	}
	return dst, nil
}

func (c *codec) lengthError() error {
	return &FieldError{Field: c.id, Err: ErrInvalidField, Reason: "length does not fit"}
}

func (c *codec) encodeError() error {
	return &FieldError{Field: c.id, Err: ErrInvalidField, Reason: "value does not encode"}
}

// A valueBuf holds the values UnpackInto copies out of the message bytes,
// one allocation for a whole message instead of one or more per field.
// Each value is a full slice expression, so appending to one never writes
// over the next.
type valueBuf []byte

// add appends a copy of v and returns it; an empty v gives nil, as moov's
// encoding.ASCII and encoding.Binary decode it. The first call allocates
// room for remain bytes, which the caller makes at least the total length
// of the values still to come.
func (b *valueBuf) add(v []byte, remain int) []byte {
	if len(v) == 0 {
		return nil
	}
	if *b == nil {
		*b = make([]byte, 0, max(remain, len(v)))
	}
	i := len(*b)
	*b = append(*b, v...)
	return (*b)[i:len(*b):len(*b)]
}

// decodeDirect decodes the n characters or bytes of a value from its wire
// bytes w as moov's encoding.ASCII or encoding.Binary do, without their
// allocations: the value is w[:n], refused by encoding.ASCII if a byte is
// above 127, and is copied into vals (remain bounding the values to come).
// Track 2 data (class z) gets an allocation of its own, so that no slice
// of another field keeps it in memory.
func (c *codec) decodeDirect(w []byte, n int, vals *valueBuf, remain int) ([]byte, bool) {
	if n > len(w) {
		return nil, false
	}
	v := w[:n]
	if c.direct == directASCII && !isASCII(v) {
		return nil, false
	}
	if c.class == classZ {
		return append([]byte(nil), v...), true
	}
	return vals.add(v, remain), true
}
