package cardsim

import (
	"bytes"
	"fmt"

	"github.com/posflow/posflow/tlv"
)

// The contactless cards, QVSDCCard and MChipCard, are smaller than Card:
// one application each, answering the PPSE (2PAY.SYS.DDF01) and only the
// commands their kernel sends (EMV Contactless Books C-2 and C-3), with
// the cryptograms and signatures of the schemes' contactless cards. This
// file holds what they share.

// track2 builds track 2 equivalent data from the PAN and the expiry date,
// service code 201.
func track2(pan []byte, exp [3]byte) []byte {
	digits := emvDigits(pan)
	digits += "D" + fmt.Sprintf("%02X%02X", exp[0], exp[1]) + "201" + "0000000"
	return packDigits(digits, 0x0F)
}

// emvDigits returns the digits of a compressed numeric PAN.
func emvDigits(pan []byte) string {
	s := fmt.Sprintf("%X", pan)
	for len(s) > 0 && s[len(s)-1] == 'F' {
		s = s[:len(s)-1]
	}
	return s
}

func tlvOf(t tlv.Tag, v []byte) []byte { return appendTLV(nil, t, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// success appends status word 9000 to response data.
func success(data []byte) []byte { return append(data, 0x90, 0x00) }

// ppseFCI returns the answer of a contactless card with one application
// to SELECT of the PPSE (name, the PPSE name): the directory entry of aid
// with priority 1.
func ppseFCI(name, aid []byte) []byte {
	e := tlvOf(0x61, cat(tlvOf(0x4F, aid), tlvOf(0x87, []byte{0x01})))
	return success(tlvOf(0x6F, cat(tlvOf(0x84, name), tlvOf(0xA5, tlvOf(0xBF0C, e)))))
}
