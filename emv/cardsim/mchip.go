package cardsim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// An MChipProfile personalises a simulated contactless Mastercard-style
// card for Kernel 2 (EMV Contactless Book C-2) in EMV mode with CDA. It is
// plain data; NewMChip builds the card from it.
type MChipProfile struct {
	// Rand seeds the card's RSA keys; it must not be nil.
	Rand io.Reader
	// CAIndex is the index of the test CA key under RID A000000004; zero
	// means E2, an index no published Mastercard key uses.
	CAIndex byte
	// PAN is 5A; Expiry 5F24 YYMMDD.
	PAN    []byte
	Expiry [3]byte
	// CVMList is the value of 8E; nil means the card does not support
	// cardholder verification (AIP byte 1 bit 5 clear).
	CVMList []byte
	// IACDefault, IACDenial and IACOnline are 9F0D, 9F0E and 9F0F.
	IACDefault, IACDenial, IACOnline [5]byte
	// Currency is the application currency code, 9F42.
	Currency [2]byte
	// Downgrade makes the card answer a TC request with an ARQC.
	Downgrade bool
	// RelayResistance sets AIP byte 2 bit 1, "relay resistance protocol
	// supported" (Book C-2 Table A.3); the card does not implement
	// EXCHANGE RELAY RESISTANCE DATA, which a reader that does not
	// support the protocol must not send.
	RelayResistance bool
	// DeviceCVMRequired makes the card behave as a phone that wants the
	// cardholder verified on it first: every GENERATE AC is answered with
	// an AAC and POS cardholder interaction information (DF4B) 00 02 00,
	// "OD-CVM required", which asks the reader to show "see phone" and
	// restart (Book C-2 S910).
	DeviceCVMRequired bool
	// ATC is the application transaction counter before the tap.
	ATC uint16
	// IMK is the issuer master key for application cryptograms (16
	// bytes) the card's ICC master key is derived from (option A, with
	// the PAN and PSN 00: the card has no 5F34); nil means
	// TestIMK.
	IMK []byte
}

// MChipAID is the AID of the simulated M/Chip card.
var MChipAID = []byte{0xA0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10}

// mchipCDOL1 is the CDOL1 of the simulated M/Chip card (33 bytes of data).
var mchipCDOL1 = []byte{0x9F, 0x02, 0x06, 0x9F, 0x03, 0x06, 0x9F, 0x1A, 0x02, 0x95, 0x05, 0x5F, 0x2A, 0x02, 0x9A, 0x03, 0x9C, 0x01, 0x9F, 0x37, 0x04, 0x9F, 0x35, 0x01, 0x9F, 0x34, 0x03}

// An MChipCard is a simulated contactless Mastercard-style card: PPSE,
// SELECT without PDOL, GET PROCESSING OPTIONS with an AFL whose first entry
// is the mag-stripe record, READ RECORD, GENERATE AC with CDA. Its
// cryptograms are Mastercard CVN 16 (emv/issuer.MastercardCVN16): the
// issuer application data (9F10) is the 18-byte M/Chip 4 layout (DKI 01,
// CVN 10, the 6-byte CVR, DAC 0000, zero counters), and the cryptogram is
// MACed under the Mastercard SKD session key (R = ATC ‖ 00 00 ‖ UN) of the
// ICC master key derived from the profile's IMK, over the 33-byte common
// data list followed by the CVR, so that an issuer holding the IMK
// verifies it with issuer.Verify. The CDA signature covers it. Unlike Card,
// an MChipCard is not safe for concurrent use; Clone copies it.
type MChipCard struct {
	p       MChipProfile
	mk      []byte // ICC master key for AC
	pki     *oda.TestPKI
	aip     [2]byte
	records map[[2]byte][]byte
	// MagstripeRead counts the READ RECORDs of the mag-stripe record
	// (SFI 1 record 1), which Kernel 2 in EMV mode must not send.
	MagstripeRead int
}

// Clone returns a copy of the card in its current state (ATC, counter of
// mag-stripe reads) that shares its keys and records, which do not
// change.
func (c *MChipCard) Clone() *MChipCard {
	d := *c
	return &d
}

// NewMChip personalises an M/Chip card and returns it with the CA public
// key a terminal needs to authenticate it.
func NewMChip(p MChipProfile) (*MChipCard, *oda.CAPK, error) {
	if len(p.PAN) == 0 || p.Rand == nil {
		return nil, nil, fmt.Errorf("%w: M/Chip profile without a PAN or keys", ErrProfile)
	}
	if p.CAIndex == 0 {
		p.CAIndex = 0xE2
	}
	imk := p.IMK
	if imk == nil {
		imk = TestIMK
	}
	mk, err := issuer.MasterKeyA(imk, emvDigits(p.PAN), "")
	if err != nil {
		return nil, nil, fmt.Errorf("%w: M/Chip ICC master key: %w", ErrProfile, err)
	}
	c := &MChipCard{p: p, mk: mk, records: map[[2]byte][]byte{}, aip: [2]byte{0x09, 0x80}}
	if p.CVMList != nil {
		c.aip[0] |= 0x10
	}
	if p.RelayResistance {
		c.aip[1] |= 0x01
	}
	signed := cat(
		tlvOf(0x5A, p.PAN), tlvOf(0x5F24, p.Expiry[:]), tlvOf(0x8C, mchipCDOL1),
		tlvOf(0x9F0D, p.IACDefault[:]), tlvOf(0x9F0E, p.IACDenial[:]), tlvOf(0x9F0F, p.IACOnline[:]),
		tlvOf(0x9F42, p.Currency[:]), tlvOf(0x9F4A, []byte{0x82}),
	)
	if p.CVMList != nil {
		signed = append(signed, tlvOf(0x8E, p.CVMList)...)
	}
	pki, err := oda.NewTestPKI(oda.TestPKIConfig{
		Rand: p.Rand, RID: mastercardRID, Index: p.CAIndex,
		CABits: 1024, IssuerBits: 1024, ICCBits: 768,
		PAN: p.PAN, StaticData: append(bytes.Clone(signed), c.aip[:]...),
		Time: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }, ValidYears: 20,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cardsim: M/Chip keys: %w", err)
	}
	c.pki = pki
	issuerRec := cat(tlvOf(0x8F, []byte{p.CAIndex}), tlvOf(0x90, pki.IssuerCert), tlvOf(0x9F32, pki.Issuer.Exponent))
	if pki.IssuerRemainder != nil {
		issuerRec = append(issuerRec, tlvOf(0x92, pki.IssuerRemainder)...)
	}
	icc := cat(tlvOf(0x9F46, pki.ICCCert), tlvOf(0x9F47, pki.ICC.Exponent))
	if pki.ICCRemainder != nil {
		icc = append(icc, tlvOf(0x9F48, pki.ICCRemainder)...)
	}
	c.records[[2]byte{1, 1}] = tlvOf(0x70, tlvOf(0x9F6B, track2(p.PAN, p.Expiry)))
	c.records[[2]byte{2, 1}] = tlvOf(0x70, signed)
	c.records[[2]byte{3, 1}] = tlvOf(0x70, issuerRec)
	c.records[[2]byte{3, 2}] = tlvOf(0x70, icc)
	return c, pki.CAPK, nil
}

// Transmit implements emv.Card. It answers every command with a status
// word, 6700 when the length fields do not match the command's bytes, and
// never returns an error.
func (c *MChipCard) Transmit(cmd []byte) ([]byte, error) {
	apdu, err := emv.ParseCommand(cmd)
	if err != nil {
		return sw(nil, emv.SWWrongLength), nil
	}
	data := apdu.Data
	switch {
	case apdu.CLA == 0x00 && apdu.INS == 0xA4 && bytes.Equal(data, PPSEName):
		return ppseFCI(data, MChipAID), nil
	case apdu.CLA == 0x00 && apdu.INS == 0xA4 && bytes.Equal(data, MChipAID):
		return success(tlvOf(0x6F, cat(tlvOf(0x84, data), tlvOf(0xA5, tlvOf(0x50, []byte("MC SIM")))))), nil
	case apdu.CLA == 0x80 && apdu.INS == 0xA8:
		if !bytes.Equal(data, []byte{0x83, 0x00}) {
			return sw(nil, emv.SWWrongLength), nil
		}
		afl := []byte{0x08, 0x01, 0x01, 0x00, 0x10, 0x01, 0x01, 0x01, 0x18, 0x01, 0x02, 0x00}
		return success(tlvOf(0x77, cat(tlvOf(0x82, c.aip[:]), tlvOf(0x94, afl)))), nil
	case apdu.CLA == 0x00 && apdu.INS == 0xB2:
		key := [2]byte{apdu.P2 >> 3, apdu.P1}
		if key == [2]byte{1, 1} {
			c.MagstripeRead++
		}
		if r, found := c.records[key]; found {
			return success(r), nil
		}
		return sw(nil, emv.SWRecordNotFound), nil
	case apdu.CLA == 0x80 && apdu.INS == 0xAE:
		return c.generateAC(apdu.P1, data)
	}
	return sw(nil, emv.SWInstructionNotSupported), nil
}

func (c *MChipCard) generateAC(p1 byte, cdol []byte) ([]byte, error) {
	if len(cdol) != 33 {
		return sw(nil, emv.SWWrongLength), nil
	}
	un := cdol[25:29]
	cid := p1 & 0xC0
	if cid == 0x40 && c.p.Downgrade {
		cid = 0x80
	}
	if c.p.DeviceCVMRequired {
		cid = 0x00
	}
	c.p.ATC++
	atc := binary.BigEndian.AppendUint16(nil, c.p.ATC)
	cda := p1&0x10 != 0 && cid != 0x00
	// M/Chip 4 CVR byte 1: second GENERATE AC not requested (10), the
	// type of the first one's cryptogram in bits 6-5; byte 2 bit 7:
	// combined DDA/AC generation returned in the first GENERATE AC.
	iad := make([]byte, 18)
	iad[0], iad[1], iad[2] = 0x01, issuer.MastercardCVN16.Code(), 0x80|cid>>2
	if cda {
		iad[3] = 0x40
	}
	ac, err := issuer.CardCryptogram(issuer.MastercardCVN16, c.mk, map[tlv.Tag][]byte{
		issuer.TagAmountAuthorised: cdol[0:6], issuer.TagAmountOther: cdol[6:12],
		issuer.TagTerminalCountry: cdol[12:14], issuer.TagTVR: cdol[14:19], issuer.TagCurrency: cdol[19:21],
		issuer.TagDate: cdol[21:24], issuer.TagTransactionType: cdol[24:25], issuer.TagUnpredictableNumber: un,
		issuer.TagAIP: c.aip[:], issuer.TagATC: atc, issuer.TagIssuerAppData: iad,
	})
	if err != nil {
		return nil, fmt.Errorf("cardsim: M/Chip cryptogram: %w", err)
	}
	body := cat(tlvOf(0x9F27, []byte{cid}), tlvOf(0x9F36, atc), tlvOf(0x9F10, iad))
	if c.p.DeviceCVMRequired {
		body = append(body, tlvOf(0xDF4B, []byte{0x00, 0x02, 0x00})...)
	}
	if !cda {
		return success(tlvOf(0x77, cat(body, tlvOf(0x9F26, ac)))), nil
	}
	sdad, err := oda.SignCDA(c.pki.ICC, atc, cid, ac, oda.CDA{UN: un, CDOL1Data: cdol, Response: tlvOf(0x77, body)})
	if err != nil {
		return nil, fmt.Errorf("cardsim: M/Chip CDA: %w", err)
	}
	return success(tlvOf(0x77, cat(body, tlvOf(0x9F4B, sdad)))), nil
}
