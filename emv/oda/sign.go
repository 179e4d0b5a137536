package oda

import (
	"math/big"
)

// IssuerCertTemplate holds the fields an issuer public key certificate
// states besides the key (EMV 4.4 Book 2 5.3).
type IssuerCertTemplate struct {
	// IssuerID is the leftmost 3 to 8 digits of the PANs the issuer key
	// serves, compressed numeric, padded on the right with F: see
	// IssuerIDFromPAN.
	IssuerID [4]byte
	Expiry   [2]byte // MMYY, BCD
	Serial   [3]byte
}

// ICCCertTemplate holds the fields an ICC (or ICC PIN encipherment)
// public key certificate states besides the key (Book 2 6.4 and 7.1).
type ICCCertTemplate struct {
	// PAN is the application PAN (5A) as personalised, compressed numeric
	// padded with F, at most 10 bytes; the certificate pads it to 10
	// bytes with FF.
	PAN    []byte
	Expiry [2]byte // MMYY, BCD
	Serial [3]byte
}

// IssuerIDFromPAN returns the issuer identifier made of the first digits
// digits (3 to 8) of a compressed numeric PAN, padded with F.
func IssuerIDFromPAN(pan []byte, digits int) ([4]byte, error) {
	id := [4]byte{0xFF, 0xFF, 0xFF, 0xFF}
	n, ok := panDigits(pan)
	if !ok || digits < 3 || digits > 8 || digits > n {
		return id, ErrSigning
	}
	for i := range digits {
		d := nibble(pan, i)
		if i&1 == 0 {
			id[i/2] = d<<4 | 0x0F
		} else {
			id[i/2] = id[i/2]&0xF0 | d
		}
	}
	return id, nil
}

// finishBlock appends hash and trailer to a block under construction and
// applies the private key. The block must come out exactly as long as the
// modulus and smaller than it.
func (k *PrivateKey) finishBlock(block []byte, hashed ...[]byte) ([]byte, error) {
	sum := sha1Of(hashed...)
	block = append(block, sum[:]...)
	block = append(block, 0xBC)
	if len(block) != k.Len() {
		return nil, ErrSigning
	}
	if new(big.Int).SetBytes(block).Cmp(k.n) >= 0 {
		return nil, ErrSigning // modulus too small for header 6A
	}
	return k.sign(block), nil
}

// keyField splits a certified key into the part inside the certificate,
// padded with BB to fieldLen, and the remainder.
func keyField(block []byte, modulus []byte, fieldLen int) ([]byte, []byte) {
	if len(modulus) <= fieldLen {
		block = append(block, modulus...)
		for range fieldLen - len(modulus) {
			block = append(block, 0xBB)
		}
		return block, nil
	}
	block = append(block, modulus[:fieldLen]...)
	return block, append([]byte(nil), modulus[fieldLen:]...)
}

// SignIssuerCertificate produces the issuer public key certificate (90)
// of issuer under the CA key ca, and the issuer public key remainder (92),
// nil when the key fits the certificate. The issuer modulus may not be
// longer than the CA modulus.
func SignIssuerCertificate(ca *PrivateKey, issuer *PublicKey, t IssuerCertTemplate) (cert, remainder []byte, err error) {
	block, remainder, err := issuerBlock(ca.Len(), issuer, t)
	if err != nil {
		return nil, nil, err
	}
	cert, err = ca.finishBlock(block, block[1:], remainder, issuer.Exponent)
	return cert, remainder, err
}

// issuerBlock lays out the fields of an issuer public key certificate
// for a CA key of n bytes, up to the hash.
func issuerBlock(n int, issuer *PublicKey, t IssuerCertTemplate) (block, remainder []byte, err error) {
	if issuer.Len() > n {
		return nil, nil, ErrSigning
	}
	block = make([]byte, 0, n)
	block = append(block, 0x6A, 0x02)
	block = append(block, t.IssuerID[:]...)
	block = append(block, t.Expiry[:]...)
	block = append(block, t.Serial[:]...)
	block = append(block, hashSHA1, rsaAlgorithm, byte(issuer.Len()), byte(len(issuer.Exponent)))
	block, remainder = keyField(block, issuer.Modulus, n-issuerOverhead)
	return block, remainder, nil
}

// SignICCCertificate produces the ICC public key certificate (9F46) of icc
// under the issuer key, covering staticData (the static data to be
// authenticated, as the terminal will read it), and the ICC public key
// remainder (9F48), nil when the key fits.
func SignICCCertificate(issuer *PrivateKey, icc *PublicKey, t ICCCertTemplate, staticData []byte) (cert, remainder []byte, err error) {
	return signICC(issuer, icc, t, staticData)
}

// SignICCPINCertificate produces the ICC PIN encipherment public key
// certificate (9F2D) of key under the issuer key, and its remainder
// (9F2F), nil when the key fits.
func SignICCPINCertificate(issuer *PrivateKey, key *PublicKey, t ICCCertTemplate) (cert, remainder []byte, err error) {
	return signICC(issuer, key, t, nil)
}

func signICC(issuer *PrivateKey, icc *PublicKey, t ICCCertTemplate, staticData []byte) (cert, remainder []byte, err error) {
	block, remainder, err := iccBlock(issuer.Len(), icc, t)
	if err != nil {
		return nil, nil, err
	}
	cert, err = issuer.finishBlock(block, block[1:], remainder, icc.Exponent, staticData)
	return cert, remainder, err
}

// iccBlock lays out the fields of an ICC (PIN encipherment) public key
// certificate for an issuer key of n bytes, up to the hash.
func iccBlock(n int, icc *PublicKey, t ICCCertTemplate) (block, remainder []byte, err error) {
	if icc.Len() > n || len(t.PAN) > 10 {
		return nil, nil, ErrSigning
	}
	block = make([]byte, 0, n)
	block = append(block, 0x6A, 0x04)
	block = append(block, t.PAN...)
	for range 10 - len(t.PAN) {
		block = append(block, 0xFF)
	}
	block = append(block, t.Expiry[:]...)
	block = append(block, t.Serial[:]...)
	block = append(block, hashSHA1, rsaAlgorithm, byte(icc.Len()), byte(len(icc.Exponent)))
	block, remainder = keyField(block, icc.Modulus, n-iccOverhead)
	return block, remainder, nil
}

// SignSSAD produces signed static application data (93) with the data
// authentication code dac over staticData (Book 2 5.4).
func SignSSAD(issuer *PrivateKey, dac [2]byte, staticData []byte) ([]byte, error) {
	block := ssadBlock(issuer.Len(), dac)
	return issuer.finishBlock(block, block[1:], staticData)
}

// ssadBlock lays out signed static application data for an issuer key of
// n bytes, up to the hash.
func ssadBlock(n int, dac [2]byte) []byte {
	block := make([]byte, 0, n)
	block = append(block, 0x6A, 0x03, hashSHA1, dac[0], dac[1])
	for range n - 26 {
		block = append(block, 0xBB)
	}
	return block
}

// SignDynamicData produces signed dynamic application data (9F4B) with
// the given ICC dynamic data over the terminal data that follows it in
// the hash (Book 2 6.5): the DDOL data for DDA, the terminal data of
// the fDDA version, the unpredictable number for CDA.
func SignDynamicData(icc *PrivateKey, dynamicData []byte, terminalData ...[]byte) ([]byte, error) {
	block, err := sdadBlock(icc.Len(), dynamicData)
	if err != nil {
		return nil, err
	}
	parts := append([][]byte{block[1:]}, terminalData...)
	return icc.finishBlock(block, parts...)
}

// sdadBlock lays out signed dynamic application data for an ICC key of n
// bytes, up to the hash.
func sdadBlock(n int, dynamicData []byte) ([]byte, error) {
	if len(dynamicData) > n-25 || len(dynamicData) > 255 {
		return nil, ErrSigning
	}
	block := make([]byte, 0, n)
	block = append(block, 0x6A, 0x05, hashSHA1, byte(len(dynamicData)))
	block = append(block, dynamicData...)
	for range n - len(dynamicData) - 25 {
		block = append(block, 0xBB)
	}
	return block, nil
}

// idnData returns IDN length || IDN.
func idnData(idn []byte) ([]byte, error) {
	if len(idn) < 2 || len(idn) > 8 {
		return nil, ErrSigning
	}
	return append([]byte{byte(len(idn))}, idn...), nil
}

// SignDDA produces the signed dynamic application data a card returns to
// INTERNAL AUTHENTICATE: ICC dynamic number idn (2 to 8 bytes) signed
// with the DDOL data received.
func SignDDA(icc *PrivateKey, idn, ddolData []byte) ([]byte, error) {
	dd, err := idnData(idn)
	if err != nil {
		return nil, err
	}
	return SignDynamicData(icc, dd, ddolData)
}

// SignFDDA produces the signed dynamic application data of fDDA: idn
// (kernel 3 cards use the ATC) signed with the terminal data of the
// version d selects.
func SignFDDA(icc *PrivateKey, idn []byte, d FDDA) ([]byte, error) {
	dd, err := idnData(idn)
	if err != nil {
		return nil, err
	}
	td, err := d.appendTerminalData(nil)
	if err != nil {
		return nil, err
	}
	return SignDynamicData(icc, dd, td)
}

// SignCDA produces the signed dynamic application data of CDA (Book 2
// 6.6): ICC dynamic number idn, cryptogram information data cid,
// application cryptogram ac (8 bytes) and the transaction data hash code
// over d, signed with d.UN. d.Response is the format 2 response the card
// will send, with or without 9F4B: the hash leaves 9F4B out.
func SignCDA(icc *PrivateKey, idn []byte, cid byte, ac []byte, d CDA) ([]byte, error) {
	dd, err := idnData(idn)
	if err != nil {
		return nil, err
	}
	if len(ac) != 8 || len(d.UN) != 4 {
		return nil, ErrSigning
	}
	tdhc, err := TransactionDataHash(d.PDOLData, d.CDOL1Data, d.CDOL2Data, d.Response)
	if err != nil {
		return nil, err
	}
	dd = append(dd, cid)
	dd = append(dd, ac...)
	dd = append(dd, tdhc[:]...)
	return SignDynamicData(icc, dd, d.UN)
}
