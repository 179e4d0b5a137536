package pinblock

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error returned by this package matches one of
// them with [errors.Is]; an error from [Config.Rand] is wrapped inside
// [ErrRandom].
var (
	// ErrFormat: the format is not 0–4, or the operation is not defined
	// for it (Encode and Decode of format 4).
	ErrFormat = errors.New("pinblock: unsupported format")
	// ErrKeySize: a key of the wrong length for the format or operation.
	ErrKeySize = errors.New("pinblock: invalid key size")
	// ErrCipher: a cipher.Block whose block size does not fit the format.
	ErrCipher = errors.New("pinblock: block cipher does not fit the format")
	// ErrPINLength: a PIN (or a length nibble) outside 4 to 12 digits.
	ErrPINLength = errors.New("pinblock: PIN length out of range")
	// ErrPINDigit: a PIN character or nibble that is not a decimal digit.
	ErrPINDigit = errors.New("pinblock: PIN digit out of range")
	// ErrPANLength: a PAN outside MinPANLength to MaxPANLength digits.
	ErrPANLength = errors.New("pinblock: PAN length out of range")
	// ErrPANDigit: a PAN character that is not a decimal digit.
	ErrPANDigit = errors.New("pinblock: PAN contains a non-digit")
	// ErrBlockSize: a PIN block or field of the wrong length.
	ErrBlockSize = errors.New("pinblock: invalid PIN block size")
	// ErrControl: the control nibble is not the expected format.
	ErrControl = errors.New("pinblock: control field does not match the format")
	// ErrFill: a fill or padding nibble the format does not allow.
	ErrFill = errors.New("pinblock: fill digit not allowed by the format")
	// ErrTranslation: a translation ISO 9564-1 does not permit.
	ErrTranslation = errors.New("pinblock: translation not permitted")
	// ErrRandom: Config.Rand failed or yielded no usable bytes.
	ErrRandom = errors.New("pinblock: random source unusable")
	// ErrPVKI: a PIN verification key index outside 0 to 9.
	ErrPVKI = errors.New("pinblock: PVKI out of range")
	// ErrDecimalization: a decimalisation table that is not 16 decimal
	// digits.
	ErrDecimalization = errors.New("pinblock: invalid decimalisation table")
	// ErrValidationData: IBM 3624 validation data that is not 16
	// hexadecimal digits.
	ErrValidationData = errors.New("pinblock: invalid validation data")
	// ErrOffset: a malformed IBM 3624 offset or Visa PVV.
	ErrOffset = errors.New("pinblock: invalid PIN offset or PVV")
	// ErrMismatch: a well-formed PIN that does not verify.
	ErrMismatch = errors.New("pinblock: PIN verification failed")
)

// A SyntaxError reports malformed input: which field, at which position,
// and which sentinel error describes the problem. It never holds the
// offending value.
type SyntaxError struct {
	Field string // "PIN", "PAN", "PIN block", "PIN field", "offset", …
	Pos   int    // index of the digit or nibble at fault, or -1
	Err   error  // one of the sentinel errors
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString("pinblock: ")
	b.WriteString(e.Field)
	if e.Pos >= 0 {
		b.WriteString(" position ")
		b.WriteString(strconv.Itoa(e.Pos))
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "pinblock: "))
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// KeySizeError reports the length, in bytes, of a key that the format or
// operation does not accept. It matches [ErrKeySize].
type KeySizeError int

func (e KeySizeError) Error() string {
	return "pinblock: invalid key size " + strconv.Itoa(int(e))
}

// Is reports whether target is [ErrKeySize].
func (e KeySizeError) Is(target error) bool { return target == ErrKeySize }

// FormatError reports a format the operation does not support. It
// matches [ErrFormat].
type FormatError Format

func (e FormatError) Error() string {
	if Format(e) == ISO4 {
		return "pinblock: operation not defined for ISO-4 (use the Format4 functions)"
	}
	return "pinblock: unsupported format " + Format(e).String()
}

// Is reports whether target is [ErrFormat].
func (e FormatError) Is(target error) bool { return target == ErrFormat }

func syntaxErr(field string, pos int, err error) error {
	return &SyntaxError{Field: field, Pos: pos, Err: err}
}
