package mac_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"testing"

	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/mac"
)

func newBlock(t testing.TB, alg string, key []byte) cipher.Block {
	t.Helper()
	var c cipher.Block
	var err error
	switch alg {
	case "AES":
		c, err = aes.NewCipher(key)
	case "TDES":
		c, err = keys.NewTDES(key)
	case "DES":
		c, err = des.NewCipher(key)
	default:
		t.Fatalf("unknown cipher %q", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// cbcReference computes CBC-MAC the textbook way: pad, then CBC-encrypt
// with crypto/cipher and keep the last block.
func cbcReference(c cipher.Block, data []byte, p mac.Padding) []byte {
	padded := mac.AppendPad(nil, data, p, c.BlockSize())
	out := make([]byte, len(padded))
	cipher.NewCBCEncrypter(c, make([]byte, c.BlockSize())).CryptBlocks(out, padded)
	return out[len(out)-c.BlockSize():]
}

// cmacReference computes CMAC straight from SP 800-38B clause 6.2 with
// math on whole slices.
func cmacReference(c cipher.Block, data []byte) []byte {
	n := c.BlockSize()
	rb := byte(0x87)
	if n == 8 {
		rb = 0x1b
	}
	double := func(in []byte) []byte {
		out := make([]byte, n)
		for i := range n {
			out[i] = in[i] << 1
			if i+1 < n {
				out[i] |= in[i+1] >> 7
			}
		}
		if in[0]&0x80 != 0 {
			out[n-1] ^= rb
		}
		return out
	}
	l := make([]byte, n)
	c.Encrypt(l, l)
	k1 := double(l)
	k2 := double(k1)
	var last []byte
	blocks := (len(data) + n - 1) / n
	if blocks > 0 && len(data)%n == 0 {
		last = bytes.Clone(data[(blocks-1)*n:])
		for i := range last {
			last[i] ^= k1[i]
		}
	} else {
		if blocks == 0 {
			blocks = 1
		}
		last = make([]byte, n)
		tail := data[(blocks-1)*n:]
		copy(last, tail)
		last[len(tail)] = 0x80
		for i := range last {
			last[i] ^= k2[i]
		}
	}
	msg := append(bytes.Clone(data[:(blocks-1)*n]), last...)
	out := make([]byte, len(msg))
	cipher.NewCBCEncrypter(c, make([]byte, n)).CryptBlocks(out, msg)
	return out[len(out)-n:]
}
