package oda

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error returned by this package matches one of
// them with [errors.Is]. A failing check of EMV 4.4 Book 2 is reported as
// an [*Error] that names the data object checked and wraps the sentinel of
// the step that failed, so that each step is distinct.
var (
	// ErrLength: a certificate or signature whose length is not the length
	// of the modulus of the key that recovers it (Book 2 5.3,
	// 5.4, 6.4, 6.5.2, 6.6.2).
	ErrLength = errors.New("oda: length differs from the modulus length")
	// ErrRange: a certificate or signature that, read as an integer, is not
	// smaller than the modulus, so no RSA recovery of it exists.
	ErrRange = errors.New("oda: value not smaller than the modulus")
	// ErrTrailer: the recovered data trailer is not BC.
	ErrTrailer = errors.New("oda: recovered data trailer is not BC")
	// ErrHeader: the recovered data header is not 6A.
	ErrHeader = errors.New("oda: recovered data header is not 6A")
	// ErrFormat: the certificate or signed data format is not the one the
	// step expects (02, 03, 04 or 05).
	ErrFormat = errors.New("oda: wrong certificate or signed data format")
	// ErrHashAlgorithm: a hash algorithm indicator other than 01 (SHA-1).
	ErrHashAlgorithm = errors.New("oda: unknown hash algorithm indicator")
	// ErrKeyAlgorithm: a public key algorithm indicator other than 01 (RSA).
	ErrKeyAlgorithm = errors.New("oda: unknown public key algorithm indicator")
	// ErrKeyLength: a public key length outside what Book 2 allows: longer
	// than 248 bytes, shorter than MinModulusLen, or longer than the key
	// that certifies it.
	ErrKeyLength = errors.New("oda: public key length out of range")
	// ErrExponent: a public key exponent other than 3 or 2^16+1, or one
	// whose length differs from the length stated in the certificate.
	ErrExponent = errors.New("oda: public key exponent not allowed")
	// ErrRemainder: a public key remainder of the wrong length: missing
	// when the key does not fit the certificate, present when it does.
	ErrRemainder = errors.New("oda: public key remainder of the wrong length")
	// ErrHash: the hash result recovered from a certificate or signature
	// differs from the hash computed over the data it covers.
	ErrHash = errors.New("oda: hash result does not match")
	// ErrIssuerID: the issuer identifier of an issuer public key
	// certificate is malformed or differs from the leftmost PAN digits.
	ErrIssuerID = errors.New("oda: issuer identifier does not match the PAN")
	// ErrPAN: the PAN recovered from an ICC (PIN encipherment) public key
	// certificate differs from the application PAN.
	ErrPAN = errors.New("oda: certificate PAN does not match the application PAN")
	// ErrExpiryDate: a certificate expiration date that is not a valid
	// MMYY date.
	ErrExpiryDate = errors.New("oda: malformed certificate expiration date")
	// ErrExpired: a certificate whose expiration month ended before the
	// transaction date.
	ErrExpired = errors.New("oda: certificate expired")
	// ErrRevoked: an issuer public key certificate on the revocation list.
	ErrRevoked = errors.New("oda: certificate revoked")
	// ErrDynamicData: signed dynamic application data whose ICC dynamic
	// data length or ICC dynamic number length is out of range.
	ErrDynamicData = errors.New("oda: malformed ICC dynamic data")
	// ErrCID: the cryptogram information data in the signed dynamic
	// application data differs from the one in the GENERATE AC response.
	ErrCID = errors.New("oda: cryptogram information data does not match")
	// ErrTransactionDataHash: the transaction data hash code in the signed
	// dynamic application data differs from the hash of the transaction
	// data.
	ErrTransactionDataHash = errors.New("oda: transaction data hash code does not match")
	// ErrResponse: a GENERATE AC response that is not format 2, that is
	// malformed, or that lacks the cryptogram information data or the
	// signed dynamic application data.
	ErrResponse = errors.New("oda: response to GENERATE AC unusable for CDA")
	// ErrTerminalData: terminal data of the wrong length (unpredictable
	// number, amount, currency code) or an fDDA version this package does
	// not know.
	ErrTerminalData = errors.New("oda: terminal data malformed")
	// ErrStaticData: a record that cannot be part of the static data to be
	// authenticated (not a template 70 for SFI 1 to 10), or a static data
	// authentication tag list (9F4A) naming anything but the AIP (EMV 4.4
	// Book 3 10.3).
	ErrStaticData = errors.New("oda: static data to be authenticated unusable")
	// ErrModulus: a modulus that is not an odd number of MinModulusLen to
	// MaxModulusLen bytes without leading zero bytes.
	ErrModulus = errors.New("oda: modulus out of range")
	// ErrChecksum: a certification authority public key whose SHA-1
	// checksum does not match its RID, index, modulus and exponent.
	ErrChecksum = errors.New("oda: checksum of the CA public key does not match")
	// ErrDuplicateCAPK: a second certification authority public key with
	// the same RID and index.
	ErrDuplicateCAPK = errors.New("oda: duplicate CA public key")
	// ErrUnknownCAPK: no certification authority public key with the RID
	// and index asked for.
	ErrUnknownCAPK = errors.New("oda: unknown CA public key")
	// ErrCAPKExpired: a certification authority public key used after its
	// expiry date.
	ErrCAPKExpired = errors.New("oda: expired CA public key")
	// ErrCAPKData: certification authority public key data that cannot be
	// read (bad JSON, bad hex, bad RID or index).
	ErrCAPKData = errors.New("oda: malformed CA public key data")
	// ErrKeyGeneration: key generation parameters this package does not
	// support, or a random source that failed.
	ErrKeyGeneration = errors.New("oda: key generation failed")
	// ErrSigning: data that does not fit the certificate or signature
	// being produced.
	ErrSigning = errors.New("oda: cannot sign")
)

// An Item names the data object a check was made on.
type Item uint8

// The data objects of offline data authentication.
const (
	ItemCAPK              Item = iota + 1 // certification authority public key
	ItemIssuerCertificate                 // issuer public key certificate (90)
	ItemICCCertificate                    // ICC public key certificate (9F46)
	ItemICCPINCertificate                 // ICC PIN encipherment public key certificate (9F2D)
	ItemSSAD                              // signed static application data (93)
	ItemSDAD                              // signed dynamic application data (9F4B)
	ItemResponse                          // GENERATE AC response checked by CDA
	ItemStaticData                        // static data to be authenticated
)

var itemNames = [...]string{
	ItemCAPK:              "CA public key",
	ItemIssuerCertificate: "issuer public key certificate",
	ItemICCCertificate:    "ICC public key certificate",
	ItemICCPINCertificate: "ICC PIN encipherment public key certificate",
	ItemSSAD:              "signed static application data",
	ItemSDAD:              "signed dynamic application data",
	ItemResponse:          "GENERATE AC response",
	ItemStaticData:        "static data to be authenticated",
}

func (i Item) String() string {
	if int(i) < len(itemNames) && itemNames[i] != "" {
		return itemNames[i]
	}
	return "unknown item"
}

// An Error reports a failed check: on which data object, which step (the
// sentinel in Err) and, in Detail, non-secret facts such as the byte found
// where another was expected. It never holds a PAN, a key or recovered
// data.
type Error struct {
	Item   Item
	Err    error  // one of the sentinel errors
	Detail string // may be empty
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("oda: ")
	b.WriteString(e.Item.String())
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "oda: "))
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func fail(item Item, err error, detail string) error {
	return &Error{Item: item, Err: err, Detail: detail}
}

const hexDigits = "0123456789ABCDEF"

// gotWant describes a byte found where another was expected.
func gotWant(got, want byte) string {
	return "got " + string([]byte{hexDigits[got>>4], hexDigits[got&15]}) +
		", want " + string([]byte{hexDigits[want>>4], hexDigits[want&15]})
}

func hexByte(b byte) string { return string([]byte{hexDigits[b>>4], hexDigits[b&15]}) }
