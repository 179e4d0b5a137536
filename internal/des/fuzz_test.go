package des

import (
	"bytes"
	"crypto/cipher"
	stddes "crypto/des"
	"testing"
)

// FuzzAgainstStdlib compares this package with crypto/des for arbitrary
// keys and blocks. The key is tried as given, with either constructor and
// with SetKey on a Cipher and on a TripleDESCipher, and so are its first 8
// bytes, its first 16 extended to K1‖K2‖K1 and its first 24; the first 16
// bytes are also given as they are to TripleDESCipher.SetKey, which takes
// them as K1‖K2‖K1. The block is cut or zero-padded to 8 bytes. ChainCBC
// is compared with crypto/des's CBC mode too, under the first 8 bytes of
// the key, the block as the initialization vector and the input's full
// blocks as the message.
func FuzzAgainstStdlib(f *testing.F) {
	f.Add([]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}, []byte("Now is t"))
	f.Add(bytes.Repeat([]byte{0x01}, 8), []byte{0x80, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte("0123456789ABCDEF23456789"), []byte{})
	f.Add([]byte("0123456789ABCDEF0123456x"), []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{0x1F, 0x1F, 0x1F, 0x1F, 0x0E, 0x0E, 0x0E, 0x0E, 0xE0, 0xE0, 0xE0, 0xE0, 0xF1, 0xF1, 0xF1, 0xF1}, []byte{1, 2, 3})
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, key, blockIn []byte) {
		block := make([]byte, BlockSize)
		copy(block, blockIn)
		keys := [][]byte{key}
		if len(key) >= 8 {
			keys = append(keys, key[:8])
		}
		if len(key) >= 16 {
			keys = append(keys, append(key[:16:16], key[:8]...))
		}
		if len(key) >= 24 {
			keys = append(keys, key[:24])
		}
		// One of each value type for all the keys, so that each key
		// replaces the last, of whichever keying option.
		var single Cipher
		var triple TripleDESCipher
		for _, k := range keys {
			c, err := NewCipher(k)
			std, stdErr := stddes.NewCipher(k)
			compare(t, "NewCipher", k, block, c, err, std, stdErr)
			err = single.SetKey(k)
			compare(t, "Cipher.SetKey", k, block, keyed(&single, err), err, std, stdErr)

			c, err = NewTripleDESCipher(k)
			std, stdErr = stddes.NewTripleDESCipher(k)
			compare(t, "NewTripleDESCipher", k, block, c, err, std, stdErr)
			if len(k) == 16 {
				// SetKey takes K1‖K2 where crypto/des wants K1‖K2‖K1.
				std, stdErr = stddes.NewTripleDESCipher(append(k[:16:16], k[:8]...))
			}
			err = triple.SetKey(k)
			compare(t, "TripleDESCipher.SetKey", k, block, keyed(&triple, err), err, std, stdErr)
		}
		// ChainCBC against crypto/des in CBC mode, over the whole
		// block input cut to full blocks.
		if len(key) >= 8 {
			checkChainCBC(t, key[:8], block, blockIn[:len(blockIn)/BlockSize*BlockSize])
		}
	})
}

// keyed returns c if SetKey succeeded and nil otherwise, as a constructor
// would.
func keyed(c cipher.Block, err error) cipher.Block {
	if err != nil {
		return nil
	}
	return c
}

func compare(t *testing.T, op string, key, block []byte, c cipher.Block, err error, std cipher.Block, stdErr error) {
	t.Helper()
	if !sameError(err, stdErr) || (c == nil) != (std == nil) {
		t.Fatalf("%s(%X) = %v, %v; crypto/des %v, %v", op, key, c != nil, err, std != nil, stdErr)
	}
	if c == nil {
		return
	}
	if c.BlockSize() != std.BlockSize() {
		t.Fatalf("%s(%X).BlockSize() = %d, crypto/des %d", op, key, c.BlockSize(), std.BlockSize())
	}
	if d := blockDiff(c, std, block); d != "" {
		t.Fatalf("%s(%X): %s", op, key, d)
	}
	enc, back := make([]byte, BlockSize), make([]byte, BlockSize)
	c.Encrypt(enc, block)
	c.Decrypt(back, enc)
	if !bytes.Equal(back, block) {
		t.Fatalf("%s(%X).Decrypt(%X) = %X, want %X back", op, key, enc, back, block)
	}
}
