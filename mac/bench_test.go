package mac_test

import (
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/mac"
)

var sink []byte

// The benchmarks MAC a 256-byte message, a typical ISO 8583 MAC input.
// The crypto/cipher CBC reference (pad, then CBC-encrypt a copy) is the
// peer in the same run.

func BenchmarkAlg3(b *testing.B) {
	key := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
	data := make([]byte, 256)
	dst := make([]byte, 0, 8)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := mac.AppendAlg3(dst, key, data, mac.Method1)
		if err != nil {
			b.Fatal(err)
		}
		sink = out
	}
}

// BenchmarkRetail is Alg3 with the key schedules computed once (NewRetail).
func BenchmarkRetail(b *testing.B) {
	r, err := mac.NewRetail(testvec.MustHex("0123456789ABCDEFFEDCBA9876543210"))
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, 256)
	dst := make([]byte, 0, 8)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sink = r.AppendMAC(dst, data, mac.Method1)
	}
}

func BenchmarkCMAC(b *testing.B) {
	for _, bc := range []struct {
		name string
		alg  string
		key  string
	}{
		{"AES128", "AES", "2b7e151628aed2a6abf7158809cf4f3c"},
		{"TDES3", "TDES", "0123456789abcdef23456789abcdef01456789abcdef0123"},
	} {
		c := newBlock(b, bc.alg, testvec.MustHex(bc.key))
		data := make([]byte, 256)
		dst := make([]byte, 0, 16)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sink = mac.AppendCMAC(dst, c, data)
			}
		})
	}
}

func BenchmarkAlg1(b *testing.B) {
	for _, bc := range []struct {
		name string
		alg  string
		key  string
	}{
		{"TDES2", "TDES", "0123456789ABCDEFFEDCBA9876543210"},
		{"AES128", "AES", "2b7e151628aed2a6abf7158809cf4f3c"},
	} {
		c := newBlock(b, bc.alg, testvec.MustHex(bc.key))
		data := make([]byte, 256)
		dst := make([]byte, 0, 16)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sink = mac.AppendAlg1(dst, c, data, mac.Method2)
			}
		})
		b.Run(bc.name+"-cryptocipher-CBC", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				sink = cbcReference(c, data, mac.Method2)
			}
		})
	}
}
