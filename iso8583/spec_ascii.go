package iso8583

import (
	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/prefix"
)

// SpecASCII is ISO 8583:1987 with the character encoding acquirer switches
// use between hosts: the MTI and every n, an, ans and z element as ASCII
// characters, length prefixes as ASCII digits (LL, LLL), and a binary
// bitmap of 8 bytes, 16 when a field above 64 is present.
//
// Binary elements follow the usual switch conventions: the fixed ones (52,
// 64, 128) and field 53 travel as upper-case hexadecimal characters, two per
// byte, with any length prefix counting bytes; field 55 travels as raw bytes
// behind an ASCII LLL prefix counting bytes, so that the chip data reaches the
// issuer exactly as the card produced it. The private fields 60 to 63, whose
// content each network defines, travel as raw bytes behind an ASCII LLL
// prefix too.
//
// Field 52 is 8 bytes, as 16 hexadecimal characters without a prefix;
// SpecASCII.VariablePINData is the layout with field 52 as b..16 for AES
// PIN blocks: an ASCII LL prefix counting bytes ("08" or "16") and the
// block as hexadecimal characters, like field 53. See the package
// documentation for the choice.
var SpecASCII = newSpec("ISO 8583:1987 ASCII",
	codec{id: 0, desc: "Message type indicator", class: classN, wire: wireASCII, max: 4,
		enc: encoding.ASCII, pref: prefix.ASCII.Fixed,
		spec: &field.Spec{Length: 4, Description: "Message type indicator", Enc: encoding.ASCII, Pref: prefix.ASCII.Fixed}},
	func(d fieldDef) (wire, bool, encoding.Encoder, prefix.Prefixer) {
		pref := asciiPrefix(d.digits)
		switch {
		case d.id == 55 || d.id >= 60 && d.id <= 63:
			return wireBinary, false, encoding.Binary, pref
		case d.class == classB:
			return wireHex, false, encoding.BytesToASCIIHex, pref
		}
		return wireASCII, false, encoding.ASCII, pref
	})

func asciiPrefix(digits int) prefix.Prefixer {
	switch digits {
	case 2:
		return prefix.ASCII.LL
	case 3:
		return prefix.ASCII.LLL
	}
	return prefix.ASCII.Fixed
}
