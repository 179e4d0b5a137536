package main

import (
	"crypto/subtle"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// chipIMK is the name of the issuer master keys of the load's chip cards
// in the host's configuration: cardsim.TestIMK, a public test key.
const chipIMK = "cardsim"

// chipVersions are the cryptogram versions of the load's chip cards,
// given to the terminals' cards in turn, with the AID of their scheme.
var chipVersions = []struct {
	cvn issuer.CVN
	bin string // first six digits of the PAN
	aid []byte
}{
	{issuer.VisaCVN10, "476174", visaAID},
	{issuer.VisaCVN18, "476174", visaAID},
	{issuer.VisaCVN22, "476174", visaAID},
	{issuer.MastercardCVN16, "541333", mastercardAID},
	{issuer.MastercardCVN17, "541333", mastercardAID},
	{issuer.MastercardCVN20, "541333", mastercardAID},
	{issuer.MastercardCVN21, "541333", mastercardAID},
}

var (
	visaAID       = []byte{0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10}
	mastercardAID = []byte{0xA0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10}
)

// A chipCard is an EMV card of one terminal. The host refuses an ATC that
// is not above the last it verified for the card (code 59), and terminals
// send concurrently; so each terminal has a card of its own, whose ATC
// rises in the order the terminal sends.
type chipCard struct {
	pan string
	psn byte // PAN sequence number
	cvn issuer.CVN
	aid []byte
	atc uint16 // of the last cryptogram
}

// newChipCard issues terminal t's chip card.
func newChipCard(t int) *chipCard {
	v := chipVersions[t%len(chipVersions)]
	return &chipCard{pan: luhn(fmt.Sprintf("%s%09d", v.bin, t)), psn: 0x01, cvn: v.cvn, aid: v.aid}
}

// iad returns the issuer application data of version cvn for a first
// GENERATE AC that returned an ARQC: the card verification results say
// "ARQC returned in the first GENERATE AC, second GENERATE AC not
// requested" (A0 in the first CVR byte, VIS 1.6 Appendix A-13 and M/Chip
// 4), the derivation key index is 01 and the counters are zero.
func iad(cvn issuer.CVN) []byte {
	switch cvn {
	case issuer.VisaCVN10, issuer.VisaCVN18:
		// VSDC format 0/1: length 06, DKI, CVN, CVR length 03, CVR.
		return []byte{0x06, 0x01, cvn.Code(), 0x03, 0xA0, 0x00, 0x00}
	case issuer.VisaCVN22:
		// VSDC format 2: 32 bytes, 1F, CVN, DKI, 5 CVR bytes, the issuer
		// discretionary data option ID 0 and zeros.
		b := make([]byte, 32)
		copy(b, []byte{0x1F, cvn.Code(), 0x01, 0xA0, 0x00, 0x00, 0x00, 0x00})
		return b
	}
	// M/Chip: DKI, CVN, 6 CVR bytes, DAC/ICC dynamic number 2 bytes,
	// 8 counter bytes.
	b := make([]byte, 18)
	copy(b, []byte{0x01, cvn.Code(), 0xA0})
	return b
}

// chipData is one chip transaction prepared ahead: field 55 of the
// request and the value of tag 91 expected in the answer.
type chipData struct {
	field55 []byte
	auth    []byte // issuer authentication data (tag 91)
}

// next returns field 55 of a purchase of amount with the card's next ATC
// and a real ARQC under the issuer master key, as a terminal sends it
// after the first GENERATE AC, and the issuer authentication data the host
// answers with code: ARPC ‖ ARC (method 1) or ARPC ‖ CSU (method 2, with
// the CSU byte 2 bit 8 "approved" of VIS 1.6 when code is 00). onlinePIN
// says whether the cardholder entered a PIN (CVM results 42 03 00 and the
// TVR's "online PIN entered") or no CVM was performed (1F 03 02).
func (c *chipCard) next(r *rand.Rand, terminal string, seq int, amount int64, onlinePIN bool, code string) (chipData, error) {
	c.atc++
	un := r.Uint32()
	tvr := []byte{0x00, 0x00, 0x00, 0x80, 0x00} // over the floor limit: online
	cvm := []byte{0x1F, 0x03, 0x02}
	if onlinePIN {
		tvr[2] |= 0x04
		cvm = []byte{0x42, 0x03, 0x00}
	}
	data := map[tlv.Tag][]byte{
		0x9F27: {0x80}, // ARQC
		0x9F10: iad(c.cvn),
		0x9F37: {byte(un >> 24), byte(un >> 16), byte(un >> 8), byte(un)},
		0x9F36: {byte(c.atc >> 8), byte(c.atc)},
		0x95:   tvr,
		0x9A:   {0x26, 0x11, 0x26},
		0x9C:   {0x00},
		0x9F02: bcd(amount, 6),
		0x5F2A: {0x09, 0x78},
		0x82:   {0x39, 0x00},
		0x9F1A: {0x02, 0x50},
		0x9F03: make([]byte, 6),
		0x9F33: {0xE0, 0xF8, 0xC8},
		0x9F34: cvm,
		0x9F35: {0x22},
		0x9F1E: []byte(terminal),
		0x84:   c.aid,
		0x9F09: {0x00, 0x02},
		0x9F41: bcd(int64(seq), 4),
		0x5F34: {c.psn},
	}
	psn := fmt.Sprintf("%02X", c.psn)
	arqc, err := issuer.Cryptogram(c.cvn, cardsim.TestIMK, c.pan, psn, data)
	if err != nil {
		return chipData{}, fmt.Errorf("loadgen: %s ARQC: %w", c.cvn, err)
	}
	data[0x9F26] = arqc
	var f55 []byte
	for _, tag := range iso8583.ARQCTags {
		if f55, err = tlv.AppendTLV(f55, tag, data[tag]); err != nil {
			return chipData{}, err
		}
	}
	arc := []byte(code)
	if c.cvn.ARPCMethod() == 2 {
		arc = []byte{0x00, 0x00, 0x00, 0x00}
		if code == "00" {
			arc[1] = 0x80
		}
	}
	arpc, err := issuer.ARPC(c.cvn, cardsim.TestIMK, c.pan, psn, data, arqc, arc)
	if err != nil {
		return chipData{}, fmt.Errorf("loadgen: %s ARPC: %w", c.cvn, err)
	}
	auth, err := issuer.IssuerAuthenticationData(c.cvn, arpc, arc, nil)
	if err != nil {
		return chipData{}, err
	}
	return chipData{field55: f55, auth: auth}, nil
}

// bcd returns n as n digits of packed BCD in size bytes.
func bcd(n int64, size int) []byte {
	s := strconv.FormatInt(n, 10)
	for len(s) < 2*size {
		s = "0" + s
	}
	b := make([]byte, size)
	for i := range b {
		b[i] = (s[2*i]-'0')<<4 | (s[2*i+1] - '0')
	}
	return b
}

// issuerAuthOK reports whether the answer resp carries in field 55 the
// issuer authentication data (tag 91) want, compared in constant time.
func issuerAuthOK(resp *iso8583.Message, want []byte) bool {
	f55, ok := resp.Field(55)
	if !ok {
		return false
	}
	ir, err := iso8583.ReadIssuerResponse(f55)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(ir.AuthenticationData, want) == 1
}
