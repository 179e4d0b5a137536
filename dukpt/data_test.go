package dukpt

import (
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"testing"
)

// TestTDESDataCBC checks TDESTransaction.Encrypt and Decrypt with and
// without an IV, for each data length up to 8 blocks, against crypto/des
// and crypto/cipher's CBC under the key WorkingKey returns (which the
// vector tests check); the published data vectors use a zero IV only.
// Neither changes its inputs.
func TestTDESDataCBC(t *testing.T) {
	v := loadTDES(t)
	h, _ := NewTDESHost(v.BDK, HostConfig{})
	ksn := KSN(v.IKSN).WithCounter(tdesWorstCounter)
	tx, err := h.Transaction(ksn)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []Usage{DataRequest, DataResponse} {
		wk, err := tx.WorkingKey(u)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := des.NewTripleDESCipher(append(wk, wk[:8]...))
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range [][]byte{nil, {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}} {
			for n := 8; n <= 64; n += 8 {
				data := make([]byte, n)
				for i := range data {
					data[i] = byte(i*29 + n)
				}
				refIV := iv
				if refIV == nil {
					refIV = make([]byte, 8)
				}
				want := make([]byte, n)
				cipher.NewCBCEncrypter(ref, refIV).CryptBlocks(want, data)
				origData, origIV := bytes.Clone(data), bytes.Clone(iv)

				got, err := tx.Encrypt(u, iv, data)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%v: Encrypt(%v, IV %X, %d bytes) = %X, %v; want %X", ksn, u, iv, n, got, err, want)
				}
				back, err := tx.Decrypt(u, iv, want)
				if err != nil || !bytes.Equal(back, data) {
					t.Errorf("%v: Decrypt(%v, IV %X, %d bytes) = %X, %v; want %X", ksn, u, iv, n, back, err, data)
				}
				if !bytes.Equal(data, origData) || !bytes.Equal(iv, origIV) {
					t.Fatalf("%v: Encrypt or Decrypt changed its input", ksn)
				}
			}
		}
	}
}
