package iso8583

import (
	"errors"

	"github.com/posflow/posflow/tlv"
)

// ARQCTags are the data objects an authorization or financial request
// carries in field 55 for online card authentication (EMV 4.4 Book 2
// clause 8.1.1 and the card networks' minimum data sets), in the order the
// networks list them.
var ARQCTags = []tlv.Tag{
	0x9F26, // Application Cryptogram
	0x9F27, // Cryptogram Information Data
	0x9F10, // Issuer Application Data
	0x9F37, // Unpredictable Number
	0x9F36, // Application Transaction Counter
	0x95,   // Terminal Verification Results
	0x9A,   // Transaction Date
	0x9C,   // Transaction Type
	0x9F02, // Amount, Authorised
	0x5F2A, // Transaction Currency Code
	0x82,   // Application Interchange Profile
	0x9F1A, // Terminal Country Code
	0x9F03, // Amount, Other
	0x9F33, // Terminal Capabilities
	0x9F34, // CVM Results
	0x9F35, // Terminal Type
	0x9F1E, // Interface Device Serial Number
	0x84,   // Dedicated File Name
	0x9F09, // Application Version Number
	0x9F41, // Transaction Sequence Counter
	0x5F34, // PAN Sequence Number
}

// BuildICC returns field 55 for the kernel's data objects in data (BER-TLV,
// as the kernel holds them): each tag of tags that data contains, in the
// order of tags, with its value as the kernel has it. Tags that data lacks
// are left out; a duplicate in tags is written twice.
func BuildICC(data []byte, tags []tlv.Tag) ([]byte, error) {
	return AppendICC(make([]byte, 0, 2*len(tags)+len(data)), data, tags)
}

// AppendICC is BuildICC appending to dst.
func AppendICC(dst, data []byte, tags []tlv.Tag) ([]byte, error) {
	for _, t := range tags {
		o, err := tlv.Find(data, t)
		if errors.Is(err, tlv.ErrNotFound) {
			continue
		}
		if err != nil {
			return dst, &FieldError{Field: 55, Err: ErrInvalidField, Reason: "kernel data: " + trimTLV(err)}
		}
		dst, err = tlv.AppendTLV(dst, t, o.Value)
		if err != nil {
			return dst, &FieldError{Field: 55, Err: ErrInvalidField, Reason: trimTLV(err)}
		}
	}
	return dst, nil
}

func trimTLV(err error) string {
	var se *tlv.SyntaxError
	if errors.As(err, &se) {
		return se.Error()
	}
	return "malformed BER-TLV"
}

// IssuerResponse is what an issuer returns to the card in field 55 of a
// response (EMV 4.4 Book 3 clause 10.9, Book 2 clause 8.2): the issuer
// authentication data and the issuer scripts. Its slices alias field 55.
type IssuerResponse struct {
	// AuthenticationData is tag 91, the ARPC and its response code or
	// card status update, for EXTERNAL AUTHENTICATE or the second GENERATE AC.
	AuthenticationData []byte
	// ResponseCode is tag 8A, the authorization response code the
	// terminal passes to the card, when the issuer sends it in field 55.
	ResponseCode []byte
	// Scripts71 and Scripts72 are the issuer script templates, each the whole
	// encoded template (tag 71 or 72, length and commands), in the order
	// received, for delivery before and after the second GENERATE AC.
	Scripts71, Scripts72 [][]byte
}

// ReadIssuerResponse reads the issuer's data objects from field 55 of a
// response. It rejects malformed BER-TLV; tags other than 91, 8A, 71 and 72
// are ignored.
func ReadIssuerResponse(f55 []byte) (IssuerResponse, error) {
	var r IssuerResponse
	c := tlv.NewCursor(f55)
	for c.Next() {
		o := c.Object()
		switch o.Tag {
		case 0x91:
			r.AuthenticationData = o.Value
		case 0x8A:
			r.ResponseCode = o.Value
		case 0x71:
			r.Scripts71 = append(r.Scripts71, o.Raw)
		case 0x72:
			r.Scripts72 = append(r.Scripts72, o.Raw)
		}
	}
	if err := c.Err(); err != nil {
		return IssuerResponse{}, &FieldError{Field: 55, Err: ErrInvalidField, Reason: trimTLV(err)}
	}
	return r, nil
}
