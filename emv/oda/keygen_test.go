package oda

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
)

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestGenerateKey(t *testing.T) {
	for _, tc := range []struct {
		name      string
		bits, exp int
	}{
		{"512 bits, e=3", 512, 3},
		{"776 bits, e=65537", 776, 65537},
	} {
		k, err := GenerateKey(rand.NewChaCha8([32]byte{3}), tc.bits, tc.exp)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if k.Len()*8 != tc.bits || new(big.Int).SetBytes(k.Modulus).BitLen() != tc.bits {
			t.Errorf("%s: modulus of %d bytes", tc.name, k.Len())
		}
		// The private and public operations are inverse.
		block := bytes.Repeat([]byte{0x5A}, k.Len())
		got, err := k.Public().Recover(k.sign(block))
		if err != nil || !bytes.Equal(got, block) {
			t.Errorf("%s: Recover(sign(x)) != x: %v", tc.name, err)
		}
	}
	a, _ := GenerateKey(rand.NewChaCha8([32]byte{4}), 512, 3)
	b, _ := GenerateKey(rand.NewChaCha8([32]byte{4}), 512, 3)
	if !bytes.Equal(a.Modulus, b.Modulus) {
		t.Error("the same seed gave two keys")
	}
	for _, tc := range []struct {
		name      string
		bits, exp int
		r         interface{ Read([]byte) (int, error) }
	}{
		{"bits not a multiple of 8", 1020, 3, nil},
		{"too short", 504, 3, nil},
		{"too long", 1992, 3, nil},
		{"exponent 5", 1024, 5, nil},
		{"failing reader", 1024, 3, failingReader{}},
	} {
		if _, err := GenerateKey(tc.r, tc.bits, tc.exp); !errors.Is(err, ErrKeyGeneration) {
			t.Errorf("GenerateKey %s: %v, want ErrKeyGeneration", tc.name, err)
		}
	}
}

// TestNewPrivateKey adopts a crypto/rsa key and signs a certificate with
// it.
func TestNewPrivateKey(t *testing.T) {
	if testing.Short() {
		t.Skip("crypto/rsa key generation")
	}
	rk, err := rsa.GenerateKey(nil, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := NewPrivateKey(rk)
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := GenerateKey(rand.NewChaCha8([32]byte{5}), 1024, 3)
	if err != nil {
		t.Fatal(err)
	}
	cert, rem, err := SignIssuerCertificate(ca, issuer.Public(), testIssuerTemplate)
	if err != nil {
		t.Fatal(err)
	}
	capk := &CAPK{RID: RID{0xF0, 0, 0, 0, 1}, Index: 2, HashAlgorithm: 1, KeyAlgorithm: 1, Key: ca.Public()}
	c, err := RecoverIssuerCertificate(capk, cert)
	if err == nil {
		_, err = c.Verify(rem, issuer.Exponent, testChecks())
	}
	if err != nil {
		t.Errorf("certificate signed with an adopted crypto/rsa key: %v", err)
	}
	if _, err := NewPrivateKey(&rsa.PrivateKey{}); !errors.Is(err, ErrKeyGeneration) {
		t.Errorf("NewPrivateKey(empty) = %v", err)
	}
}

func TestPrivateKeyDecrypt(t *testing.T) {
	k, err := GenerateKey(rand.NewChaCha8([32]byte{7}), 512, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Decrypt undoes the public operation, as a card undoes the
	// terminal's encipherment of a PIN block.
	m := make([]byte, len(k.Modulus))
	m[0], m[1], m[len(m)-1] = 0x00, 0x7F, 0x42
	c, err := k.Public().Recover(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.Decrypt(c)
	if err != nil || !bytes.Equal(got, m) {
		t.Fatalf("Decrypt(Recover(m)) = %X, %v; want %X", got, err, m)
	}
	if _, err := k.Decrypt(c[1:]); !errors.Is(err, ErrLength) {
		t.Errorf("short block: %v, want ErrLength", err)
	}
	if _, err := k.Decrypt(bytes.Repeat([]byte{0xFF}, len(k.Modulus))); !errors.Is(err, ErrRange) {
		t.Errorf("block above the modulus: %v, want ErrRange", err)
	}
}
