package aeskey

import (
	"bytes"
	"crypto/aes"
	"testing"
)

// FuzzEncrypt compares Expand and Encrypt with crypto/aes. sel picks the
// key length; key and block are cut or zero-padded to it, so that every
// input exercises the cipher.
func FuzzEncrypt(f *testing.F) {
	f.Add(uint8(0), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF})
	f.Add(uint8(1), bytes.Repeat([]byte{0xFF}, 24), []byte{})
	f.Add(uint8(2), bytes.Repeat([]byte{0xA5}, 32), bytes.Repeat([]byte{0x5A}, 16))
	f.Fuzz(func(t *testing.T, sel uint8, keyIn, blockIn []byte) {
		key := make([]byte, []int{16, 24, 32}[sel%3])
		copy(key, keyIn)
		block := make([]byte, BlockSize)
		copy(block, blockIn)
		var s Schedule
		s.Expand(key)
		got := make([]byte, BlockSize)
		s.Encrypt(got, block)
		c, err := aes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]byte, BlockSize)
		c.Encrypt(want, block)
		if !bytes.Equal(got, want) {
			t.Fatalf("Encrypt(%X) under %X = %X, crypto/aes %X", block, key, got, want)
		}
		s.Encrypt(block, block)
		if !bytes.Equal(block, want) {
			t.Fatalf("in-place Encrypt under %X = %X, crypto/aes %X", key, block, want)
		}
	})
}
