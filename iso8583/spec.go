package iso8583

import (
	"sync"

	moov "github.com/moov-io/iso8583"
	"github.com/moov-io/iso8583/encoding"
	"github.com/moov-io/iso8583/field"
	"github.com/moov-io/iso8583/prefix"
)

// A Spec is the wire layout of a message: how the MTI, the bitmap and each
// data element are encoded. The package provides two, SpecASCII and SpecBCD;
// both are safe for concurrent use.
//
// Each data element is coded by the encoder and length prefixer of
// github.com/moov-io/iso8583; the Spec adds the message loop around them:
// a strict bitmap, checks that every length and character class fits the
// element, the wire position of every element for MAC computation, and
// error messages that never quote field values.
type Spec struct {
	name   string
	mti    codec
	fields [maxField + 1]*codec
	pin16  *Spec // the spec with field 52 as b..16; see VariablePINData
	once   sync.Once
	moov   *moov.MessageSpec
}

const maxField = 128

// Name returns the name of the spec, for logs.
func (s *Spec) Name() string { return s.name }

// Defined reports whether the spec defines data element id.
func (s *Spec) Defined(id int) bool {
	return id >= 2 && id <= maxField && s.fields[id] != nil
}

// Moov returns the spec as a github.com/moov-io/iso8583 MessageSpec, built
// from the same encoders and prefixers, for use with that package's Message
// (Describe, JSON, struct tags). It is built on first use and shared.
func (s *Spec) Moov() *moov.MessageSpec {
	s.once.Do(func() {
		fs := map[int]field.Field{
			0: field.NewString(s.mti.spec),
			1: field.NewBitmap(&field.Spec{Length: 8, Description: "Bitmap", Enc: encoding.Binary, Pref: prefix.Binary.Fixed}),
		}
		for id, c := range s.fields {
			if c == nil {
				continue
			}
			if c.class == classB {
				fs[id] = field.NewBinary(c.spec)
			} else {
				fs[id] = field.NewString(c.spec)
			}
		}
		s.moov = &moov.MessageSpec{Name: s.name, Fields: fs}
	})
	return s.moov
}

// class is the character class of a data element (ISO 8583:1987 clause 4.3).
type class uint8

const (
	classN   class = iota + 1 // numeric digits
	classAN                   // alphabetic and numeric
	classANS                  // alphabetic, numeric and special
	classZ                    // track 2 or 3 code set: digits and the separator '='
	classB                    // binary
	classXN                   // 'C' or 'D' followed by digits (amounts with a sign)
)

func (c class) String() string {
	switch c {
	case classN:
		return "n"
	case classAN:
		return "an"
	case classANS:
		return "ans"
	case classZ:
		return "z"
	case classB:
		return "b"
	case classXN:
		return "x+n"
	}
	return "?"
}

// wire is how a value's characters or bytes sit on the wire.
type wire uint8

const (
	wireASCII  wire = iota + 1 // one byte per character
	wireBCD                    // two digits per byte, right-aligned (a leading 0 nibble pads odd lengths)
	wireLBCD                   // two digits per byte, left-aligned (a trailing 0 nibble pads odd lengths)
	wireNibble                 // track 2 as nibbles, '=' as D, left-aligned, padded with F
	wireBinary                 // raw bytes
	wireHex                    // bytes as upper-case hexadecimal characters
)

// codec describes one data element of a spec.
type codec struct {
	id     int
	desc   string
	class  class
	wire   wire
	max    int              // fixed length, or maximum length, in characters or bytes of the value
	digits int              // 0 for fixed; else the digits of the length prefix (2 for LL, 3 for LLL)
	bcdLen bool             // the length prefix is BCD, not ASCII
	step   int              // if not 0, a variable length must be a non-zero multiple of step
	hint   string           // added to the reason of a length error for a value too long
	spec   *field.Spec      // moov's spec: Length, Enc and Pref
	enc    encoding.Encoder // == spec.Enc
	pref   prefix.Prefixer  // == spec.Pref

	// The fast paths (fastpath.go), chosen by setFast from enc and pref.
	direct   direct // enc writes the value's bytes as they are
	asciiLen bool   // pref is moov's ASCII prefixer of c.digits digits
	hexOut   bool   // enc is moov's encoding.BytesToASCIIHex, which packs upper-case hex
}

// prefixLen returns the number of bytes of the length prefix.
func (c *codec) prefixLen() int {
	if c.digits == 0 {
		return 0
	}
	if c.bcdLen {
		return (c.digits + 1) / 2
	}
	return c.digits
}

// wireLen returns the number of bytes that n characters or bytes of the value
// take on the wire, without the prefix.
func (c *codec) wireLen(n int) int {
	switch c.wire {
	case wireBCD, wireLBCD, wireNibble:
		return (n + 1) / 2
	case wireHex:
		return 2 * n
	}
	return n
}

type fieldDef struct {
	id     int
	class  class
	max    int
	digits int // 0 fixed, 2 LL, 3 LLL
	desc   string
}

// fields1987 are the data elements both specs define, with their ISO
// 8583:1987 formats. Where posflow departs from the 1987 table the row says
// so; the package documentation explains why.
var fields1987 = []fieldDef{
	{2, classN, 19, 2, "Primary account number"},
	{3, classN, 6, 0, "Processing code"},
	{4, classN, 12, 0, "Amount, transaction"},
	{7, classN, 10, 0, "Transmission date and time"},
	{11, classN, 6, 0, "Systems trace audit number"},
	{12, classN, 6, 0, "Time, local transaction"},
	{13, classN, 4, 0, "Date, local transaction"},
	{14, classN, 4, 0, "Date, expiration"},
	{15, classN, 4, 0, "Date, settlement"},
	{18, classN, 4, 0, "Merchant type"},
	{22, classN, 3, 0, "Point of service entry mode"},
	{23, classN, 3, 0, "Card sequence number"},
	{24, classN, 3, 0, "Network international identifier"},
	{25, classN, 2, 0, "Point of service condition code"},
	{32, classN, 11, 2, "Acquiring institution identification code"},
	{35, classZ, 37, 2, "Track 2 data"},
	{37, classAN, 12, 0, "Retrieval reference number"},
	{38, classAN, 6, 0, "Authorization identification response"},
	{39, classAN, 2, 0, "Response code"},
	{41, classANS, 8, 0, "Card acceptor terminal identification"},
	{42, classANS, 15, 0, "Card acceptor identification code"},
	{43, classANS, 40, 0, "Card acceptor name/location"},
	{48, classANS, 999, 3, "Additional data, private"},
	{49, classAN, 3, 0, "Currency code, transaction"},
	{52, classB, 8, 0, "PIN data"},                              // b..16 in the specs of VariablePINData
	{53, classB, 48, 2, "Security related control information"}, // b..48 as in ISO 8583:1993, to carry a KSN
	{54, classAN, 120, 3, "Additional amounts"},
	{55, classB, 255, 3, "ICC system related data"}, // b...255 as in ISO 8583:1993
	{60, classB, 999, 3, "Reserved private"},        // network-defined content, carried as bytes
	{61, classB, 999, 3, "Reserved private"},        // network-defined content, carried as bytes
	{62, classB, 999, 3, "Reserved private"},        // network-defined content, carried as bytes
	{63, classB, 999, 3, "Reserved private"},        // network-defined content, carried as bytes
	{64, classB, 8, 0, "Message authentication code"},
	{66, classN, 1, 0, "Settlement code"},
	{70, classN, 3, 0, "Network management information code"},
	{74, classN, 10, 0, "Credits, number"},
	{75, classN, 10, 0, "Credits, reversal number"},
	{76, classN, 10, 0, "Debits, number"},
	{77, classN, 10, 0, "Debits, reversal number"},
	{86, classN, 16, 0, "Credits, amount"},
	{87, classN, 16, 0, "Credits, reversal amount"},
	{88, classN, 16, 0, "Debits, amount"},
	{89, classN, 16, 0, "Debits, reversal amount"},
	{90, classN, 42, 0, "Original data elements"},
	{95, classAN, 42, 0, "Replacement amounts"},
	{97, classXN, 17, 0, "Amount, net settlement"},
	{128, classB, 8, 0, "Message authentication code"},
}

// pinData16 is field 52 in the specs of VariablePINData: b..16 behind the
// spec's LL prefix, which counts bytes, and 8 or 16 bytes long: an ISO
// 9564-1 PIN block of formats 0 to 3 (TDES) or of format 4 (AES).
var pinData16 = fieldDef{52, classB, 16, 2, "PIN data"}

// newSpec builds a spec from fields1987 with the wire and prefix chosen per
// field by choose, and its variant with field 52 as pinData16.
func newSpec(name string, mti codec, choose func(d fieldDef) (wire, bool, encoding.Encoder, prefix.Prefixer)) *Spec {
	mti.setFast()
	s := buildSpec(name, mti, choose, false)
	s.pin16 = buildSpec(name+", field 52 b..16", mti, choose, true)
	s.pin16.pin16 = s.pin16
	return s
}

func buildSpec(name string, mti codec, choose func(d fieldDef) (wire, bool, encoding.Encoder, prefix.Prefixer), pin16 bool) *Spec {
	s := &Spec{name: name, mti: mti}
	for _, d := range fields1987 {
		step, hint := 0, ""
		if d.id == 52 {
			if pin16 {
				d, step = pinData16, 8
			} else {
				hint = "a 16-byte PIN block needs Spec.VariablePINData"
			}
		}
		w, bcdLen, enc, pref := choose(d)
		c := &codec{id: d.id, desc: d.desc, class: d.class, wire: w, max: d.max, digits: d.digits, bcdLen: bcdLen,
			step: step, hint: hint, enc: enc, pref: pref}
		c.spec = &field.Spec{Length: d.max, Description: d.desc, Enc: enc, Pref: pref}
		c.setFast()
		s.fields[d.id] = c
	}
	return s
}

// VariablePINData returns the spec with field 52, PIN data, as a variable
// binary field of 8 or 16 bytes behind the spec's LL length prefix, so
// that the 16-byte PIN blocks of ISO 9564-1 format 4 (AES) can travel
// next to the 8-byte blocks of formats 0 to 3 (TDES). In SpecASCII's
// variant an 8-byte block is "08" and 16 hexadecimal characters, a
// 16-byte block "16" and 32; in SpecBCD's, one BCD length byte (08 or 16)
// and the bytes. Both ends of a link must use the same variant: the
// 1987 layout's fixed 8 bytes have no length prefix. Every other field
// is as in s. VariablePINData of a variant is the variant itself.
func (s *Spec) VariablePINData() *Spec { return s.pin16 }

func (s *Spec) String() string { return "iso8583.Spec(" + s.name + ")" }
