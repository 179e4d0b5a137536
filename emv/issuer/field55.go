package issuer

import (
	"errors"

	"github.com/posflow/posflow/tlv"
)

// Field55Error reports where field 55 is malformed.
type Field55Error struct {
	Offset int     // byte offset of the data object
	Tag    tlv.Tag // tag of the data object, when known
	Err    error   // the tlv error, or nil for a repeated tag
}

func (e *Field55Error) Error() string {
	if e.Err != nil {
		// The tlv error names the offset and the tag itself.
		return "issuer: field 55: " + e.Err.Error()
	}
	return "issuer: field 55 at byte " + itoa(e.Offset) + ": tag " + tagString(e.Tag) + " repeated"
}

// Unwrap returns [ErrField55] and the tlv error.
func (e *Field55Error) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrField55}
	}
	return []error{ErrField55, e.Err}
}

// ParseField55 reads the data objects of field 55 (the GENERATE AC
// response and the terminal data the acquirer forwards, EMV 4.4 Book 3
// and ISO 8583 field 55) into a map keyed by tag, as [Cryptogram] and
// [Verify] take them. Parsing follows the strict rules of package tlv;
// a tag that appears twice is an error, because two values of the same
// data object cannot both have been MACed. Constructed objects are kept
// whole (their value is the encoded children). The values alias field55.
func ParseField55(field55 []byte) (map[tlv.Tag][]byte, error) {
	m := make(map[tlv.Tag][]byte, 24)
	c := tlv.NewCursor(field55)
	for c.Next() {
		o := c.Object()
		if _, dup := m[o.Tag]; dup {
			return nil, &Field55Error{Offset: o.Offset, Tag: o.Tag}
		}
		m[o.Tag] = o.Value
	}
	if err := c.Err(); err != nil {
		var se *tlv.SyntaxError
		off := len(field55)
		var tag tlv.Tag
		if errors.As(err, &se) {
			off, tag = se.Offset, se.Tag
		}
		return nil, &Field55Error{Offset: off, Tag: tag, Err: err}
	}
	return m, nil
}
