package cardsim

import (
	"crypto/rand"
	"fmt"
	"io"

	"github.com/posflow/posflow/emv/oda"
)

// Default key sizes of GenerateKeys, in bits. They are small for EMV (the
// schemes use 1024 to 1984 bits) so that generating a card takes tens of
// milliseconds, and large enough for every structure of Book 2: the ICC
// key holds a CDA signature (at least 63 bytes) and an enciphered PIN
// block, and both the issuer and the ICC key need a remainder.
const (
	DefaultCABits     = 1024
	DefaultIssuerBits = 896
	DefaultICCBits    = 768
)

// TestCAPKIndex is the CA public key index (tag 8F) GenerateKeys uses when
// KeyConfig.Index is zero. No scheme publishes a test key with this index
// under the Visa or Mastercard RID, so a terminal can hold this key next to
// the published test keys of oda.TestKeys.
const TestCAPKIndex byte = 0xE1

// An RSAKey is an RSA private key of a simulated card: an oda signing key
// (embedded, so that its public half and the oda signing functions work on
// it), whose raw private operation the card also applies to an enciphered
// PIN (EMV 4.4 Book 2 section 7.2).
type RSAKey struct {
	*oda.PrivateKey
}

// decipher applies the private operation to c, which must be as long as
// the modulus and smaller than it.
func (k *RSAKey) decipher(c []byte) ([]byte, bool) {
	m, err := k.Decrypt(c)
	return m, err == nil
}

// String describes the key without any of its values.
func (k *RSAKey) String() string {
	return fmt.Sprintf("cardsim: %d-bit RSA test key", 8*len(k.Modulus))
}

// Keys are the RSA keys of a card's offline data authentication and
// offline enciphered PIN: a test certification authority, an issuer, the
// ICC key and, optionally, a separate ICC PIN encipherment key. They hold
// no certificates: New signs those when it personalises a card, over the
// card's own static data.
type Keys struct {
	CA   *RSAKey
	CAPK *oda.CAPK // the CA public key as a terminal holds it
	// Issuer certifies the ICC keys and signs the static data for SDA.
	Issuer *RSAKey
	// ICC signs dynamic data (DDA, CDA) and deciphers an enciphered PIN
	// when PIN is nil.
	ICC *RSAKey
	// PIN is the ICC PIN encipherment key (tags 9F2D-9F2F); nil when the
	// card deciphers PINs with its ICC key.
	PIN *RSAKey
	// Certificate serial numbers and the data authentication code of SDA.
	IssuerSerial, ICCSerial, PINSerial [3]byte
	DAC                                [2]byte
}

// KeyConfig configures GenerateKeys. Its zero value generates keys of the
// default sizes with crypto/rand, under the RID F000000001.
type KeyConfig struct {
	// Rand is the source of the primes and serial numbers; nil means
	// crypto/rand.Reader. A seeded reader gives the same keys every time.
	Rand io.Reader
	// RID and Index name the CA key (tag 8F). The zero RID means
	// F000000001, an RID no scheme holds; the zero index TestCAPKIndex.
	RID   oda.RID
	Index byte
	// Sizes in bits, multiples of 8; zero means the defaults. The issuer
	// key may not be longer than the CA key, nor the ICC keys than the
	// issuer key.
	CABits, IssuerBits, ICCBits int
	// PINKey asks for a separate ICC PIN encipherment key of ICCBits.
	PINKey bool
}

// GenerateKeys generates the keys of a card. All keys have exponent 3, as
// the schemes' cards mostly do.
func GenerateKeys(cfg KeyConfig) (*Keys, error) {
	r := cfg.Rand
	if r == nil {
		r = rand.Reader
	}
	rid := cfg.RID
	if rid == (oda.RID{}) {
		rid = oda.RID{0xF0, 0x00, 0x00, 0x00, 0x01}
	}
	index := cfg.Index
	if index == 0 {
		index = TestCAPKIndex
	}
	caBits, issuerBits, iccBits := orDefault(cfg.CABits, DefaultCABits), orDefault(cfg.IssuerBits, DefaultIssuerBits), orDefault(cfg.ICCBits, DefaultICCBits)
	if issuerBits > caBits || iccBits > issuerBits {
		return nil, fmt.Errorf("%w: key sizes %d/%d/%d bits do not decrease from CA to ICC", ErrProfile, caBits, issuerBits, iccBits)
	}
	k := new(Keys)
	var err error
	if k.CA, err = generateRSA(r, caBits); err != nil {
		return nil, err
	}
	if k.Issuer, err = generateRSA(r, issuerBits); err != nil {
		return nil, err
	}
	if k.ICC, err = generateRSA(r, iccBits); err != nil {
		return nil, err
	}
	if cfg.PINKey {
		if k.PIN, err = generateRSA(r, iccBits); err != nil {
			return nil, err
		}
	}
	var b [11]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, fmt.Errorf("%w: random source: %v", ErrProfile, err)
	}
	copy(k.IssuerSerial[:], b[0:3])
	copy(k.ICCSerial[:], b[3:6])
	copy(k.PINSerial[:], b[6:9])
	copy(k.DAC[:], b[9:11])
	k.CAPK = &oda.CAPK{RID: rid, Index: index, HashAlgorithm: 1, KeyAlgorithm: 1, Key: k.CA.Public(), Name: "posflow cardsim test CA (not a scheme key)"}
	k.CAPK.Checksum = k.CAPK.ComputeChecksum()
	return k, nil
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// generateRSA makes an RSA key with exponent 3 whose primes come from r.
func generateRSA(r io.Reader, bits int) (*RSAKey, error) {
	if bits%16 != 0 || bits < 8*oda.MinModulusLen || bits > 8*oda.MaxModulusLen {
		return nil, fmt.Errorf("%w: RSA key of %d bits (want a multiple of 16 from %d to %d)", ErrProfile, bits, 8*oda.MinModulusLen, 8*oda.MaxModulusLen)
	}
	k, err := oda.GenerateKey(r, bits, 3)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProfile, err)
	}
	return &RSAKey{PrivateKey: k}, nil
}
