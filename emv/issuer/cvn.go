package issuer

import (
	"github.com/posflow/posflow/mac"
)

// CVN is a cryptogram version: the scheme's choice of master key
// derivation option, session key derivation, data list, MAC padding, ARPC
// method and secure messaging for application cryptograms. The constants
// name the versions this package implements; the zero value is not a
// version.
type CVN uint16

// The cryptogram versions of the issue this package implements.
const (
	VisaCVN10 CVN = iota + 1
	VisaCVN18
	VisaCVN22
	MastercardCVN16
	MastercardCVN17
	MastercardCVN20
	MastercardCVN21
	InteracCVN133
)

// String returns the scheme and number, e.g. "Visa CVN 18", or "CVN(n)"
// for a value that is not a version.
func (c CVN) String() string {
	if p := c.profile(); p != nil {
		return p.name
	}
	return "CVN(" + itoa(int(c)) + ")"
}

// Code returns the cryptogram version number as the card writes it in the
// issuer application data (9F10): 0x0A, 0x12 and 0x22 for Visa CVN 10, 18
// and 22; 0x10, 0x11, 0x14 and 0x15 for Mastercard CVN 16, 17, 20 and 21;
// 0x85 for Interac CVN 133. Visa names CVN '22' by its hexadecimal value
// and the other versions by their decimal value; Code is the byte either
// way. It returns 0 for a value that is not a version.
func (c CVN) Code() byte {
	if p := c.profile(); p != nil {
		return p.code
	}
	return 0
}

// Option returns the ICC master key derivation option the version uses:
// [OptionB] for Visa CVN 18 and 22, [OptionA] for the others.
func (c CVN) Option() Option {
	if p := c.profile(); p != nil {
		return p.option
	}
	return 0
}

// SessionKeyMethod returns how the version derives the application
// cryptogram key from the ICC master key.
func (c CVN) SessionKeyMethod() SessionKeyMethod {
	if p := c.profile(); p != nil {
		return p.acKey
	}
	return 0
}

// Padding returns the ISO/IEC 9797-1 padding method of the version's
// cryptogram MAC: [mac.Method1] for Visa CVN 10, [mac.Method2] otherwise.
func (c CVN) Padding() mac.Padding {
	if p := c.profile(); p != nil {
		return p.padding
	}
	return 0
}

// ARPCMethod returns 1 or 2, the ARPC method of EMV 4.4 Book 2 section
// 8.2 the version uses: method 2 for Visa CVN 18 and 22, method 1 for the
// others.
func (c CVN) ARPCMethod() int {
	if p := c.profile(); p != nil {
		return p.arpcMethod
	}
	return 0
}

// iadPart is what a version appends to the common data list.
type iadPart uint8

const (
	visaCVR      iadPart = iota + 1 // 9F10 bytes 3–6: CVR with its length byte
	mchipCVR                        // 9F10 bytes 2–7: CVR
	mchipCounter                    // 9F10 bytes 2–7 then 10–17: CVR and counters
	wholeIAD                        // all of 9F10
)

// Encipherment is a way of enciphering the data of a secure messaging
// command (EMV 4.4 Book 2 section 9.3 and the scheme variants).
type Encipherment uint8

const (
	// VisaEncipherment prefixes the data with its length in one byte,
	// pads with ISO/IEC 9797-1 method 2 and enciphers with TDES-ECB.
	VisaEncipherment Encipherment = 1
	// MastercardEncipherment enciphers with TDES-CBC under a zero IV,
	// padding with method 2 only when the data is not a whole number of
	// blocks.
	MastercardEncipherment Encipherment = 2
	// EMVEncipherment always pads with method 2 and enciphers with
	// TDES-CBC under a zero IV.
	EMVEncipherment Encipherment = 3
)

// String names the encipherment.
func (e Encipherment) String() string {
	switch e {
	case VisaEncipherment:
		return "Visa encipherment"
	case MastercardEncipherment:
		return "Mastercard encipherment"
	case EMVEncipherment:
		return "EMV encipherment"
	}
	return "Encipherment(" + itoa(int(e)) + ")"
}

type scheme uint8

const (
	visa scheme = iota + 1
	mastercard
	interac
)

func (s scheme) String() string {
	switch s {
	case visa:
		return "Visa"
	case mastercard:
		return "Mastercard"
	case interac:
		return "Interac"
	}
	return ""
}

// profile is everything a version decides.
type profile struct {
	name       string
	code       byte
	scheme     scheme
	option     Option
	acKey      SessionKeyMethod // cryptogram key
	padding    mac.Padding
	tail       iadPart
	arpcMethod int
	arpcKey    SessionKeyMethod
	smKey      SessionKeyMethod // secure messaging keys
	smTxnData  bool             // command MAC covers ATC ‖ ARQC after the header
	enc        Encipherment
	visPIN     bool // PIN change uses the VIS PIN block (always, or with a current PIN)
}

var profiles = [...]profile{
	VisaCVN10: {
		name: "Visa CVN 10", code: 0x0A, scheme: visa, option: OptionA,
		acKey: NoSessionKey, padding: mac.Method1, tail: visaCVR,
		arpcMethod: 1, arpcKey: NoSessionKey,
		smKey: VisaSecureMessaging, smTxnData: true, enc: VisaEncipherment, visPIN: true,
	},
	VisaCVN18: {
		name: "Visa CVN 18", code: 0x12, scheme: visa, option: OptionB,
		acKey: CommonSessionKey, padding: mac.Method2, tail: wholeIAD,
		arpcMethod: 2, arpcKey: CommonSessionKey,
		smKey: VisaSecureMessaging, smTxnData: true, enc: VisaEncipherment, visPIN: true,
	},
	VisaCVN22: {
		name: "Visa CVN 22", code: 0x22, scheme: visa, option: OptionB,
		acKey: CommonSessionKey, padding: mac.Method2, tail: wholeIAD,
		arpcMethod: 2, arpcKey: CommonSessionKey,
		smKey: CommonSessionKeyARQC, smTxnData: true, enc: VisaEncipherment,
	},
	MastercardCVN16: {
		name: "Mastercard CVN 16", code: 0x10, scheme: mastercard, option: OptionA,
		acKey: MastercardSKD, padding: mac.Method2, tail: mchipCVR,
		arpcMethod: 1, arpcKey: NoSessionKey,
		smKey: CommonSessionKeyARQC, smTxnData: true, enc: MastercardEncipherment,
	},
	MastercardCVN17: {
		name: "Mastercard CVN 17", code: 0x11, scheme: mastercard, option: OptionA,
		acKey: MastercardSKD, padding: mac.Method2, tail: mchipCounter,
		arpcMethod: 1, arpcKey: NoSessionKey,
		smKey: CommonSessionKeyARQC, smTxnData: true, enc: MastercardEncipherment,
	},
	MastercardCVN20: {
		name: "Mastercard CVN 20", code: 0x14, scheme: mastercard, option: OptionA,
		acKey: CommonSessionKey, padding: mac.Method2, tail: mchipCVR,
		arpcMethod: 1, arpcKey: CommonSessionKey,
		smKey: CommonSessionKeyARQC, smTxnData: true, enc: MastercardEncipherment,
	},
	MastercardCVN21: {
		name: "Mastercard CVN 21", code: 0x15, scheme: mastercard, option: OptionA,
		acKey: CommonSessionKey, padding: mac.Method2, tail: mchipCounter,
		arpcMethod: 1, arpcKey: CommonSessionKey,
		smKey: CommonSessionKeyARQC, smTxnData: true, enc: MastercardEncipherment,
	},
	InteracCVN133: {
		name: "Interac CVN 133", code: 0x85, scheme: interac, option: OptionA,
		acKey: MastercardSKD, padding: mac.Method2, tail: wholeIAD,
		arpcMethod: 1, arpcKey: MastercardSKD,
		smKey: CommonSessionKeyARQC, smTxnData: false, enc: MastercardEncipherment,
	},
}

func (c CVN) profile() *profile {
	if c == 0 || int(c) >= len(profiles) {
		return nil
	}
	return &profiles[c]
}

func (c CVN) mustProfile() (*profile, error) {
	p := c.profile()
	if p == nil {
		return nil, &cvnError{c}
	}
	return p, nil
}

type cvnError struct{ c CVN }

func (e *cvnError) Error() string { return "issuer: unsupported cryptogram version " + e.c.String() }
func (e *cvnError) Unwrap() error { return ErrCVN }

func errOption(o Option) error {
	return &unsupportedError{"master key derivation " + o.String()}
}
