package keys_test

import (
	"bytes"
	"crypto/des"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
)

func TestNewTDES(t *testing.T) {
	k16 := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
	k24 := append(bytes.Clone(k16), k16[:8]...)
	c16, err := keys.NewTDES(k16)
	if err != nil {
		t.Fatal(err)
	}
	c24, err := keys.NewTDES(k24)
	if err != nil {
		t.Fatal(err)
	}
	std, _ := des.NewTripleDESCipher(k24)
	in := testvec.MustHex("0123456789ABCDEF")
	a, b, s := make([]byte, 8), make([]byte, 8), make([]byte, 8)
	c16.Encrypt(a, in)
	c24.Encrypt(b, in)
	std.Encrypt(s, in)
	if !bytes.Equal(a, b) || !bytes.Equal(a, s) {
		t.Errorf("K1K2 (%X) and K1K2K1 (%X, std %X) differ", a, b, s)
	}
	// K‖K is single DES.
	single, _ := des.NewCipher(k16[:8])
	kk, _ := keys.NewTDES(append(bytes.Clone(k16[:8]), k16[:8]...))
	single.Encrypt(a, in)
	kk.Encrypt(b, in)
	if !bytes.Equal(a, b) {
		t.Errorf("K‖K = %X, single DES = %X", b, a)
	}
	for _, n := range []int{0, 7, 8, 15, 17, 23, 25, 32} {
		_, err := keys.NewTDES(make([]byte, n))
		var kse keys.KeySizeError
		if !errors.Is(err, keys.ErrKeySize) || !errors.As(err, &kse) || int(kse) != n {
			t.Errorf("NewTDES(%d bytes) err = %v, want KeySizeError(%d)", n, err, n)
		}
	}
}

func BenchmarkNewTDES(b *testing.B) {
	k := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.NewTDES(k); err != nil {
			b.Fatal(err)
		}
	}
}
