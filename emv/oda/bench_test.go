package oda

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"math/rand/v2"
	"strconv"
	"testing"
)

// BenchmarkIssuerCertificate recovers and verifies the emv-utils issuer
// certificate under the 1984-bit Visa test CA key 94.
func BenchmarkIssuerCertificate(b *testing.B) {
	v := loadVector(b, "emv-utils-visa94.json")
	ca := v.capk(b)
	chk := Checks{PAN: v.PAN, Date: v.date(b, "issuer_valid")}
	b.Run("recover-1984", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := RecoverIssuerCertificate(ca, v.IssuerCert); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("recover+verify-1984", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := RecoverIssuerCertificate(ca, v.IssuerCert)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Verify(v.IssuerRemainder, v.IssuerExponent, chk); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkICCCertificate recovers the emv-utils ICC certificate under its
// 1408-bit issuer key (itself certified by the 1984-bit CA key 94), and
// recovers and verifies an ICC certificate of our test PKI under a
// 1408-bit issuer key.
func BenchmarkICCCertificate(b *testing.B) {
	v := loadVector(b, "emv-utils-visa94.json")
	issuer, err := NewPublicKey(v.Issuer.Modulus, v.Issuer.Exponent)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("recover-1408", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := RecoverICCCertificate(issuer, v.ICCCert); err != nil {
				b.Fatal(err)
			}
		}
	})
	p := testPKIs(b)[0]
	pi := p.Issuer.Public()
	b.Run("recover+verify-1408", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := RecoverICCCertificate(pi, p.ICCCert)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.Verify(p.ICCRemainder, p.ICC.Exponent, testStatic, testChecks()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCDA verifies a CDA signature of a 1024-bit ICC key, with the
// transaction data hash code, on a GENERATE AC response of four objects.
func BenchmarkCDA(b *testing.B) {
	p := testPKIs(b)[0]
	icc := p.ICC.Public()
	d, _ := cdaResponse(b, p.ICC, 0x40, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyCDA(icc, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDDA verifies the emv-utils DDA signature (1408-bit ICC key).
func BenchmarkDDA(b *testing.B) {
	v := loadVector(b, "emv-utils-visa94.json")
	icc, err := NewPublicKey(v.ICC.Modulus, v.ICC.Exponent)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyDDA(icc, v.SDAD, v.DDOLData); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPeerRSAVerify is the standard library's RSA signature check
// (PKCS #1 v1.5, SHA-256, 2048-bit key, exponent 65537), for scale: a
// certificate recovery is one such public-key operation.
func BenchmarkPeerRSAVerify(b *testing.B) {
	priv, err := rsa.GenerateKey(nil, 2048)
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256([]byte("posflow"))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, sum[:])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerateKey generates a 1024-bit key with exponent 3.
func BenchmarkGenerateKey(b *testing.B) {
	r := rand.NewChaCha8([32]byte{1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GenerateKey(r, 1024, 3); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecover is the bare RSA recovery of a 1984-bit block with each
// of the two exponents EMV allows; the second is the same operation as
// the peer's, on a slightly shorter modulus.
func BenchmarkRecover(b *testing.B) {
	for _, e := range []int{3, 65537} {
		k, err := GenerateKey(rand.NewChaCha8([32]byte{byte(e)}), 1984, e)
		if err != nil {
			b.Fatal(err)
		}
		block := make([]byte, k.Len())
		block[0] = 0x6A
		sig := k.sign(block)
		out := make([]byte, k.Len())
		pub := k.Public()
		b.Run("1984-e"+strconv.Itoa(e), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pub.recoverInto(out, sig); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
