package aeskey

import (
	"crypto/aes"
	"fmt"
	"testing"
)

// BenchmarkExpandEncrypt expands a key and encrypts one block under it, the
// unit of work of a key derivation step, next to crypto/aes doing the same.
func BenchmarkExpandEncrypt(b *testing.B) {
	for _, n := range []int{16, 24, 32} {
		key := make([]byte, n)
		b.Run(fmt.Sprintf("AES%d/Schedule", 8*n), func(b *testing.B) {
			b.ReportAllocs()
			var blk [BlockSize]byte
			for b.Loop() {
				var s Schedule
				s.Expand(key)
				s.Encrypt(blk[:], blk[:])
				key[0] = blk[0]
			}
		})
		b.Run(fmt.Sprintf("AES%d/crypto-aes", 8*n), func(b *testing.B) {
			b.ReportAllocs()
			var blk [BlockSize]byte
			for b.Loop() {
				c, _ := aes.NewCipher(key)
				c.Encrypt(blk[:], blk[:])
				key[0] = blk[0]
			}
		})
	}
}
