package oda

import (
	"crypto/rand"
	"io"
	"time"
)

// TestPKIConfig configures NewTestPKI. The zero value of every field but
// PAN is usable.
type TestPKIConfig struct {
	// Rand is the source of the keys, serial numbers and data
	// authentication code; nil means crypto/rand.Reader. A seeded reader
	// makes the whole PKI reproducible.
	Rand io.Reader
	// Time gives the issuing date; nil means time.Now. The issuer
	// certificate expires ValidYears later, the ICC certificate one year
	// before it, both at the end of the month.
	Time       func() time.Time
	ValidYears int // zero means 5 (at least 2)
	// RID and Index name the CA key; the zero RID means F000000001, an
	// RID that no scheme holds, and the zero index means 01.
	RID   RID
	Index byte
	// Key sizes in bits; zero means 1984, 1408 and 1024. The issuer key
	// may not be longer than the CA key, nor the ICC key than the issuer
	// key.
	CABits, IssuerBits, ICCBits int
	// Exponent of all three keys: 3 (zero) or 65537.
	Exponent int
	// PAN is the application PAN (5A) of the card, compressed numeric
	// padded with F; the issuer identifier is its first IssuerIDDigits
	// digits (zero means 6).
	PAN            []byte
	IssuerIDDigits int
	// StaticData is the static data to be authenticated that the ICC
	// certificate and the SSAD cover.
	StaticData []byte
}

// A TestPKI is a test certification authority, an issuer and a card with
// their keys and the data objects a card is personalised with for
// SDA, DDA and CDA.
type TestPKI struct {
	CA   *PrivateKey
	CAPK *CAPK // the CA public key as a terminal holds it

	Issuer          *PrivateKey
	IssuerCert      []byte // 90
	IssuerRemainder []byte // 92, nil if none

	ICC          *PrivateKey
	ICCCert      []byte // 9F46
	ICCRemainder []byte // 9F48, nil if none

	SSAD []byte  // 93
	DAC  [2]byte // the data authentication code inside the SSAD
}

// NewTestPKI generates a CA, an issuer and an ICC key pair, certifies the
// issuer key with the CA key and the ICC key with the issuer key, and
// signs the static data for SDA.
func NewTestPKI(cfg TestPKIConfig) (*TestPKI, error) {
	random := cfg.Rand
	if random == nil {
		random = rand.Reader
	}
	now := time.Now
	if cfg.Time != nil {
		now = cfg.Time
	}
	years := cfg.ValidYears
	if years == 0 {
		years = 5
	}
	if years < 2 {
		return nil, ErrSigning
	}
	rid := cfg.RID
	if rid == (RID{}) {
		rid = RID{0xF0, 0x00, 0x00, 0x00, 0x01}
	}
	index := cfg.Index
	if index == 0 {
		index = 0x01
	}
	caBits, issuerBits, iccBits := orDefault(cfg.CABits, 1984), orDefault(cfg.IssuerBits, 1408), orDefault(cfg.ICCBits, 1024)
	exp := orDefault(cfg.Exponent, 3)
	digits := orDefault(cfg.IssuerIDDigits, 6)
	id, err := IssuerIDFromPAN(cfg.PAN, digits)
	if err != nil {
		return nil, err
	}

	p := new(TestPKI)
	if p.CA, err = GenerateKey(random, caBits, exp); err != nil {
		return nil, err
	}
	if p.Issuer, err = GenerateKey(random, issuerBits, exp); err != nil {
		return nil, err
	}
	if p.ICC, err = GenerateKey(random, iccBits, exp); err != nil {
		return nil, err
	}
	ca := &CAPK{RID: rid, Index: index, HashAlgorithm: hashSHA1, KeyAlgorithm: rsaAlgorithm, Key: p.CA.Public(), Name: "posflow test CA"}
	ca.Checksum = ca.ComputeChecksum()
	p.CAPK = ca

	var serials [6]byte
	if _, err := io.ReadFull(random, serials[:]); err != nil {
		return nil, ErrKeyGeneration
	}
	if _, err := io.ReadFull(random, p.DAC[:]); err != nil {
		return nil, ErrKeyGeneration
	}
	issued := now()
	it := IssuerCertTemplate{IssuerID: id, Expiry: ExpiryDate(issued.AddDate(years, 0, 0))}
	copy(it.Serial[:], serials[:3])
	if p.IssuerCert, p.IssuerRemainder, err = SignIssuerCertificate(p.CA, p.Issuer.Public(), it); err != nil {
		return nil, err
	}
	ct := ICCCertTemplate{PAN: cfg.PAN, Expiry: ExpiryDate(issued.AddDate(years-1, 0, 0))}
	copy(ct.Serial[:], serials[3:])
	if p.ICCCert, p.ICCRemainder, err = SignICCCertificate(p.Issuer, p.ICC.Public(), ct, cfg.StaticData); err != nil {
		return nil, err
	}
	if p.SSAD, err = SignSSAD(p.Issuer, p.DAC, cfg.StaticData); err != nil {
		return nil, err
	}
	return p, nil
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// ExpiryDate returns the MMYY certificate expiration date of the month of
// t.
func ExpiryDate(t time.Time) [2]byte {
	m, y := int(t.Month()), t.Year()%100
	return [2]byte{byte(m/10<<4 | m%10), byte(y/10<<4 | y%10)}
}
