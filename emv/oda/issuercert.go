package oda

// Issuer public key certificate layout (EMV 4.4 Book 2 5.3),
// offsets into the recovered data of N_CA bytes.
const (
	issuerFixedLen = 15 // header .. exponent length
	issuerOverhead = 36 // fixed fields, hash and trailer
)

// An IssuerCertificate is the content of an issuer public key
// certificate (tag 90) recovered with a CA public key (EMV 4.4 Book 2 5.3).
// Its fields are parsed but not yet validated: call Verify.
type IssuerCertificate struct {
	// Raw is the certificate as received; Recovered is the recovered data,
	// N_CA bytes from header 6A to trailer BC. The other slices alias
	// Recovered.
	Raw       []byte
	Recovered []byte
	CAPK      *CAPK

	IssuerID       [4]byte // leftmost 3-8 PAN digits, F padded
	Expiry         [2]byte // MMYY
	Serial         [3]byte // certificate serial number
	HashAlgorithm  byte
	KeyAlgorithm   byte
	KeyLength      int // N_I
	ExponentLength int
	// KeyField is the issuer public key or its leftmost digits, padded
	// with BB when the key is shorter than N_CA-36.
	KeyField []byte
	Hash     []byte // hash result, 20 bytes
}

// RecoverIssuerCertificate recovers an issuer public key certificate with
// the CA public key ca and makes the checks of Book 2 5.3:
// length equal to the CA modulus, trailer BC, header 6A, format 02.
func RecoverIssuerCertificate(ca *CAPK, cert []byte) (*IssuerCertificate, error) {
	if ca == nil || ca.Key == nil {
		return nil, fail(ItemCAPK, ErrModulus, "no key")
	}
	rec, err := ca.Key.recoverItem(ItemIssuerCertificate, cert, 0x02)
	if err != nil {
		return nil, err
	}
	n := len(rec)
	c := &IssuerCertificate{
		Raw:            cert,
		Recovered:      rec,
		CAPK:           ca,
		HashAlgorithm:  rec[11],
		KeyAlgorithm:   rec[12],
		KeyLength:      int(rec[13]),
		ExponentLength: int(rec[14]),
		KeyField:       rec[issuerFixedLen : n-21],
		Hash:           rec[n-21 : n-1],
	}
	copy(c.IssuerID[:], rec[2:6])
	copy(c.Expiry[:], rec[6:8])
	copy(c.Serial[:], rec[8:11])
	return c, nil
}

// Verify makes the remaining checks of Book 2 5.3 and returns the issuer
// public key. remainder is the issuer public key remainder (92), empty
// when the card has none; exponent is the issuer public key exponent
// (9F32). In order:
//
//   - hash algorithm indicator 01 (ErrHashAlgorithm);
//   - key length within range and not above N_CA (ErrKeyLength);
//   - remainder present exactly when the key does not fit (ErrRemainder);
//   - exponent 3 or 2^16+1 with the length stated (ErrExponent);
//   - SHA-1 over format .. key field || remainder || exponent equal to the
//     recovered hash (ErrHash);
//   - issuer identifier equal to the leftmost PAN digits (ErrIssuerID);
//   - expiry not before the transaction date (ErrExpiryDate, ErrExpired),
//     and the CA key not expired (ErrCAPKExpired);
//   - RID, CA key index and serial number not revoked (ErrRevoked);
//   - public key algorithm indicator 01 (ErrKeyAlgorithm).
func (c *IssuerCertificate) Verify(remainder, exponent []byte, chk Checks) (*PublicKey, error) {
	const item = ItemIssuerCertificate
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
	if err := checkHash(item, c.Hash, c.Recovered[1:len(c.Recovered)-21], remainder, exponent); err != nil {
		return nil, err
	}
	if err := checkIssuerID(c.IssuerID, chk.PAN); err != nil {
		return nil, err
	}
	date := chk.date()
	if err := checkExpiry(item, c.Expiry, date); err != nil {
		return nil, err
	}
	if c.CAPK.Expired(date) {
		return nil, fail(ItemCAPK, ErrCAPKExpired, "RID "+c.CAPK.RID.String()+" index "+hexByte(c.CAPK.Index))
	}
	if chk.Revoked.Contains(Revocation{c.CAPK.RID, c.CAPK.Index, c.Serial}) {
		return nil, fail(item, ErrRevoked, "serial "+hexByte(c.Serial[0])+hexByte(c.Serial[1])+hexByte(c.Serial[2]))
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

// assembleModulus checks the key length against the certifying key's
// length certLen and the remainder rule, and returns a new slice holding
// the whole modulus.
func assembleModulus(item Item, keyLen, certLen int, field, remainder []byte) ([]byte, error) {
	if keyLen < MinModulusLen || keyLen > MaxModulusLen || keyLen > certLen {
		return nil, fail(item, ErrKeyLength, "")
	}
	if keyLen <= len(field) {
		if len(remainder) != 0 {
			return nil, fail(item, ErrRemainder, "remainder present although the key fits the certificate")
		}
		return append([]byte(nil), field[:keyLen]...), nil
	}
	if len(remainder) != keyLen-len(field) {
		return nil, fail(item, ErrRemainder, "")
	}
	m := make([]byte, 0, keyLen)
	m = append(m, field...)
	return append(m, remainder...), nil
}

// checkExponent checks the exponent against the exponent length stated in
// a certificate and against the two values EMV allows.
func checkExponent(item Item, stated int, exponent []byte) error {
	if len(exponent) != stated {
		return fail(item, ErrExponent, "length differs from the certificate")
	}
	if _, ok := exponentValue(exponent); !ok {
		return fail(item, ErrExponent, "")
	}
	return nil
}
