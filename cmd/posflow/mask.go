package main

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/posflow/posflow/tlv"
)

// The EMV data objects that carry card data that must not be printed:
// account numbers, track data, the cardholder's name and PIN data (EMV 4.4
// Book 3 Annex A; PCI DSS requirement 3.4 for the PAN). The emv package's
// data dictionary will take this over.
const (
	tagPAN              tlv.Tag = 0x5A
	tagTrack2Equivalent tlv.Tag = 0x57
	tagTrack2Data       tlv.Tag = 0x9F6B // Mastercard contactless
	tagTrack1Data       tlv.Tag = 0x56
	tagTrack1Discr      tlv.Tag = 0x9F1F
	tagTrack2Discr      tlv.Tag = 0x9F20
	tagCardholderName   tlv.Tag = 0x5F20
	tagCardholderNameX  tlv.Tag = 0x9F0B
	tagPINData          tlv.Tag = 0x99
)

// maskValue formats a value for printing with the card data masked: the
// PAN shows its first six and last four digits, track 2 its masked PAN and
// nothing of the rest, the other sensitive objects only their length.
func maskValue(t tlv.Tag, v []byte) string {
	switch t {
	case tagPAN:
		pan, _, _ := strings.Cut(strings.ToUpper(hex.EncodeToString(v)), "F")
		return maskPAN(pan)
	case tagTrack2Equivalent, tagTrack2Data:
		digits := strings.ToUpper(hex.EncodeToString(v))
		pan, rest, found := strings.Cut(digits, "D")
		if !found {
			return masked(len(v))
		}
		return maskPAN(pan) + "D" + strings.Repeat("*", len(rest))
	case tagTrack1Data, tagTrack1Discr, tagTrack2Discr, tagCardholderName, tagCardholderNameX, tagPINData:
		return masked(len(v))
	}
	return strings.ToUpper(hex.EncodeToString(v))
}

// maskPAN keeps the first six and last four digits of a PAN and stars the
// rest; a PAN too short for that is starred whole.
func maskPAN(pan string) string {
	if len(pan) < 13 {
		return strings.Repeat("*", len(pan))
	}
	return pan[:6] + strings.Repeat("*", len(pan)-10) + pan[len(pan)-4:]
}

func masked(n int) string {
	return "<masked, " + strconv.Itoa(n) + " bytes>"
}
