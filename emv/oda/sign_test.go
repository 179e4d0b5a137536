package oda

import (
	"errors"
	"testing"
	"time"
)

func TestIssuerIDFromPAN(t *testing.T) {
	for _, tc := range []struct {
		digits int
		want   [4]byte
	}{
		{3, [4]byte{0x54, 0x1F, 0xFF, 0xFF}},
		{6, [4]byte{0x54, 0x13, 0x33, 0xFF}},
		{8, [4]byte{0x54, 0x13, 0x33, 0x90}},
	} {
		got, err := IssuerIDFromPAN(testPAN, tc.digits)
		if err != nil || got != tc.want {
			t.Errorf("IssuerIDFromPAN(%X, %d) = %X, %v; want %X", testPAN, tc.digits, got, err, tc.want)
		}
		if err := checkIssuerID(got, testPAN); err != nil {
			t.Errorf("identifier %X does not match its own PAN: %v", got, err)
		}
	}
	for _, digits := range []int{2, 9} {
		if _, err := IssuerIDFromPAN(testPAN, digits); !errors.Is(err, ErrSigning) {
			t.Errorf("IssuerIDFromPAN(%d digits) = %v, want ErrSigning", digits, err)
		}
	}
	if _, err := IssuerIDFromPAN([]byte{0x54, 0x1F}, 4); !errors.Is(err, ErrSigning) {
		t.Errorf("IssuerIDFromPAN of a 3-digit PAN, 4 digits: %v", err)
	}
}

func TestExpiryDate(t *testing.T) {
	if got := ExpiryDate(time.Date(2031, 12, 5, 0, 0, 0, 0, time.UTC)); got != [2]byte{0x12, 0x31} {
		t.Errorf("ExpiryDate(2031-12) = %X, want 1231", got)
	}
	if got := ExpiryDate(time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC)); got != [2]byte{0x01, 0x09} {
		t.Errorf("ExpiryDate(2009-01) = %X, want 0109", got)
	}
}

// TestSignRefuses gives each signing function data that does not fit.
func TestSignRefuses(t *testing.T) {
	ps := testPKIs(t)
	big, small := ps[0], ps[2] // 1984-bit CA; 768-bit ICC
	for _, tc := range []struct {
		name string
		f    func() error
	}{
		{"issuer key longer than the CA key", func() error {
			_, _, err := SignIssuerCertificate(small.ICC, big.CA.Public(), testIssuerTemplate)
			return err
		}},
		{"ICC key longer than the issuer key", func() error {
			_, _, err := SignICCCertificate(small.ICC, big.CA.Public(), ICCCertTemplate{PAN: testPAN}, nil)
			return err
		}},
		{"PAN of 11 bytes", func() error {
			_, _, err := SignICCPINCertificate(big.Issuer, big.ICC.Public(), ICCCertTemplate{PAN: make([]byte, 11)})
			return err
		}},
		{"dynamic data longer than N_IC-25", func() error {
			_, err := SignDynamicData(small.ICC, make([]byte, small.ICC.Len()-24))
			return err
		}},
		{"ICC dynamic number of 1 byte", func() error { _, err := SignDDA(big.ICC, []byte{1}, nil); return err }},
		{"ICC dynamic number of 9 bytes", func() error { _, err := SignFDDA(big.ICC, make([]byte, 9), FDDA{UN: make([]byte, 4)}); return err }},
		{"cryptogram of 7 bytes", func() error {
			d, _ := cdaResponse(t, big.ICC, 0x40, nil)
			_, err := SignCDA(big.ICC, []byte{1, 2}, 0x40, make([]byte, 7), d)
			return err
		}},
		{"CDA UN of 3 bytes", func() error {
			d, _ := cdaResponse(t, big.ICC, 0x40, nil)
			d.UN = d.UN[:3]
			_, err := SignCDA(big.ICC, []byte{1, 2}, 0x40, testAC, d)
			return err
		}},
	} {
		if err := tc.f(); !errors.Is(err, ErrSigning) {
			t.Errorf("%s: %v, want ErrSigning", tc.name, err)
		}
	}
	// fDDA terminal data errors come from the verifier's own rules.
	if _, err := SignFDDA(big.ICC, []byte{0, 1}, FDDA{UN: []byte{1}}); !errors.Is(err, ErrTerminalData) {
		t.Errorf("SignFDDA with a 1-byte UN: %v", err)
	}
	if _, err := NewTestPKI(TestPKIConfig{PAN: []byte{0x54}}); !errors.Is(err, ErrSigning) {
		t.Errorf("NewTestPKI with a 2-digit PAN: %v", err)
	}
	if _, err := NewTestPKI(TestPKIConfig{PAN: testPAN, ValidYears: 1}); !errors.Is(err, ErrSigning) {
		t.Errorf("NewTestPKI valid 1 year: %v", err)
	}
}
