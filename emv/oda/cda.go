package oda

import (
	"crypto/sha1"
	"crypto/subtle"

	"github.com/posflow/posflow/tlv"
)

// Tags CDA reads from the GENERATE AC response.
const (
	tagResponseFormat2 tlv.Tag = 0x77
	tagCID             tlv.Tag = 0x9F27
	tagSDAD            tlv.Tag = 0x9F4B
)

// CDA is the transaction data that combined DDA/application cryptogram
// generation signs (EMV 4.4 Book 2 6.6).
type CDA struct {
	// UN is the unpredictable number (9F37) the terminal sent in the CDOL
	// data of this GENERATE AC, 4 bytes.
	UN []byte
	// PDOLData is the concatenated PDOL data sent with GET PROCESSING
	// OPTIONS (the value of tag 83, without tag and length); nil when the
	// card has no PDOL.
	PDOLData []byte
	// CDOL1Data is the data sent with the first GENERATE AC.
	CDOL1Data []byte
	// CDOL2Data is the data sent with the second GENERATE AC; nil when
	// verifying the first.
	CDOL2Data []byte
	// Response is the response data field of GENERATE AC as received:
	// response message template format 2 (77) holding 9F27, 9F36, 9F4B,
	// and optionally 9F10 and other objects. Lengths may be in long form
	// where a short form would do: the hash is taken over the bytes
	// received.
	Response []byte
}

// lenient is the decoding CDA applies to the response: cards send
// non-minimal lengths and the transaction data hash covers them as sent.
var lenient = tlv.Options{Lenient: true}

// TransactionDataHash returns the transaction data hash code of Book 2
// 6.6.1: SHA-1 over the PDOL data, the CDOL1 data, the CDOL2 data (second
// GENERATE AC) and every data object of the format 2 response, in the
// order received, except the signed dynamic application data (9F4B). The
// objects are hashed as received, tag and length included.
func TransactionDataHash(pdolData, cdol1Data, cdol2Data, response []byte) ([20]byte, error) {
	var sum [20]byte
	h := sha1.New()
	h.Write(pdolData)
	h.Write(cdol1Data)
	h.Write(cdol2Data)
	tmpl, err := responseTemplate(response)
	if err != nil {
		return sum, err
	}
	c := tmpl.Children()
	for c.Next() {
		o := c.Object()
		if o.Tag != tagSDAD {
			h.Write(o.Raw)
		}
	}
	if err := c.Err(); err != nil {
		return sum, fail(ItemResponse, ErrResponse, "malformed template 77")
	}
	h.Sum(sum[:0])
	return sum, nil
}

// responseTemplate returns the format 2 template that must be the whole
// response.
func responseTemplate(response []byte) (tlv.Object, error) {
	c := lenient.NewCursor(response)
	if !c.Next() {
		return tlv.Object{}, fail(ItemResponse, ErrResponse, "empty or malformed response")
	}
	o := c.Object()
	if o.Tag != tagResponseFormat2 {
		return tlv.Object{}, fail(ItemResponse, ErrResponse, "not format 2 (template 77)")
	}
	if c.Next() || c.Err() != nil {
		return tlv.Object{}, fail(ItemResponse, ErrResponse, "data after template 77")
	}
	return o, nil
}

// VerifyCDA performs the checks of combined DDA/application cryptogram
// generation (Book 2 6.6.2) on a GENERATE AC response. It takes the
// cryptogram information data (9F27) and the signed dynamic application
// data (9F4B) from d.Response (ErrResponse if either is missing or
// appears twice) and checks, in order:
//
//   - length, trailer BC, header 6A, format 05, hash algorithm indicator
//     01 and the ICC dynamic data lengths (ErrLength,
//     ErrTrailer, ErrHeader, ErrFormat, ErrHashAlgorithm,
//     ErrDynamicData);
//   - the CID inside the signature equal to 9F27 (ErrCID);
//   - SHA-1 over format .. pad pattern || UN equal to the recovered hash
//     (ErrHash);
//   - the transaction data hash code equal to TransactionDataHash over
//     d (ErrTransactionDataHash).
//
// The returned SDAD carries the ICC dynamic number and the application
// cryptogram.
func VerifyCDA(icc *PublicKey, d CDA) (*SDAD, error) {
	if len(d.UN) != 4 {
		return nil, fail(ItemSDAD, ErrTerminalData, "unpredictable number must be 4 bytes")
	}
	tmpl, err := responseTemplate(d.Response)
	if err != nil {
		return nil, err
	}
	var cid, sig []byte
	var nCID, nSig int
	c := tmpl.Children()
	for c.Next() {
		switch c.Tag() {
		case tagCID:
			cid = c.Value()
			nCID++
		case tagSDAD:
			sig = c.Value()
			nSig++
		}
	}
	if c.Err() != nil {
		return nil, fail(ItemResponse, ErrResponse, "malformed template 77")
	}
	if nCID != 1 || len(cid) != 1 {
		return nil, fail(ItemResponse, ErrResponse, "need exactly one 1-byte 9F27")
	}
	if nSig != 1 {
		return nil, fail(ItemResponse, ErrResponse, "need exactly one 9F4B")
	}
	s, err := recoverSDAD(icc, sig)
	if err != nil {
		return nil, err
	}
	// Table 19: IDN length, IDN, CID, AC (8), TDHC (20).
	rest := s.DynamicData[1+len(s.IDN):]
	if len(rest) < 1+8+20 {
		return nil, fail(ItemSDAD, ErrDynamicData, "too short for CDA")
	}
	s.CID = rest[0]
	s.AC = rest[1:9]
	s.TDHC = rest[9:29]
	if s.CID != cid[0] {
		return nil, fail(ItemSDAD, ErrCID, gotWant(s.CID, cid[0]))
	}
	if err := s.checkHash(d.UN); err != nil {
		return nil, err
	}
	tdhc, err := TransactionDataHash(d.PDOLData, d.CDOL1Data, d.CDOL2Data, d.Response)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(tdhc[:], s.TDHC) != 1 {
		return nil, fail(ItemSDAD, ErrTransactionDataHash, "")
	}
	return s, nil
}
