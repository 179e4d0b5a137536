package qr

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by [*ObjectError] and [*CRCError], for errors.Is.
var (
	// ErrTruncated means the payload, or the value of a template, ends
	// inside an ID, a length or a value: the length of a data object runs
	// past the end of its payload or of the template that holds it (a
	// template overflow).
	ErrTruncated = errors.New("qr: truncated data object")
	// ErrID means an ID that is not two decimal digits.
	ErrID = errors.New("qr: ID not two digits")
	// ErrLength means a length that is not two decimal digits, or is "00":
	// lengths run from "01" to "99".
	ErrLength = errors.New("qr: length not two digits from 01 to 99")
	// ErrUTF8 means a value that is not valid UTF-8 text.
	ErrUTF8 = errors.New("qr: value not valid UTF-8")
	// ErrDuplicate means a second data object with the same ID at the same
	// level.
	ErrDuplicate = errors.New("qr: duplicated ID")
	// ErrOrder means the payload format indicator (00) is not the first data
	// object or the CRC (63) is not the last.
	ErrOrder = errors.New("qr: data object out of place")
	// ErrMissing means a mandatory data object is absent, or a conditional
	// one whose condition holds.
	ErrMissing = errors.New("qr: mandatory data object missing")
	// ErrUnexpected means a data object present where the rules forbid it:
	// a convenience fee without the indicator that calls for it, a template
	// where a primitive value belongs, a tag CPM does not allow.
	ErrUnexpected = errors.New("qr: data object not allowed here")
	// ErrFormat means a value of the wrong format or length for its ID.
	ErrFormat = errors.New("qr: invalid value")
	// ErrCRC means the CRC in ID 63 does not match the payload.
	ErrCRC = errors.New("qr: CRC mismatch")
	// ErrBase64 means a consumer-presented payload that is not canonical
	// standard Base64 (RFC 4648 section 4, with padding).
	ErrBase64 = errors.New("qr: invalid Base64")
	// ErrNonCanonical means a consumer-presented payload whose BER-TLV is
	// well formed but padded, so that it would not be rebuilt byte for byte.
	ErrNonCanonical = errors.New("qr: padding in BER-TLV payload")
)

// An ObjectError reports a data object that breaks a rule of the
// specification: which object (by its ID, or ID path inside a template),
// where it begins in the payload, and which rule (one of the sentinel
// errors). It never holds the value.
type ObjectError struct {
	// Path names the data object: "54" at the top level, "62.09" inside a
	// template, "02-51" for the merchant account information as a whole,
	// "" when the ID itself could not be read. For the consumer-presented
	// mode it is a path of BER-TLV tags such as "61.4F".
	Path string
	// Offset is the byte offset in the payload at which the data object
	// begins, or -1 when the error is not tied to a position (a missing
	// object, or an error found when building).
	Offset int
	// Err is one of the sentinel errors of this package.
	Err error
	// Detail says more about a format error, such as "want 4 digits".
	Detail string
}

func (e *ObjectError) Error() string {
	var b strings.Builder
	b.WriteString("qr: ")
	if e.Offset >= 0 {
		b.WriteString("offset ")
		b.WriteString(strconv.Itoa(e.Offset))
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString("ID ")
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "qr: "))
	} else {
		b.WriteString("invalid data object")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *ObjectError) Unwrap() error { return e.Err }

// A CRCError reports a payload whose CRC (ID 63) is not the CRC-16 of the
// payload. It wraps [ErrCRC].
type CRCError struct {
	// Offset is the byte offset of the CRC data object (its ID) in the
	// payload.
	Offset int
	// Got is the CRC carried in the payload; Want is the CRC computed.
	Got, Want uint16
}

func (e *CRCError) Error() string {
	return "qr: offset " + strconv.Itoa(e.Offset) + ": ID 63: CRC mismatch: payload carries " +
		hex4(e.Got) + ", computed " + hex4(e.Want)
}

// Unwrap returns [ErrCRC].
func (e *CRCError) Unwrap() error { return ErrCRC }

func hex4(v uint16) string {
	var b [4]byte
	return string(appendHex4(b[:0], v))
}

// objErr returns an *ObjectError for the object id, inside the template
// parent if parent is not noParent.
func objErr(parent, id ID, off int, err error, detail string) error {
	return &ObjectError{Path: path(parent, id), Offset: off, Err: err, Detail: detail}
}

// noParent marks a top-level data object in objErr and path.
const noParent ID = 255

func path(parent, id ID) string {
	if parent == noParent {
		return id.String()
	}
	return parent.String() + "." + id.String()
}
