package emv

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/posflow/posflow/tlv"
)

// Format is the format of a data element (EMV 4.4 Book 3 section 4.3).
type Format uint8

// The data element formats.
const (
	FormatB        Format = iota + 1 // binary
	FormatN                          // numeric: BCD, right-aligned, padded with leading zeros
	FormatCN                         // compressed numeric: BCD, left-aligned, padded with trailing F
	FormatA                          // alphabetic
	FormatAN                         // alphanumeric
	FormatANS                        // alphanumeric special
	FormatTemplate                   // constructed: a template of other data objects
)

var formatNames = [...]string{"", "b", "n", "cn", "a", "an", "ans", "template"}

func (f Format) String() string {
	if int(f) < len(formatNames) && f != 0 {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Source tells which party provides a data element.
type Source uint8

// The sources of data elements.
const (
	SourceICC Source = iota + 1
	SourceTerminal
	SourceIssuer
)

var sourceNames = [...]string{"", "ICC", "terminal", "issuer"}

func (s Source) String() string {
	if int(s) < len(sourceNames) && s != 0 {
		return sourceNames[s]
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// Sensitivity tells how a data element must be shown outside the secure
// parts of a system: in logs, errors, traces and receipts.
type Sensitivity uint8

// The sensitivities of data elements.
const (
	Public         Sensitivity = iota // shown as it is
	SensitivePAN                      // a PAN: first six and last four digits shown (PCI DSS 3.4)
	SensitiveTrack                    // track data: the PAN part masked as a PAN, the rest hidden
	SensitiveData                     // hidden whole: names, discretionary data, PIN data, keys
)

// A DataElement describes an EMV data element of the dictionary.
type DataElement struct {
	Tag    tlv.Tag
	Name   string
	Format Format
	// MinLen and MaxLen bound the value's length in bytes; MaxLen 0 means
	// "variable, bounded by the template".
	MinLen, MaxLen int
	Source         Source
	Sensitivity    Sensitivity
}

// Lookup returns the dictionary entry of a tag.
func Lookup(t tlv.Tag) (DataElement, bool) {
	e, ok := dictionary[t]
	return e, ok
}

// Name returns the name of a tag, or "" if the dictionary does not know it.
func Name(t tlv.Tag) string {
	return dictionary[t].Name
}

// Printer returns a tlv.Printer that names EMV tags and masks sensitive
// values: the PAN shows its first six and last four digits, track data its
// masked PAN only, names, discretionary data and PIN data their length
// only. Text elements (a, an, ans) print as quoted text.
func Printer() *tlv.Printer {
	return &tlv.Printer{Name: Name, Value: FormatValue}
}

// FormatValue formats a value for display, masking it according to the
// dictionary's sensitivity for t; see Printer.
func FormatValue(t tlv.Tag, v []byte) string {
	e := dictionary[t]
	switch e.Sensitivity {
	case SensitivePAN:
		pan, _, _ := strings.Cut(strings.ToUpper(hex.EncodeToString(v)), "F")
		return MaskPAN(pan)
	case SensitiveTrack:
		digits := strings.ToUpper(hex.EncodeToString(v))
		if pan, rest, ok := strings.Cut(digits, "D"); ok {
			return MaskPAN(pan) + "D" + strings.Repeat("*", len(rest))
		}
		if pan, rest, ok := strings.Cut(string(v), "^"); ok && printable(v) {
			// Track 1: %B PAN ^ NAME ^ ...
			prefix := ""
			if strings.HasPrefix(pan, "%B") {
				prefix, pan = "%B", pan[2:]
			} else if strings.HasPrefix(pan, "B") {
				prefix, pan = "B", pan[1:]
			}
			return strconv.Quote(prefix + MaskPAN(pan) + "^" + strings.Repeat("*", len(rest)))
		}
		return masked(len(v))
	case SensitiveData:
		return masked(len(v))
	}
	switch e.Format {
	case FormatA, FormatAN, FormatANS:
		if printable(v) {
			return strconv.Quote(string(v))
		}
	}
	return strings.ToUpper(hex.EncodeToString(v))
}

func printable(v []byte) bool {
	for _, c := range v {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

func masked(n int) string {
	return "<masked, " + strconv.Itoa(n) + " bytes>"
}

// MaskPAN keeps the first six and last four digits of a PAN and replaces
// the others with '*' (PCI DSS requirement 3.4); a string too short to
// keep ten digits and hide at least three is masked whole.
func MaskPAN(pan string) string {
	if len(pan) < 13 {
		return strings.Repeat("*", len(pan))
	}
	return pan[:6] + strings.Repeat("*", len(pan)-10) + pan[len(pan)-4:]
}

// dictionary holds the data elements of EMV 4.4 Book 3 Annex A (Table 33
// and its continuation), and the scheme-specific elements that field 55 of
// a POS authorisation commonly carries (marked "scheme").
var dictionary = map[tlv.Tag]DataElement{}

func init() {
	for _, e := range elements() {
		if _, dup := dictionary[e.Tag]; dup {
			panic("emv: duplicate dictionary entry " + e.Tag.String())
		}
		dictionary[e.Tag] = e
	}
}

// elements returns the table of the dictionary, written in the short
// notation of Book 3.
func elements() []DataElement {
	const (
		b   = FormatB
		n   = FormatN
		cn  = FormatCN
		a   = FormatA
		an  = FormatAN
		ans = FormatANS
		tpl = FormatTemplate
		icc = SourceICC
		trm = SourceTerminal
		iss = SourceIssuer
	)
	return []DataElement{
		{0x42, "Issuer Identification Number (IIN)", n, 3, 3, icc, Public},
		{0x4F, "Application Identifier (AID) - card", b, 5, 16, icc, Public},
		{0x50, "Application Label", ans, 1, 16, icc, Public},
		{0x56, "Track 1 Data", ans, 0, 76, icc, SensitiveTrack},
		{0x57, "Track 2 Equivalent Data", b, 0, 19, icc, SensitiveTrack},
		{0x5A, "Application Primary Account Number (PAN)", cn, 0, 10, icc, SensitivePAN},
		{0x5F20, "Cardholder Name", ans, 2, 26, icc, SensitiveData},
		{0x5F24, "Application Expiration Date", n, 3, 3, icc, Public},
		{0x5F25, "Application Effective Date", n, 3, 3, icc, Public},
		{0x5F28, "Issuer Country Code", n, 2, 2, icc, Public},
		{0x5F2A, "Transaction Currency Code", n, 2, 2, trm, Public},
		{0x5F2D, "Language Preference", an, 2, 8, icc, Public},
		{0x5F30, "Service Code", n, 2, 2, icc, Public},
		{0x5F34, "Application PAN Sequence Number", n, 1, 1, icc, Public},
		{0x5F36, "Transaction Currency Exponent", n, 1, 1, trm, Public},
		{0x5F50, "Issuer URL", ans, 0, 0, icc, Public},
		{0x5F53, "International Bank Account Number (IBAN)", b, 0, 34, icc, SensitiveData},
		{0x5F54, "Bank Identifier Code (BIC)", b, 8, 11, icc, Public},
		{0x5F55, "Issuer Country Code (alpha2 format)", a, 2, 2, icc, Public},
		{0x5F56, "Issuer Country Code (alpha3 format)", a, 3, 3, icc, Public},
		{0x61, "Application Template", tpl, 0, 252, icc, Public},
		{0x6F, "File Control Information (FCI) Template", tpl, 0, 252, icc, Public},
		{0x70, "READ RECORD Response Message Template", tpl, 0, 253, icc, Public},
		{0x71, "Issuer Script Template 1", tpl, 0, 0, iss, Public},
		{0x72, "Issuer Script Template 2", tpl, 0, 0, iss, Public},
		{0x73, "Directory Discretionary Template", tpl, 0, 252, icc, Public},
		{0x77, "Response Message Template Format 2", tpl, 0, 253, icc, Public},
		{0x80, "Response Message Template Format 1", b, 0, 253, icc, Public},
		{0x81, "Amount, Authorised (Binary)", b, 4, 4, trm, Public},
		{0x82, "Application Interchange Profile", b, 2, 2, icc, Public},
		{0x83, "Command Template", b, 0, 0, trm, Public},
		{0x84, "Dedicated File (DF) Name", b, 5, 16, icc, Public},
		{0x86, "Issuer Script Command", b, 0, 261, iss, Public},
		{0x87, "Application Priority Indicator", b, 1, 1, icc, Public},
		{0x88, "Short File Identifier (SFI)", b, 1, 1, icc, Public},
		{0x89, "Authorisation Code", ans, 6, 6, iss, Public},
		{0x8A, "Authorisation Response Code", an, 2, 2, iss, Public},
		{0x8C, "Card Risk Management Data Object List 1 (CDOL1)", b, 0, 252, icc, Public},
		{0x8D, "Card Risk Management Data Object List 2 (CDOL2)", b, 0, 252, icc, Public},
		{0x8E, "Cardholder Verification Method (CVM) List", b, 10, 252, icc, Public},
		{0x8F, "Certification Authority Public Key Index", b, 1, 1, icc, Public},
		{0x90, "Issuer Public Key Certificate", b, 0, 0, icc, Public},
		{0x91, "Issuer Authentication Data", b, 8, 16, iss, Public},
		{0x92, "Issuer Public Key Remainder", b, 0, 0, icc, Public},
		{0x93, "Signed Static Application Data", b, 0, 0, icc, Public},
		{0x94, "Application File Locator (AFL)", b, 0, 252, icc, Public},
		{0x95, "Terminal Verification Results", b, 5, 5, trm, Public},
		{0x97, "Transaction Certificate Data Object List (TDOL)", b, 0, 252, icc, Public},
		{0x98, "Transaction Certificate (TC) Hash Value", b, 20, 20, trm, Public},
		{0x99, "Transaction Personal Identification Number (PIN) Data", b, 0, 0, trm, SensitiveData},
		{0x9A, "Transaction Date", n, 3, 3, trm, Public},
		{0x9B, "Transaction Status Information", b, 2, 2, trm, Public},
		{0x9C, "Transaction Type", n, 1, 1, trm, Public},
		{0x9D, "Directory Definition File (DDF) Name", b, 5, 16, icc, Public},
		{0x9F01, "Acquirer Identifier", n, 6, 6, trm, Public},
		{0x9F02, "Amount, Authorised (Numeric)", n, 6, 6, trm, Public},
		{0x9F03, "Amount, Other (Numeric)", n, 6, 6, trm, Public},
		{0x9F04, "Amount, Other (Binary)", b, 4, 4, trm, Public},
		{0x9F05, "Application Discretionary Data", b, 1, 32, icc, Public},
		{0x9F06, "Application Identifier (AID) - terminal", b, 5, 16, trm, Public},
		{0x9F07, "Application Usage Control", b, 2, 2, icc, Public},
		{0x9F08, "Application Version Number (ICC)", b, 2, 2, icc, Public},
		{0x9F09, "Application Version Number (terminal)", b, 2, 2, trm, Public},
		{0x9F0A, "Application Selection Registered Proprietary Data", b, 0, 0, icc, Public},
		{0x9F0B, "Cardholder Name Extended", ans, 27, 45, icc, SensitiveData},
		{0x9F0D, "Issuer Action Code - Default", b, 5, 5, icc, Public},
		{0x9F0E, "Issuer Action Code - Denial", b, 5, 5, icc, Public},
		{0x9F0F, "Issuer Action Code - Online", b, 5, 5, icc, Public},
		{0x9F10, "Issuer Application Data", b, 0, 32, icc, Public},
		{0x9F11, "Issuer Code Table Index", n, 1, 1, icc, Public},
		{0x9F12, "Application Preferred Name", ans, 1, 16, icc, Public},
		{0x9F13, "Last Online Application Transaction Counter (ATC) Register", b, 2, 2, icc, Public},
		{0x9F14, "Lower Consecutive Offline Limit", b, 1, 1, icc, Public},
		{0x9F15, "Merchant Category Code", n, 2, 2, trm, Public},
		{0x9F16, "Merchant Identifier", ans, 15, 15, trm, Public},
		{0x9F17, "Personal Identification Number (PIN) Try Counter", b, 1, 1, icc, Public},
		{0x9F18, "Issuer Script Identifier", b, 4, 4, iss, Public},
		{0x9F1A, "Terminal Country Code", n, 2, 2, trm, Public},
		{0x9F1B, "Terminal Floor Limit", b, 4, 4, trm, Public},
		{0x9F1C, "Terminal Identification", an, 8, 8, trm, Public},
		{0x9F1D, "Terminal Risk Management Data", b, 1, 8, trm, Public},
		{0x9F1E, "Interface Device (IFD) Serial Number", an, 8, 8, trm, Public},
		{0x9F1F, "Track 1 Discretionary Data", ans, 0, 0, icc, SensitiveData},
		{0x9F20, "Track 2 Discretionary Data", cn, 0, 0, icc, SensitiveData},
		{0x9F21, "Transaction Time", n, 3, 3, trm, Public},
		{0x9F22, "Certification Authority Public Key Index (terminal)", b, 1, 1, trm, Public},
		{0x9F23, "Upper Consecutive Offline Limit", b, 1, 1, icc, Public},
		{0x9F26, "Application Cryptogram", b, 8, 8, icc, Public},
		{0x9F27, "Cryptogram Information Data", b, 1, 1, icc, Public},
		{0x9F2D, "ICC PIN Encipherment Public Key Certificate", b, 0, 0, icc, Public},
		{0x9F2E, "ICC PIN Encipherment Public Key Exponent", b, 1, 3, icc, Public},
		{0x9F2F, "ICC PIN Encipherment Public Key Remainder", b, 0, 0, icc, Public},
		{0x9F32, "Issuer Public Key Exponent", b, 1, 3, icc, Public},
		{0x9F33, "Terminal Capabilities", b, 3, 3, trm, Public},
		{0x9F34, "Cardholder Verification Method (CVM) Results", b, 3, 3, trm, Public},
		{0x9F35, "Terminal Type", n, 1, 1, trm, Public},
		{0x9F36, "Application Transaction Counter (ATC)", b, 2, 2, icc, Public},
		{0x9F37, "Unpredictable Number", b, 4, 4, trm, Public},
		{0x9F38, "Processing Options Data Object List (PDOL)", b, 0, 0, icc, Public},
		{0x9F39, "Point-of-Service (POS) Entry Mode", n, 1, 1, trm, Public},
		{0x9F3A, "Amount, Reference Currency", b, 4, 4, trm, Public},
		{0x9F3B, "Application Reference Currency", n, 2, 8, icc, Public},
		{0x9F3C, "Transaction Reference Currency Code", n, 2, 2, trm, Public},
		{0x9F3D, "Transaction Reference Currency Exponent", n, 1, 1, trm, Public},
		{0x9F40, "Additional Terminal Capabilities", b, 5, 5, trm, Public},
		{0x9F41, "Transaction Sequence Counter", n, 2, 4, trm, Public},
		{0x9F42, "Application Currency Code", n, 2, 2, icc, Public},
		{0x9F43, "Application Reference Currency Exponent", n, 1, 4, icc, Public},
		{0x9F44, "Application Currency Exponent", n, 1, 1, icc, Public},
		{0x9F45, "Data Authentication Code", b, 2, 2, icc, Public},
		{0x9F46, "ICC Public Key Certificate", b, 0, 0, icc, Public},
		{0x9F47, "ICC Public Key Exponent", b, 1, 3, icc, Public},
		{0x9F48, "ICC Public Key Remainder", b, 0, 0, icc, Public},
		{0x9F49, "Dynamic Data Authentication Data Object List (DDOL)", b, 0, 252, icc, Public},
		{0x9F4A, "Static Data Authentication Tag List", b, 0, 0, icc, Public},
		{0x9F4B, "Signed Dynamic Application Data", b, 0, 0, icc, Public},
		{0x9F4C, "ICC Dynamic Number", b, 2, 8, icc, Public},
		{0x9F4D, "Log Entry", b, 2, 2, icc, Public},
		{0x9F4E, "Merchant Name and Location", ans, 0, 0, trm, Public},
		{0x9F4F, "Log Format", b, 0, 0, icc, Public},
		{0x9F5B, "Issuer Script Results", b, 0, 0, trm, Public},
		{0xA5, "File Control Information (FCI) Proprietary Template", tpl, 0, 0, icc, Public},
		{0xBF0C, "File Control Information (FCI) Issuer Discretionary Data", tpl, 0, 222, icc, Public},

		// Scheme elements common in field 55 of a POS authorisation.
		{0x9F53, "Transaction Category Code (scheme)", an, 1, 1, trm, Public},
		{0x9F5E, "Data Storage Identifier (scheme)", b, 8, 11, icc, SensitiveData}, // C-2: PAN and PSN
		{0x9F66, "Terminal Transaction Qualifiers (scheme)", b, 4, 4, trm, Public},
		{0x9F6B, "Track 2 Data (scheme)", b, 0, 19, icc, SensitiveTrack},
		{0x9F6C, "Card Transaction Qualifiers (scheme)", b, 2, 2, icc, Public},
		{0x9F6E, "Form Factor Indicator / Third Party Data (scheme)", b, 0, 32, icc, Public},
		{0x9F7C, "Customer Exclusive Data (scheme)", b, 0, 32, icc, Public},
	}
}
