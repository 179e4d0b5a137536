package issuer

import (
	"errors"
	"strconv"

	"github.com/posflow/posflow/tlv"
)

// Sentinel errors. Every error returned by this package wraps one of them,
// so callers branch with [errors.Is]. No error of this package contains a
// key, a PIN or a PAN: keys are identified by their role and, where it
// helps, their key check value.
var (
	// ErrKeySize reports a key that is not a double-length (16-byte) TDES
	// key. The concrete error is a [*KeySizeError].
	ErrKeySize = errors.New("issuer: invalid key size")

	// ErrPAN reports a primary account number that is not 12 to 19
	// decimal digits.
	ErrPAN = errors.New("issuer: invalid PAN")

	// ErrPSN reports a PAN sequence number that is not empty, one or two
	// decimal digits.
	ErrPSN = errors.New("issuer: invalid PAN sequence number")

	// ErrLength reports an input of the wrong length: a diversification
	// value, ATC, unpredictable number, cryptogram, response code, card
	// status update or similar. The concrete error is a [*LengthError].
	ErrLength = errors.New("issuer: invalid length")

	// ErrCVN reports a cryptogram version this package does not implement,
	// or an operation the version does not define.
	ErrCVN = errors.New("issuer: unsupported cryptogram version")

	// ErrUnsupported reports a method value (padding, encipherment,
	// derivation option) this package does not define, or an operation a
	// cryptogram version does not define, such as a Mastercard PIN change
	// that binds the current PIN.
	ErrUnsupported = errors.New("issuer: unsupported method")

	// ErrMissingData reports a data object a cryptogram version needs
	// that is absent from the transaction data. The concrete error is a
	// [*DataError].
	ErrMissingData = errors.New("issuer: missing data object")

	// ErrDataLength reports a data object of the wrong length for its
	// place in the cryptogram data. The concrete error is a [*DataError].
	ErrDataLength = errors.New("issuer: data object of wrong length")

	// ErrIAD reports issuer application data (tag 9F10) whose format is
	// not one the scheme of the application defines for a supported
	// cryptogram version. The concrete error is an [*IADError].
	ErrIAD = errors.New("issuer: unrecognised issuer application data")

	// ErrScheme reports an application identifier whose registered
	// application provider (RID) is not Visa, Mastercard or Interac.
	ErrScheme = errors.New("issuer: unknown payment scheme")

	// ErrMismatch reports a cryptogram, ARPC, MAC or card verification
	// value that does not verify. From [VerifyCryptogram] the concrete
	// error is a [*VerifyError].
	ErrMismatch = errors.New("issuer: verification failed")

	// ErrPIN reports a PIN that is not 4 to 12 decimal digits.
	ErrPIN = errors.New("issuer: invalid PIN")

	// ErrField55 reports ICC system related data (ISO 8583 field 55) that
	// is not a well-formed list of BER-TLV data objects, or that repeats a
	// tag. The concrete error is a [*Field55Error], which also wraps the
	// tlv package's error when there is one.
	ErrField55 = errors.New("issuer: malformed field 55")

	// ErrCardData reports an expiry date, service code, track or command
	// header that does not have the form the algorithm needs.
	ErrCardData = errors.New("issuer: invalid card data")
)

// KeySizeError reports a key of the wrong length. Key names its role
// ("issuer master key", "ICC master key", "session key", "CVK").
type KeySizeError struct {
	Key string
	Len int // length received, in bytes
}

func (e *KeySizeError) Error() string {
	if e.Len == 0 {
		return "issuer: " + e.Key + " missing"
	}
	return "issuer: " + e.Key + " of " + strconv.Itoa(e.Len) + " bytes, want 16"
}

// Unwrap returns [ErrKeySize].
func (e *KeySizeError) Unwrap() error { return ErrKeySize }

// LengthError reports an input of the wrong length.
type LengthError struct {
	What string // "ATC", "unpredictable number", "ARQC", ...
	Len  int    // length received, in bytes
	Want string // the accepted lengths, e.g. "2" or "0 to 8"
}

func (e *LengthError) Error() string {
	return "issuer: " + e.What + " of " + strconv.Itoa(e.Len) + " bytes, want " + e.Want
}

// Unwrap returns [ErrLength].
func (e *LengthError) Unwrap() error { return ErrLength }

// DataError reports a transaction data object that is missing or has the
// wrong length. Its message names the tag and the lengths, never the value.
type DataError struct {
	CVN  CVN
	Tag  tlv.Tag
	Len  int // length received; -1 when the object is missing
	Want int // length the cryptogram data needs; 0 when any length will do
}

func (e *DataError) Error() string {
	s := "issuer: "
	if e.CVN != 0 {
		s += e.CVN.String() + ": "
	}
	s += "tag " + tagString(e.Tag)
	if e.Len < 0 {
		return s + ": missing"
	}
	s += ": " + strconv.Itoa(e.Len) + " bytes"
	if e.Want > 0 {
		s += ", want " + strconv.Itoa(e.Want)
	}
	return s
}

// Unwrap returns [ErrMissingData] or [ErrDataLength].
func (e *DataError) Unwrap() error {
	if e.Len < 0 {
		return ErrMissingData
	}
	return ErrDataLength
}

// IADError reports issuer application data that does not have a format
// this package recognises for the scheme.
type IADError struct {
	Scheme string // "Visa", "Mastercard", "Interac"; empty when not known
	Len    int    // length of the issuer application data, in bytes
	Reason string // lower case, no data values except format bytes
}

func (e *IADError) Error() string {
	s := "issuer: "
	if e.Scheme != "" {
		s += e.Scheme + " "
	}
	return s + "issuer application data (9F10) of " + strconv.Itoa(e.Len) + " bytes: " + e.Reason
}

// Unwrap returns [ErrIAD].
func (e *IADError) Unwrap() error { return ErrIAD }

func tagString(t tlv.Tag) string {
	s := strconv.FormatUint(uint64(t), 16)
	if len(s)%2 == 1 {
		s = "0" + s
	}
	return upper(s)
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func errKey(role string, n int) error { return &KeySizeError{Key: role, Len: n} }

func errLen(what string, n int, want string) error {
	return &LengthError{What: what, Len: n, Want: want}
}

type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string { return "issuer: unsupported " + e.what }
func (e *unsupportedError) Unwrap() error { return ErrUnsupported }
