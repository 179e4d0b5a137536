package cardsim

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"math/big"

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

// An RSAKey is an RSA private key of a simulated card: the oda signing key
// (embedded, so that its public half and the oda signing functions work on
// it) together with the private exponent for the raw RSA operation the
// card applies to an enciphered PIN (EMV 4.4 Book 2 section 7.2), which
// package oda does not offer.
type RSAKey struct {
	*oda.PrivateKey
	n, d *big.Int
}

// decipher applies the private operation to c, which must be as long as
// the modulus and smaller than it.
func (k *RSAKey) decipher(c []byte) ([]byte, bool) {
	if len(c) != len(k.Modulus) {
		return nil, false
	}
	x := new(big.Int).SetBytes(c)
	if x.Cmp(k.n) >= 0 {
		return nil, false
	}
	x.Exp(x, k.d, k.n)
	return x.FillBytes(make([]byte, len(k.Modulus))), true
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

// generateRSA makes an RSA key with exponent 3 whose primes come from r,
// searching upwards from random odd starting points, as oda.GenerateKey
// does; it keeps the private exponent that oda hides.
func generateRSA(r io.Reader, bits int) (*RSAKey, error) {
	if bits%16 != 0 || bits < 8*oda.MinModulusLen || bits > 8*oda.MaxModulusLen {
		return nil, fmt.Errorf("%w: RSA key of %d bits (want a multiple of 16 from %d to %d)", ErrProfile, bits, 8*oda.MinModulusLen, 8*oda.MaxModulusLen)
	}
	e := big.NewInt(3)
	one := big.NewInt(1)
	for {
		p, err := prime(r, bits/2, e)
		if err != nil {
			return nil, err
		}
		q, err := prime(r, bits/2, e)
		if err != nil {
			return nil, err
		}
		if p.Cmp(q) == 0 {
			continue
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != bits {
			continue
		}
		pm1 := new(big.Int).Sub(p, one)
		qm1 := new(big.Int).Sub(q, one)
		lambda := new(big.Int).Mul(pm1, qm1)
		lambda.Div(lambda, new(big.Int).GCD(nil, nil, pm1, qm1))
		d := new(big.Int).ModInverse(e, lambda)
		if d == nil {
			continue
		}
		sk := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 3}, D: d, Primes: []*big.Int{p, q}}
		ok, err := oda.NewPrivateKey(sk)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrProfile, err)
		}
		return &RSAKey{PrivateKey: ok, n: n, d: d}, nil
	}
}

// prime returns a prime of bits bits with its two top bits set and p-1
// prime to e.
func prime(r io.Reader, bits int, e *big.Int) (*big.Int, error) {
	buf := make([]byte, bits/8)
	one := big.NewInt(1)
	two := big.NewInt(2)
	for {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("%w: random source: %v", ErrProfile, err)
		}
		buf[0] |= 0xC0
		buf[len(buf)-1] |= 1
		p := new(big.Int).SetBytes(buf)
		pm1, g := new(big.Int), new(big.Int)
		for i := 0; i < 4096 && p.BitLen() == bits; i++ {
			if g.GCD(nil, nil, e, pm1.Sub(p, one)).Cmp(one) == 0 && p.ProbablyPrime(10) {
				return p, nil
			}
			p.Add(p, two)
		}
	}
}
