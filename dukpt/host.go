package dukpt

import (
	"crypto/cipher"
	"encoding/binary"

	"github.com/posflow/posflow/internal/aeskey"
	des "github.com/posflow/posflow/internal/des"
)

// HostConfig configures a [TDESHost] or [AESHost]. The zero value derives
// every key from the BDK with no cache.
type HostConfig struct {
	// CacheDevices is the number of devices whose intermediate keys the
	// host keeps, least recently used first out. For each device the host
	// keeps its initial key and the keys along the path to the counter it
	// derived last, so the next counter of the same device usually costs
	// one derivation step instead of one per one-bit of the counter (plus
	// the initial key). Each cached device takes about 1 KiB of memory,
	// which holds key material. Zero disables the cache.
	CacheDevices int
}

// TDESHost derives the keys of TDES DUKPT transactions on the receiving
// side from a BDK. It is safe for concurrent use.
type TDESHost struct {
	// Key schedules of the BDK halves and of the BDK XORed with
	// C0C0C0C0 00000000 C0C0C0C0 00000000, computed once.
	bdk, masked [2]cipher.Block
	cache       *keyCache
}

// NewTDESHost returns a host for the 16-byte BDK. The host keeps the BDK's
// key schedules, not the caller's slice.
func NewTDESHost(bdk []byte, cfg HostConfig) (*TDESHost, error) {
	if len(bdk) != tdesKeyLen {
		return nil, &KeyLengthError{Key: "BDK", Len: len(bdk)}
	}
	h := &TDESHost{cache: newKeyCache(cfg.CacheDevices)}
	m := [16]byte(bdk)
	xorHalves(&m, keyRegisterMask)
	for i := range 2 {
		h.bdk[i], _ = des.NewCipher(bdk[8*i : 8*i+8])
		h.masked[i], _ = des.NewCipher(m[8*i : 8*i+8])
	}
	clear(m[:])
	return h, nil
}

// InitialKey returns the initial key of the device that sends ksn, for
// loading into the device; see [TDESInitialKey].
func (h *TDESHost) InitialKey(ksn KSN) []byte {
	out := make([]byte, tdesKeyLen)
	h.initialKey(out, ksn.id())
	return out
}

func (h *TDESHost) initialKey(buf []byte, id [8]byte) {
	copy(buf[:8], id[:])
	copy(buf[8:], id[:])
	ede(h.bdk, buf[:8])
	ede(h.masked, buf[8:])
}

func ede(k [2]cipher.Block, b []byte) {
	k[0].Encrypt(b, b)
	k[1].Decrypt(b, b)
	k[0].Encrypt(b, b)
}

// Transaction derives the transaction for ksn. Any nonzero counter is
// accepted (see [TDESTransactionKey]); zero returns a [*CounterError]
// wrapping [ErrCounterZero].
func (h *TDESHost) Transaction(ksn KSN) (TDESTransaction, error) {
	c := ksn.Counter()
	if c == 0 {
		return TDESTransaction{}, &CounterError{Counter: c, Err: ErrCounterZero}
	}
	t := TDESTransaction{ksn: ksn, ok: true}
	if h.cache != nil {
		if h.cache.derive(t.key[:], ksn.id(), c, h.step(ksn)) {
			return t, nil
		}
	}
	buf := make([]byte, tdesKeyLen)
	h.initialKey(buf, ksn.id())
	tdesWalk(buf, ksn.register(), 0, c)
	copy(t.key[:], buf)
	clear(buf)
	return t, nil
}

func (h *TDESHost) step(ksn KSN) deriver {
	return deriver{tdes: true, n: tdesKeyLen, reg: ksn.register(), tdesHost: h}
}

// AESHost derives the keys of AES DUKPT transactions on the receiving side
// from a BDK. It is safe for concurrent use.
type AESHost struct {
	bdk   aeskey.Schedule // read-only after NewAESHost
	n     int             // BDK and derivation key length
	cache *keyCache
}

// NewAESHost returns a host for an AES BDK of 16, 24 or 32 bytes. The host
// keeps the BDK's key schedule, not the caller's slice.
func NewAESHost(bdk []byte, cfg HostConfig) (*AESHost, error) {
	if _, ok := aesKeyType(len(bdk)); !ok {
		return nil, &KeyLengthError{Key: "BDK", Len: len(bdk)}
	}
	h := &AESHost{n: len(bdk), cache: newKeyCache(cfg.CacheDevices)}
	h.bdk.Expand(bdk)
	return h, nil
}

// InitialKey returns the initial key of the device that sends ksn, for
// loading into the device; see [AESInitialKey].
func (h *AESHost) InitialKey(ksn AESKSN) []byte {
	out := make([]byte, h.n, 32)
	h.initialKey(out, ksn.InitialKeyID())
	return out
}

func (h *AESHost) initialKey(buf []byte, ikid [8]byte) {
	t, _ := aesKeyType(h.n)
	fillDerivationData(buf[:32], usageInitialKeyDerivation, t, binary.BigEndian.Uint64(ikid[:]))
	aesEncryptBlocks(&h.bdk, buf[:32], h.n)
	clear(buf[h.n:32])
}

// Transaction derives the transaction for ksn. Any nonzero counter is
// accepted, including those with more than 16 one-bits; zero returns a
// [*CounterError] wrapping [ErrCounterZero].
func (h *AESHost) Transaction(ksn AESKSN) (AESTransaction, error) {
	c := ksn.Counter()
	if c == 0 {
		return AESTransaction{}, &CounterError{Counter: c, Err: ErrCounterZero}
	}
	t := AESTransaction{ksn: ksn, n: uint8(h.n)}
	if h.cache != nil {
		if h.cache.derive(t.key[:h.n], ksn.InitialKeyID(), c, h.step(ksn)) {
			return t, nil
		}
	}
	buf := &t.key
	h.initialKey(buf[:h.n], ksn.InitialKeyID())
	aesWalk(buf[:h.n], ksn.derivationID(), 0, c)
	return t, nil
}

// UpdateKey derives the DUKPT update key of type kt for the device that
// sends ksn; see [AESUpdateKey].
// The cache is bypassed: the reserved counter would replace the device's
// cached path.
func (h *AESHost) UpdateKey(ksn AESKSN, kt KeyType) ([]byte, error) {
	if err := checkWorkingKey(h.n, "BDK", KeyEncryption, kt); err != nil {
		return nil, err
	}
	var buf [32]byte
	defer clear(buf[:])
	h.initialKey(buf[:h.n], ksn.InitialKeyID())
	aesWalk(buf[:h.n], ksn.derivationID(), 0, 0xFFFFFFFF)
	return aesWorkingKey(buf[:h.n], ksn.derivationID(), 0xFFFFFFFF, KeyEncryption, kt), nil
}

func (h *AESHost) step(ksn AESKSN) deriver {
	return deriver{n: h.n, id: ksn.derivationID(), aesHost: h}
}

// deriver is what the cache needs of a host for one device: how to compute
// the initial key and how to take one step. It is a plain struct, not an
// interface, so that its buffers do not escape.
type deriver struct {
	tdes     bool
	n        int
	reg      uint64 // TDES: KSN register with the counter cleared
	id       uint32 // AES: derivation ID
	tdesHost *TDESHost
	aesHost  *AESHost
}

func (d *deriver) initialKey(buf []byte, id [8]byte) {
	if d.tdes {
		d.tdesHost.initialKey(buf, id)
	} else {
		d.aesHost.initialKey(buf, id)
	}
}

func (d *deriver) step(buf []byte, prefix uint32) {
	if d.tdes {
		nrkgp(buf, d.reg|uint64(prefix))
	} else {
		aesStep(buf, d.id, prefix)
	}
}
