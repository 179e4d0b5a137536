package emv

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// A CVMCode is the method of a cardholder verification rule, bits b6-b1 of
// its first byte (EMV 4.4 Book 3 Annex C3).
type CVMCode byte

// The cardholder verification methods.
const (
	CVMFail                             CVMCode = 0x00
	CVMPlaintextPIN                     CVMCode = 0x01 // plaintext PIN verified by the ICC
	CVMEncipheredPINOnline              CVMCode = 0x02
	CVMPlaintextPINAndSignature         CVMCode = 0x03
	CVMEncipheredPINOffline             CVMCode = 0x04 // enciphered PIN verified by the ICC
	CVMEncipheredPINOfflineAndSignature CVMCode = 0x05
	CVMSignature                        CVMCode = 0x1E
	CVMNoCVMRequired                    CVMCode = 0x1F
	CVMNotAvailable                     CVMCode = 0x3F // only in CVM results: no CVM performed
)

func (c CVMCode) String() string {
	switch c {
	case CVMFail:
		return "fail CVM processing"
	case CVMPlaintextPIN:
		return "plaintext PIN verified by ICC"
	case CVMEncipheredPINOnline:
		return "enciphered PIN verified online"
	case CVMPlaintextPINAndSignature:
		return "plaintext PIN verified by ICC and signature"
	case CVMEncipheredPINOffline:
		return "enciphered PIN verified by ICC"
	case CVMEncipheredPINOfflineAndSignature:
		return "enciphered PIN verified by ICC and signature"
	case CVMSignature:
		return "signature"
	case CVMNoCVMRequired:
		return "no CVM required"
	case CVMNotAvailable:
		return "no CVM performed"
	}
	return "CVM " + strconv.FormatUint(uint64(c), 16)
}

// A CVMCondition is the condition code of a rule, its second byte (Book 3
// Annex C3).
type CVMCondition byte

// The condition codes.
const (
	CondAlways               CVMCondition = 0x00
	CondUnattendedCash       CVMCondition = 0x01
	CondNotCashNorCashback   CVMCondition = 0x02 // not unattended cash, not manual cash, not purchase with cashback
	CondTerminalSupportsCVM  CVMCondition = 0x03
	CondManualCash           CVMCondition = 0x04
	CondPurchaseWithCashback CVMCondition = 0x05
	CondAppCurrencyUnderX    CVMCondition = 0x06
	CondAppCurrencyOverX     CVMCondition = 0x07
	CondAppCurrencyUnderY    CVMCondition = 0x08
	CondAppCurrencyOverY     CVMCondition = 0x09
)

// A CVRule is one cardholder verification rule of a CVM list.
type CVRule struct {
	Code CVMCode
	// ApplySucceeding is bit b7: apply the next rule if this one fails.
	ApplySucceeding bool
	Condition       CVMCondition
}

// A CVMList is the decoded tag 8E.
type CVMList struct {
	// X and Y are the amounts of conditions 06 to 09, in the
	// application currency, binary, with its implied decimals.
	X, Y  uint32
	Rules []CVRule
}

// ErrCVMList is wrapped by the errors of malformed CVM lists.
var ErrCVMList = errors.New("emv: malformed CVM list")

// ParseCVMList decodes a CVM list: amount X, amount Y, then rules of two
// bytes. A list with no rule, a trailing odd byte or an RFU bit b8 set in a
// rule is malformed.
func ParseCVMList(v []byte) (CVMList, error) {
	if len(v) < 10 || (len(v)-8)%2 != 0 {
		return CVMList{}, fmt.Errorf("%w: length %d", ErrCVMList, len(v))
	}
	l := CVMList{
		X:     binary.BigEndian.Uint32(v[0:4]),
		Y:     binary.BigEndian.Uint32(v[4:8]),
		Rules: make([]CVRule, 0, (len(v)-8)/2),
	}
	for i := 8; i < len(v); i += 2 {
		if v[i]&0x80 != 0 {
			return CVMList{}, fmt.Errorf("%w: rule %d has the RFU bit b8 set", ErrCVMList, (i-8)/2+1)
		}
		l.Rules = append(l.Rules, CVRule{
			Code:            CVMCode(v[i] & 0x3F),
			ApplySucceeding: v[i]&0x40 != 0,
			Condition:       CVMCondition(v[i+1]),
		})
	}
	return l, nil
}

// AppendCVMList appends the encoding of l to dst.
func AppendCVMList(dst []byte, l CVMList) []byte {
	dst = binary.BigEndian.AppendUint32(dst, l.X)
	dst = binary.BigEndian.AppendUint32(dst, l.Y)
	for _, r := range l.Rules {
		c := byte(r.Code) & 0x3F
		if r.ApplySucceeding {
			c |= 0x40
		}
		dst = append(dst, c, byte(r.Condition))
	}
	return dst
}

// CVMResults is tag 9F34 (Book 4 Annex A4): the method performed (as its
// rule's first byte), the condition, and the result.
type CVMResults [3]byte

// The results of CVM processing, byte 3 of CVMResults.
const (
	CVMResultUnknown    byte = 0x00
	CVMResultFailed     byte = 0x01
	CVMResultSuccessful byte = 0x02
)

// Code returns the method performed.
func (r CVMResults) Code() CVMCode { return CVMCode(r[0] & 0x3F) }

// String describes the results, "enciphered PIN verified online,
// condition 03, successful".
func (r CVMResults) String() string {
	res := "unknown"
	switch r[2] {
	case CVMResultFailed:
		res = "failed"
	case CVMResultSuccessful:
		res = "successful"
	}
	return fmt.Sprintf("%s, condition %02X, %s", r.Code(), r[1], res)
}
