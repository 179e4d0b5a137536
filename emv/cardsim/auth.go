package cardsim

import (
	"io"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/oda"
)

// internalAuthenticate answers INTERNAL AUTHENTICATE (EMV 4.4 Book 3
// section 6.5.9) on a DDA or CDA card: the signed dynamic application
// data of Book 2 section 6.5 over the DDOL data the terminal sent, with a
// fresh 8-byte ICC dynamic number. The response is format 1 (80) or, for
// a Format2 application, template 77 with 9F4B. A card without an ICC key
// does not know the command (6D00).
func (c *Card) internalAuthenticate(cm command) ([]byte, emv.StatusWord) {
	a, _ := c.selected()
	if a == nil || a.icc == nil || a.def.ODA < DDA {
		return nil, emv.SWInstructionNotSupported
	}
	if cm.p1 != 0 || cm.p2 != 0 {
		return nil, swWrongP1P2
	}
	if len(cm.data) == 0 {
		return nil, emv.SWWrongLength
	}
	idn := make([]byte, 8)
	if _, err := io.ReadFull(c.rand, idn); err != nil {
		return nil, swNoPreciseDiag
	}
	sdad, err := oda.SignDDA(a.icc.PrivateKey, idn, cm.data)
	if err != nil {
		// The DDOL data does not fit the signature: Book 2 lets the
		// card refuse.
		return nil, emv.SWWrongLength
	}
	c.t.dda = true
	if a.def.Format2 {
		return appendTLV(nil, 0x77, appendTLV(nil, 0x9F4B, sdad)), emv.SWSuccess
	}
	return appendTLV(nil, 0x80, sdad), emv.SWSuccess
}

// externalAuthenticate answers EXTERNAL AUTHENTICATE (Book 3 section
// 6.5.4) with the issuer authentication data of tag 91: allowed once,
// after a first GENERATE AC that returned an ARQC and before the second.
// A wrong ARPC is 6300 and recorded in the CVR; a card that takes the ARPC
// in its CDOL2 does not know the command.
func (c *Card) externalAuthenticate(cm command) ([]byte, emv.StatusWord) {
	a, st := c.selected()
	if a == nil {
		return nil, emv.SWConditionsNotSatisfied
	}
	if a.def.issuerAuthInCDOL2() {
		return nil, emv.SWInstructionNotSupported
	}
	if cm.p1 != 0 || cm.p2 != 0 {
		return nil, swWrongP1P2
	}
	if c.t.genac != 1 || c.t.firstCID.Type() != emv.ARQC || c.t.issuerAuth != IssuerAuthNotPerformed {
		return nil, emv.SWConditionsNotSatisfied
	}
	if len(cm.data) < 8 || len(cm.data) > 16 {
		return nil, emv.SWWrongLength
	}
	if !c.checkARPC(a, st, cm.data) {
		c.t.issuerAuth = IssuerAuthFailed
		return nil, swAuthFailed
	}
	c.t.issuerAuth = IssuerAuthPassed
	return nil, emv.SWSuccess
}
