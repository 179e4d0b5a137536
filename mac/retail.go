package mac

import (
	des "github.com/posflow/posflow/internal/des"
)

// Alg3 returns MAC algorithm 3 of ISO/IEC 9797-1:2011, the retail MAC of
// ANSI X9.19, over data padded with p. key is 16 bytes: K (bytes 0–7)
// chains every block with single DES and K′ (bytes 8–15) enters the output
// transformation G = E(K, D(K′, Hq)). The result is 8 bytes; callers
// truncate it (ANSI X9.24-1 DUKPT uses the leftmost 4).
//
// A key of any other length returns a [KeySizeError]. Alg3 panics if p is
// not a padding method.
func Alg3(key, data []byte, p Padding) ([]byte, error) {
	return AppendAlg3(nil, key, data, p)
}

// AppendAlg3 is like [Alg3] but appends the MAC to dst. It does not
// allocate when dst has room for 8 bytes: the two DES key schedules are
// computed on the stack, and zeroed before it returns.
func AppendAlg3(dst, key, data []byte, p Padding) ([]byte, error) {
	p.check()
	var r Retail
	if err := r.setKey(key); err != nil {
		return dst, err
	}
	dst = appendAlg3(dst, &r.k, &r.k2, data, p)
	r.k.Clear()
	r.k2.Clear()
	return dst, nil
}

// A Retail is a MAC algorithm 3 key with its two DES key schedules
// computed once, for a caller that computes many MACs under one key (a
// host verifying and signing a terminal's messages): each MAC then costs
// only the block encryptions. It is safe for concurrent use.
type Retail struct {
	k, k2 des.Cipher
}

// NewRetail returns the [Alg3] key of the 16-byte key, or a
// [KeySizeError]. The key schedules are key material: keep a Retail as
// carefully as the key.
func NewRetail(key []byte) (*Retail, error) {
	r := new(Retail)
	if err := r.setKey(key); err != nil {
		return nil, err
	}
	return r, nil
}

// setKey computes the schedules of K and K′ in r.
func (r *Retail) setKey(key []byte) error {
	if len(key) != 16 {
		return KeySizeError(len(key))
	}
	if err := r.k.SetKey(key[:8]); err != nil {
		return err
	}
	return r.k2.SetKey(key[8:])
}

// AppendMAC appends the 8-byte [Alg3] MAC of data padded with p to dst. It
// does not allocate when dst has room for 8 bytes. It panics if p is not a
// padding method.
func (r *Retail) AppendMAC(dst, data []byte, p Padding) []byte {
	p.check()
	return appendAlg3(dst, &r.k, &r.k2, data, p)
}

// Verify checks tag, the leftmost bytes of the MAC of data, in constant
// time, like [VerifyAlg3]. It does not allocate.
func (r *Retail) Verify(data []byte, p Padding, tag []byte) error {
	if err := checkTag(tag, des.BlockSize); err != nil {
		return err
	}
	var buf [des.BlockSize]byte
	return compare(r.AppendMAC(buf[:0], data, p), tag)
}

func appendAlg3(dst []byte, k, k2 *des.Cipher, data []byte, p Padding) []byte {
	dst, state := grow(dst, des.BlockSize)
	chain(state, data, p, func() { k.Encrypt(state, state) }, k)
	k2.Decrypt(state, state)
	k.Encrypt(state, state)
	return dst
}

// VerifyAlg3 checks tag, the leftmost bytes of an [Alg3] MAC, in constant
// time. It returns a [KeySizeError] for a bad key, a [TagSizeError] if tag
// is shorter than [MinTagSize] or longer than 8 bytes, and [ErrMismatch] if
// it does not verify.
func VerifyAlg3(key, data []byte, p Padding, tag []byte) error {
	if err := checkTag(tag, des.BlockSize); err != nil {
		return err
	}
	m, err := AppendAlg3(make([]byte, 0, des.BlockSize), key, data, p)
	if err != nil {
		return err
	}
	return compare(m, tag)
}
