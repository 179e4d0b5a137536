package oda

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
)

// The fuzz targets sign whatever block the fuzzer chooses with small
// (512-bit) keys, so that recovery yields exactly that block and the
// parsers see every possible recovered block, not only the few that
// random certificates would decrypt to. They also feed the raw input to
// recovery as a certificate or signature.

var (
	fuzzOnce sync.Once
	fuzzKey  *PrivateKey
	fuzzCA   *CAPK
)

func fuzzKeys(t testing.TB) (*PrivateKey, *CAPK) {
	fuzzOnce.Do(func() {
		k, err := GenerateKey(rand.NewChaCha8([32]byte{'f', 'u', 'z', 'z'}), 512, 3)
		if err != nil {
			panic(err)
		}
		fuzzKey = k
		fuzzCA = &CAPK{RID: RID{0xF0, 0, 0, 0, 1}, Index: 1, HashAlgorithm: 1, KeyAlgorithm: 1, Key: k.Public()}
		fuzzCA.Checksum = fuzzCA.ComputeChecksum()
	})
	return fuzzKey, fuzzCA
}

// signedBlock turns fuzz input into a signature whose recovery is the
// input made N bytes long, or nil when the block is not below the modulus.
func signedBlock(k *PrivateKey, in []byte) (sig, block []byte) {
	block = make([]byte, k.Len())
	copy(block, in)
	if bytes.Compare(block, k.Modulus) >= 0 {
		return nil, nil
	}
	return k.sign(block), block
}

// checkError requires an *Error wrapping a sentinel of this package.
func checkError(t *testing.T, what string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Err == nil || !errors.Is(err, e.Err) || e.Item.String() == "unknown item" {
		t.Fatalf("%s: error %v (%T) is not a well-formed *oda.Error", what, err, err)
	}
}

func FuzzIssuerCertificate(f *testing.F) {
	k, ca := fuzzKeys(f)
	block, rem, _ := issuerBlock(k.Len(), k.Public(), testIssuerTemplate)
	f.Add(append(block, make([]byte, 21)...), []byte(nil), []byte{3}, testPAN)
	f.Add([]byte{0x6A, 0x02, 0x54, 0x13, 0x33, 0xFF, 0x12, 0x30, 0, 0, 1, 1, 1, 0xF8, 1}, rem, []byte{1, 0, 1}, []byte{0x54})
	f.Fuzz(func(t *testing.T, in, remainder, exponent, pan []byte) {
		// Arbitrary bytes as a certificate.
		if c, err := RecoverIssuerCertificate(ca, in); err == nil {
			_, _ = c.Verify(remainder, exponent, Checks{PAN: pan, Date: txnDate})
		} else {
			checkError(t, "RecoverIssuerCertificate(input)", err)
		}
		// The input as the recovered block.
		sig, block := signedBlock(k, in)
		if sig == nil {
			return
		}
		c, err := RecoverIssuerCertificate(ca, sig)
		if err != nil {
			checkError(t, "RecoverIssuerCertificate", err)
			return
		}
		if !bytes.Equal(c.Recovered, block) {
			t.Fatalf("recovered %X, signed %X", c.Recovered, block)
		}
		if _, err := RecoverIssuerCertificate(ca, sig[:len(sig)-1]); !errors.Is(err, ErrLength) {
			t.Fatalf("strict prefix of a certificate: %v", err)
		}
		key, err := c.Verify(remainder, exponent, Checks{PAN: pan, Date: txnDate})
		if err != nil {
			checkError(t, "Verify", err)
			return
		}
		if key.Len() != c.KeyLength || !bytes.Equal(key.Exponent, exponent) {
			t.Fatalf("key of %d bytes from a certificate stating %d", key.Len(), c.KeyLength)
		}
	})
}

func FuzzICCCertificate(f *testing.F) {
	k, _ := fuzzKeys(f)
	issuer := k.Public()
	block, _, _ := iccBlock(k.Len(), k.Public(), ICCCertTemplate{PAN: testPAN})
	f.Add(append(block, make([]byte, 21)...), []byte(nil), []byte{3}, testStatic, testPAN, false)
	f.Add([]byte{0x6A, 0x04}, []byte{1}, []byte{1, 0, 1}, []byte(nil), []byte{0x54, 0x13}, true)
	f.Fuzz(func(t *testing.T, in, remainder, exponent, static, pan []byte, pin bool) {
		recover := RecoverICCCertificate
		if pin {
			recover = RecoverICCPINCertificate
			static = nil
		}
		if c, err := recover(issuer, in); err == nil {
			_, _ = c.Verify(remainder, exponent, static, Checks{PAN: pan, Date: txnDate})
		} else {
			checkError(t, "recover(input)", err)
		}
		sig, block := signedBlock(k, in)
		if sig == nil {
			return
		}
		c, err := recover(issuer, sig)
		if err != nil {
			checkError(t, "recover", err)
			return
		}
		if !bytes.Equal(c.Recovered, block) {
			t.Fatalf("recovered %X, signed %X", c.Recovered, block)
		}
		key, err := c.Verify(remainder, exponent, static, Checks{PAN: pan, Date: txnDate})
		if err != nil {
			checkError(t, "Verify", err)
			return
		}
		if key.Len() != c.KeyLength {
			t.Fatalf("key of %d bytes from a certificate stating %d", key.Len(), c.KeyLength)
		}
	})
}

func FuzzSSAD(f *testing.F) {
	k, _ := fuzzKeys(f)
	issuer := k.Public()
	f.Add(ssadBlock(k.Len(), [2]byte{0xDA, 0xC0}), testStatic)
	f.Fuzz(func(t *testing.T, in, static []byte) {
		if _, err := VerifySSAD(issuer, in, static); err != nil {
			checkError(t, "VerifySSAD(input)", err)
		}
		if sig, _ := signedBlock(k, in); sig != nil {
			if _, err := VerifySSAD(issuer, sig, static); err != nil {
				checkError(t, "VerifySSAD", err)
			}
		}
		// Round trip: whatever the DAC and static data, a signed SSAD
		// verifies.
		var dac [2]byte
		copy(dac[:], in)
		sig, err := SignSSAD(k, dac, static)
		if err != nil {
			t.Fatal(err)
		}
		s, err := VerifySSAD(issuer, sig, static)
		if err != nil || s.DAC != dac {
			t.Fatalf("SignSSAD then VerifySSAD: %v", err)
		}
	})
}

func FuzzSDAD(f *testing.F) {
	k, _ := fuzzKeys(f)
	icc := k.Public()
	b, _ := sdadBlock(k.Len(), []byte{2, 0, 0xAE})
	f.Add(b, []byte{0x7F, 0xBC, 0x40, 0x49}, []byte{0x01, 0x69, 0xC1, 0x6C, 0x99})
	f.Fuzz(func(t *testing.T, in, ddol, cardAuth []byte) {
		if _, err := VerifyDDA(icc, in, ddol); err != nil {
			checkError(t, "VerifyDDA(input)", err)
		}
		d := FDDA{UN: ddol, Amount: make([]byte, 6), Currency: make([]byte, 2), CardAuthData: cardAuth}
		sig, _ := signedBlock(k, in)
		if sig == nil {
			return
		}
		s, err := VerifyDDA(icc, sig, ddol)
		if err != nil {
			checkError(t, "VerifyDDA", err)
		} else if len(s.IDN) < 2 || len(s.IDN) > 8 || len(s.DynamicData) < 1+len(s.IDN) {
			t.Fatalf("accepted ICC dynamic data %X", s.DynamicData)
		}
		if _, err := VerifyFDDA(icc, sig, d); err != nil {
			checkError(t, "VerifyFDDA", err)
		}
		// Round trip of the dynamic data the fuzzer chose.
		if len(in) <= k.Len()-25 {
			sig, err := SignDynamicData(k, in, ddol)
			if err != nil {
				t.Fatal(err)
			}
			s, err := recoverSDAD(icc, sig)
			if err == nil {
				err = s.checkHash(ddol)
				if !bytes.Equal(s.DynamicData, in) {
					t.Fatalf("dynamic data %X, signed %X", s.DynamicData, in)
				}
			}
			if err != nil && !errors.Is(err, ErrDynamicData) {
				t.Fatalf("SignDynamicData then verify: %v", err)
			}
		}
	})
}

func FuzzCDA(f *testing.F) {
	k, _ := fuzzKeys(f)
	icc := k.Public()
	d, _ := cdaResponse(f, k, 0x40, nil)
	f.Add(d.Response, d.UN, d.PDOLData, d.CDOL1Data)
	f.Add([]byte{0x77, 0x81, 0x05, 0x9F, 0x27, 0x01, 0x80, 0x00}, []byte{1, 2, 3, 4}, []byte(nil), []byte{0})
	f.Fuzz(func(t *testing.T, response, un, pdol, cdol1 []byte) {
		d := CDA{UN: un, PDOLData: pdol, CDOL1Data: cdol1, Response: response}
		if _, err := VerifyCDA(icc, d); err != nil {
			checkError(t, "VerifyCDA", err)
		}
		if _, err := TransactionDataHash(pdol, cdol1, nil, response); err != nil {
			checkError(t, "TransactionDataHash", err)
		}
	})
}

func FuzzParseCAPKs(f *testing.F) {
	keys, _ := ParseCAPKs(testCAPKs)
	one := keys[1]
	f.Add([]byte(`[{"rid":"` + one.RID.String() + `","index":"` + hexByte(one.Index) + `","modulus":"` +
		hex.EncodeToString(one.Key.Modulus) + `","exponent":"03","checksum":"` + hex.EncodeToString(one.Checksum[:]) + `"}]`))
	f.Add([]byte(`[{"rid":"A000000003","index":"92","modulus":"00","exponent":"03","checksum":"","expiry":"2030-01-01"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseCAPKs(data)
		if err != nil {
			checkError(t, "ParseCAPKs", err)
			return
		}
		for _, k := range keys {
			if err := k.Verify(); err != nil {
				t.Fatalf("ParseCAPKs returned a key that does not verify: %v", err)
			}
		}
		if _, err := NewStore(keys...); err != nil && !errors.Is(err, ErrDuplicateCAPK) {
			t.Fatalf("NewStore: %v", err)
		}
	})
}
