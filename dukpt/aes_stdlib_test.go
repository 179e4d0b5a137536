package dukpt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// This file keeps the AES derivation as the package computed it before
// internal/aeskey: a crypto/aes cipher, allocated on the heap, for every
// key. It is the independent implementation the derivation is compared
// with over random BDKs and KSNs, and the "before" of
// BenchmarkAESWorstCase.

// stdlibAESHost is AESHost on crypto/aes.
type stdlibAESHost struct {
	bdk cipher.Block
	n   int
}

func newStdlibAESHost(bdk []byte) *stdlibAESHost {
	c, err := aes.NewCipher(bdk)
	if err != nil {
		panic(err)
	}
	return &stdlibAESHost{bdk: c, n: len(bdk)}
}

// derivationKey returns the intermediate derivation key of ksn (nonzero
// counter), walking from the initial key over the counter's one-bits.
func (h *stdlibAESHost) derivationKey(ksn AESKSN) []byte {
	t, _ := aesKeyType(h.n)
	ikid := ksn.InitialKeyID()
	buf := make([]byte, 32)
	fillDerivationData(buf, usageInitialKeyDerivation, t, binary.BigEndian.Uint64(ikid[:]))
	stdlibEncryptBlocks(h.bdk, buf, h.n)
	clear(buf[h.n:])
	id, c := ksn.derivationID(), ksn.Counter()
	var tc uint32
	for rest := c; rest != 0; {
		bit := uint32(1) << (31 - bits.LeadingZeros32(rest))
		rest &^= bit
		tc |= bit
		k, err := aes.NewCipher(buf[:h.n])
		if err != nil {
			panic(err)
		}
		fillDerivationData(buf, usageKeyDerivation, t, uint64(id)<<32|uint64(tc))
		stdlibEncryptBlocks(k, buf, h.n)
		clear(buf[h.n:])
	}
	return buf[:h.n]
}

// stdlibAESWorkingKey returns the working key of usage u and type kt under the
// derivation key dk.
func stdlibAESWorkingKey(dk []byte, ksn AESKSN, u Usage, kt KeyType) []byte {
	code, _ := u.aesUsage()
	k, err := aes.NewCipher(dk)
	if err != nil {
		panic(err)
	}
	out := make([]byte, 32)
	fillDerivationData(out, code, kt, uint64(ksn.derivationID())<<32|uint64(ksn.Counter()))
	stdlibEncryptBlocks(k, out, kt.Size())
	return out[:kt.Size()]
}

func stdlibEncryptBlocks(c cipher.Block, buf []byte, n int) {
	c.Encrypt(buf[:16], buf[:16])
	if n > 16 {
		c.Encrypt(buf[16:32], buf[16:32])
	}
}

// TestStdlibReferenceVectors checks the reference itself on the
// supplement's derivation keys, so that the comparisons below compare
// against something known to be right.
func TestStdlibReferenceVectors(t *testing.T) {
	for _, name := range aesFiles {
		v := loadAES(t, name)
		h := newStdlibAESHost(v.BDK)
		n := 0
		for _, x := range v.Vectors {
			k, _ := ParseAESKSN(x.KSN)
			if got := h.derivationKey(k); !bytes.Equal(got, x.TransactionKey) {
				t.Errorf("%s: reference derivation key of %v = %X, want %X", name, k, got, []byte(x.TransactionKey))
			}
			n++
		}
		for _, x := range v.Counters {
			k, _ := ParseAESKSN(x.KSN)
			if got := h.derivationKey(k); !bytes.Equal(got, x.TransactionKey) {
				t.Errorf("%s: reference derivation key of %v = %X, want %X", name, k, got, []byte(x.TransactionKey))
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s: no vectors", name)
		}
	}
}

// TestAESAgainstStdlib compares the host and the byte-slice functions with
// the crypto/aes reference over random BDKs of every length and random
// KSNs, among them the worst case of 16 one-bits and the all-ones counter.
func TestAESAgainstStdlib(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewChaCha8([32]byte{'d', 'u', 'k', 'p', 't'}))
	bdk := make([]byte, 32)
	for i := range n {
		b := bdk[:[]int{16, 24, 32}[i%3]]
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		var k AESKSN
		for j := range k {
			k[j] = byte(r.Uint32())
		}
		switch i % 4 {
		case 0:
			k = k.WithCounter(aesWorstCounter)
		case 1:
			k = k.WithCounter(0xFFFFFFFF)
		}
		if k.Counter() == 0 {
			k = k.WithCounter(1)
		}
		ref := newStdlibAESHost(b)
		want := ref.derivationKey(k)
		h, err := NewAESHost(b, HostConfig{})
		if err != nil {
			t.Fatal(err)
		}
		tx, err := h.Transaction(k)
		if err != nil {
			t.Fatal(err)
		}
		if got := tx.TransactionKey(); !bytes.Equal(got, want) {
			t.Fatalf("BDK %d bytes, KSN %v: Transaction key = %X, crypto/aes %X", len(b), k, got, want)
		}
		ik := h.InitialKey(k)
		if got, err := AESTransactionKey(ik, k[:]); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("BDK %d bytes, KSN %v: AESTransactionKey = %X, %v; crypto/aes %X", len(b), k, got, err, want)
		}
		kt := []KeyType{AES128, AES192, AES256}[i%3]
		u := []Usage{PINEncryption, MACRequest, DataResponse, KeyEncryption}[i%4]
		wk := stdlibAESWorkingKey(want, k, u, kt)
		if got, err := AESWorkingKey(ik, k[:], u, kt); err != nil || !bytes.Equal(got, wk) {
			t.Fatalf("BDK %d bytes, KSN %v: AESWorkingKey(%v, %v) = %X, %v; crypto/aes %X", len(b), k, u, kt, got, err, wk)
		}
	}
}
