package oda

// ICC public key certificate layout (EMV 4.4 Book 2 6.4, and 7.1 for
// the PIN encipherment certificate), offsets into the recovered data of
// N_I bytes.
const (
	iccFixedLen = 21 // header .. exponent length
	iccOverhead = 42 // fixed fields, hash and trailer
)

// An ICCCertificate is the content of an ICC public key certificate
// (9F46) or of an ICC PIN encipherment public key certificate (9F2D),
// recovered with the issuer public key (EMV 4.4 Book 2 6.4 and 7.1). Its
// fields are parsed but not yet validated: call Verify.
type ICCCertificate struct {
	// Item is ItemICCCertificate or ItemICCPINCertificate.
	Item Item
	// Raw is the certificate as received; Recovered is the recovered data,
	// N_I bytes from header 6A to trailer BC. The other slices alias
	// Recovered.
	Raw       []byte
	Recovered []byte

	PAN            [10]byte // application PAN, F padded
	Expiry         [2]byte  // MMYY
	Serial         [3]byte  // certificate serial number
	HashAlgorithm  byte
	KeyAlgorithm   byte
	KeyLength      int // N_IC (or N_PE)
	ExponentLength int
	// KeyField is the ICC public key or its leftmost digits, padded with
	// BB when the key is shorter than N_I-42.
	KeyField []byte
	Hash     []byte // hash result, 20 bytes
}

// RecoverICCCertificate recovers an ICC public key certificate with the
// issuer public key and makes the checks of Book 2 6.4:
// length equal to the issuer modulus, trailer BC, header 6A, format 04.
func RecoverICCCertificate(issuer *PublicKey, cert []byte) (*ICCCertificate, error) {
	return recoverICC(ItemICCCertificate, issuer, cert)
}

// RecoverICCPINCertificate recovers an ICC PIN encipherment public key
// certificate (9F2D) with the issuer public key and makes the checks of
// Book 2 7.1 that correspond to 6.4.
func RecoverICCPINCertificate(issuer *PublicKey, cert []byte) (*ICCCertificate, error) {
	return recoverICC(ItemICCPINCertificate, issuer, cert)
}

func recoverICC(item Item, issuer *PublicKey, cert []byte) (*ICCCertificate, error) {
	rec, err := issuer.recoverItem(item, cert, 0x04)
	if err != nil {
		return nil, err
	}
	n := len(rec)
	c := &ICCCertificate{
		Item:           item,
		Raw:            cert,
		Recovered:      rec,
		HashAlgorithm:  rec[17],
		KeyAlgorithm:   rec[18],
		KeyLength:      int(rec[19]),
		ExponentLength: int(rec[20]),
		KeyField:       rec[iccFixedLen : n-21],
		Hash:           rec[n-21 : n-1],
	}
	copy(c.PAN[:], rec[2:12])
	copy(c.Expiry[:], rec[12:14])
	copy(c.Serial[:], rec[14:17])
	return c, nil
}

// Verify makes the remaining checks of Book 2 6.4 (or 7.1) and returns
// the ICC public key (or ICC PIN encipherment public key). remainder is
// 9F48 (9F2F), empty when the card has none; exponent is 9F47 (9F2E);
// staticData is the static data to be authenticated (Book 3 10.3: the
// records named by the AFL, then the AIP when 9F4A asks for it) and must
// be nil for a PIN encipherment certificate, whose hash does not cover
// it. In order:
//
//   - hash algorithm indicator 01 (ErrHashAlgorithm);
//   - key length within range and not above N_I (ErrKeyLength);
//   - remainder present exactly when the key does not fit (ErrRemainder);
//   - exponent 3 or 2^16+1 with the length stated (ErrExponent);
//   - SHA-1 over format .. key field || remainder || exponent ||
//     static data equal to the recovered hash (ErrHash);
//   - recovered PAN equal to the application PAN (ErrPAN);
//   - expiry not before the transaction date (ErrExpiryDate, ErrExpired);
//   - public key algorithm indicator 01 (ErrKeyAlgorithm).
//
// chk.Revoked is not consulted: Book 2 revokes issuer certificates only.
func (c *ICCCertificate) Verify(remainder, exponent, staticData []byte, chk Checks) (*PublicKey, error) {
	item := c.Item
	if item == ItemICCPINCertificate && staticData != nil {
		return nil, fail(item, ErrHash, "static data given for a PIN encipherment certificate")
	}
	if c.HashAlgorithm != hashSHA1 {
		return nil, fail(item, ErrHashAlgorithm, "indicator "+hexByte(c.HashAlgorithm))
	}
	modulus, err := assembleModulus(item, c.KeyLength, len(c.Recovered), c.KeyField, remainder)
	if err != nil {
		return nil, err
	}
	if err := checkExponent(item, c.ExponentLength, exponent); err != nil {
		return nil, err
	}
	if err := checkHash(item, c.Hash, c.Recovered[1:len(c.Recovered)-21], remainder, exponent, staticData); err != nil {
		return nil, err
	}
	if err := checkPAN(item, c.PAN, chk.PAN); err != nil {
		return nil, err
	}
	if err := checkExpiry(item, c.Expiry, chk.date()); err != nil {
		return nil, err
	}
	if c.KeyAlgorithm != rsaAlgorithm {
		return nil, fail(item, ErrKeyAlgorithm, "indicator "+hexByte(c.KeyAlgorithm))
	}
	key, err := newPublicKeyOwned(modulus, append([]byte(nil), exponent...))
	if err != nil {
		return nil, fail(item, err, "")
	}
	return key, nil
}
