package iso8583

import (
	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/prefix"
)

// SpecBCD is ISO 8583:1987 packed as POS terminals send it on many acquiring
// networks (China UnionPay-style POS networks among them): the MTI and
// every numeric element as BCD, two digits a byte, and length prefixes as
// BCD (one byte for LL, two for LLL). A frame usually carries a 5-byte TPDU
// in front of the message; see Framing.
//
//   - Fixed numeric elements are right-aligned: an odd number of digits has
//     a leading 0 nibble (field 22 "051" is 00 51).
//   - Variable numeric elements (2, 32) are left-aligned with a trailing 0
//     nibble, and their prefix counts digits.
//   - Track 2 (35) is packed as nibbles with the separator '=' as D,
//     left-aligned with a trailing F nibble; its prefix counts characters.
//   - an and ans elements are ASCII; binary elements are raw bytes; the
//     prefix of a variable one counts bytes.
//   - The bitmap is binary, 8 bytes, 16 when a field above 64 is present.
//   - Field 52 is 8 raw bytes. SpecBCD.VariablePINData is the layout with
//     field 52 as b..16 for AES PIN blocks: one BCD length byte counting
//     bytes (08 or 16) and the block, like field 53. See the package
//     documentation for the choice.
var SpecBCD = newSpec("ISO 8583:1987 BCD",
	codec{id: 0, desc: "Message type indicator", class: classN, wire: wireBCD, max: 4,
		enc: encoding.BCD, pref: prefix.BCD.Fixed,
		spec: &field.Spec{Length: 4, Description: "Message type indicator", Enc: encoding.BCD, Pref: prefix.BCD.Fixed}},
	func(d fieldDef) (wire, bool, encoding.Encoder, prefix.Prefixer) {
		pref := bcdPrefix(d.digits)
		switch d.class {
		case classN:
			if d.digits != 0 {
				return wireLBCD, true, encoding.LBCD, pref
			}
			return wireBCD, true, encoding.BCD, pref
		case classZ:
			return wireNibble, true, track2Nibbles{}, pref
		case classB:
			if d.digits == 0 {
				return wireBinary, true, encoding.Binary, prefix.Binary.Fixed
			}
			return wireBinary, true, encoding.Binary, pref
		}
		return wireASCII, true, encoding.ASCII, pref
	})

func bcdPrefix(digits int) prefix.Prefixer {
	switch digits {
	case 2:
		return prefix.BCD.LL
	case 3:
		return prefix.BCD.LLL
	}
	return prefix.BCD.Fixed
}
