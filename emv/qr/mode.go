package qr

import "strings"

// A Mode is the presentment mode of a QR code payload.
type Mode uint8

// The modes of EMV QR code payments.
const (
	UnknownMode       Mode = iota // neither prefix below
	MerchantPresented             // text beginning with "000201"
	ConsumerPresented             // Base64 beginning with "hQVDUFYw": 85 05 "CPV0"
)

// DetectMode tells from its first characters which mode a payload is in,
// so that a reader can hand it to ParseMPM or ParseCPM. It checks nothing
// else.
func DetectMode(payload string) Mode {
	switch {
	case strings.HasPrefix(payload, "000201"):
		return MerchantPresented
	case strings.HasPrefix(payload, "hQVDUFYw"):
		return ConsumerPresented
	}
	return UnknownMode
}

// String returns the name of the mode, such as "merchant-presented".
func (m Mode) String() string {
	switch m {
	case MerchantPresented:
		return "merchant-presented"
	case ConsumerPresented:
		return "consumer-presented"
	}
	return "unknown"
}
