package mac_test

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/mac"
)

// block4 is a toy 32-bit block cipher for the panic test.
type block4 struct{}

func (block4) BlockSize() int          { return 4 }
func (block4) Encrypt(dst, src []byte) { copy(dst, src) }
func (block4) Decrypt(dst, src []byte) { copy(dst, src) }

func TestPanics(t *testing.T) {
	tdes := newBlock(t, "TDES", testvec.MustHex("0123456789ABCDEFFEDCBA9876543210"))
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Alg1 with padding 0", func() { mac.Alg1(tdes, nil, 0) }},
		{"Alg1 with padding 4", func() { mac.Alg1(tdes, nil, 4) }},
		{"Alg3 with padding 0", func() { _, _ = mac.Alg3(make([]byte, 16), nil, 0) }},
		{"CMAC with a 32-bit block cipher", func() { mac.CMAC(block4{}, nil) }},
		{"AppendPad with block size 0", func() { mac.AppendPad(nil, nil, mac.Method1, 0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}

// TestNoAllocs pins that the MAC loop does not allocate when dst has room.
func TestNoAllocs(t *testing.T) {
	tdes := newBlock(t, "TDES", testvec.MustHex("0123456789ABCDEFFEDCBA9876543210"))
	aesc := newBlock(t, "AES", testvec.MustHex("000102030405060708090A0B0C0D0E0F"))
	data := make([]byte, 256)
	dst := make([]byte, 0, 16)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"AppendAlg1 TDES", func() { mac.AppendAlg1(dst, tdes, data, mac.Method2) }},
		{"AppendAlg1 AES method 3", func() { mac.AppendAlg1(dst, aesc, data, mac.Method3) }},
		{"AppendCMAC AES", func() { mac.AppendCMAC(dst, aesc, data) }},
		{"AppendCMAC TDES", func() { mac.AppendCMAC(dst, tdes, data[:77]) }},
	} {
		if n := testing.AllocsPerRun(100, tc.f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tc.name, n)
		}
	}
	// Alg3 keeps its two DES key schedules on the stack.
	key := make([]byte, 16)
	for _, p := range []mac.Padding{mac.Method1, mac.Method2, mac.Method3} {
		if n := testing.AllocsPerRun(100, func() { _, _ = mac.AppendAlg3(dst, key, data, p) }); n != 0 {
			t.Errorf("AppendAlg3 with %v: %v allocations, want 0", p, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = mac.VerifyAlg3(key, data, mac.Method2, dst[:4]) }); n != 0 {
		t.Errorf("VerifyAlg3: %v allocations, want 0", n)
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	aesc := newBlock(t, "AES", testvec.MustHex("2b7e151628aed2a6abf7158809cf4f3c"))
	out := mac.AppendCMAC([]byte("pre"), aesc, nil)
	if !bytes.Equal(out, append([]byte("pre"), testvec.MustHex("bb1d6929e95937287fa37d129b756746")...)) {
		t.Errorf("AppendCMAC = %X", out)
	}
}
