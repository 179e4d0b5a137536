package emv

import (
	"encoding/hex"
	"errors"
	"strings"

	"github.com/posflow/posflow/emv/issuer"
)

// Issuer application data (9F10) is proprietary to the issuer (EMV 4.4
// Book 3 Annex A): its layout depends on the scheme and the card's
// specification. DecodeIAD reads the layouts terminals meet most often,
// with their card verification results (CVR):
//
//   - Visa VSDC formats 0, 1 and 3 (byte 1 = 06, DKI, CVN, then the CVR
//     03 b2 b3 b4) and formats 2 and 4 (32 bytes: 1F, CVN, DKI, a 5-byte
//     CVR, issuer discretionary data), after Visa Contactless Payment
//     Specification 2.2 Supplemental Requirements Appendix M;
//   - Mastercard M/Chip 4 and M/Chip Advance (18, 20, 26 or 28 bytes: DKI,
//     CVN, a 6-byte CVR, 2 bytes DAC/IDN, 8 counter bytes, more counters);
//   - the EMV Common Core Definitions format of Book 3 Annex C9 (32
//     bytes: 0F, common core identifier A5 or A6, DKI, a 5-byte CVR, 8
//     counter bytes, 0F, 15 bytes of issuer discretionary data), whatever
//     the scheme.
//
// The byte offsets of the scheme layouts are those emv/issuer.ParseIAD
// reads for cryptogram verification; DecodeIAD does not reject a
// cryptogram version emv/issuer does not implement (Visa CVN 17 is one
// the fixtures carry), and IAD.Version tells which ones it does. The CVR
// bit names are those of Book 3 Annex C9.3 Table CCD 10 for CCD, and for
// VSDC and M/Chip those that the open-source emv-utils decoder
// (openemv/emv-utils, src/emv_fields.h) lists; the schemes' own
// documents are not public, so the VSDC byte 1 of formats 2 and 4 and
// their byte 5 are shown as hex without names.

// IADFormat is a layout of issuer application data.
type IADFormat uint8

// The layouts DecodeIAD recognises.
const (
	IADVSDC0        IADFormat = iota + 1 // Visa VSDC format 0 (CVN 0x, e.g. CVN 10)
	IADVSDC1                             // Visa VSDC format 1 (CVN 1x, e.g. CVN 18)
	IADVSDC2                             // Visa VSDC format 2 (CVN 2x, e.g. CVN 22)
	IADVSDC3                             // Visa VSDC format 3 (CVN 3x)
	IADVSDC4                             // Visa VSDC format 4 (CVN 4x)
	IADMChip4                            // Mastercard M/Chip 4 (18 bytes)
	IADMChipAdvance                      // Mastercard M/Chip Advance (20, 26 or 28 bytes)
	IADCCD                               // EMV Common Core Definitions (Book 3 Annex C9)
)

var iadFormatNames = [...]string{
	IADVSDC0:        "VSDC format 0",
	IADVSDC1:        "VSDC format 1",
	IADVSDC2:        "VSDC format 2",
	IADVSDC3:        "VSDC format 3",
	IADVSDC4:        "VSDC format 4",
	IADMChip4:       "M/Chip 4",
	IADMChipAdvance: "M/Chip Advance",
	IADCCD:          "CCD",
}

func (f IADFormat) String() string {
	if int(f) < len(iadFormatNames) && iadFormatNames[f] != "" {
		return iadFormatNames[f]
	}
	return "IAD format " + itoa(int(f))
}

// ErrIAD is wrapped by the errors of DecodeIAD: issuer application data in
// none of the layouts it knows for the application's scheme.
var ErrIAD = errors.New("emv: issuer application data of unknown format")

// IAD is decoded issuer application data (9F10). Its slices alias the
// input.
type IAD struct {
	Format IADFormat
	// CVN is the cryptogram version byte as the card wrote it; for CCD the
	// common core identifier (high nibble A: CCD 4.1 format; low nibble 5
	// triple DES, 6 AES).
	CVN byte
	// Version is the cryptogram version as emv/issuer knows it, to verify
	// the cryptogram; zero when emv/issuer implements no such version.
	Version issuer.CVN
	// DKI is the derivation key index.
	DKI byte
	// CVR is the card verification results, raw: VSDC formats 0, 1 and
	// 3 with their length byte (4 bytes), formats 2 and 4 five bytes,
	// M/Chip six bytes, CCD five bytes. The typed views are VisaCVR,
	// MChipCVR and CCDCVR.
	CVR []byte
	// Counters are the 8 counter bytes of M/Chip (bytes 11-18) and CCD
	// (bytes 9-16); nil for VSDC.
	Counters []byte
	// DAC is M/Chip's bytes 9-10 (data authentication code or ICC dynamic
	// number); nil for the other layouts.
	DAC []byte
	// Discretionary is the rest: the issuer discretionary data of VSDC
	// (after the CVR) and CCD (bytes 18-32), M/Chip bytes 19 and after.
	Discretionary []byte
	Raw           []byte
}

// DecodeIAD decodes the issuer application data iad of the application
// aid (4F, 84 or 9F06; only its RID is read for the scheme layouts). CCD
// data are recognised under any RID. Anything else is an error wrapping
// ErrIAD that says what did not match.
func DecodeIAD(aid, iad []byte) (IAD, error) {
	d := IAD{Raw: iad}
	fail := func(reason string) (IAD, error) {
		return IAD{}, &iadError{len(iad), reason}
	}
	if len(iad) == 32 && iad[0] == 0x0F && iad[16] == 0x0F && iad[1]>>4 == 0x0A {
		d.Format, d.CVN, d.DKI = IADCCD, iad[1], iad[2]
		d.CVR, d.Counters, d.Discretionary = iad[3:8], iad[8:16], iad[17:]
		return d, nil
	}
	if len(aid) < 5 {
		return fail("no application identifier to tell the scheme")
	}
	switch [5]byte(aid[:5]) {
	case [5]byte{0xA0, 0x00, 0x00, 0x00, 0x03}:
		switch {
		case len(iad) >= 7 && iad[0] == 0x06 && iad[3] == 0x03:
			d.DKI, d.CVN = iad[1], iad[2]
			d.CVR, d.Discretionary = iad[3:7], iad[7:]
			switch iad[2] >> 4 {
			case 0:
				d.Format = IADVSDC0
			case 1:
				d.Format = IADVSDC1
			case 3:
				d.Format = IADVSDC3
			default:
				return fail("VSDC layout 06 DKI CVN 03 with format " + itoa(int(iad[2]>>4)) + " in the cryptogram version")
			}
		case len(iad) == 32 && iad[0] == 0x1F:
			d.CVN, d.DKI = iad[1], iad[2]
			d.CVR, d.Discretionary = iad[3:8], iad[8:]
			switch iad[1] >> 4 {
			case 2:
				d.Format = IADVSDC2
			case 4:
				d.Format = IADVSDC4
			default:
				return fail("VSDC layout 1F CVN DKI with format " + itoa(int(iad[1]>>4)) + " in the cryptogram version")
			}
		default:
			return fail("neither VSDC format 0/1/3 (06 DKI CVN 03 CVR) nor format 2/4 (32 bytes, 1F CVN DKI)")
		}
	case [5]byte{0xA0, 0x00, 0x00, 0x00, 0x04}:
		switch len(iad) {
		case 18:
			d.Format = IADMChip4
		case 20, 26, 28:
			d.Format = IADMChipAdvance
		default:
			return fail("not an M/Chip length (18, 20, 26 or 28 bytes)")
		}
		if iad[1]&0xF0 != 0x10 {
			return fail("M/Chip cryptogram version byte without the version number 1 in its high nibble")
		}
		d.DKI, d.CVN = iad[0], iad[1]
		d.CVR, d.DAC, d.Counters, d.Discretionary = iad[2:8], iad[8:10], iad[10:18], iad[18:]
	default:
		return fail("not CCD, and no proprietary layout known for RID " + strings.ToUpper(hex.EncodeToString(aid[:5])))
	}
	if p, err := issuer.ParseIAD(aid, iad); err == nil {
		d.Version = p.CVN
	}
	return d, nil
}

type iadError struct {
	n      int
	reason string
}

func (e *iadError) Error() string {
	return "emv: issuer application data of " + itoa(e.n) + " bytes: " + e.reason
}

func (e *iadError) Unwrap() error { return ErrIAD }

// VisaCVR returns the CVR of a VSDC layout; ok is false for the others.
// Formats 0, 1 and 3 fill bytes 1 (the length, 03) to 4.
func (d IAD) VisaCVR() (c VisaCVR, ok bool) {
	if d.Format < IADVSDC0 || d.Format > IADVSDC4 {
		return c, false
	}
	copy(c[:], d.CVR)
	return c, true
}

// MChipCVR returns the CVR of an M/Chip layout; ok is false for the
// others.
func (d IAD) MChipCVR() (c MChipCVR, ok bool) {
	if d.Format != IADMChip4 && d.Format != IADMChipAdvance {
		return c, false
	}
	copy(c[:], d.CVR)
	return c, true
}

// CCDCVR returns the CVR of the CCD layout; ok is false for the others.
func (d IAD) CCDCVR() (c CCDCVR, ok bool) {
	if d.Format != IADCCD {
		return c, false
	}
	copy(c[:], d.CVR)
	return c, true
}

// String describes the decoded data: format, version, DKI and the CVR
// with its bits named. Issuer application data hold no cardholder data.
func (d IAD) String() string {
	var sb strings.Builder
	sb.WriteString(d.Format.String())
	sb.WriteString(", CVN ")
	sb.WriteString(hexByte(d.CVN))
	if d.Version != 0 {
		sb.WriteString(" (" + d.Version.String() + ")")
	}
	sb.WriteString(", DKI ")
	sb.WriteString(hexByte(d.DKI))
	sb.WriteString(", CVR ")
	if c, ok := d.VisaCVR(); ok {
		n := 4
		if d.Format == IADVSDC2 || d.Format == IADVSDC4 {
			n = 5
		}
		sb.WriteString(c.describe(n))
	} else if c, ok := d.MChipCVR(); ok {
		sb.WriteString(c.String())
	} else if c, ok := d.CCDCVR(); ok {
		sb.WriteString(c.String())
	}
	if d.Counters != nil {
		sb.WriteString(", counters ")
		sb.WriteString(strings.ToUpper(hex.EncodeToString(d.Counters)))
	}
	return sb.String()
}

func hexByte(b byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[b>>4], digits[b&0x0F]})
}

// describeCVR writes the CVR in hex, then the cryptogram types of the two
// GENERATE ACs (two-bit fields b6-b5 and b8-b7 of byte acByte), then the
// counters, then the named bits. The bits of skip (byte number to mask),
// and the high nibble of byte acByte, are not named.
func describeCVR(f []byte, acByte int, counters []string, names map[Bit]string, skip map[int]byte) string {
	var sb strings.Builder
	sb.WriteString(strings.ToUpper(hex.EncodeToString(f)))
	sb.WriteString(": first GENERATE AC ")
	a := f[acByte-1]
	sb.WriteString([...]string{"AAC", "TC", "ARQC", "RFU"}[a>>4&3])
	sb.WriteString("; second GENERATE AC ")
	sb.WriteString([...]string{"AAC", "TC", "not requested", "RFU"}[a>>6])
	for _, n := range counters {
		sb.WriteString("; ")
		sb.WriteString(n)
	}
	writeBitNames(&sb, f, names, "; ", func(b Bit) bool {
		n := b.index() + 1
		return n == acByte && b.mask() >= 0x10 || skip[n]&b.mask() != 0
	})
	return sb.String()
}

// VisaCVR is the card verification results of Visa VSDC issuer
// application data: byte 1 is the length (03) in formats 0, 1 and 3, and
// byte 5 exists only in formats 2 and 4. In formats 2 and 4 byte 2 bit b3
// (VisaCVROfflinePINPerformed) tells that a consumer device CVM was
// performed and b2 is RFU; String names them so. The named bits are those of
// bytes 2 to 4, common to all formats; bits b6-b5 and b8-b7 of byte 2 are
// the cryptogram types of the first and second GENERATE AC
// (FirstGenerateAC, SecondGenerateAC).
type VisaCVR [5]byte

// The bits of the VSDC CVR.
var (
	VisaCVRIssuerAuthFailed           = bit(2, 4)
	VisaCVROfflinePINPerformed        = bit(2, 3)
	VisaCVROfflinePINFailed           = bit(2, 2)
	VisaCVRUnableToGoOnline           = bit(2, 1)
	VisaCVRLastOnlineNotCompleted     = bit(3, 8)
	VisaCVRPINTryLimitExceeded        = bit(3, 7)
	VisaCVRVelocityExceeded           = bit(3, 6)
	VisaCVRNewCard                    = bit(3, 5)
	VisaCVRLastIssuerAuthFailed       = bit(3, 4)
	VisaCVRIssuerAuthNotPerformed     = bit(3, 3)
	VisaCVRBlockedPINTryLimitExceeded = bit(3, 2)
	VisaCVRLastSDAFailed              = bit(3, 1)
	VisaCVRScriptFailed               = bit(4, 4)
	VisaCVRLastDDAFailed              = bit(4, 3)
	VisaCVRDDAPerformed               = bit(4, 2)
	VisaCVRPINVerifyNotReceived       = bit(4, 1)
)

var visaCVRNames = map[Bit]string{
	VisaCVRIssuerAuthFailed:           "issuer authentication performed and failed",
	VisaCVROfflinePINPerformed:        "offline PIN verification performed",
	VisaCVROfflinePINFailed:           "offline PIN verification failed",
	VisaCVRUnableToGoOnline:           "unable to go online",
	VisaCVRLastOnlineNotCompleted:     "last online transaction not completed",
	VisaCVRPINTryLimitExceeded:        "PIN try limit exceeded",
	VisaCVRVelocityExceeded:           "exceeded velocity checking counters",
	VisaCVRNewCard:                    "new card",
	VisaCVRLastIssuerAuthFailed:       "issuer authentication failure on last online transaction",
	VisaCVRIssuerAuthNotPerformed:     "issuer authentication not performed after online authorisation",
	VisaCVRBlockedPINTryLimitExceeded: "application blocked by card because PIN try limit exceeded",
	VisaCVRLastSDAFailed:              "offline static data authentication failed on last transaction",
	VisaCVRScriptFailed:               "issuer script processing failed",
	VisaCVRLastDDAFailed:              "offline dynamic data authentication failed on last transaction",
	VisaCVRDDAPerformed:               "offline dynamic data authentication performed",
	VisaCVRPINVerifyNotReceived:       "PIN verification command not received for a PIN-expecting card",
}

// Has reports whether bit b is set.
func (c VisaCVR) Has(b Bit) bool { return has(c[:], b) }

// FirstGenerateAC returns the cryptogram type of the first GENERATE AC
// (AAC, TC, ARQC, or 0xC0 for RFU).
func (c VisaCVR) FirstGenerateAC() CID { return CID(c[1] << 2 & 0xC0) }

// SecondGenerateAC returns the cryptogram type of the second GENERATE AC
// (AAC, TC) and whether one was requested.
func (c VisaCVR) SecondGenerateAC() (CID, bool) { return CID(c[1] & 0x40), c[1]>>6 < 2 }

// ScriptCommands returns the number of issuer script commands processed.
func (c VisaCVR) ScriptCommands() int { return int(c[3] >> 4) }

// String returns the CVR of formats 0, 1 and 3 (4 bytes) in hex with the
// names of its set bits; a non-zero byte 5 (formats 2 and 4) is shown.
func (c VisaCVR) String() string {
	if c[4] != 0 {
		return c.describe(5)
	}
	return c.describe(4)
}

func (c VisaCVR) describe(n int) string {
	names := visaCVRNames
	if n == 5 {
		names = visa24CVRNames
	}
	return describeCVR(c[:n], 2, []string{itoa(c.ScriptCommands()) + " script commands"}, names, map[int]byte{1: 0xFF, 4: 0xF0, 5: 0xFF})
}

// visa24CVRNames are the names of formats 2 and 4, where byte 2 bit b3
// tells that a consumer device CVM was performed and b2 is RFU.
var visa24CVRNames = func() map[Bit]string {
	m := make(map[Bit]string, len(visaCVRNames))
	for b, n := range visaCVRNames {
		m[b] = n
	}
	m[VisaCVROfflinePINPerformed] = "CDCVM successfully performed"
	delete(m, VisaCVROfflinePINFailed)
	return m
}()

// MChipCVR is the card verification results of Mastercard M/Chip 4 and
// M/Chip Advance issuer application data (bytes 3-8). Bits b6-b5 and
// b8-b7 of byte 1 are the cryptogram types of the first and second
// GENERATE AC; byte 3 holds the low nibbles of the script counter and of
// the PIN try counter.
type MChipCVR [6]byte

// The bits of the M/Chip CVR.
var (
	MChipCVRDateCheckFailed             = bit(1, 4)
	MChipCVROfflinePINPerformed         = bit(1, 3)
	MChipCVROfflineEncipheredPIN        = bit(1, 2)
	MChipCVROfflinePINSuccessful        = bit(1, 1)
	MChipCVRDDAReturned                 = bit(2, 8)
	MChipCVRCDAFirstGenerateAC          = bit(2, 7)
	MChipCVRCDASecondGenerateAC         = bit(2, 6)
	MChipCVRIssuerAuthPerformed         = bit(2, 5)
	MChipCVRCIACDefaultSkippedCAT3      = bit(2, 4)
	MChipCVROfflineChangePINSuccessful  = bit(2, 3)
	MChipCVRIssuerDiscretionary1        = bit(2, 2)
	MChipCVRIssuerDiscretionary2        = bit(2, 1)
	MChipCVRLastOnlineNotCompleted      = bit(4, 8)
	MChipCVRUnableToGoOnline            = bit(4, 7)
	MChipCVROfflinePINNotPerformed      = bit(4, 6)
	MChipCVROfflinePINFailed            = bit(4, 5)
	MChipCVRPINTryLimitExceeded         = bit(4, 4)
	MChipCVRInternational               = bit(4, 3)
	MChipCVRDomestic                    = bit(4, 2)
	MChipCVRTerminalErroneouslyPINOK    = bit(4, 1)
	MChipCVRLowerConsecutiveExceeded    = bit(5, 8)
	MChipCVRUpperConsecutiveExceeded    = bit(5, 7)
	MChipCVRLowerCumulativeExceeded     = bit(5, 6)
	MChipCVRUpperCumulativeExceeded     = bit(5, 5)
	MChipCVRGoOnlineNextTransaction     = bit(5, 4)
	MChipCVRIssuerAuthFailed            = bit(5, 3)
	MChipCVRScriptReceived              = bit(5, 2)
	MChipCVRScriptFailed                = bit(5, 1)
	MChipCVRLowerConsecutive2Exceeded   = bit(6, 8)
	MChipCVRUpperConsecutive2Exceeded   = bit(6, 7)
	MChipCVRLowerCumulative2Exceeded    = bit(6, 6)
	MChipCVRUpperCumulative2Exceeded    = bit(6, 5)
	MChipCVRMTALimitExceeded            = bit(6, 4)
	MChipCVRDaysOfflineExceeded         = bit(6, 3)
	MChipCVRMatchAdditionalCheckTable   = bit(6, 2)
	MChipCVRNoMatchAdditionalCheckTable = bit(6, 1)
)

var mchipCVRNames = map[Bit]string{
	MChipCVRDateCheckFailed:             "date check failed",
	MChipCVROfflinePINPerformed:         "offline PIN verification performed",
	MChipCVROfflineEncipheredPIN:        "offline encrypted PIN verification performed",
	MChipCVROfflinePINSuccessful:        "offline PIN verification successful",
	MChipCVRDDAReturned:                 "DDA returned",
	MChipCVRCDAFirstGenerateAC:          "CDA returned in first GENERATE AC",
	MChipCVRCDASecondGenerateAC:         "CDA returned in second GENERATE AC",
	MChipCVRIssuerAuthPerformed:         "issuer authentication performed",
	MChipCVRCIACDefaultSkippedCAT3:      "CIAC-default skipped on CAT3",
	MChipCVROfflineChangePINSuccessful:  "offline change PIN result successful",
	MChipCVRIssuerDiscretionary1:        "issuer discretionary bit 1",
	MChipCVRIssuerDiscretionary2:        "issuer discretionary bit 2",
	MChipCVRLastOnlineNotCompleted:      "last online transaction not completed",
	MChipCVRUnableToGoOnline:            "unable to go online",
	MChipCVROfflinePINNotPerformed:      "offline PIN verification not performed",
	MChipCVROfflinePINFailed:            "offline PIN verification failed",
	MChipCVRPINTryLimitExceeded:         "PIN try limit exceeded",
	MChipCVRInternational:               "international transaction",
	MChipCVRDomestic:                    "domestic transaction",
	MChipCVRTerminalErroneouslyPINOK:    "terminal erroneously considers offline PIN OK",
	MChipCVRLowerConsecutiveExceeded:    "lower consecutive offline limit exceeded",
	MChipCVRUpperConsecutiveExceeded:    "upper consecutive offline limit exceeded",
	MChipCVRLowerCumulativeExceeded:     "lower cumulative offline limit exceeded",
	MChipCVRUpperCumulativeExceeded:     "upper cumulative offline limit exceeded",
	MChipCVRGoOnlineNextTransaction:     "go online on next transaction was set",
	MChipCVRIssuerAuthFailed:            "issuer authentication failed",
	MChipCVRScriptReceived:              "script received",
	MChipCVRScriptFailed:                "script failed",
	MChipCVRLowerConsecutive2Exceeded:   "lower consecutive counter 2 limit exceeded",
	MChipCVRUpperConsecutive2Exceeded:   "upper consecutive counter 2 limit exceeded",
	MChipCVRLowerCumulative2Exceeded:    "lower cumulative accumulator 2 limit exceeded",
	MChipCVRUpperCumulative2Exceeded:    "upper cumulative accumulator 2 limit exceeded",
	MChipCVRMTALimitExceeded:            "MTA limit exceeded",
	MChipCVRDaysOfflineExceeded:         "number of days offline limit exceeded",
	MChipCVRMatchAdditionalCheckTable:   "match found in additional check table",
	MChipCVRNoMatchAdditionalCheckTable: "no match found in additional check table",
}

// Has reports whether bit b is set.
func (c MChipCVR) Has(b Bit) bool { return has(c[:], b) }

// FirstGenerateAC returns the cryptogram type of the first GENERATE AC.
func (c MChipCVR) FirstGenerateAC() CID { return CID(c[0] << 2 & 0xC0) }

// SecondGenerateAC returns the cryptogram type of the second GENERATE AC
// and whether one was requested.
func (c MChipCVR) SecondGenerateAC() (CID, bool) { return CID(c[0] & 0x40), c[0]>>6 < 2 }

// ScriptCounter returns the low nibble of the script counter (byte 3).
func (c MChipCVR) ScriptCounter() int { return int(c[2] >> 4) }

// PINTryCounter returns the low nibble of the PIN try counter.
func (c MChipCVR) PINTryCounter() int { return int(c[2] & 0x0F) }

// String returns the CVR in hex with the names of its set bits.
func (c MChipCVR) String() string {
	return describeCVR(c[:], 1, []string{"script counter " + itoa(c.ScriptCounter()), "PIN try counter " + itoa(c.PINTryCounter())}, mchipCVRNames, map[int]byte{3: 0xFF})
}

// CCDCVR is the card verification results of the EMV Common Core
// Definitions (Book 3 Annex C9.3, Table CCD 10). Bits b6-b5 and b8-b7 of
// byte 1 are the cryptogram types of the first and second GENERATE AC;
// the high nibbles of bytes 2 and 4 are the PIN try counter and the
// number of script commands.
type CCDCVR [5]byte

// The bits of the CCD CVR.
var (
	CCDCVRCDAPerformed              = bit(1, 4)
	CCDCVRDDAPerformed              = bit(1, 3)
	CCDCVRIssuerAuthNotPerformed    = bit(1, 2)
	CCDCVRIssuerAuthFailed          = bit(1, 1)
	CCDCVROfflinePINPerformed       = bit(2, 4)
	CCDCVROfflinePINFailed          = bit(2, 3)
	CCDCVRPINTryLimitExceeded       = bit(2, 2)
	CCDCVRLastOnlineNotCompleted    = bit(2, 1)
	CCDCVRLowerOfflineCountExceeded = bit(3, 8)
	CCDCVRUpperOfflineCountExceeded = bit(3, 7)
	CCDCVRLowerAmountExceeded       = bit(3, 6)
	CCDCVRUpperAmountExceeded       = bit(3, 5)
	CCDCVRIssuerDiscretionary1      = bit(3, 4)
	CCDCVRIssuerDiscretionary2      = bit(3, 3)
	CCDCVRIssuerDiscretionary3      = bit(3, 2)
	CCDCVRIssuerDiscretionary4      = bit(3, 1)
	CCDCVRScriptFailed              = bit(4, 4)
	CCDCVRODAFailedPrevious         = bit(4, 3)
	CCDCVRGoOnlineNextTransaction   = bit(4, 2)
	CCDCVRUnableToGoOnline          = bit(4, 1)
)

var ccdCVRNames = map[Bit]string{
	CCDCVRCDAPerformed:              "CDA performed",
	CCDCVRDDAPerformed:              "offline DDA performed",
	CCDCVRIssuerAuthNotPerformed:    "issuer authentication not performed",
	CCDCVRIssuerAuthFailed:          "issuer authentication failed",
	CCDCVROfflinePINPerformed:       "offline PIN verification performed",
	CCDCVROfflinePINFailed:          "offline PIN verification performed and PIN not successfully verified",
	CCDCVRPINTryLimitExceeded:       "PIN try limit exceeded",
	CCDCVRLastOnlineNotCompleted:    "last online transaction not completed",
	CCDCVRLowerOfflineCountExceeded: "lower offline transaction count limit exceeded",
	CCDCVRUpperOfflineCountExceeded: "upper offline transaction count limit exceeded",
	CCDCVRLowerAmountExceeded:       "lower cumulative offline amount limit exceeded",
	CCDCVRUpperAmountExceeded:       "upper cumulative offline amount limit exceeded",
	CCDCVRIssuerDiscretionary1:      "issuer-discretionary bit 1",
	CCDCVRIssuerDiscretionary2:      "issuer-discretionary bit 2",
	CCDCVRIssuerDiscretionary3:      "issuer-discretionary bit 3",
	CCDCVRIssuerDiscretionary4:      "issuer-discretionary bit 4",
	CCDCVRScriptFailed:              "issuer script processing failed",
	CCDCVRODAFailedPrevious:         "offline data authentication failed on previous transaction",
	CCDCVRGoOnlineNextTransaction:   "go online on next transaction was set",
	CCDCVRUnableToGoOnline:          "unable to go online",
}

// Has reports whether bit b is set.
func (c CCDCVR) Has(b Bit) bool { return has(c[:], b) }

// FirstGenerateAC returns the cryptogram type of the first GENERATE AC.
func (c CCDCVR) FirstGenerateAC() CID { return CID(c[0] << 2 & 0xC0) }

// SecondGenerateAC returns the cryptogram type of the second GENERATE AC
// and whether one was requested.
func (c CCDCVR) SecondGenerateAC() (CID, bool) { return CID(c[0] & 0x40), c[0]>>6 < 2 }

// PINTryCounter returns the low nibble of the PIN try counter (byte 2).
func (c CCDCVR) PINTryCounter() int { return int(c[1] >> 4) }

// ScriptCommands returns the number of issuer script commands with secure
// messaging processed (byte 4).
func (c CCDCVR) ScriptCommands() int { return int(c[3] >> 4) }

// String returns the CVR in hex with the names of its set bits.
func (c CCDCVR) String() string {
	return describeCVR(c[:], 1, []string{"PIN try counter " + itoa(c.PINTryCounter()), itoa(c.ScriptCommands()) + " script commands"}, ccdCVRNames, map[int]byte{2: 0xF0, 4: 0xF0})
}

// noteIAD records the decoded issuer application data in the trace, or
// why it could not be decoded.
func (k *kernel) noteIAD(iad []byte) {
	if k.cfg.NoTrace {
		return
	}
	d, err := DecodeIAD(k.icc[0x84], iad)
	if err != nil {
		k.note("issuer application data not decoded: %v", err)
		return
	}
	k.note("issuer application data: %v", d)
}
