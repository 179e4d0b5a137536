package issuer

import (
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/tlv"
)

// Tags of the data objects the cryptogram versions read.
const (
	TagAmountAuthorised      tlv.Tag = 0x9F02
	TagAmountOther           tlv.Tag = 0x9F03
	TagTerminalCountry       tlv.Tag = 0x9F1A
	TagTVR                   tlv.Tag = 0x95
	TagCurrency              tlv.Tag = 0x5F2A
	TagDate                  tlv.Tag = 0x9A
	TagTransactionType       tlv.Tag = 0x9C
	TagUnpredictableNumber   tlv.Tag = 0x9F37
	TagAIP                   tlv.Tag = 0x82
	TagATC                   tlv.Tag = 0x9F36
	TagIssuerAppData         tlv.Tag = 0x9F10
	TagApplicationCryptogram tlv.Tag = 0x9F26
	TagAID                   tlv.Tag = 0x4F
	TagTerminalAID           tlv.Tag = 0x9F06
	TagIssuerAuthData        tlv.Tag = 0x91
)

// cdol is the data list every version starts with (the minimum set of
// data elements EMV 4.4 Book 2 section 8.1.1 recommends), with the length
// each element has in EMV 4.4 Book 3 Annex A.
var cdol = [...]struct {
	tag tlv.Tag
	n   int
}{
	{TagAmountAuthorised, 6},
	{TagAmountOther, 6},
	{TagTerminalCountry, 2},
	{TagTVR, 5},
	{TagCurrency, 2},
	{TagDate, 3},
	{TagTransactionType, 1},
	{TagUnpredictableNumber, 4},
	{TagAIP, 2},
	{TagATC, 2},
}

// maxIAD is the longest issuer application data EMV allows (Book 3 Annex
// A: 9F10 is 1 to 32 bytes).
const maxIAD = 32

// CryptogramData returns the bytes version cvn MACs for the transaction
// data in data, before padding: the amounts, terminal country code, TVR,
// currency, date, type, unpredictable number, AIP and ATC, followed by
// what the version takes from the issuer application data (9F10): the
// CVR with its length byte (Visa CVN 10), the 6-byte CVR (Mastercard CVN
// 16 and 20), the CVR and the 8 counter bytes (Mastercard CVN 17 and 21),
// or the whole of 9F10 (Visa CVN 18 and 22, Interac CVN 133).
//
// Every element must be present with the length of EMV 4.4 Book 3 Annex
// A; a missing or mis-sized one is a [*DataError] naming the tag.
func CryptogramData(cvn CVN, data map[tlv.Tag][]byte) ([]byte, error) {
	return AppendCryptogramData(make([]byte, 0, 33+maxIAD), cvn, data)
}

// AppendCryptogramData is like [CryptogramData] but appends to dst.
func AppendCryptogramData(dst []byte, cvn CVN, data map[tlv.Tag][]byte) ([]byte, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return dst, err
	}
	return p.appendData(dst, cvn, data)
}

func (p *profile) appendData(dst []byte, cvn CVN, data map[tlv.Tag][]byte) ([]byte, error) {
	start := len(dst)
	for _, e := range cdol {
		v, ok := data[e.tag]
		if !ok {
			return dst[:start], &DataError{CVN: cvn, Tag: e.tag, Len: -1, Want: e.n}
		}
		if len(v) != e.n {
			return dst[:start], &DataError{CVN: cvn, Tag: e.tag, Len: len(v), Want: e.n}
		}
		dst = append(dst, v...)
	}
	iad, ok := data[TagIssuerAppData]
	if !ok {
		return dst[:start], &DataError{CVN: cvn, Tag: TagIssuerAppData, Len: -1}
	}
	var err error
	dst, err = p.appendIAD(dst, cvn, iad)
	if err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// appendIAD appends the part of the issuer application data the version
// MACs. It checks only what it reads: which version the card used is the
// business of DetectCVN.
func (p *profile) appendIAD(dst []byte, cvn CVN, iad []byte) ([]byte, error) {
	if len(iad) == 0 || len(iad) > maxIAD {
		return dst, &DataError{CVN: cvn, Tag: TagIssuerAppData, Len: len(iad)}
	}
	need := 0
	switch p.tail {
	case visaCVR:
		need = 7
	case mchipCVR:
		need = 8
	case mchipCounter:
		need = 18
	}
	if len(iad) < need {
		return dst, &IADError{Scheme: p.scheme.String(), Len: len(iad),
			Reason: "too short for the " + p.name + " card verification results (want at least " + itoa(need) + " bytes)"}
	}
	switch p.tail {
	case visaCVR:
		return append(dst, iad[3:7]...), nil
	case mchipCVR:
		return append(dst, iad[2:8]...), nil
	case mchipCounter:
		dst = append(dst, iad[2:8]...)
		return append(dst, iad[10:18]...), nil
	}
	return append(dst, iad...), nil
}

// ApplicationCryptogram returns the 8-byte MAC of data under the 16-byte
// key with ISO/IEC 9797-1 MAC algorithm 3 and padding p, the cryptogram
// computation of EMV 4.4 Book 2 Annex A1.2. key is the session key, or the
// ICC master key for versions without one.
func ApplicationCryptogram(key, data []byte, p mac.Padding) ([]byte, error) {
	if len(key) != 16 {
		return nil, errKey("session key", len(key))
	}
	if p != mac.Method1 && p != mac.Method2 {
		return nil, &unsupportedError{"cryptogram padding " + p.String()}
	}
	return mac.Alg3(key, data, p)
}

// Cryptogram computes the application cryptogram (ARQC, TC or AAC: the
// computation is the same) of version cvn for the data objects of a
// transaction, as carried in field 55 and keyed by tag. It derives the ICC
// master key from the issuer master key imk for AC with the version's
// option, derives the session key the version uses, builds the data with
// [CryptogramData] and MACs it with the version's padding.
func Cryptogram(cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte) ([]byte, error) {
	var t Trace
	var k derivedKeys
	ac, err := cryptogram(&t, &k, cvn, imk, pan, psn, data)
	k.clear()
	if err != nil {
		return nil, err
	}
	return ac[:], nil
}

// derivedKeys holds the keys of one computation on the caller's stack, so
// that check values are computed only when a trace needs them. The caller
// clears it when done.
type derivedKeys struct {
	mk, sk [16]byte
}

// clear zeroes the derived keys.
func (k *derivedKeys) clear() {
	clear(k.mk[:])
	clear(k.sk[:])
}

// cryptogram computes the cryptogram and records every step in t, except
// the key check values: see Trace.setKCVs.
func cryptogram(t *Trace, k *derivedKeys, cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte) (ac [8]byte, err error) {
	p, err := cvn.mustProfile()
	if err != nil {
		t.Step = StepCVN
		return ac, err
	}
	t.CVN = cvn
	t.Option = p.option
	t.SessionKeyMethod = p.acKey
	t.Padding = p.padding

	t.Step = StepMasterKey
	if _, err = appendMasterKey(k.mk[:0], imk, pan, psn, p.option); err != nil {
		return ac, err
	}

	t.Step = StepSessionKey
	if _, err = sessionKey(k.sk[:0], k.mk[:], p.acKey, data[TagATC], data[TagUnpredictableNumber], nil); err != nil {
		return ac, sessionKeyDataError(cvn, err, data)
	}

	t.Step = StepData
	t.Data, err = p.appendData(t.Data[:0], cvn, data)
	if err != nil {
		return ac, err
	}

	t.Step = StepMAC
	if _, err := mac.AppendAlg3(ac[:0], k.sk[:], t.Data, p.padding); err != nil {
		return ac, err
	}
	return ac, nil
}

// setKCVs fills the key check values of the keys derived before the step
// the computation stopped at.
func (t *Trace) setKCVs(k *derivedKeys) {
	t.MasterKeyKCV, t.SessionKeyKCV = [3]byte{}, [3]byte{}
	if t.Step > StepMasterKey {
		t.MasterKeyKCV = kcv(k.mk[:])
	}
	if t.Step > StepSessionKey {
		t.SessionKeyKCV = kcv(k.sk[:])
	}
}

// sessionKeyDataError turns a length error on the ATC or unpredictable
// number into the DataError a caller of Cryptogram expects.
func sessionKeyDataError(cvn CVN, err error, data map[tlv.Tag][]byte) error {
	if le, ok := err.(*LengthError); ok {
		tag := TagATC
		want := 2
		if le.What == "unpredictable number" {
			tag, want = TagUnpredictableNumber, 4
		}
		v, ok := data[tag]
		if !ok {
			return &DataError{CVN: cvn, Tag: tag, Len: -1, Want: want}
		}
		return &DataError{CVN: cvn, Tag: tag, Len: len(v), Want: want}
	}
	return err
}

// CryptogramKey returns the key version cvn computes its cryptogram with,
// from the ICC master key mk for AC (as the card holds it): mk itself, the
// EMV common session key for the ATC in data, or the Mastercard SKD key for
// the ATC and unpredictable number in data.
func CryptogramKey(cvn CVN, mk []byte, data map[tlv.Tag][]byte) ([]byte, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return nil, err
	}
	sk, err := sessionKey(make([]byte, 0, 16), mk, p.acKey, data[TagATC], data[TagUnpredictableNumber], nil)
	if err != nil {
		return nil, sessionKeyDataError(cvn, err, data)
	}
	return sk, nil
}

// CardCryptogram computes the cryptogram of version cvn as the card does,
// from its ICC master key for AC mk instead of the issuer master key: the
// same value [Cryptogram] returns for the issuer master key mk was derived
// from. It is meant for simulated and test cards.
func CardCryptogram(cvn CVN, mk []byte, data map[tlv.Tag][]byte) ([]byte, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return nil, err
	}
	sk, err := CryptogramKey(cvn, mk, data)
	if err != nil {
		return nil, err
	}
	defer clear(sk)
	d, err := p.appendData(make([]byte, 0, 33+maxIAD), cvn, data)
	if err != nil {
		return nil, err
	}
	return mac.Alg3(sk, d, p.padding)
}
