package cardsim

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// A QVSDCProfile personalises a simulated contactless Visa-style card for
// Kernel 3 (EMV Contactless Book C-3, the qVSDC path). It is plain data;
// NewQVSDC builds the card from it.
type QVSDCProfile struct {
	// Rand seeds the card's RSA keys; a fixed reader makes the card
	// reproducible. Nil means no keys: the AIP does not offer fDDA.
	Rand io.Reader
	// CAIndex is the index of the test CA key (8F) under RID A000000003;
	// zero means E1, an index no published Visa key uses.
	CAIndex byte
	// PAN is 5A, compressed numeric padded with F; Expiry is 5F24 YYMMDD.
	PAN    []byte
	Expiry [3]byte
	// CTQ is the card transaction qualifiers the card returns.
	CTQ [2]byte
	// OfflineLimit is the card's own limit: it approves offline (TC) only
	// at or under it, and when the reader does not require an online
	// cryptogram.
	OfflineLimit uint64
	// Decline makes the card answer with an AAC.
	Decline bool
	// ATC is the application transaction counter before the tap.
	ATC uint16
	// IMK is the issuer master key for application cryptograms (16
	// bytes) the card's ICC master key is derived from (option B, with
	// the PAN and the card's PSN 01); nil means TestIMK.
	IMK []byte
}

// QVSDCPSN is the PAN sequence number (5F34) of the simulated qVSDC card.
const QVSDCPSN = "01"

// QVSDCAID is the AID of the simulated qVSDC card.
var QVSDCAID = []byte{0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10}

// qvsdcPDOL asks for the TTQ and the transaction data.
var qvsdcPDOL = []byte{0x9F, 0x66, 0x04, 0x9F, 0x02, 0x06, 0x9F, 0x03, 0x06, 0x9F, 0x1A, 0x02, 0x95, 0x05, 0x5F, 0x2A, 0x02, 0x9A, 0x03, 0x9C, 0x01, 0x9F, 0x37, 0x04}

// A QVSDCCard is a simulated contactless Visa-style card: PPSE, SELECT,
// GET PROCESSING OPTIONS with the card's decision and fDDA version 01,
// READ RECORD, and on a second tap EXTERNAL AUTHENTICATE and issuer script
// commands. Its cryptograms are Visa CVN 18 (emv/issuer.VisaCVN18): the
// issuer application data (9F10) is the 7-byte VSDC format 1
// 06 01 12 03 CVR (DKI 01, CVN 12, CVR length 03), and the ARQC, TC or AAC
// is MACed under the EMV common session key of the ICC master key derived
// from the profile's IMK, over the 33-byte common data list (amounts,
// country, TVR, currency, date, type, unpredictable number, AIP, ATC)
// followed by all of 9F10, so that an issuer holding the IMK verifies it
// with issuer.Verify.
//
// The card neither checks the ARPC nor the MACs of script commands: it
// records them in IssuerCommands for the test to inspect. Unlike Card, a
// QVSDCCard is not safe for concurrent use; Clone copies it.
type QVSDCCard struct {
	p       QVSDCProfile
	mk      []byte // ICC master key for AC
	pki     *oda.TestPKI
	records map[[2]byte][]byte // SFI, record to response data; read only
	cad     []byte             // 9F69
	afl     []byte
	// IssuerCommands are the EXTERNAL AUTHENTICATE and issuer script
	// commands (CLA with secure messaging, 84 or 0C) received, in order.
	// Script commands with P1 FF are answered 6A80, the others 9000.
	IssuerCommands [][]byte
}

// NewQVSDC personalises a qVSDC card and returns it with the CA public
// key a terminal needs to authenticate it (nil without keys).
func NewQVSDC(p QVSDCProfile) (*QVSDCCard, *oda.CAPK, error) {
	if len(p.PAN) == 0 {
		return nil, nil, fmt.Errorf("%w: qVSDC profile without a PAN", ErrProfile)
	}
	if p.CAIndex == 0 {
		p.CAIndex = TestCAPKIndex
	}
	imk := p.IMK
	if imk == nil {
		imk = TestIMK
	}
	mk, err := issuer.MasterKeyB(imk, emvDigits(p.PAN), QVSDCPSN)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: qVSDC ICC master key: %w", ErrProfile, err)
	}
	c := &QVSDCCard{p: p, mk: mk, records: map[[2]byte][]byte{}, cad: []byte{0x01, 0x12, 0x34, 0x56, 0x78}}
	rec1 := cat(tlvOf(0x5A, p.PAN), tlvOf(0x5F24, p.Expiry[:]), tlvOf(0x5F34, []byte{0x01}))
	c.records[[2]byte{1, 1}] = tlvOf(0x70, rec1)
	c.afl = []byte{0x08, 0x01, 0x01, 0x01}
	if p.Rand == nil {
		return c, nil, nil
	}
	pki, err := oda.NewTestPKI(oda.TestPKIConfig{
		Rand: p.Rand, RID: visaRID, Index: p.CAIndex,
		CABits: 1024, IssuerBits: 1024, ICCBits: 768,
		PAN: p.PAN, StaticData: rec1,
		Time: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }, ValidYears: 20,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cardsim: qVSDC keys: %w", err)
	}
	c.pki = pki
	rec2 := cat(tlvOf(0x8F, []byte{p.CAIndex}), tlvOf(0x90, pki.IssuerCert), tlvOf(0x9F32, pki.Issuer.Exponent))
	if pki.IssuerRemainder != nil {
		rec2 = append(rec2, tlvOf(0x92, pki.IssuerRemainder)...)
	}
	rec3 := cat(tlvOf(0x9F46, pki.ICCCert), tlvOf(0x9F47, pki.ICC.Exponent), tlvOf(0x9F69, c.cad))
	if pki.ICCRemainder != nil {
		rec3 = append(rec3, tlvOf(0x9F48, pki.ICCRemainder)...)
	}
	c.records[[2]byte{2, 1}] = tlvOf(0x70, rec2)
	c.records[[2]byte{2, 2}] = tlvOf(0x70, rec3)
	c.afl = append(c.afl, 0x10, 0x01, 0x02, 0x00)
	return c, pki.CAPK, nil
}

// Clone returns a copy of the card in its current state (ATC, issuer
// commands received) that shares its keys and records, which do not
// change: tests run many taps from one personalisation.
func (c *QVSDCCard) Clone() *QVSDCCard {
	d := *c
	d.IssuerCommands = slices.Clone(c.IssuerCommands)
	return &d
}

// Transmit implements emv.Card. It answers every command with a status
// word, 6700 when the length fields do not match the command's bytes, and
// never returns an error.
func (c *QVSDCCard) Transmit(cmd []byte) ([]byte, error) {
	apdu, err := emv.ParseCommand(cmd)
	if err != nil {
		return sw(nil, emv.SWWrongLength), nil
	}
	data := apdu.Data
	switch {
	case apdu.CLA == 0x00 && apdu.INS == 0xA4 && bytes.Equal(data, PPSEName):
		return ppseFCI(data, QVSDCAID), nil
	case apdu.CLA == 0x00 && apdu.INS == 0xA4 && bytes.Equal(data, QVSDCAID):
		return success(tlvOf(0x6F, cat(tlvOf(0x84, data), tlvOf(0xA5, cat(tlvOf(0x50, []byte("VISA SIM")), tlvOf(0x9F38, qvsdcPDOL)))))), nil
	case apdu.CLA == 0x80 && apdu.INS == 0xA8:
		return c.gpo(data)
	case apdu.CLA == 0x00 && apdu.INS == 0xB2:
		if r, found := c.records[[2]byte{apdu.P2 >> 3, apdu.P1}]; found {
			return success(r), nil
		}
		return sw(nil, emv.SWRecordNotFound), nil
	case apdu.CLA == 0x00 && apdu.INS == 0x82, apdu.CLA&0x0C != 0:
		c.IssuerCommands = append(c.IssuerCommands, bytes.Clone(cmd))
		if apdu.INS != 0x82 && apdu.P1 == 0xFF {
			return sw(nil, emv.SWWrongData), nil
		}
		return sw(nil, emv.SWSuccess), nil
	}
	return sw(nil, emv.SWInstructionNotSupported), nil
}

func (c *QVSDCCard) gpo(data []byte) ([]byte, error) {
	if len(data) != 2+33 || data[0] != 0x83 || data[1] != 33 {
		return sw(nil, emv.SWWrongLength), nil
	}
	d := data[2:]
	ttq, amount, currency, un := d[0:4], d[4:10], d[23:25], d[29:33]
	c.p.ATC++
	atc := binary.BigEndian.AppendUint16(nil, c.p.ATC)
	var value uint64
	for _, b := range amount {
		value = value*100 + uint64(b>>4)*10 + uint64(b&15)
	}
	cvr := byte(0x10) // TC
	switch {
	case c.p.Decline:
		cvr = 0x00
	case ttq[1]&0x80 != 0 || value > c.p.OfflineLimit || c.pki == nil:
		cvr = 0x20 // ARQC
	}
	iad := []byte{0x06, 0x01, issuer.VisaCVN18.Code(), 0x03, cvr, 0x00, 0x00}
	aip := []byte{c.aip(), 0x00}
	ac, err := issuer.CardCryptogram(issuer.VisaCVN18, c.mk, map[tlv.Tag][]byte{
		issuer.TagAmountAuthorised: amount, issuer.TagAmountOther: d[10:16],
		issuer.TagTerminalCountry: d[16:18], issuer.TagTVR: d[18:23], issuer.TagCurrency: currency,
		issuer.TagDate: d[25:28], issuer.TagTransactionType: d[28:29], issuer.TagUnpredictableNumber: un,
		issuer.TagAIP: aip, issuer.TagATC: atc, issuer.TagIssuerAppData: iad,
	})
	if err != nil {
		return nil, fmt.Errorf("cardsim: qVSDC cryptogram: %w", err)
	}
	resp := cat(
		tlvOf(0x82, aip),
		tlvOf(0x94, c.afl),
		tlvOf(0x57, track2(c.p.PAN, c.p.Expiry)),
		tlvOf(0x9F10, iad),
		tlvOf(0x9F26, ac),
		tlvOf(0x9F36, atc),
		tlvOf(0x9F6C, c.p.CTQ[:]),
	)
	if cvr == 0x10 {
		sdad, err := oda.SignFDDA(c.pki.ICC, atc, oda.FDDA{UN: un, Amount: amount, Currency: currency, CardAuthData: c.cad})
		if err != nil {
			return nil, fmt.Errorf("cardsim: qVSDC fDDA: %w", err)
		}
		resp = append(resp, tlvOf(0x9F4B, sdad)...)
	}
	return success(tlvOf(0x77, resp)), nil
}

func (c *QVSDCCard) aip() byte {
	if c.pki != nil {
		return 0x20 // DDA (fDDA)
	}
	return 0x00
}
