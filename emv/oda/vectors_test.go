package oda

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/posflow/posflow/internal/testvec"
)

type certFields struct {
	ID       testvec.Hex `json:"id"`
	PAN      testvec.Hex `json:"pan"`
	Expiry   testvec.Hex `json:"expiry"`
	Serial   testvec.Hex `json:"serial"`
	Modulus  testvec.Hex `json:"modulus"`
	Exponent testvec.Hex `json:"exponent"`
	Hash     testvec.Hex `json:"hash"`
}

// emvUtilsVector is one of the testdata/emv-utils-*.json files (see
// testdata/README.md).
type emvUtilsVector struct {
	Source string `json:"source"`
	CAPK   struct {
		RID   string      `json:"rid"`
		Index testvec.Hex `json:"index"`
	} `json:"capk"`
	PAN               testvec.Hex       `json:"pan"`
	IssuerRemainder   testvec.Hex       `json:"issuer_remainder"`
	IssuerExponent    testvec.Hex       `json:"issuer_exponent"`
	ICCRemainder      testvec.Hex       `json:"icc_remainder"`
	ICCExponent       testvec.Hex       `json:"icc_exponent"`
	IssuerCert        testvec.Hex       `json:"issuer_cert"`
	IssuerCertInvalid testvec.Hex       `json:"issuer_cert_invalid"`
	Issuer            certFields        `json:"issuer"`
	SSAD              testvec.Hex       `json:"ssad"`
	SSADInvalid       testvec.Hex       `json:"ssad_invalid"`
	SSADDAC           testvec.Hex       `json:"ssad_dac"`
	SSADHash          testvec.Hex       `json:"ssad_hash"`
	ICCCert           testvec.Hex       `json:"icc_cert"`
	ICCCertInvalid    testvec.Hex       `json:"icc_cert_invalid"`
	ICC               certFields        `json:"icc"`
	SDAD              testvec.Hex       `json:"sdad"`
	SDADInvalid       testvec.Hex       `json:"sdad_invalid"`
	DDOLData          testvec.Hex       `json:"ddol_data"`
	UN                testvec.Hex       `json:"un"`
	SDADIDN           testvec.Hex       `json:"sdad_idn"`
	SDADCID           testvec.Hex       `json:"sdad_cid"`
	SDADAC            testvec.Hex       `json:"sdad_ac"`
	SDADTDHC          testvec.Hex       `json:"sdad_tdhc"`
	SDADHash          testvec.Hex       `json:"sdad_hash"`
	Dates             map[string]string `json:"dates"`
}

func loadVector(t testing.TB, name string) *emvUtilsVector {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	v := new(emvUtilsVector)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func (v *emvUtilsVector) date(t testing.TB, name string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, v.Dates[name])
	if err != nil {
		t.Fatalf("date %q: %v", name, err)
	}
	return d
}

func (v *emvUtilsVector) capk(t testing.TB) *CAPK {
	t.Helper()
	rid, err := ParseRID(v.CAPK.RID)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := TestKeys().Lookup(rid, v.CAPK.Index[0])
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
	var e *Error
	if err != nil && !errors.As(err, &e) {
		t.Errorf("%s: error %T is not an *oda.Error", what, err)
	}
}

func checkIssuerFields(t *testing.T, c *IssuerCertificate, want certFields) {
	t.Helper()
	if !bytes.Equal(c.IssuerID[:], want.ID) || !bytes.Equal(c.Expiry[:], want.Expiry) || !bytes.Equal(c.Serial[:], want.Serial) {
		t.Errorf("issuer certificate fields = %X %X %X, want %X %X %X", c.IssuerID, c.Expiry, c.Serial, want.ID, want.Expiry, want.Serial)
	}
	if c.HashAlgorithm != 1 || c.KeyAlgorithm != 1 || c.KeyLength != len(want.Modulus) || c.ExponentLength != len(want.Exponent) {
		t.Errorf("issuer certificate indicators = %02X %02X %d %d", c.HashAlgorithm, c.KeyAlgorithm, c.KeyLength, c.ExponentLength)
	}
}

func checkICCFields(t *testing.T, c *ICCCertificate, want certFields) {
	t.Helper()
	if !bytes.Equal(c.PAN[:], want.PAN) || !bytes.Equal(c.Expiry[:], want.Expiry) || !bytes.Equal(c.Serial[:], want.Serial) {
		t.Errorf("ICC certificate fields = %X %X %X, want %X %X %X", c.PAN, c.Expiry, c.Serial, want.PAN, want.Expiry, want.Serial)
	}
	if c.HashAlgorithm != 1 || c.KeyAlgorithm != 1 || c.KeyLength != len(want.Modulus) || c.ExponentLength != len(want.Exponent) {
		t.Errorf("ICC certificate indicators = %02X %02X %d %d", c.HashAlgorithm, c.KeyAlgorithm, c.KeyLength, c.ExponentLength)
	}
	if !bytes.Equal(c.Hash, want.Hash) {
		t.Errorf("ICC certificate hash = %X, want %X", c.Hash, want.Hash)
	}
}

// TestVisa94 runs the Visa test CAPK 94 chain of emv-utils: issuer
// certificate, SSAD, ICC certificate and DDA, with the broken variants and
// the expiry dates of the source.
func TestVisa94(t *testing.T) {
	v := loadVector(t, "emv-utils-visa94.json")
	ca := v.capk(t)
	if ca.Key.Len()*8 != 1984 {
		t.Fatalf("CAPK 94 is %d bits", ca.Key.Len()*8)
	}

	_, err := RecoverIssuerCertificate(ca, v.IssuerCertInvalid)
	if err == nil {
		t.Error("RecoverIssuerCertificate(invalid_issuer_cert) succeeded")
	}

	ic, err := RecoverIssuerCertificate(ca, v.IssuerCert)
	if err != nil {
		t.Fatalf("RecoverIssuerCertificate: %v", err)
	}
	checkIssuerFields(t, ic, v.Issuer)

	chk := Checks{PAN: v.PAN, Date: v.date(t, "issuer_valid")}
	// The source's invalid ICC data: exponent 010001 where the certificate
	// says 1 byte.
	_, err = ic.Verify(v.IssuerRemainder, []byte{1, 0, 1}, chk)
	wantErr(t, "issuer Verify with exponent 010001", err, ErrExponent)

	_, err = ic.Verify(v.IssuerRemainder, v.IssuerExponent, Checks{PAN: v.PAN, Date: v.date(t, "expired")})
	wantErr(t, "issuer Verify on 2032-01-01", err, ErrExpired)

	issuerKey, err := ic.Verify(v.IssuerRemainder, v.IssuerExponent, chk)
	if err != nil {
		t.Fatalf("issuer Verify: %v", err)
	}
	if !bytes.Equal(issuerKey.Modulus, v.Issuer.Modulus) {
		t.Errorf("issuer modulus = %X, want %X", issuerKey.Modulus, v.Issuer.Modulus)
	}

	// SSAD: the static data is not in the source, so the hash cannot be
	// checked; the recovered DAC and hash can.
	_, err = VerifySSAD(issuerKey, v.SSADInvalid, nil)
	if err == nil {
		t.Error("VerifySSAD(invalid_enc_ssad) succeeded")
	}
	_, err = VerifySSAD(issuerKey, v.SSAD, nil)
	wantErr(t, "VerifySSAD without the static data", err, ErrHash)
	rec, err := issuerKey.Recover(v.SSAD)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec[3:5], v.SSADDAC) || !bytes.Equal(rec[len(rec)-21:len(rec)-1], v.SSADHash) {
		t.Errorf("SSAD DAC, hash = %X, %X; want %X, %X", rec[3:5], rec[len(rec)-21:len(rec)-1], v.SSADDAC, v.SSADHash)
	}

	// ICC certificate: recovered fields; the hash covers static data the
	// source does not give, so Verify must fail at the hash step, as it
	// does in the source ("certificate validation but no ODA").
	_, err = RecoverICCCertificate(issuerKey, v.ICCCertInvalid)
	if err == nil {
		t.Error("RecoverICCCertificate(invalid_icc_cert) succeeded")
	}
	cc, err := RecoverICCCertificate(issuerKey, v.ICCCert)
	if err != nil {
		t.Fatalf("RecoverICCCertificate: %v", err)
	}
	checkICCFields(t, cc, v.ICC)
	_, err = cc.Verify(v.ICCRemainder, v.ICCExponent, nil, Checks{PAN: v.PAN, Date: v.date(t, "icc_valid")})
	wantErr(t, "ICC Verify without the static data", err, ErrHash)
	modulus := append(append([]byte(nil), cc.KeyField...), v.ICCRemainder...)
	if !bytes.Equal(modulus, v.ICC.Modulus) {
		t.Errorf("ICC modulus = %X, want %X", modulus, v.ICC.Modulus)
	}

	iccKey, err := NewPublicKey(v.ICC.Modulus, v.ICC.Exponent)
	if err != nil {
		t.Fatal(err)
	}
	_, err = VerifyDDA(iccKey, v.SDADInvalid, v.DDOLData)
	if err == nil {
		t.Error("VerifyDDA(invalid_enc_sdad) succeeded")
	}
	s, err := VerifyDDA(iccKey, v.SDAD, v.DDOLData)
	if err != nil {
		t.Fatalf("VerifyDDA: %v", err)
	}
	if !bytes.Equal(s.IDN, v.SDADIDN) || !bytes.Equal(s.Hash, v.SDADHash) {
		t.Errorf("SDAD IDN, hash = %X, %X; want %X, %X", s.IDN, s.Hash, v.SDADIDN, v.SDADHash)
	}
	_, err = VerifyDDA(iccKey, v.SDAD, []byte{0x7F, 0xBC, 0x40, 0x48})
	wantErr(t, "VerifyDDA with another unpredictable number", err, ErrHash)
}

// TestMastercardF1 runs the Mastercard test CAPK F1 chain of emv-utils:
// issuer and ICC certificates and a CDA signature, whose transaction data
// the source does not give.
func TestMastercardF1(t *testing.T) {
	v := loadVector(t, "emv-utils-mcF1.json")
	ca := v.capk(t)
	ic, err := RecoverIssuerCertificate(ca, v.IssuerCert)
	if err != nil {
		t.Fatalf("RecoverIssuerCertificate: %v", err)
	}
	checkIssuerFields(t, ic, v.Issuer)
	chk := Checks{PAN: v.PAN, Date: v.date(t, "valid")}
	issuerKey, err := ic.Verify(v.IssuerRemainder, v.IssuerExponent, chk)
	if err != nil {
		t.Fatalf("issuer Verify: %v", err)
	}
	if !bytes.Equal(issuerKey.Modulus, v.Issuer.Modulus) {
		t.Errorf("issuer modulus = %X, want %X", issuerKey.Modulus, v.Issuer.Modulus)
	}
	cc, err := RecoverICCCertificate(issuerKey, v.ICCCert)
	if err != nil {
		t.Fatalf("RecoverICCCertificate: %v", err)
	}
	checkICCFields(t, cc, v.ICC)
	_, err = cc.Verify(v.ICCRemainder, v.ICCExponent, nil, chk)
	wantErr(t, "ICC Verify without the static data", err, ErrHash)

	iccKey, err := NewPublicKey(v.ICC.Modulus, v.ICC.Exponent)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		sdad []byte
	}{{"valid", v.SDAD}, {"invalid", v.SDADInvalid}} {
		s, err := recoverSDAD(iccKey, tc.sdad)
		if tc.name == "invalid" {
			if err == nil {
				t.Error("recoverSDAD(invalid_enc_sdad) succeeded")
			}
			continue
		}
		if err != nil {
			t.Fatalf("recoverSDAD: %v", err)
		}
		if err := s.checkHash(v.UN); err != nil {
			t.Errorf("SDAD hash with UN %X: %v", v.UN, err)
		}
		rest := s.DynamicData[1+len(s.IDN):]
		if !bytes.Equal(s.IDN, v.SDADIDN) || rest[0] != v.SDADCID[0] || !bytes.Equal(rest[1:9], v.SDADAC) || !bytes.Equal(rest[9:29], v.SDADTDHC) || !bytes.Equal(s.Hash, v.SDADHash) {
			t.Errorf("CDA dynamic data = %X, hash %X", s.DynamicData, s.Hash)
		}
	}
}

func asError(err error, target **Error) bool { return errors.As(err, target) }
