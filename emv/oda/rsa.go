package oda

import (
	"math/big"
	"sync"
)

// Modulus limits. EMV 4.4 Book 2 limits every modulus (CA, issuer, ICC)
// to 248 bytes (1984 bits). The lower bound is this package's: 64 bytes
// (512 bits), below every published test key and still room for the 63
// bytes a CDA signature needs.
const (
	MaxModulusLen = 248
	MinModulusLen = 64
)

// A PublicKey is an EMV RSA public key: a modulus and an exponent of 3 or
// 2^16+1 (Book 2 Annex B2.1), each kept as the bytes received. Make one
// with NewPublicKey, or get it from a verified certificate; a literal
// works too, checked at each use. A PublicKey is not modified after it is
// made and is safe for concurrent use.
type PublicKey struct {
	// Modulus is the big-endian modulus, N bytes, no leading zero byte.
	Modulus []byte
	// Exponent is the exponent as carried by the card or the CA key data:
	// 03 or 010001.
	Exponent []byte

	n *big.Int
	e int
}

// NewPublicKey checks modulus and exponent against Book 2's rules and
// returns the key. The slices are copied.
func NewPublicKey(modulus, exponent []byte) (*PublicKey, error) {
	if err := checkModulus(modulus); err != nil {
		return nil, err
	}
	e, ok := exponentValue(exponent)
	if !ok {
		return nil, ErrExponent
	}
	return &PublicKey{
		Modulus:  append([]byte(nil), modulus...),
		Exponent: append([]byte(nil), exponent...),
		n:        new(big.Int).SetBytes(modulus),
		e:        e,
	}, nil
}

// newPublicKeyFrom builds a key from modulus bytes the caller already
// owns (freshly built), without copying.
func newPublicKeyOwned(modulus, exponent []byte) (*PublicKey, error) {
	if err := checkModulus(modulus); err != nil {
		return nil, err
	}
	e, ok := exponentValue(exponent)
	if !ok {
		return nil, ErrExponent
	}
	return &PublicKey{Modulus: modulus, Exponent: exponent, n: new(big.Int).SetBytes(modulus), e: e}, nil
}

func checkModulus(m []byte) error {
	if len(m) < MinModulusLen || len(m) > MaxModulusLen || m[0] == 0 || m[len(m)-1]&1 == 0 {
		return ErrModulus
	}
	return nil
}

// exponentValue accepts exactly the two encodings EMV allows: 03 and
// 010001.
func exponentValue(e []byte) (int, bool) {
	switch {
	case len(e) == 1 && e[0] == 3:
		return 3, true
	case len(e) == 3 && e[0] == 1 && e[1] == 0 && e[2] == 1:
		return 65537, true
	}
	return 0, false
}

// Len returns the length of the modulus in bytes (N in Book 2).
func (k *PublicKey) Len() int { return len(k.Modulus) }

// Recover applies the RSA public key operation without padding (Book 2
// Annex B2.1) to x, which must be exactly as long as the modulus and
// smaller than it, and returns the result as a new slice of the same
// length. It is the recovery function of every certificate and signature,
// and the encipherment function of offline PIN encipherment.
func (k *PublicKey) Recover(x []byte) ([]byte, error) {
	out := make([]byte, len(k.Modulus))
	return k.recoverInto(out, x)
}

// scratch holds the math/big values of one recovery, pooled so that
// recovery allocates only its result.
type scratch struct{ s, r, t, q big.Int }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

var bigF4 = big.NewInt(65537)

func (k *PublicKey) recoverInto(out, x []byte) ([]byte, error) {
	n, e := k.n, k.e
	if n == nil {
		// A PublicKey written as a literal rather than made by
		// NewPublicKey: check it now, without storing anything, so that
		// a shared key is never written to.
		if err := checkModulus(k.Modulus); err != nil {
			return nil, err
		}
		var ok bool
		if e, ok = exponentValue(k.Exponent); !ok {
			return nil, ErrExponent
		}
		n = new(big.Int).SetBytes(k.Modulus)
	}
	if len(x) != len(k.Modulus) {
		return nil, ErrLength
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	s, r, t, q := &sc.s, &sc.r, &sc.t, &sc.q
	s.SetBytes(x)
	if s.Cmp(n) >= 0 {
		return nil, ErrRange
	}
	if e == 3 {
		t.Mul(s, s)
		q.QuoRem(t, n, r)
		t.Mul(r, s)
		q.QuoRem(t, n, r)
	} else {
		r.Exp(s, bigF4, n)
	}
	r.FillBytes(out)
	return out, nil
}

// recoverItem recovers x under k and checks the framing every recovered
// block shares: length (step 1), trailer BC, header 6A and the format
// byte, in the order of Book 2.
func (k *PublicKey) recoverItem(item Item, x []byte, format byte) ([]byte, error) {
	out, err := k.Recover(x)
	if err != nil {
		return nil, fail(item, err, "")
	}
	if t := out[len(out)-1]; t != 0xBC {
		return nil, fail(item, ErrTrailer, gotWant(t, 0xBC))
	}
	if out[0] != 0x6A {
		return nil, fail(item, ErrHeader, gotWant(out[0], 0x6A))
	}
	if out[1] != format {
		return nil, fail(item, ErrFormat, gotWant(out[1], format))
	}
	return out, nil
}
