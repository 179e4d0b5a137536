package issuer

import (
	"errors"

	"github.com/posflow/posflow/tlv"
)

// ErrField55 reports ICC system related data (ISO 8583 field 55) that is
// not a well-formed list of BER-TLV data objects, or that repeats a tag.
// The concrete error is a [*Field55Error], which also wraps the tlv
// package's error when there is one.
var ErrField55 = errors.New("issuer: malformed field 55")

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

// Verify verifies the application cryptogram (9F26) of a transaction
// whose data objects, as [ParseField55] returns them, include the AID (4F,
// or 9F06 when 4F is absent, or 84) and the issuer application data
// (9F10). It detects the cryptogram version with [DetectCVN], then checks
// the cryptogram with [VerifyCryptogram] under the issuer master key for
// AC imk. It returns the version it used, also when the cryptogram does not
// verify; the error then says which step failed, as a [*VerifyError].
func Verify(imk []byte, pan, psn string, data map[tlv.Tag][]byte) (CVN, error) {
	var aid []byte
	for _, t := range [...]tlv.Tag{TagAID, TagTerminalAID, 0x84} {
		if v, ok := data[t]; ok {
			aid = v
			break
		}
	}
	if aid == nil {
		return 0, &DataError{Tag: TagAID, Len: -1}
	}
	iad, ok := data[TagIssuerAppData]
	if !ok {
		return 0, &DataError{Tag: TagIssuerAppData, Len: -1}
	}
	cvn, err := DetectCVN(aid, iad)
	if err != nil {
		return 0, err
	}
	ac, ok := data[TagApplicationCryptogram]
	if !ok {
		return cvn, &DataError{CVN: cvn, Tag: TagApplicationCryptogram, Len: -1, Want: 8}
	}
	return cvn, VerifyCryptogram(cvn, imk, pan, psn, data, ac)
}
