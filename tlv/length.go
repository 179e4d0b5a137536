package tlv

// MaxLength is the greatest length this package reads or writes: the
// largest a three-byte long-form length field can hold. EMV uses at most two
// length bytes, and three only for the issuer script templates 71 and 72.
const MaxLength = 1<<24 - 1

// parseLength reads the length field at the start of b. It returns the
// length, the number of bytes the field takes, and an error:
// ErrTruncated, ErrIndefiniteLength, ErrLengthTooLarge, or, unless lenient,
// ErrNonMinimalLength.
func parseLength(b []byte, lenient bool) (length, n int, err error) {
	if len(b) == 0 {
		return 0, 0, ErrTruncated
	}
	l0 := b[0]
	if l0 < 0x80 {
		return int(l0), 1, nil
	}
	switch l0 {
	case 0x80:
		return 0, 0, ErrIndefiniteLength
	case 0x81, 0x82, 0x83:
	default:
		return 0, 0, ErrLengthTooLarge
	}
	k := int(l0 & 0x7F)
	if len(b) < 1+k {
		return 0, 0, ErrTruncated
	}
	for _, c := range b[1 : 1+k] {
		length = length<<8 | int(c)
	}
	if !lenient && length < minLongForm[k] {
		return 0, 0, ErrNonMinimalLength
	}
	return length, 1 + k, nil
}

// minLongForm[k] is the smallest length that needs a long form of k bytes.
var minLongForm = [4]int{0, 0x80, 0x100, 0x10000}

// lengthLen returns the number of bytes of the minimal length field for n.
func lengthLen(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n <= 0xFF:
		return 2
	case n <= 0xFFFF:
		return 3
	}
	return 4
}

// AppendLength appends the minimal BER encoding of the length n to dst. It
// panics if n is negative or greater than [MaxLength], which is a
// programming error: [Encode] checks lengths before it writes them.
func AppendLength(dst []byte, n int) []byte {
	switch {
	case n < 0 || n > MaxLength:
		panic("tlv: AppendLength: length out of range")
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	case n <= 0xFFFF:
		return append(dst, 0x82, byte(n>>8), byte(n))
	}
	return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
}
