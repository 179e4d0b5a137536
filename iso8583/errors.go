package iso8583

import (
	"errors"
	"strconv"
)

// Sentinel errors, for use with errors.Is. Errors about a data element come
// wrapped in a *FieldError naming the element; no error of this package
// quotes the value of a field.
var (
	// ErrTruncated means the input ended inside the MTI, the bitmap or a field.
	ErrTruncated = errors.New("iso8583: truncated message")
	// ErrTrailingData means bytes follow the last field the bitmap announces.
	ErrTrailingData = errors.New("iso8583: trailing data after the last field")
	// ErrUnknownField means the bitmap or the caller names a field the spec
	// does not define.
	ErrUnknownField = errors.New("iso8583: field not defined by the spec")
	// ErrInvalidField means a field's length or characters do not fit its
	// format, or its bytes do not decode.
	ErrInvalidField = errors.New("iso8583: invalid field")
	// ErrInvalidMTI means the message type indicator is not four digits or
	// not of the expected message class.
	ErrInvalidMTI = errors.New("iso8583: invalid message type indicator")
	// ErrMissingField means a field the message class requires is absent.
	ErrMissingField = errors.New("iso8583: required field missing")
)

// A FieldError reports a problem with one data element. Its message names
// the field and the cause, never the value.
type FieldError struct {
	Field  int    // data element number; 0 is the MTI, 1 the bitmap
	Reason string // optional detail, free of field values
	Err    error  // one of the sentinels
}

func (e *FieldError) Error() string {
	s := "iso8583: "
	switch e.Field {
	case 0:
		s += "mti"
	case 1:
		s += "bitmap"
	default:
		s += "field " + strconv.Itoa(e.Field)
	}
	s += ": " + trimPkg(e.Err.Error())
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

func (e *FieldError) Unwrap() error { return e.Err }

// trimPkg drops the "iso8583: " prefix of a wrapped sentinel.
func trimPkg(s string) string {
	const p = "iso8583: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
