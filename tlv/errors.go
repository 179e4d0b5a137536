package tlv

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by [SyntaxError], for errors.Is.
var (
	// ErrTruncated means the input ends inside a tag, a length field or a
	// value: the length of an object runs past the end of its input.
	ErrTruncated = errors.New("tlv: truncated input")
	// ErrIndefiniteLength means a length field 0x80, the indefinite form,
	// which EMV does not allow.
	ErrIndefiniteLength = errors.New("tlv: indefinite length")
	// ErrLengthTooLarge means a long-form length field of more than three
	// bytes, or a value longer than MaxLength to encode.
	ErrLengthTooLarge = errors.New("tlv: length field too large")
	// ErrNonMinimalLength means a long-form length that fits a shorter form,
	// such as 81 05. Options.Lenient accepts it.
	ErrNonMinimalLength = errors.New("tlv: non-minimal length")
	// ErrInvalidTag means a malformed tag: a first subsequent byte of 0x80
	// or 0x00,
	// more than four bytes, or (when encoding) a tag value whose bytes do not
	// form a tag.
	ErrInvalidTag = errors.New("tlv: invalid tag")
	// ErrTrailingData means bytes other than padding after the data object
	// that should have ended the input.
	ErrTrailingData = errors.New("tlv: trailing data")
	// ErrTooDeep means constructed objects nested deeper than the limit.
	ErrTooDeep = errors.New("tlv: nesting too deep")
	// ErrNotFound means a search found no data object with the tag.
	ErrNotFound = errors.New("tlv: tag not found")
	// ErrPrimitiveChildren means a TLV with Children whose tag is primitive,
	// passed to Encode.
	ErrPrimitiveChildren = errors.New("tlv: children under a primitive tag")
)

// A SyntaxError reports malformed BER-TLV input: where, in which object, and
// which rule it breaks. It never holds the value bytes.
type SyntaxError struct {
	// Offset is the byte offset in the input at which the object that
	// could not be read begins (or the offending byte, for trailing data).
	Offset int
	// Tag is the tag of that object, or zero if the tag itself could not be
	// read.
	Tag Tag
	// Err is one of the sentinel errors of this package.
	Err error
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString("tlv: offset ")
	b.WriteString(strconv.Itoa(e.Offset))
	if e.Tag != 0 {
		b.WriteString(": tag ")
		b.WriteString(e.Tag.String())
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "tlv: "))
	} else {
		b.WriteString("syntax error")
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *SyntaxError) Unwrap() error { return e.Err }
