package cardsim

import (
	"bytes"
	"crypto/subtle"
	"io"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// generateAC answers GENERATE APPLICATION CRYPTOGRAM (EMV 4.4 Book 3
// section 6.5.5), first and second, with the card risk management of
// cardRisk and completion, and CDA (Book 2 section 6.6) when the terminal
// asks for it (P1 bit b5) on a CDA card for a TC or an ARQC.
//
// The cryptogram is computed as emv/issuer verifies it: ICC master key
// from the issuer master key, the session key of the version, the data of
// issuer.CryptogramData from the CDOL data, the AIP, the ATC and the
// issuer application data the card builds (CVR). For the second GENERATE
// AC the card MACs the CDOL1 data with the CDOL2 data in its place where
// both name a tag (amounts, TVR, unpredictable number), as VSDC and
// M/Chip cards keep the first command's data.
func (c *Card) generateAC(cm command) ([]byte, emv.StatusWord) {
	a, st := c.selected()
	if a == nil || !c.t.gpo || c.t.genac >= 2 {
		return nil, emv.SWConditionsNotSatisfied
	}
	typ := emv.CID(cm.p1 & 0xC0)
	wantCDA := cm.p1&0x10 != 0
	if cm.p1&0x2F != 0 || typ == 0xC0 || cm.p2 != 0 {
		return nil, swWrongP1P2
	}
	second := c.t.genac == 1
	if second && (c.t.firstCID.Type() != emv.ARQC || typ == emv.ARQC) {
		return nil, emv.SWConditionsNotSatisfied
	}
	dol := a.cdol1
	if second {
		dol = a.cdol2
	}
	if len(cm.data) != dolDataLen(dol) {
		return nil, emv.SWWrongLength
	}
	if !second {
		c.t.values = make(map[tlv.Tag][]byte, len(dol)+4)
		c.t.cdol1Data = bytes.Clone(cm.data)
	}
	off := 0
	for _, e := range dol {
		c.t.values[e.Tag] = bytes.Clone(cm.data[off : off+e.Length])
		off += e.Length
	}

	var cid emv.CID
	if second {
		cid = c.completion(a, st, typ)
	} else {
		cid = c.cardRisk(a, st, typ)
	}
	if c.t.forceCID != nil {
		cid = *c.t.forceCID
	}
	un := c.t.values[0x9F37]
	cda := wantCDA && a.def.ODA == CDA && (cid.Type() != emv.AAC || a.def.CDAForAAC) && len(un) == 4
	if second {
		c.t.cda2 = cda
	} else {
		c.t.cda1 = cda
	}
	atc := []byte{byte(st.atc >> 8), byte(st.atc)}
	iad := c.iad(a, st, cid, second)
	ac, err := a.cryptogram(c.t.values, atc, iad)
	if err != nil {
		return nil, swNoPreciseDiag
	}

	c.t.genac++
	c.t.lastCID = cid
	copy(c.t.ac[:], ac)
	if !second {
		c.t.firstCID = cid
		copy(c.t.arqc[:], ac)
	}
	final := second || cid.Type() != emv.ARQC
	if second {
		st.lastNotCompleted = false
	}
	if final {
		c.logTransaction(a, st, cid)
	}

	cidb := []byte{byte(cid)}
	if cda {
		var r []byte
		r = appendTLV(r, 0x9F27, cidb)
		r = appendTLV(r, 0x9F36, atc)
		r = appendTLV(r, 0x9F10, iad)
		resp := appendTLV(nil, 0x77, r)
		idn := make([]byte, 8)
		if _, err := io.ReadFull(c.rand, idn); err != nil {
			return nil, swNoPreciseDiag
		}
		d := oda.CDA{UN: un, PDOLData: c.t.pdolData, CDOL1Data: c.t.cdol1Data, Response: resp}
		if second {
			d.CDOL2Data = cm.data
		}
		sdad, err := oda.SignCDA(a.icc.PrivateKey, idn, byte(cid), ac, d)
		if err != nil {
			return nil, swNoPreciseDiag
		}
		r = r[:0:0]
		r = appendTLV(r, 0x9F27, cidb)
		r = appendTLV(r, 0x9F36, atc)
		r = appendTLV(r, 0x9F4B, sdad)
		r = appendTLV(r, 0x9F10, iad)
		return appendTLV(nil, 0x77, r), emv.SWSuccess
	}
	if a.def.Format2 || wantCDA && a.def.ODA == CDA {
		var r []byte
		r = appendTLV(r, 0x9F27, cidb)
		r = appendTLV(r, 0x9F36, atc)
		r = appendTLV(r, 0x9F26, ac)
		r = appendTLV(r, 0x9F10, iad)
		return appendTLV(nil, 0x77, r), emv.SWSuccess
	}
	v := make([]byte, 0, 11+len(iad))
	v = append(v, byte(cid))
	v = append(v, atc...)
	v = append(v, ac...)
	v = append(v, iad...)
	return appendTLV(nil, 0x80, v), emv.SWSuccess
}

func dolDataLen(dol []emv.DOLEntry) int {
	n := 0
	for _, e := range dol {
		n += e.Length
	}
	return n
}

// offlineCount is the number of transactions since the last online one,
// the current one included, as a terminal's velocity check counts them
// (ATC minus last online ATC register).
func offlineCount(st *appState) int {
	return int(st.atc - st.lastOnline)
}

// cardRisk is the card risk management of the first GENERATE AC. The card
// never answers a higher cryptogram than the terminal asked for (AAC <
// TC < ARQC); a blocked application always declines. A TC request is
// turned into an ARQC when the last online transaction was not completed,
// issuer authentication failed on it, the PIN try limit is exceeded, or
// the transactions since the last online one exceed the lower consecutive
// offline limit.
func (c *Card) cardRisk(a *app, st *appState, typ emv.CID) emv.CID {
	switch {
	case st.blocked || typ == emv.AAC:
		return emv.AAC
	case typ == emv.ARQC:
		return emv.ARQC
	}
	if st.lastNotCompleted || st.issuerAuthFailed || (a.def.PIN != "" && st.pinTries == 0) || c.velocityExceeded(a, st, false) {
		return emv.ARQC
	}
	return emv.TC
}

// velocityExceeded compares the offline count with the lower (or upper)
// consecutive offline limit; a card without limits has none to exceed.
func (c *Card) velocityExceeded(a *app, st *appState, upper bool) bool {
	if st.lcol == 0 && st.ucol == 0 {
		return false
	}
	if upper {
		return offlineCount(st) > int(st.ucol)
	}
	return offlineCount(st) > int(st.lcol)
}

// completion is the decision of the second GENERATE AC. With an
// authorisation response code Y3 or Z3 (unable to go online) the card
// approves offline only within the upper consecutive offline limit. After
// an online authorisation it checks the ARPC carried in the CDOL2 data
// (tag 91) when its CDOL2 has one; a card with IssuerAuthRequired declines
// when issuer authentication failed or was not performed. An approval
// after a successful online authorisation resets the offline count: the
// last online ATC register takes the ATC.
func (c *Card) completion(a *app, st *appState, typ emv.CID) emv.CID {
	arc := c.t.values[0x8A]
	c.t.unableOnline = bytes.Equal(arc, []byte("Y3")) || bytes.Equal(arc, []byte("Z3"))
	if !c.t.unableOnline && a.def.issuerAuthInCDOL2() && c.t.issuerAuth == IssuerAuthNotPerformed {
		if v := c.t.values[0x91]; !allZero(v) {
			if c.checkARPC(a, st, v) {
				c.t.issuerAuth = IssuerAuthPassed
			} else {
				c.t.issuerAuth = IssuerAuthFailed
			}
		}
	}
	if !c.t.unableOnline {
		st.issuerAuthFailed = c.t.issuerAuth == IssuerAuthFailed
	}
	switch {
	case st.blocked || typ == emv.AAC:
		return emv.AAC
	case c.t.unableOnline:
		if c.velocityExceeded(a, st, true) {
			return emv.AAC
		}
		return emv.TC
	case a.def.IssuerAuthRequired && c.t.issuerAuth != IssuerAuthPassed:
		return emv.AAC
	}
	if c.t.issuerAuth != IssuerAuthFailed {
		st.lastOnline = st.atc
	}
	return emv.TC
}

func allZero(v []byte) bool {
	for _, b := range v {
		if b != 0 {
			return false
		}
	}
	return true
}

// checkARPC verifies issuer authentication data (the value of tag 91)
// against the ARQC of the first GENERATE AC with the ARPC method and key of
// the cryptogram version (EMV 4.4 Book 2 section 8.2): method 1, ARPC ‖
// ARC; method 2, ARPC ‖ CSU ‖ proprietary authentication data.
func (c *Card) checkARPC(a *app, st *appState, v []byte) bool {
	atc := []byte{byte(st.atc >> 8), byte(st.atc)}
	key, err := a.arpcKey(atc, c.t.values[0x9F37])
	if err != nil {
		return false
	}
	var want []byte
	var got []byte
	if a.def.CVN.ARPCMethod() == 2 {
		if len(v) < 8 || len(v) > 16 {
			return false
		}
		want, err = issuer.ARPCMethod2(key, c.t.arqc[:], v[4:8], v[8:])
		got = v[:4]
	} else {
		if len(v) != 10 {
			return false
		}
		want, err = issuer.ARPCMethod1(key, c.t.arqc[:], v[8:10])
		got = v[:8]
	}
	return err == nil && subtle.ConstantTimeCompare(want, got) == 1
}

// arpcKey is the key of the version's ARPC: the ICC master key for Visa
// CVN 10 and Mastercard CVN 16 and 17, the SKD session key for Interac,
// the common session key for the others (as issuer.ARPCKey).
func (a *app) arpcKey(atc, un []byte) ([]byte, error) {
	switch a.def.CVN {
	case issuer.VisaCVN10, issuer.MastercardCVN16, issuer.MastercardCVN17:
		return a.mkAC, nil
	case issuer.InteracCVN133:
		return issuer.MastercardSessionKey(a.mkAC, atc, un)
	}
	r, err := issuer.ACR(atc)
	if err != nil {
		return nil, err
	}
	return issuer.SessionKey(a.mkAC, r)
}

// cryptogram computes the application cryptogram over the transaction
// data values with the ATC and issuer application data.
func (a *app) cryptogram(values map[tlv.Tag][]byte, atc, iad []byte) ([]byte, error) {
	data := make(map[tlv.Tag][]byte, len(values)+3)
	for t, v := range values {
		data[t] = v
	}
	data[0x82] = a.aip[:]
	data[0x9F36] = atc
	data[0x9F10] = iad
	in, err := issuer.CryptogramData(a.def.CVN, data)
	if err != nil {
		return nil, err
	}
	var key []byte
	switch a.def.CVN.SessionKeyMethod() {
	case issuer.NoSessionKey:
		key = a.mkAC
	case issuer.MastercardSKD:
		key, err = issuer.MastercardSessionKey(a.mkAC, atc, values[0x9F37])
	default:
		var r []byte
		if r, err = issuer.ACR(atc); err == nil {
			key, err = issuer.SessionKey(a.mkAC, r)
		}
	}
	if err != nil {
		return nil, err
	}
	return issuer.ApplicationCryptogram(key, in, a.def.CVN.Padding())
}

// checkCryptogramData makes sure the CDOL1 supplies every data object the
// cryptogram version MACs, so that GENERATE AC cannot fail later.
func (a *app) checkCryptogramData(i int) error {
	values := make(map[tlv.Tag][]byte)
	for _, e := range a.cdol1 {
		values[e.Tag] = make([]byte, e.Length)
	}
	if _, err := a.cryptogram(values, []byte{0, 1}, a.iadTemplate()); err != nil {
		return perr(i, "CDOL1", "does not supply the data %v MACs: %v", a.def.CVN, err)
	}
	return nil
}

// iadTemplate is issuer application data of the right form with a zero
// CVR.
func (a *app) iadTemplate() []byte {
	if a.def.CVN == issuer.VisaCVN22 {
		// Visa format 2: 1F, CVN, DKI, then the CVR.
		iad := make([]byte, 32)
		iad[0], iad[1], iad[2] = 0x1F, 0x22, a.def.DKI
		return iad
	}
	if a.def.CVN == issuer.InteracCVN133 {
		// Length of the rest, DKI, CVN 85, then the CVR.
		return []byte{0x06, a.def.DKI, 0x85, 0, 0, 0, 0}
	}
	if a.mastercard() {
		iad := make([]byte, 18)
		iad[0], iad[1] = a.def.DKI, a.def.CVN.Code()
		return iad
	}
	return []byte{0x06, a.def.DKI, a.def.CVN.Code(), 0x03, 0, 0, 0}
}

func (a *app) mastercard() bool {
	switch a.def.CVN {
	case issuer.MastercardCVN16, issuer.MastercardCVN17, issuer.MastercardCVN20, issuer.MastercardCVN21:
		return true
	}
	return false
}

// acBits codes a cryptogram type as the CVRs of both schemes do: 00 AAC,
// 01 TC, 10 ARQC (or, for the second GENERATE AC, not requested).
func acBits(cid emv.CID) byte {
	switch cid.Type() {
	case emv.TC:
		return 1
	case emv.ARQC:
		return 2
	}
	return 0
}

// iad builds the issuer application data (9F10) with the card
// verification results of this GENERATE AC: VSDC format 0 (06 DKI CVN 03
// and a 3-byte CVR) for Visa CVN 10 and 18, the 18-byte M/Chip 4 layout
// (DKI, CVN, 6-byte CVR, DAC/IDN, counters, all zero) for Mastercard. Visa
// CVN 22 (format 2, 32 bytes) and Interac CVN 133 get the VSDC CVR bits in
// the CVR position of their layout: enough for emv/issuer to detect the
// version and verify, not a faithful copy of those schemes' CVRs. Only the CVR bits that the
// simulation tracks are set; see the package documentation.
func (c *Card) iad(a *app, st *appState, cid emv.CID, second bool) []byte {
	first, secondBits := acBits(cid), byte(2)
	if second {
		first, secondBits = acBits(c.t.firstCID), acBits(cid)
	}
	pinPerformed := c.t.pinVerified || c.t.pinFailed
	scripts := c.t.scriptCount
	if scripts > 15 {
		scripts = 15
	}
	iad := a.iadTemplate()
	if a.mastercard() {
		cvr := iad[2:8]
		cvr[0] = secondBits<<6 | first<<4
		if pinPerformed {
			cvr[0] |= 0x04
			if c.t.pinEnc {
				cvr[0] |= 0x02
			}
		}
		if c.t.pinVerified {
			cvr[0] |= 0x01
		}
		if c.t.dda {
			cvr[1] |= 0x80
		}
		if c.t.cda1 {
			cvr[1] |= 0x40
		}
		if c.t.cda2 {
			cvr[1] |= 0x20
		}
		if c.t.issuerAuth != IssuerAuthNotPerformed {
			cvr[1] |= 0x10
		}
		cvr[2] = byte(scripts)<<4 | byte(st.pinTries&0x0F)
		if st.lastNotCompleted {
			cvr[3] |= 0x80
		}
		if c.t.unableOnline {
			cvr[3] |= 0x40
		}
		if a.def.PIN != "" && !pinPerformed {
			cvr[3] |= 0x20
		}
		if c.t.pinFailed && !c.t.pinVerified {
			cvr[3] |= 0x10
		}
		if a.def.PIN != "" && st.pinTries == 0 {
			cvr[3] |= 0x08
		}
		if country, ok := c.t.values[0x9F1A]; ok {
			if bytes.Equal(country, a.def.Country[:]) {
				cvr[3] |= 0x02
			} else {
				cvr[3] |= 0x04
			}
		}
		if c.velocityExceeded(a, st, false) {
			cvr[4] |= 0x80
		}
		if c.velocityExceeded(a, st, true) {
			cvr[4] |= 0x40
		}
		if c.t.issuerAuth == IssuerAuthFailed {
			cvr[4] |= 0x04
		}
		if c.t.scriptCount > 0 {
			cvr[4] |= 0x02
		}
		if c.t.scriptFailed {
			cvr[4] |= 0x01
		}
		return iad
	}
	cvr := iad[4:7]
	switch a.def.CVN {
	case issuer.VisaCVN22:
		cvr = iad[3:6]
	case issuer.InteracCVN133:
		cvr = iad[3:6]
	}
	cvr[0] = secondBits<<6 | first<<4
	if c.t.issuerAuth == IssuerAuthFailed {
		cvr[0] |= 0x08
	}
	if pinPerformed {
		cvr[0] |= 0x04
	}
	if c.t.pinFailed && !c.t.pinVerified {
		cvr[0] |= 0x02
	}
	if c.t.unableOnline {
		cvr[0] |= 0x01
	}
	if st.lastNotCompleted {
		cvr[1] |= 0x80
	}
	if a.def.PIN != "" && st.pinTries == 0 {
		cvr[1] |= 0x40
	}
	if c.velocityExceeded(a, st, false) {
		cvr[1] |= 0x20
	}
	if st.lastOnline == 0 {
		cvr[1] |= 0x10 // new card
	}
	if st.issuerAuthFailed {
		cvr[1] |= 0x08
	}
	if second && !c.t.unableOnline && c.t.issuerAuth == IssuerAuthNotPerformed {
		cvr[1] |= 0x04
	}
	cvr[2] = byte(scripts) << 4
	if c.t.scriptFailed {
		cvr[2] |= 0x08
	}
	if c.t.dda || c.t.cda1 {
		cvr[2] |= 0x02
	}
	return iad
}

// logTransaction appends an entry to the transaction log in the log format
// (amount, currency, date, type, ATC, CID), dropping the oldest entry when
// the log is full.
func (c *Card) logTransaction(a *app, st *appState, cid emv.CID) {
	if a.def.LogRecords == 0 {
		return
	}
	entries, _ := emv.ParseDOL(logFormat)
	var e []byte
	for _, d := range entries {
		var v []byte
		switch d.Tag {
		case 0x9F36:
			v = []byte{byte(st.atc >> 8), byte(st.atc)}
		case 0x9F27:
			v = []byte{byte(cid)}
		default:
			v = c.t.values[d.Tag]
		}
		if len(v) != d.Length {
			v = make([]byte, d.Length)
		}
		e = append(e, v...)
	}
	st.log = append(st.log, e)
	if len(st.log) > int(a.def.LogRecords) {
		st.log = st.log[1:]
	}
}
