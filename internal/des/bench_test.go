package des

import (
	"crypto/cipher"
	stddes "crypto/des"
	"testing"
)

// Each benchmark runs this package and crypto/des side by side, so that
// the figure to read is the ratio. The key changes on every iteration, from
// the previous output, as a key derivation's does. "internal-des-SetKey"
// keys a Cipher or TripleDESCipher on the benchmark's stack instead of
// allocating one.

func BenchmarkNewCipher(b *testing.B) {
	impls := []struct {
		name string
		new  func([]byte) (cipher.Block, error)
	}{{"internal-des", NewCipher}, {"crypto-des", stddes.NewCipher}}
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			key := []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}
			for b.Loop() {
				c, _ := impl.new(key)
				key[0]++
				_ = c
			}
		})
	}
	b.Run("internal-des-SetKey", func(b *testing.B) {
		b.ReportAllocs()
		key := []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}
		var c Cipher
		for b.Loop() {
			_ = c.SetKey(key)
			key[0]++
		}
	})
}

func BenchmarkNewTripleDESCipher(b *testing.B) {
	impls := []struct {
		name string
		new  func([]byte) (cipher.Block, error)
	}{{"internal-des", NewTripleDESCipher}, {"crypto-des", stddes.NewTripleDESCipher}}
	for _, bundle := range []string{"K1K2K1", "K1K2K3"} {
		for _, impl := range impls {
			b.Run(bundle+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				key := make([]byte, 24)
				for i := range key {
					key[i] = byte(17 * i)
				}
				for b.Loop() {
					if bundle == "K1K2K1" {
						copy(key[16:], key[:8]) // a 16-byte key, extended
					}
					c, _ := impl.new(key)
					key[0]++
					key[16] += 3
					_ = c
				}
			})
		}
		b.Run(bundle+"/internal-des-SetKey", func(b *testing.B) {
			b.ReportAllocs()
			key := make([]byte, 24)
			for i := range key {
				key[i] = byte(17 * i)
			}
			var c TripleDESCipher
			for b.Loop() {
				if bundle == "K1K2K1" {
					copy(key[16:], key[:8])
				}
				_ = c.SetKey(key)
				key[0]++
				key[16] += 3
			}
		})
	}
}

func BenchmarkEncrypt(b *testing.B) {
	impls := []struct {
		name        string
		des, triple func([]byte) (cipher.Block, error)
	}{
		{"internal-des", NewCipher, NewTripleDESCipher},
		{"crypto-des", stddes.NewCipher, stddes.NewTripleDESCipher},
		{"internal-des-SetKey", setKeyDES, setKeyTripleDES},
	}
	keys := map[string][]byte{
		"DES":    []byte("01234567"),
		"K1K2K3": []byte("0123456789ABCDEFGHIJKLMN"),
		"K1K2K1": []byte("0123456789ABCDEF01234567"),
	}
	for _, kind := range []string{"DES", "K1K2K3", "K1K2K1"} {
		for _, impl := range impls {
			b.Run(kind+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(BlockSize)
				newCipher := impl.triple
				if kind == "DES" {
					newCipher = impl.des
				}
				c, err := newCipher(keys[kind])
				if err != nil {
					b.Fatal(err)
				}
				var blk [BlockSize]byte
				for b.Loop() {
					c.Encrypt(blk[:], blk[:])
				}
			})
		}
	}
}

// setKeyDES and setKeyTripleDES key the value types, for BenchmarkEncrypt;
// the value is on the heap, which changes nothing for Encrypt.
func setKeyDES(key []byte) (cipher.Block, error) {
	c := new(Cipher)
	return c, c.SetKey(key)
}

func setKeyTripleDES(key []byte) (cipher.Block, error) {
	c := new(TripleDESCipher)
	return c, c.SetKey(key)
}

// BenchmarkKeyAndBlock is the unit of work of a key derivation step: a new
// double-length key and two blocks under it.
func BenchmarkKeyAndBlock(b *testing.B) {
	impls := []struct {
		name string
		new  func([]byte) (cipher.Block, error)
	}{{"internal-des", NewTripleDESCipher}, {"crypto-des", stddes.NewTripleDESCipher}}
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			key := []byte("0123456789ABCDEF01234567")
			var blk [2 * BlockSize]byte
			for b.Loop() {
				c, _ := impl.new(key)
				c.Encrypt(blk[:8], blk[:8])
				c.Encrypt(blk[8:], blk[8:])
				key[1] = blk[0]
				key[17] = blk[0]
			}
		})
	}
	b.Run("internal-des-SetKey", func(b *testing.B) {
		b.ReportAllocs()
		key := []byte("0123456789ABCDEF")
		var blk [2 * BlockSize]byte
		for b.Loop() {
			var c TripleDESCipher
			_ = c.SetKey(key)
			c.Encrypt(blk[:8], blk[:8])
			c.Encrypt(blk[8:], blk[8:])
			c.Clear()
			key[1] = blk[0]
		}
	})
}

// BenchmarkChainCBC runs CBC over 32 blocks (256 bytes, a CBC-MAC's
// chain) with ChainCBC, with Encrypt block by block, and with crypto/des
// under cipher.NewCBCEncrypter, keeping only the last block as a MAC does.
func BenchmarkChainCBC(b *testing.B) {
	key := []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}
	src := make([]byte, 256)
	for i := range src {
		src[i] = byte(i)
	}
	var c Cipher
	if err := c.SetKey(key); err != nil {
		b.Fatal(err)
	}
	state := make([]byte, BlockSize)
	b.Run("internal-des-ChainCBC", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			c.ChainCBC(state, src)
		}
	})
	b.Run("internal-des-Encrypt", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			for i := 0; i < len(src); i += BlockSize {
				for j := range BlockSize {
					state[j] ^= src[i+j]
				}
				c.Encrypt(state, state)
			}
		}
	})
	std, _ := stddes.NewCipher(key)
	out := make([]byte, len(src))
	b.Run("crypto-des-CBC", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			cipher.NewCBCEncrypter(std, state).CryptBlocks(out, src)
			copy(state, out[len(out)-BlockSize:])
		}
	})
}
