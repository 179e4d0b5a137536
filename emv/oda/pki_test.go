package oda

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/tlv"
)

// The test PKIs are generated once per test binary from fixed seeds.
var (
	issueDate = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	txnDate   = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	testPAN   = []byte{0x54, 0x13, 0x33, 0x90, 0x00, 0x00, 0x15, 0x13}
	// Records as a card would return them; the ICC certificate and the
	// SSAD cover the value of template 70.
	testStatic = []byte{0x5A, 0x08, 0x54, 0x13, 0x33, 0x90, 0x00, 0x00, 0x15, 0x13, 0x5F, 0x24, 0x03, 0x29, 0x12, 0x31, 0x82, 0x02, 0x39, 0x00}
)

type pkiCase struct {
	name string
	cfg  TestPKIConfig
}

var pkiCases = []pkiCase{
	{"1984-1408-1024-e3", TestPKIConfig{CABits: 1984, IssuerBits: 1408, ICCBits: 1024, Exponent: 3}},
	{"1024-1024-1024-e65537-remainders", TestPKIConfig{CABits: 1024, IssuerBits: 1024, ICCBits: 1024, Exponent: 65537}},
	{"1152-1152-768-e3-issuer-remainder", TestPKIConfig{CABits: 1152, IssuerBits: 1152, ICCBits: 768, Exponent: 3}},
}

var (
	pkiOnce sync.Once
	pkis    []*TestPKI
	pkiErr  error
)

func testPKIs(t testing.TB) []*TestPKI {
	t.Helper()
	pkiOnce.Do(func() {
		for i, c := range pkiCases {
			cfg := c.cfg
			cfg.Rand = rand.NewChaCha8([32]byte{byte(i), 'o', 'd', 'a'})
			cfg.Time = func() time.Time { return issueDate }
			cfg.PAN = testPAN
			cfg.StaticData = testStatic
			p, err := NewTestPKI(cfg)
			if err != nil {
				pkiErr = err
				return
			}
			pkis = append(pkis, p)
		}
	})
	if pkiErr != nil {
		t.Fatalf("NewTestPKI: %v", pkiErr)
	}
	return pkis
}

func testChecks() Checks { return Checks{PAN: testPAN, Date: txnDate} }

// verifyChain runs issuer and ICC certificate verification on a PKI.
func verifyChain(t *testing.T, p *TestPKI) (issuer, icc *PublicKey) {
	t.Helper()
	ic, err := RecoverIssuerCertificate(p.CAPK, p.IssuerCert)
	if err != nil {
		t.Fatalf("RecoverIssuerCertificate: %v", err)
	}
	issuer, err = ic.Verify(p.IssuerRemainder, p.Issuer.Exponent, testChecks())
	if err != nil {
		t.Fatalf("issuer Verify: %v", err)
	}
	cc, err := RecoverICCCertificate(issuer, p.ICCCert)
	if err != nil {
		t.Fatalf("RecoverICCCertificate: %v", err)
	}
	icc, err = cc.Verify(p.ICCRemainder, p.ICC.Exponent, testStatic, testChecks())
	if err != nil {
		t.Fatalf("ICC Verify: %v", err)
	}
	return issuer, icc
}

// TestRoundTrip signs every certificate and signature type with the test
// PKIs and verifies it.
func TestRoundTrip(t *testing.T) {
	for i, p := range testPKIs(t) {
		t.Run(pkiCases[i].name, func(t *testing.T) {
			if err := p.CAPK.Verify(); err != nil {
				t.Fatalf("CAPK.Verify: %v", err)
			}
			if (p.IssuerRemainder != nil) != (p.Issuer.Len() > p.CA.Len()-36) || (p.ICCRemainder != nil) != (p.ICC.Len() > p.Issuer.Len()-42) {
				t.Errorf("remainders %d, %d bytes for keys of %d, %d, %d bytes", len(p.IssuerRemainder), len(p.ICCRemainder), p.CA.Len(), p.Issuer.Len(), p.ICC.Len())
			}
			issuer, icc := verifyChain(t, p)
			if !bytes.Equal(issuer.Modulus, p.Issuer.Modulus) || !bytes.Equal(icc.Modulus, p.ICC.Modulus) {
				t.Fatal("recovered keys differ from the generated ones")
			}

			s, err := VerifySSAD(issuer, p.SSAD, testStatic)
			if err != nil || s.DAC != p.DAC {
				t.Errorf("VerifySSAD = %v, %v; want DAC %X", s, err, p.DAC)
			}

			// PIN encipherment key, certified by the issuer.
			pin, err := GenerateKey(rand.NewChaCha8([32]byte{9}), 8*p.ICC.Len(), 3)
			if err != nil {
				t.Fatal(err)
			}
			pc, prem, err := SignICCPINCertificate(p.Issuer, pin.Public(), ICCCertTemplate{PAN: testPAN, Expiry: [2]byte{0x12, 0x30}, Serial: [3]byte{0, 0, 7}})
			if err != nil {
				t.Fatal(err)
			}
			c, err := RecoverICCPINCertificate(issuer, pc)
			if err != nil {
				t.Fatalf("RecoverICCPINCertificate: %v", err)
			}
			pinKey, err := c.Verify(prem, pin.Exponent, nil, testChecks())
			if err != nil || !bytes.Equal(pinKey.Modulus, pin.Modulus) {
				t.Errorf("PIN certificate Verify = %v", err)
			}

			// DDA.
			ddol := []byte{0x12, 0x34, 0x56, 0x78}
			sig, err := SignDDA(p.ICC, []byte{0xCA, 0xFE, 0x00, 0x01}, ddol)
			if err != nil {
				t.Fatal(err)
			}
			if s, err := VerifyDDA(icc, sig, ddol); err != nil || !bytes.Equal(s.IDN, []byte{0xCA, 0xFE, 0x00, 0x01}) {
				t.Errorf("VerifyDDA = %v", err)
			}

			// fDDA 00 and 01.
			for _, d := range []FDDA{
				{UN: ddol},
				{UN: ddol, Amount: []byte{0, 0, 0, 0, 1, 0}, Currency: []byte{0x09, 0x78}, CardAuthData: []byte{0x01, 0x11, 0x22, 0x33, 0x44}},
			} {
				sig, err := SignFDDA(p.ICC, []byte{0x00, 0x15}, d)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := VerifyFDDA(icc, sig, d); err != nil {
					t.Errorf("VerifyFDDA version %02X: %v", d.Version(), err)
				}
			}

			// CDA, first and second GENERATE AC.
			for _, cdol2 := range [][]byte{nil, {0x30, 0x30, 0x01, 0x02}} {
				d, _ := cdaResponse(t, p.ICC, 0x40, cdol2)
				s, err := VerifyCDA(icc, d)
				if err != nil {
					t.Fatalf("VerifyCDA (CDOL2 %X): %v", cdol2, err)
				}
				if s.CID != 0x40 || !bytes.Equal(s.AC, testAC) {
					t.Errorf("VerifyCDA: CID %02X, AC %X", s.CID, s.AC)
				}
			}
		})
	}
}

var testAC = []byte{1, 2, 3, 4, 5, 6, 7, 8}

// cdaResponse builds a GENERATE AC exchange with CDA signed by icc: a
// format 2 response of 9F27, 9F36, 9F4B and 9F10, in that order, with the
// CID cid.
func cdaResponse(t testing.TB, icc *PrivateKey, cid byte, cdol2 []byte) (CDA, []byte) {
	t.Helper()
	d := CDA{
		UN:        []byte{0xDE, 0xAD, 0xBE, 0xEF},
		PDOLData:  []byte{0x00, 0x00, 0x00, 0x00, 0x01, 0x00},
		CDOL1Data: []byte{0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x09, 0x78, 0xDE, 0xAD, 0xBE, 0xEF},
		CDOL2Data: cdol2,
	}
	objects := func(sdad []byte) []tlv.TLV {
		o := []tlv.TLV{{Tag: 0x9F27, Value: []byte{cid}}, {Tag: 0x9F36, Value: []byte{0x00, 0x2A}}}
		if sdad != nil {
			o = append(o, tlv.TLV{Tag: 0x9F4B, Value: sdad})
		}
		return append(o, tlv.TLV{Tag: 0x9F10, Value: []byte{0x01, 0x10, 0xA0, 0x00}})
	}
	unsigned, err := tlv.Encode(tlv.TLV{Tag: 0x77, Children: objects(nil)})
	if err != nil {
		t.Fatal(err)
	}
	d.Response = unsigned
	sdad, err := SignCDA(icc, []byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}, cid, testAC, d)
	if err != nil {
		t.Fatal(err)
	}
	d.Response, err = tlv.Encode(tlv.TLV{Tag: 0x77, Children: objects(sdad)})
	if err != nil {
		t.Fatal(err)
	}
	return d, sdad
}

// TestTestPKIDeterministic checks that a seeded reader and a fixed clock
// give the same PKI twice.
func TestTestPKIDeterministic(t *testing.T) {
	mk := func() *TestPKI {
		p, err := NewTestPKI(TestPKIConfig{
			Rand: rand.NewChaCha8([32]byte{42}), Time: func() time.Time { return issueDate },
			CABits: 1024, IssuerBits: 1024, ICCBits: 768, PAN: testPAN, StaticData: testStatic,
		})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := mk(), mk()
	if !bytes.Equal(a.IssuerCert, b.IssuerCert) || !bytes.Equal(a.ICCCert, b.ICCCert) || !bytes.Equal(a.SSAD, b.SSAD) {
		t.Error("two PKIs from the same seed and clock differ")
	}
	ic, err := RecoverIssuerCertificate(a.CAPK, a.IssuerCert)
	if err != nil {
		t.Fatal(err)
	}
	if ic.Expiry != [2]byte{0x11, 0x31} || ic.IssuerID != [4]byte{0x54, 0x13, 0x33, 0xFF} {
		t.Errorf("issuer certificate expiry %X, issuer identifier %X; want 1131, 541333FF", ic.Expiry, ic.IssuerID)
	}
	if a.CAPK.RID.String() != "F000000001" || a.CAPK.Index != 1 {
		t.Errorf("CA key %v/%02X, want the default private RID F000000001/01", a.CAPK.RID, a.CAPK.Index)
	}
}
