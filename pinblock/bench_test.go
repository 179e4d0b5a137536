package pinblock_test

import (
	"crypto/aes"
	"crypto/des"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/pinblock"
)

var sinkBytes []byte
var sinkString string

// BenchmarkEncrypt measures enciphering a PIN block from key bytes,
// including the key schedule, as a host does per transaction.
func BenchmarkEncrypt(b *testing.B) {
	for _, bc := range []struct {
		name string
		f    pinblock.Format
		key  []byte
		pan  string
	}{
		{"ISO0-TDES2", pinblock.ISO0, tdesKey, "4012345678909"},
		{"ISO3-TDES3", pinblock.ISO3, append(tdesKey, tdesKey[:8]...), "4012345678909"},
		{"ISO4-AES128", pinblock.ISO4, aesKey, "4111111111111111"},
		{"ISO4-AES256", pinblock.ISO4, append(aesKey, aesKey...), "4111111111111111"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := pinblock.Encrypt(bc.f, bc.key, "1234", bc.pan)
				if err != nil {
					b.Fatal(err)
				}
				sinkBytes = out
			}
		})
	}
}

// BenchmarkDecrypt measures deciphering and validating a PIN block.
func BenchmarkDecrypt(b *testing.B) {
	for _, bc := range []struct {
		name string
		f    pinblock.Format
		key  []byte
		pan  string
	}{
		{"ISO0-TDES2", pinblock.ISO0, tdesKey, "4012345678909"},
		{"ISO4-AES128", pinblock.ISO4, aesKey, "4111111111111111"},
	} {
		blk, err := pinblock.Encrypt(bc.f, bc.key, "1234", bc.pan)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pin, err := pinblock.Decrypt(bc.f, bc.key, blk, bc.pan)
				if err != nil {
					b.Fatal(err)
				}
				sinkString = pin
			}
		})
	}
}

// BenchmarkCipherFloor is the peer in the same run: the bare standard
// library key schedule plus one block encryption, the cost floor of
// Encrypt.
func BenchmarkCipherFloor(b *testing.B) {
	b.Run("TDES2", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 8)
		for b.Loop() {
			c, _ := keys.NewTDES(tdesKey)
			c.Encrypt(buf, buf)
		}
	})
	// The same with crypto/des, which keys.NewTDES no longer uses: its
	// key schedule is the one internal/des replaced.
	b.Run("TDES2-cryptodes", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 8)
		k := append(append([]byte(nil), tdesKey...), tdesKey[:8]...)
		for b.Loop() {
			c, _ := des.NewTripleDESCipher(k)
			c.Encrypt(buf, buf)
		}
	})
	b.Run("AES128x2", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 16)
		for b.Loop() {
			c, _ := aes.NewCipher(aesKey)
			c.Encrypt(buf, buf)
			c.Encrypt(buf, buf)
		}
	})
}

func BenchmarkTranslate(b *testing.B) {
	blk, err := pinblock.Encrypt(pinblock.ISO0, tdesKey, "1234", "4111111111111111")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		out, err := pinblock.Translate(pinblock.ISO0, tdesKey, pinblock.ISO4, aesKey, blk, "4111111111111111")
		if err != nil {
			b.Fatal(err)
		}
		sinkBytes = out
	}
}

func BenchmarkVisaPVV(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		pvv, err := pinblock.VisaPVV(tdesKey, "1122334455667788", 3, "4524")
		if err != nil {
			b.Fatal(err)
		}
		sinkString = pvv
	}
}

func BenchmarkIBM3624Offset(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		off, err := pinblock.IBM3624Offset(tdesKey, "1234567890123456", "1122334455667788", "4524")
		if err != nil {
			b.Fatal(err)
		}
		sinkString = off
	}
}

func BenchmarkDecode(b *testing.B) {
	blk := testvec.MustHex("041274EDCBA9876F")
	b.ReportAllocs()
	for b.Loop() {
		pin, err := pinblock.Decode(pinblock.ISO0, blk, "4012345678909")
		if err != nil {
			b.Fatal(err)
		}
		sinkString = pin
	}
}
