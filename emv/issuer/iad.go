package issuer

import (
	"encoding/hex"
)

// Registered application provider identifiers (the first 5 bytes of an
// AID, ISO/IEC 7816-5) of the schemes whose cryptogram versions this
// package implements.
var (
	ridVisa       = [5]byte{0xA0, 0x00, 0x00, 0x00, 0x03}
	ridMastercard = [5]byte{0xA0, 0x00, 0x00, 0x00, 0x04}
	ridInterac    = [5]byte{0xA0, 0x00, 0x00, 0x02, 0x77}
)

// IssuerApplicationData is the issuer application data (tag 9F10) of an
// application cryptogram, parsed with the format of the application's
// scheme. Its slices alias the input.
type IssuerApplicationData struct {
	CVN CVN  // cryptogram version the card used
	DKI byte // derivation key index: which issuer master key
	// CVR is the card verification results: for Visa formats 0, 1 and 3
	// and for Interac with their length byte (as Visa CVN 10 MACs them),
	// for Visa format 2 the 5 CVR bytes, for Mastercard the 6 CVR bytes.
	CVR []byte
	// Counters are the 8 counter bytes of Mastercard CVN 17 and 21
	// (M/Chip 4 and M/Chip Advance issuer application data bytes 11–18);
	// nil for other versions.
	Counters []byte
	Raw      []byte // the whole issuer application data
}

// ParseIAD parses the issuer application data iad (9F10) of the
// application aid (4F, 84 or 9F06; only its RID is read) and returns the
// cryptogram version it names with the fields the version reads. The
// formats recognised are:
//
//   - Visa (RID A000000003), VSDC issuer application data formats 0, 1 and 3
//     (Visa Contactless Payment Specification 2.2 Supplemental
//     Requirements Appendix M): byte 1 = 06, byte 2 the DKI, byte 3 the
//     CVN, byte 4 = 03 the CVR length, at least 7 bytes; CVN 0A is Visa
//     CVN 10 and CVN 12 is Visa CVN 18.
//   - Visa format 2: exactly 32 bytes, byte 1 = 1F, byte 2 the CVN, byte 3
//     the DKI, bytes 4–8 the CVR, the high nibble of byte 9 (issuer
//     discretionary data option ID) zero; CVN 22 is Visa CVN 22.
//   - Mastercard (RID A000000004), M/Chip 4 and M/Chip Advance: 18, 20, 26
//     or 28 bytes, byte 1 the DKI, byte 2 the CVN 10, 11, 14 or 15
//     (Mastercard CVN 16, 17, 20, 21), bytes 3–8 the CVR, bytes 11–18 the
//     counters.
//   - Interac (RID A000000277): byte 1 the length of the rest, byte 2 the
//     DKI, byte 3 = 85 (Interac CVN 133), byte 4 the length of the CVR that
//     follows.
//
// Anything else is an error: an AID of another scheme is [ErrScheme], data
// of an unknown format or version is an [*IADError] (matching [ErrIAD])
// that says what did not match. ParseIAD never guesses.
func ParseIAD(aid, iad []byte) (IssuerApplicationData, error) {
	var d IssuerApplicationData
	s, err := schemeOf(aid)
	if err != nil {
		return d, err
	}
	fail := func(reason string) (IssuerApplicationData, error) {
		return IssuerApplicationData{}, &IADError{Scheme: s.String(), Len: len(iad), Reason: reason}
	}
	if len(iad) == 0 {
		return fail("empty")
	}
	if len(iad) > maxIAD {
		return fail("longer than 32 bytes")
	}
	d.Raw = iad
	switch s {
	case visa:
		switch {
		case len(iad) >= 7 && iad[0] == 0x06 && iad[3] == 0x03:
			d.DKI = iad[1]
			d.CVR = iad[3:7]
			switch iad[2] {
			case 0x0A:
				d.CVN = VisaCVN10
			case 0x12:
				d.CVN = VisaCVN18
			default:
				return fail("format " + itoa(int(iad[2]>>4)) + " cryptogram version " + hexByte(iad[2]) + " not supported")
			}
		case len(iad) == 32 && iad[0] == 0x1F:
			if iad[8]&0xF0 != 0 {
				return fail("format 2/4 issuer discretionary data option ID " + hexByte(iad[8]) + " has its unused nibble set")
			}
			d.DKI = iad[2]
			if iad[1] != 0x22 {
				return fail("format " + itoa(int(iad[1]>>4)) + " cryptogram version " + hexByte(iad[1]) + " not supported")
			}
			d.CVN = VisaCVN22
			d.CVR = iad[3:8]
		default:
			return fail("neither VSDC format 0/1/3 (06 DKI CVN 03 CVR) nor format 2/4 (32 bytes, 1F CVN DKI)")
		}
	case mastercard:
		switch len(iad) {
		case 18, 20, 26, 28:
		default:
			return fail("not an M/Chip length (18, 20, 26 or 28 bytes)")
		}
		d.DKI = iad[0]
		d.CVR = iad[2:8]
		switch iad[1] {
		case 0x10:
			d.CVN = MastercardCVN16
		case 0x11:
			d.CVN = MastercardCVN17
		case 0x14:
			d.CVN = MastercardCVN20
		case 0x15:
			d.CVN = MastercardCVN21
		default:
			return fail("M/Chip cryptogram version " + hexByte(iad[1]) + " not supported")
		}
		if d.CVN == MastercardCVN17 || d.CVN == MastercardCVN21 {
			d.Counters = iad[10:18]
		}
	case interac:
		if len(iad) < 4 || int(iad[0]) != len(iad)-1 {
			return fail("length byte does not match")
		}
		if iad[2] != 0x85 {
			return fail("cryptogram version " + hexByte(iad[2]) + " not supported")
		}
		if 4+int(iad[3]) > len(iad) {
			return fail("card verification results length byte " + hexByte(iad[3]) + " runs past the data")
		}
		d.DKI = iad[1]
		d.CVN = InteracCVN133
		d.CVR = iad[3 : 4+int(iad[3])]
	}
	return d, nil
}

// DetectCVN returns the cryptogram version named by the issuer application
// data iad of the application aid; see [ParseIAD] for the formats.
func DetectCVN(aid, iad []byte) (CVN, error) {
	d, err := ParseIAD(aid, iad)
	return d.CVN, err
}

func schemeOf(aid []byte) (scheme, error) {
	if len(aid) < 5 || len(aid) > 16 {
		return 0, &schemeError{n: len(aid)}
	}
	switch [5]byte(aid[:5]) {
	case ridVisa:
		return visa, nil
	case ridMastercard:
		return mastercard, nil
	case ridInterac:
		return interac, nil
	}
	return 0, &schemeError{rid: upper(hex.EncodeToString(aid[:5])), n: len(aid)}
}

type schemeError struct {
	rid string
	n   int
}

func (e *schemeError) Error() string {
	if e.rid == "" {
		return "issuer: application identifier of " + itoa(e.n) + " bytes, want 5 to 16"
	}
	return "issuer: no cryptogram versions known for RID " + e.rid
}

func (e *schemeError) Unwrap() error { return ErrScheme }

func hexByte(b byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[b>>4], digits[b&0x0F]})
}
