package oda

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"math/big"
)

// A PrivateKey is an RSA private key for the signing side of offline data
// authentication: the test CA, issuer and ICC keys a simulated card is
// personalised with. Its private operation is plain math/big arithmetic,
// not hardened against timing attacks: use it for test keys only. Make
// one with GenerateKey or NewPrivateKey; the zero value is not usable.
type PrivateKey struct {
	PublicKey
	d, p, q      *big.Int
	dp, dq, qInv *big.Int
}

// GenerateKey generates a key whose modulus has the given number of bits
// (a multiple of 8 from 8*MinModulusLen to 8*MaxModulusLen) and whose
// public exponent is 3 or 65537. The primes are drawn from random (nil
// means crypto/rand.Reader), so that a deterministic reader yields a
// deterministic key; crypto/rsa cannot do that since Go 1.26, nor make
// keys with exponent 3.
func GenerateKey(random io.Reader, bits, exponent int) (*PrivateKey, error) {
	if bits%8 != 0 || bits < 8*MinModulusLen || bits > 8*MaxModulusLen {
		return nil, ErrKeyGeneration
	}
	var expBytes []byte
	switch exponent {
	case 3:
		expBytes = []byte{3}
	case 65537:
		expBytes = []byte{1, 0, 1}
	default:
		return nil, ErrKeyGeneration
	}
	if random == nil {
		random = rand.Reader
	}
	e := big.NewInt(int64(exponent))
	one := big.NewInt(1)
	for {
		p, err := genPrime(random, bits/2, e)
		if err != nil {
			return nil, err
		}
		q, err := genPrime(random, bits-bits/2, e)
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
		g := new(big.Int).GCD(nil, nil, pm1, qm1)
		lambda := new(big.Int).Div(new(big.Int).Mul(pm1, qm1), g)
		d := new(big.Int).ModInverse(e, lambda)
		if d == nil {
			continue
		}
		return newPrivateKey(n, expBytes, d, p, q)
	}
}

func newPrivateKey(n *big.Int, exp []byte, d, p, q *big.Int) (*PrivateKey, error) {
	one := big.NewInt(1)
	qInv := new(big.Int).ModInverse(q, p)
	if qInv == nil {
		return nil, ErrKeyGeneration
	}
	pub, err := newPublicKeyOwned(n.Bytes(), exp)
	if err != nil {
		return nil, err
	}
	return &PrivateKey{
		PublicKey: *pub,
		d:         d,
		p:         p,
		q:         q,
		dp:        new(big.Int).Mod(d, new(big.Int).Sub(p, one)),
		dq:        new(big.Int).Mod(d, new(big.Int).Sub(q, one)),
		qInv:      qInv,
	}, nil
}

// genPrime returns a prime of exactly bits bits with its two top bits set
// and gcd(e, p-1) = 1, searching upwards from a random odd start.
func genPrime(random io.Reader, bits int, e *big.Int) (*big.Int, error) {
	buf := make([]byte, (bits+7)/8)
	one := big.NewInt(1)
	for {
		if _, err := io.ReadFull(random, buf); err != nil {
			return nil, ErrKeyGeneration
		}
		if extra := len(buf)*8 - bits; extra > 0 {
			buf[0] &= 0xFF >> extra
		}
		// Two top bits set: the product of two such primes has exactly
		// the sum of their lengths.
		top := uint(bits-1) % 8
		buf[0] |= 1 << top
		if top > 0 {
			buf[0] |= 1 << (top - 1)
		} else {
			buf[1] |= 0x80
		}
		buf[len(buf)-1] |= 1
		p := new(big.Int).SetBytes(buf)
		pm1 := new(big.Int)
		g := new(big.Int)
		for i := 0; i < 4096 && p.BitLen() == bits; i++ {
			if p.ProbablyPrime(20) && g.GCD(nil, nil, e, pm1.Sub(p, one)).Cmp(one) == 0 {
				return p, nil
			}
			p.Add(p, big.NewInt(2))
		}
	}
}

// NewPrivateKey adopts a crypto/rsa key of two primes whose modulus and
// exponent are within EMV's ranges.
func NewPrivateKey(k *rsa.PrivateKey) (*PrivateKey, error) {
	if k == nil || len(k.Primes) != 2 || k.D == nil || k.N == nil {
		return nil, ErrKeyGeneration
	}
	var exp []byte
	switch k.E {
	case 3:
		exp = []byte{3}
	case 65537:
		exp = []byte{1, 0, 1}
	default:
		return nil, ErrExponent
	}
	return newPrivateKey(k.N, exp, k.D, k.Primes[0], k.Primes[1])
}

// Public returns the public half.
func (k *PrivateKey) Public() *PublicKey {
	pub := k.PublicKey
	return &pub
}

// Decrypt applies the raw private operation to c, a block as long as the
// modulus and smaller than it: what a card does with an enciphered PIN
// (EMV 4.4 Book 2 section 7.2) before checking the recovered block. It
// returns ErrLength or ErrRange for a block it cannot take. Like every
// private operation of this package it is for test keys only.
func (k *PrivateKey) Decrypt(c []byte) ([]byte, error) {
	if len(c) != len(k.Modulus) {
		return nil, ErrLength
	}
	if new(big.Int).SetBytes(c).Cmp(k.n) >= 0 {
		return nil, ErrRange
	}
	return k.sign(c), nil
}

// sign applies the private operation to a block as long as the modulus,
// with the Chinese remainder theorem.
func (k *PrivateKey) sign(block []byte) []byte {
	c := new(big.Int).SetBytes(block)
	m1 := new(big.Int).Exp(c, k.dp, k.p)
	m2 := new(big.Int).Exp(c, k.dq, k.q)
	h := m1.Sub(m1, m2)
	h.Mul(h, k.qInv)
	h.Mod(h, k.p)
	h.Mul(h, k.q)
	h.Add(h, m2)
	out := make([]byte, len(k.Modulus))
	return h.FillBytes(out)
}
