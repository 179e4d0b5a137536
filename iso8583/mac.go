package iso8583

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/mac"
)

// MAC errors.
var (
	// ErrMACMismatch means the MAC in the message is not the MAC of the
	// message. It also matches mac.ErrMismatch.
	ErrMACMismatch = macMismatch{}
	// ErrNoMAC means the message has no MAC field, the MAC field is not the
	// last field, or the message was not unpacked from bytes.
	ErrNoMAC = errors.New("iso8583: no message authentication code to verify")
)

type macMismatch struct{}

func (macMismatch) Error() string        { return "iso8583: message authentication code mismatch" }
func (macMismatch) Is(target error) bool { return target == mac.ErrMismatch }

// A MACKey computes the 8-byte MAC that fields 64 and 128 carry (b64).
// RetailMAC, CMAC, DUKPTMAC and AESDUKPTMAC return the usual ones; a
// hardware security module can implement it too.
type MACKey interface {
	MAC(data []byte) ([8]byte, error)
}

type retailMAC struct{ r *mac.Retail }

// RetailMAC returns the ANSI X9.19 retail MAC (ISO/IEC 9797-1 MAC algorithm
// 3 with DES, padding method 1) under a 16-byte double-length MAC key.
// The key's DES schedules are computed once, here (mac.NewRetail), so a
// host keeps one MACKey per terminal rather than the key.
func RetailMAC(key []byte) (MACKey, error) {
	if len(key) != 16 {
		return nil, errors.New("iso8583: retail MAC key must be 16 bytes")
	}
	r, err := mac.NewRetail(key)
	if err != nil {
		return nil, err
	}
	return retailMAC{r}, nil
}

func (k retailMAC) MAC(data []byte) (out [8]byte, err error) {
	k.r.AppendMAC(out[:0], data, mac.Method1)
	return out, nil
}

type cmacKey struct{ b cipher.Block }

// CMAC returns CMAC (NIST SP 800-38B) under block, typically AES, keeping
// the leftmost 8 bytes.
func CMAC(block cipher.Block) MACKey { return cmacKey{block} }

func (k cmacKey) MAC(data []byte) (out [8]byte, err error) {
	var buf [16]byte
	copy(out[:], mac.AppendCMAC(buf[:0], k.b, data))
	return out, nil
}

type dukptMAC struct {
	tx dukpt.TDESTransaction
	u  dukpt.Usage
}

// DUKPTMAC returns the X9.19 retail MAC under the TDES DUKPT MAC key of tx
// for u: dukpt.MACRequest for a message from the terminal,
// dukpt.MACResponse for the host's response (ANSI X9.24-1:2009 table A-1).
// The field carries all 8 bytes; the standard's 4-byte MAC is the
// leftmost half.
func DUKPTMAC(tx dukpt.TDESTransaction, u dukpt.Usage) MACKey { return dukptMAC{tx, u} }

func (k dukptMAC) MAC(data []byte) (out [8]byte, err error) {
	m, err := k.tx.MAC(k.u, data)
	if err != nil {
		return out, err
	}
	copy(out[:], m)
	return out, nil
}

type aesDUKPTMAC struct {
	tx dukpt.AESTransaction
	u  dukpt.Usage
	kt dukpt.KeyType
}

// AESDUKPTMAC returns AES-CMAC under the AES DUKPT MAC key of tx for usage u
// (dukpt.MACRequest, dukpt.MACResponse or dukpt.MACBoth) and key type kt
// (ANSI X9.24-3-2017), keeping the leftmost 8 bytes.
func AESDUKPTMAC(tx dukpt.AESTransaction, u dukpt.Usage, kt dukpt.KeyType) MACKey {
	return aesDUKPTMAC{tx, u, kt}
}

func (k aesDUKPTMAC) MAC(data []byte) (out [8]byte, err error) {
	m, err := k.tx.CMAC(k.u, k.kt, data)
	if err != nil {
		return out, err
	}
	copy(out[:], m)
	return out, nil
}

// macField returns the field that carries m's MAC: 128 when the message has
// a secondary bitmap (a field above 64), 64 otherwise.
func macField(m *Message) int {
	if m.lastID() > 64 {
		return 128
	}
	return 64
}

// Sign packs m with s, computes its MAC with k and returns the packed
// message with the MAC in place. The MAC is in field 64, or in field 128
// when the message has a secondary bitmap, and covers every byte of the
// packed message before the MAC field: MTI, bitmap (with the MAC bit set)
// and fields. Afterwards m holds the MAC value and the returned bytes as
// its Raw.
func Sign(s *Spec, m *Message, k MACKey) ([]byte, error) {
	return AppendSign(make([]byte, 0, 96+2*m.size()), s, m, k)
}

// zeroMAC is the value of the MAC field while AppendSign packs the
// message; it is only read.
var zeroMAC [8]byte

// AppendSign is Sign appending to dst.
func AppendSign(dst []byte, s *Spec, m *Message, k MACKey) ([]byte, error) {
	if m.Has(64) && m.Has(128) {
		return dst, &FieldError{Field: 64, Err: ErrInvalidField, Reason: "both MAC fields present"}
	}
	m.Unset(64)
	m.Unset(128)
	id := 64
	if m.lastID() > 64 {
		id = 128
	}
	m.Set(id, zeroMAC[:])
	base := len(dst)
	dst, err := s.appendPack(dst, m, true)
	if err != nil {
		return dst, err
	}
	i, _ := m.find(id)
	e := &m.fields[i]
	sum, err := k.MAC(dst[base : base+int(e.start)])
	if err != nil {
		return dst, err
	}
	var wb [32]byte
	w := wb[:0]
	if c := s.fields[id]; c.hexOut {
		w = appendUpperHex(w, sum[:])
	} else {
		v := sum // Encode keeps its argument: only this copy moves to the heap
		if w, err = c.enc.Encode(v[:]); err != nil {
			return dst, err
		}
	}
	end := base + int(e.end)
	copy(dst[end-len(w):end], w)
	e.val = append([]byte(nil), sum[:]...)
	m.raw = dst[base:len(dst):len(dst)]
	return dst, nil
}

// Verify checks the MAC of a message unpacked from bytes, over exactly the
// bytes received before the MAC field, in constant time. It returns
// ErrNoMAC if the MAC field (64, or 128 with a secondary bitmap) is absent
// or not the last field, and ErrMACMismatch if the MAC is wrong.
func Verify(m *Message, k MACKey) error {
	id := macField(m)
	if m.raw == nil || m.lastID() != id {
		return ErrNoMAC
	}
	e := m.fields[len(m.fields)-1]
	sum, err := k.MAC(m.raw[:e.start])
	if err != nil {
		return err
	}
	if len(e.val) != 8 || subtle.ConstantTimeCompare(sum[:], e.val) != 1 {
		return ErrMACMismatch
	}
	return nil
}
