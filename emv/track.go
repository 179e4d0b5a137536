package emv

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ErrTrack is wrapped by the errors of malformed track data. The errors
// never contain the track data.
var ErrTrack = errors.New("emv: malformed track data")

// ErrInsertChip is returned by MagstripeEntryMode when a chip card is
// swiped before its chip was tried: the terminal must ask for the card to
// be inserted.
var ErrInsertChip = errors.New("emv: chip card swiped: insert the card")

// A ServiceCode is the three-digit service code of ISO/IEC 7813, held as
// its ASCII digits ("201").
type ServiceCode [3]byte

// ChipPresent reports whether the card has a chip that should be used
// (first digit 2 or 6).
func (s ServiceCode) ChipPresent() bool { return s[0] == '2' || s[0] == '6' }

// International reports whether the card may be used internationally
// (first digit 1 or 2; 5 and 6 are national only).
func (s ServiceCode) International() bool { return s[0] == '1' || s[0] == '2' }

// OnlineAuthorisation reports whether transactions must be authorised by
// the issuer (second digit 2 or 4).
func (s ServiceCode) OnlineAuthorisation() bool { return s[1] == '2' || s[1] == '4' }

// PINRequired reports whether a PIN is required (third digit 0, 3 or 5).
func (s ServiceCode) PINRequired() bool { return s[2] == '0' || s[2] == '3' || s[2] == '5' }

// PromptForPIN reports whether the terminal should ask for a PIN if it has
// a PIN pad (third digit 6 or 7), when PINRequired is false.
func (s ServiceCode) PromptForPIN() bool { return s[2] == '6' || s[2] == '7' }

// GoodsAndServicesOnly reports whether the card is restricted to goods and
// services, no cash (third digit 2, 5 or 7).
func (s ServiceCode) GoodsAndServicesOnly() bool { return s[2] == '2' || s[2] == '5' || s[2] == '7' }

// ATMOnly reports whether the card may only be used at ATMs (third digit
// 3).
func (s ServiceCode) ATMOnly() bool { return s[2] == '3' }

// String returns the three digits.
func (s ServiceCode) String() string { return string(s[:]) }

// Track2 is the data of track 2 (ISO/IEC 7813), or of the Track 2
// Equivalent Data of the chip, tag 57. Its String method masks the PAN and
// hides everything else.
type Track2 struct {
	PAN           string
	Expiry        string // YYMM
	ServiceCode   ServiceCode
	Discretionary string
}

// String returns the masked PAN and the expiry only.
func (t Track2) String() string {
	return "track 2 " + MaskPAN(t.PAN) + " exp " + t.Expiry
}

// ParseTrack2 parses track 2 as read from the stripe: optional start
// sentinel ';', PAN, separator '=', YYMM, service code, discretionary data,
// optional end sentinel '?'.
func ParseTrack2(s string) (Track2, error) {
	s = strings.TrimPrefix(s, ";")
	if i := strings.IndexByte(s, '?'); i >= 0 {
		if i != len(s)-1 && i != len(s)-2 { // at most an LRC after the end sentinel
			return Track2{}, fmt.Errorf("%w: track 2: data after the end sentinel", ErrTrack)
		}
		s = s[:i]
	}
	return parseTrack2(s, '=')
}

// ParseTrack2Equivalent parses the Track 2 Equivalent Data of tag 57 (or
// Mastercard's 9F6B): BCD digits, separator D, padded with F to whole
// bytes.
func ParseTrack2Equivalent(v []byte) (Track2, error) {
	if len(v) > 19 {
		return Track2{}, fmt.Errorf("%w: track 2 equivalent: %d bytes, at most 19", ErrTrack, len(v))
	}
	s := strings.TrimSuffix(strings.ToUpper(hex.EncodeToString(v)), "F")
	return parseTrack2(s, 'D')
}

func parseTrack2(s string, sep byte) (Track2, error) {
	pan, rest, ok := strings.Cut(s, string(sep))
	if !ok {
		return Track2{}, fmt.Errorf("%w: track 2: no field separator", ErrTrack)
	}
	if err := checkPAN(pan); err != nil {
		return Track2{}, err
	}
	if len(rest) < 7 {
		return Track2{}, fmt.Errorf("%w: track 2: %d characters after the separator, want at least 7", ErrTrack, len(rest))
	}
	if !digits(rest) {
		return Track2{}, fmt.Errorf("%w: track 2: non-digit after the separator", ErrTrack)
	}
	t := Track2{PAN: pan, Expiry: rest[:4], Discretionary: rest[7:]}
	copy(t.ServiceCode[:], rest[4:7])
	return t, nil
}

// Track1 is the data of track 1 format B (ISO/IEC 7813). Its String
// method masks the PAN and hides the name and discretionary data.
type Track1 struct {
	PAN           string
	Name          string
	Expiry        string // YYMM
	ServiceCode   ServiceCode
	Discretionary string
}

// String returns the masked PAN and the expiry only.
func (t Track1) String() string {
	return "track 1 " + MaskPAN(t.PAN) + " exp " + t.Expiry
}

// ParseTrack1 parses track 1 format B: optional start sentinel '%', format
// code 'B', PAN, '^', name (2 to 26 characters), '^', YYMM, service code,
// discretionary data, optional end sentinel '?'.
func ParseTrack1(s string) (Track1, error) {
	s = strings.TrimPrefix(s, "%")
	if i := strings.IndexByte(s, '?'); i >= 0 {
		if i != len(s)-1 && i != len(s)-2 {
			return Track1{}, fmt.Errorf("%w: track 1: data after the end sentinel", ErrTrack)
		}
		s = s[:i]
	}
	if !strings.HasPrefix(s, "B") {
		return Track1{}, fmt.Errorf("%w: track 1: format code is not B", ErrTrack)
	}
	fields := strings.SplitN(s[1:], "^", 3)
	if len(fields) != 3 {
		return Track1{}, fmt.Errorf("%w: track 1: want 3 fields separated by ^", ErrTrack)
	}
	pan, name, rest := fields[0], fields[1], fields[2]
	if err := checkPAN(pan); err != nil {
		return Track1{}, err
	}
	if len(name) < 2 || len(name) > 26 {
		return Track1{}, fmt.Errorf("%w: track 1: name of %d characters, want 2 to 26", ErrTrack, len(name))
	}
	if len(rest) < 7 || !digits(rest[:7]) {
		return Track1{}, fmt.Errorf("%w: track 1: expiry and service code are not 7 digits", ErrTrack)
	}
	for _, c := range []byte(name + rest) {
		if c < 0x20 || c > 0x5F {
			return Track1{}, fmt.Errorf("%w: track 1: character outside the track 1 set", ErrTrack)
		}
	}
	t := Track1{PAN: pan, Name: name, Expiry: rest[:4], Discretionary: rest[7:]}
	copy(t.ServiceCode[:], rest[4:7])
	return t, nil
}

func checkPAN(pan string) error {
	if len(pan) < 12 || len(pan) > 19 {
		return fmt.Errorf("%w: PAN of %d digits, want 12 to 19", ErrTrack, len(pan))
	}
	if !digits(pan) {
		return fmt.Errorf("%w: PAN has a non-digit", ErrTrack)
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// POSEntryMode is the first two digits of the POS entry mode (ISO 8583
// field 22, EMV tag 9F39): how the card data was read.
type POSEntryMode string

// The POS entry modes a chip terminal uses.
const (
	EntryManual            POSEntryMode = "01"
	EntryChip              POSEntryMode = "05"
	EntryContactlessChip   POSEntryMode = "07"
	EntryFallbackMagstripe POSEntryMode = "80" // magnetic stripe after a chip read failed
	EntryMagstripe         POSEntryMode = "90" // full magnetic stripe read
	EntryContactlessStripe POSEntryMode = "91"
)

// MagstripeEntryMode decides whether a swiped card may be accepted, and
// with which POS entry mode. A card whose service code announces a chip
// must be inserted first (ErrInsertChip) unless the chip was tried and
// failed, in which case the swipe is a fallback (80). A card without chip
// is a plain swipe (90).
func MagstripeEntryMode(sc ServiceCode, chipFailed bool) (POSEntryMode, error) {
	if !sc.ChipPresent() {
		return EntryMagstripe, nil
	}
	if !chipFailed {
		return "", ErrInsertChip
	}
	return EntryFallbackMagstripe, nil
}
