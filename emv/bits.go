package emv

import (
	"encoding/hex"
	"strings"
)

// A Bit names one bit of a multi-byte bit field the way EMV writes it:
// byte 1 to n, bit b8 (most significant) to b1.
type Bit uint8

// bit returns the Bit for byte n (1-based), bit b (8 to 1).
func bit(n, b int) Bit { return Bit((n-1)<<3 | (8 - b)) }

func (b Bit) index() int { return int(b >> 3) }
func (b Bit) mask() byte { return 0x80 >> (b & 7) }
func has(f []byte, b Bit) bool {
	return b.index() < len(f) && f[b.index()]&b.mask() != 0
}
func set(f []byte, b Bit) {
	if b.index() < len(f) {
		f[b.index()] |= b.mask()
	}
}

// describe returns the hex of f followed by the names of its set bits.
func describe(f []byte, names map[Bit]string) string {
	var sb strings.Builder
	sb.WriteString(strings.ToUpper(hex.EncodeToString(f)))
	writeBitNames(&sb, f, names, ": ", nil)
	return sb.String()
}

// writeBitNames writes the name of each set bit of f that skip (if not
// nil) does not exclude, "RFU bit set" for a bit without a name, each
// preceded by a separator: first before the first name, "; " after.
func writeBitNames(sb *strings.Builder, f []byte, names map[Bit]string, first string, skip func(Bit) bool) {
	sep := first
	for i := range len(f) * 8 {
		b := Bit(i)
		if !has(f, b) || skip != nil && skip(b) {
			continue
		}
		sb.WriteString(sep)
		sep = "; "
		if name, ok := names[b]; ok {
			sb.WriteString(name)
		} else {
			sb.WriteString("RFU bit set")
		}
	}
}

// TVR is the Terminal Verification Results, tag 95 (EMV 4.4 Book 3 Annex
// C5).
type TVR [5]byte

// The bits of the TVR.
var (
	TVROfflineDataAuthNotPerformed   = bit(1, 8)
	TVRSDAFailed                     = bit(1, 7)
	TVRICCDataMissing                = bit(1, 6)
	TVRCardOnExceptionFile           = bit(1, 5)
	TVRDDAFailed                     = bit(1, 4)
	TVRCDAFailed                     = bit(1, 3)
	TVRSDASelected                   = bit(1, 2)
	TVRDifferentAppVersions          = bit(2, 8)
	TVRExpiredApplication            = bit(2, 7)
	TVRApplicationNotYetEffective    = bit(2, 6)
	TVRServiceNotAllowed             = bit(2, 5)
	TVRNewCard                       = bit(2, 4)
	TVRCardholderVerificationFailed  = bit(3, 8)
	TVRUnrecognisedCVM               = bit(3, 7)
	TVRPINTryLimitExceeded           = bit(3, 6)
	TVRPINPadNotPresent              = bit(3, 5)
	TVRPINNotEntered                 = bit(3, 4)
	TVROnlinePINEntered              = bit(3, 3)
	TVRExceedsFloorLimit             = bit(4, 8)
	TVRLowerConsecutiveLimitExceeded = bit(4, 7)
	TVRUpperConsecutiveLimitExceeded = bit(4, 6)
	TVRRandomlySelectedOnline        = bit(4, 5)
	TVRMerchantForcedOnline          = bit(4, 4)
	TVRDefaultTDOLUsed               = bit(5, 8)
	TVRIssuerAuthenticationFailed    = bit(5, 7)
	TVRScriptFailedBeforeFinalGenAC  = bit(5, 6)
	TVRScriptFailedAfterFinalGenAC   = bit(5, 5)
)

var tvrNames = map[Bit]string{
	TVROfflineDataAuthNotPerformed:   "offline data authentication was not performed",
	TVRSDAFailed:                     "SDA failed",
	TVRICCDataMissing:                "ICC data missing",
	TVRCardOnExceptionFile:           "card appears on terminal exception file",
	TVRDDAFailed:                     "DDA failed",
	TVRCDAFailed:                     "CDA failed",
	TVRSDASelected:                   "SDA selected",
	TVRDifferentAppVersions:          "ICC and terminal have different application versions",
	TVRExpiredApplication:            "expired application",
	TVRApplicationNotYetEffective:    "application not yet effective",
	TVRServiceNotAllowed:             "requested service not allowed for card product",
	TVRNewCard:                       "new card",
	TVRCardholderVerificationFailed:  "cardholder verification was not successful",
	TVRUnrecognisedCVM:               "unrecognised CVM",
	TVRPINTryLimitExceeded:           "PIN try limit exceeded",
	TVRPINPadNotPresent:              "PIN entry required and PIN pad not present or not working",
	TVRPINNotEntered:                 "PIN entry required, PIN pad present, but PIN was not entered",
	TVROnlinePINEntered:              "online PIN entered",
	TVRExceedsFloorLimit:             "transaction exceeds floor limit",
	TVRLowerConsecutiveLimitExceeded: "lower consecutive offline limit exceeded",
	TVRUpperConsecutiveLimitExceeded: "upper consecutive offline limit exceeded",
	TVRRandomlySelectedOnline:        "transaction selected randomly for online processing",
	TVRMerchantForcedOnline:          "merchant forced transaction online",
	TVRDefaultTDOLUsed:               "default TDOL used",
	TVRIssuerAuthenticationFailed:    "issuer authentication failed",
	TVRScriptFailedBeforeFinalGenAC:  "script processing failed before final GENERATE AC",
	TVRScriptFailedAfterFinalGenAC:   "script processing failed after final GENERATE AC",
}

// Has reports whether bit b is set.
func (t *TVR) Has(b Bit) bool { return has(t[:], b) }

// Set sets bit b.
func (t *TVR) Set(b Bit) { set(t[:], b) }

// String returns the TVR in hex with the names of its set bits.
func (t TVR) String() string { return describe(t[:], tvrNames) }

// TSI is the Transaction Status Information, tag 9B (Book 3 Annex C6).
type TSI [2]byte

// The bits of the TSI.
var (
	TSIOfflineDataAuthPerformed  = bit(1, 8)
	TSICardholderVerification    = bit(1, 7)
	TSICardRiskManagement        = bit(1, 6)
	TSIIssuerAuthentication      = bit(1, 5)
	TSITerminalRiskManagement    = bit(1, 4)
	TSIScriptProcessingPerformed = bit(1, 3)
)

var tsiNames = map[Bit]string{
	TSIOfflineDataAuthPerformed:  "offline data authentication was performed",
	TSICardholderVerification:    "cardholder verification was performed",
	TSICardRiskManagement:        "card risk management was performed",
	TSIIssuerAuthentication:      "issuer authentication was performed",
	TSITerminalRiskManagement:    "terminal risk management was performed",
	TSIScriptProcessingPerformed: "script processing was performed",
}

// Has reports whether bit b is set.
func (t *TSI) Has(b Bit) bool { return has(t[:], b) }

// Set sets bit b.
func (t *TSI) Set(b Bit) { set(t[:], b) }

// String returns the TSI in hex with the names of its set bits.
func (t TSI) String() string { return describe(t[:], tsiNames) }

// AIP is the Application Interchange Profile, tag 82 (Book 3 Annex C1).
type AIP [2]byte

// The bits of the AIP.
var (
	AIPSDA                    = bit(1, 7)
	AIPDDA                    = bit(1, 6)
	AIPCardholderVerification = bit(1, 5)
	AIPTerminalRiskManagement = bit(1, 4)
	AIPIssuerAuthentication   = bit(1, 3)
	AIPCDA                    = bit(1, 1)
	AIPReservedForContactless = bit(2, 8)
)

var aipNames = map[Bit]string{
	AIPSDA:                    "SDA supported",
	AIPDDA:                    "DDA supported",
	AIPCardholderVerification: "cardholder verification is supported",
	AIPTerminalRiskManagement: "terminal risk management is to be performed",
	AIPIssuerAuthentication:   "issuer authentication is supported",
	AIPCDA:                    "CDA supported",
	AIPReservedForContactless: "reserved for the EMV contactless specifications",
}

// Has reports whether bit b is set.
func (a *AIP) Has(b Bit) bool { return has(a[:], b) }

// String returns the AIP in hex with the names of its set bits.
func (a AIP) String() string { return describe(a[:], aipNames) }

// AUC is the Application Usage Control, tag 9F07 (Book 3 Annex C2).
type AUC [2]byte

// The bits of the AUC.
var (
	AUCDomesticCash          = bit(1, 8)
	AUCInternationalCash     = bit(1, 7)
	AUCDomesticGoods         = bit(1, 6)
	AUCInternationalGoods    = bit(1, 5)
	AUCDomesticServices      = bit(1, 4)
	AUCInternationalServices = bit(1, 3)
	AUCATMs                  = bit(1, 2)
	AUCNonATMTerminals       = bit(1, 1)
	AUCDomesticCashback      = bit(2, 8)
	AUCInternationalCashback = bit(2, 7)
)

var aucNames = map[Bit]string{
	AUCDomesticCash:          "valid for domestic cash transactions",
	AUCInternationalCash:     "valid for international cash transactions",
	AUCDomesticGoods:         "valid for domestic goods",
	AUCInternationalGoods:    "valid for international goods",
	AUCDomesticServices:      "valid for domestic services",
	AUCInternationalServices: "valid for international services",
	AUCATMs:                  "valid at ATMs",
	AUCNonATMTerminals:       "valid at terminals other than ATMs",
	AUCDomesticCashback:      "domestic cashback allowed",
	AUCInternationalCashback: "international cashback allowed",
}

// Has reports whether bit b is set.
func (a *AUC) Has(b Bit) bool { return has(a[:], b) }

// String returns the AUC in hex with the names of its set bits.
func (a AUC) String() string { return describe(a[:], aucNames) }

// TerminalCapabilities is tag 9F33 (Book 4 Annex A2).
type TerminalCapabilities [3]byte

// The bits of the terminal capabilities.
var (
	CapManualKeyEntry       = bit(1, 8)
	CapMagneticStripe       = bit(1, 7)
	CapICWithContacts       = bit(1, 6)
	CapPlaintextPINForICC   = bit(2, 8)
	CapEncipheredPINOnline  = bit(2, 7)
	CapSignature            = bit(2, 6)
	CapEncipheredPINOffline = bit(2, 5)
	CapNoCVMRequired        = bit(2, 4)
	CapSDA                  = bit(3, 8)
	CapDDA                  = bit(3, 7)
	CapCardCapture          = bit(3, 6)
	CapCDA                  = bit(3, 4)
)

var capNames = map[Bit]string{
	CapManualKeyEntry:       "manual key entry",
	CapMagneticStripe:       "magnetic stripe",
	CapICWithContacts:       "IC with contacts",
	CapPlaintextPINForICC:   "plaintext PIN for ICC verification",
	CapEncipheredPINOnline:  "enciphered PIN for online verification",
	CapSignature:            "signature (paper)",
	CapEncipheredPINOffline: "enciphered PIN for offline verification",
	CapNoCVMRequired:        "no CVM required",
	CapSDA:                  "SDA",
	CapDDA:                  "DDA",
	CapCardCapture:          "card capture",
	CapCDA:                  "CDA",
}

// Has reports whether bit b is set.
func (c *TerminalCapabilities) Has(b Bit) bool { return has(c[:], b) }

// Set sets bit b.
func (c *TerminalCapabilities) Set(b Bit) { set(c[:], b) }

// String returns the capabilities in hex with the names of the set bits.
func (c TerminalCapabilities) String() string { return describe(c[:], capNames) }

// AdditionalCapabilities is the Additional Terminal Capabilities, tag 9F40
// (Book 4 Annex A3): the transaction types, data input and data output
// capabilities of the terminal, and the ISO/IEC 8859 code tables it can
// display (see Terminal.SupportsCodeTable).
type AdditionalCapabilities [5]byte

// The bits of the additional terminal capabilities.
var (
	AddCapCash              = bit(1, 8)
	AddCapGoods             = bit(1, 7)
	AddCapServices          = bit(1, 6)
	AddCapCashback          = bit(1, 5)
	AddCapInquiry           = bit(1, 4)
	AddCapTransfer          = bit(1, 3)
	AddCapPayment           = bit(1, 2)
	AddCapAdministrative    = bit(1, 1)
	AddCapCashDeposit       = bit(2, 8)
	AddCapNumericKeys       = bit(3, 8)
	AddCapAlphabeticKeys    = bit(3, 7)
	AddCapCommandKeys       = bit(3, 6)
	AddCapFunctionKeys      = bit(3, 5)
	AddCapPrintAttendant    = bit(4, 8)
	AddCapPrintCardholder   = bit(4, 7)
	AddCapDisplayAttendant  = bit(4, 6)
	AddCapDisplayCardholder = bit(4, 5)
	AddCapCodeTable10       = bit(4, 2)
	AddCapCodeTable9        = bit(4, 1)
	AddCapCodeTable8        = bit(5, 8)
	AddCapCodeTable7        = bit(5, 7)
	AddCapCodeTable6        = bit(5, 6)
	AddCapCodeTable5        = bit(5, 5)
	AddCapCodeTable4        = bit(5, 4)
	AddCapCodeTable3        = bit(5, 3)
	AddCapCodeTable2        = bit(5, 2)
	AddCapCodeTable1        = bit(5, 1)
)

var addCapNames = map[Bit]string{
	AddCapCash:              "cash",
	AddCapGoods:             "goods",
	AddCapServices:          "services",
	AddCapCashback:          "cashback",
	AddCapInquiry:           "inquiry",
	AddCapTransfer:          "transfer",
	AddCapPayment:           "payment",
	AddCapAdministrative:    "administrative",
	AddCapCashDeposit:       "cash deposit",
	AddCapNumericKeys:       "numeric keys",
	AddCapAlphabeticKeys:    "alphabetic and special characters keys",
	AddCapCommandKeys:       "command keys",
	AddCapFunctionKeys:      "function keys",
	AddCapPrintAttendant:    "print, attendant",
	AddCapPrintCardholder:   "print, cardholder",
	AddCapDisplayAttendant:  "display, attendant",
	AddCapDisplayCardholder: "display, cardholder",
	AddCapCodeTable10:       "code table 10",
	AddCapCodeTable9:        "code table 9",
	AddCapCodeTable8:        "code table 8",
	AddCapCodeTable7:        "code table 7",
	AddCapCodeTable6:        "code table 6",
	AddCapCodeTable5:        "code table 5",
	AddCapCodeTable4:        "code table 4",
	AddCapCodeTable3:        "code table 3",
	AddCapCodeTable2:        "code table 2",
	AddCapCodeTable1:        "code table 1",
}

// Has reports whether bit b is set.
func (c *AdditionalCapabilities) Has(b Bit) bool { return has(c[:], b) }

// Set sets bit b.
func (c *AdditionalCapabilities) Set(b Bit) { set(c[:], b) }

// String returns the capabilities in hex with the names of the set bits.
func (c AdditionalCapabilities) String() string { return describe(c[:], addCapNames) }

// CID is the Cryptogram Information Data, tag 9F27 (Book 3 Table 14).
type CID byte

// The cryptogram types a CID announces.
const (
	AAC  CID = 0x00
	TC   CID = 0x40
	ARQC CID = 0x80
)

// Type returns the cryptogram type: AAC, TC, ARQC, or 0xC0 (RFU).
func (c CID) Type() CID { return c & 0xC0 }

// AdviceRequired reports whether the card asks for an advice (bit b4).
func (c CID) AdviceRequired() bool { return c&0x08 != 0 }

// Reason returns the reason/advice code of bits b3-b1: 0 no information,
// 1 service not allowed, 2 PIN try limit exceeded, 3 issuer
// authentication failed.
func (c CID) Reason() int { return int(c & 0x07) }

// String names the cryptogram type and any advice: "ARQC", "AAC, advice
// required: PIN try limit exceeded".
func (c CID) String() string {
	var s string
	switch c.Type() {
	case AAC:
		s = "AAC"
	case TC:
		s = "TC"
	case ARQC:
		s = "ARQC"
	default:
		s = "RFU cryptogram type"
	}
	if c.AdviceRequired() {
		s += ", advice required"
	}
	switch c.Reason() {
	case 0:
	case 1:
		s += ": service not allowed"
	case 2:
		s += ": PIN try limit exceeded"
	case 3:
		s += ": issuer authentication failed"
	default:
		s += ": RFU reason"
	}
	return s
}
