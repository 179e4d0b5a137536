package issuer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/tlv"
)

var (
	testIMK  = []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}
	testPAN  = "1234567890123456"
	visaData = map[string]string{
		"9F02": "000000004000", "9F03": "000000000000", "9F1A": "0124", "95": "8000048000",
		"5F2A": "0124", "9A": "191105", "9C": "01", "9F37": "52BF4585", "82": "1800", "9F36": "001C",
		"9F10": "06011203A0B800",
	}
)

func withData(t testing.TB, base map[string]string, edit func(map[tlv.Tag][]byte)) map[tlv.Tag][]byte {
	d := dataMap(t, base)
	if edit != nil {
		edit(d)
	}
	return d
}

// TestCryptogramErrors is the adversarial table: every row is a bad input
// with the reason it is bad, and the sentinel the error must match.
func TestCryptogramErrors(t *testing.T) {
	tests := []struct {
		name string
		cvn  issuer.CVN
		imk  []byte
		pan  string
		psn  string
		edit func(map[tlv.Tag][]byte)
		want error
		tag  tlv.Tag // for DataError rows
	}{
		{name: "IMK of 8 bytes: single DES is not an issuer master key", cvn: issuer.VisaCVN18, imk: testIMK[:8], pan: testPAN, want: issuer.ErrKeySize},
		{name: "IMK of 24 bytes: EMV TDES keys are double length", cvn: issuer.VisaCVN18, imk: append(testIMK, testIMK[:8]...), pan: testPAN, want: issuer.ErrKeySize},
		{name: "nil IMK", cvn: issuer.VisaCVN18, pan: testPAN, want: issuer.ErrKeySize},
		{name: "PAN with a letter", cvn: issuer.VisaCVN18, imk: testIMK, pan: "12345678901234X6", want: issuer.ErrPAN},
		{name: "PAN of 7 digits", cvn: issuer.VisaCVN18, imk: testIMK, pan: "1234567", want: issuer.ErrPAN},
		{name: "PAN of 20 digits", cvn: issuer.VisaCVN18, imk: testIMK, pan: "12345678901234567890", want: issuer.ErrPAN},
		{name: "empty PAN", cvn: issuer.VisaCVN18, imk: testIMK, pan: "", want: issuer.ErrPAN},
		{name: "PAN with F padding: pass the PAN, not track data", cvn: issuer.VisaCVN18, imk: testIMK, pan: "123456789012345F", want: issuer.ErrPAN},
		{name: "PSN of 3 digits", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN, psn: "001", want: issuer.ErrPSN},
		{name: "PSN not decimal", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN, psn: "0A", want: issuer.ErrPSN},
		{name: "unknown CVN 0", cvn: 0, imk: testIMK, pan: testPAN, want: issuer.ErrCVN},
		{name: "unknown CVN 99", cvn: 99, imk: testIMK, pan: testPAN, want: issuer.ErrCVN},
		{name: "ATC missing: no session key", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { delete(d, 0x9F36) }, want: issuer.ErrMissingData, tag: 0x9F36},
		{name: "ATC of 3 bytes", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { d[0x9F36] = []byte{0, 0, 1} }, want: issuer.ErrDataLength, tag: 0x9F36},
		{name: "UN missing for the Mastercard SKD", cvn: issuer.MastercardCVN16, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) {
				delete(d, 0x9F37)
				d[0x9F10] = unhex(t, "0110A00003220000000000000000000000FF")
			}, want: issuer.ErrMissingData, tag: 0x9F37},
		{name: "UN of 8 bytes for the Mastercard SKD", cvn: issuer.MastercardCVN16, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) {
				d[0x9F37] = make([]byte, 8)
				d[0x9F10] = unhex(t, "0110A00003220000000000000000000000FF")
			}, want: issuer.ErrDataLength, tag: 0x9F37},
		{name: "amount authorised missing", cvn: issuer.VisaCVN10, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { delete(d, 0x9F02) }, want: issuer.ErrMissingData, tag: 0x9F02},
		{name: "amount other missing: absent is not zero", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { delete(d, 0x9F03) }, want: issuer.ErrMissingData, tag: 0x9F03},
		{name: "TVR of 4 bytes", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { d[0x95] = d[0x95][:4] }, want: issuer.ErrDataLength, tag: 0x95},
		{name: "date in ASCII", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { d[0x9A] = []byte("191105") }, want: issuer.ErrDataLength, tag: 0x9A},
		{name: "AIP missing", cvn: issuer.MastercardCVN20, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { delete(d, 0x82) }, want: issuer.ErrMissingData, tag: 0x82},
		{name: "9F10 missing", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { delete(d, 0x9F10) }, want: issuer.ErrMissingData, tag: 0x9F10},
		{name: "9F10 empty", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { d[0x9F10] = []byte{} }, want: issuer.ErrDataLength, tag: 0x9F10},
		{name: "9F10 of 33 bytes: EMV allows 32", cvn: issuer.VisaCVN18, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { d[0x9F10] = make([]byte, 33) }, want: issuer.ErrDataLength, tag: 0x9F10},
		{name: "9F10 too short for the Visa CVR", cvn: issuer.VisaCVN10, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { d[0x9F10] = d[0x9F10][:6] }, want: issuer.ErrIAD},
		{name: "9F10 too short for the M/Chip counters", cvn: issuer.MastercardCVN17, imk: testIMK, pan: testPAN,
			edit: func(d map[tlv.Tag][]byte) { d[0x9F10] = unhex(t, "0111A0000322000000000000") }, want: issuer.ErrIAD},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := withData(t, visaData, tc.edit)
			ac, err := issuer.Cryptogram(tc.cvn, tc.imk, tc.pan, tc.psn, data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Cryptogram = %X, %v; want %v", ac, err, tc.want)
			}
			if tc.tag != 0 {
				var de *issuer.DataError
				if !errors.As(err, &de) || de.Tag != tc.tag {
					t.Errorf("error %v does not name tag %X", err, tc.tag)
				}
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "issuer: ") {
				t.Errorf("message %q does not start with the package name", msg)
			}
			if tc.pan != "" && len(tc.pan) >= 8 && strings.Contains(msg, tc.pan) {
				t.Errorf("message %q contains the PAN", msg)
			}
			if strings.Contains(strings.ToUpper(msg), "0123456789ABCDEF") {
				t.Errorf("message %q contains the key", msg)
			}
			// VerifyCryptogram fails the same way, naming a step.
			verr := issuer.VerifyCryptogram(tc.cvn, tc.imk, tc.pan, tc.psn, data, make([]byte, 8))
			var ve *issuer.VerifyError
			if !errors.As(verr, &ve) || !errors.Is(verr, tc.want) {
				t.Errorf("VerifyCryptogram = %v, want a VerifyError matching %v", verr, tc.want)
			}
		})
	}
}

// TestARPCErrors covers the lengths ARPC checks.
func TestARPCErrors(t *testing.T) {
	key := testIMK
	arqc := make([]byte, 8)
	tests := []struct {
		name string
		f    func() ([]byte, error)
		want error
	}{
		{"method 1 key of 8 bytes", func() ([]byte, error) { return issuer.ARPCMethod1(key[:8], arqc, []byte{0, 0}) }, issuer.ErrKeySize},
		{"method 1 ARQC of 4 bytes", func() ([]byte, error) { return issuer.ARPCMethod1(key, arqc[:4], []byte{0, 0}) }, issuer.ErrLength},
		{"method 1 ARC of 1 byte", func() ([]byte, error) { return issuer.ARPCMethod1(key, arqc, []byte{0}) }, issuer.ErrLength},
		{"method 1 ARC of 4 bytes: that is a CSU", func() ([]byte, error) { return issuer.ARPCMethod1(key, arqc, make([]byte, 4)) }, issuer.ErrLength},
		{"method 2 CSU of 2 bytes: that is an ARC", func() ([]byte, error) { return issuer.ARPCMethod2(key, arqc, []byte{0, 0}, nil) }, issuer.ErrLength},
		{"method 2 proprietary data of 9 bytes", func() ([]byte, error) { return issuer.ARPCMethod2(key, arqc, make([]byte, 4), make([]byte, 9)) }, issuer.ErrLength},
		{"method 2 ARQC of 9 bytes", func() ([]byte, error) { return issuer.ARPCMethod2(key, make([]byte, 9), make([]byte, 4), nil) }, issuer.ErrLength},
		{"ARPC of Visa CVN 18 with a 2-byte ARC", func() ([]byte, error) {
			return issuer.ARPC(issuer.VisaCVN18, testIMK, testPAN, "", dataMap(t, visaData), arqc, []byte{0x30, 0x30})
		}, issuer.ErrLength},
		{"ARPC of CVN 20 without ATC", func() ([]byte, error) {
			return issuer.ARPC(issuer.MastercardCVN20, testIMK, testPAN, "", map[tlv.Tag][]byte{}, arqc, []byte{0, 0})
		}, issuer.ErrMissingData},
		{"ARPC of an unknown CVN", func() ([]byte, error) {
			return issuer.ARPC(issuer.CVN(42), testIMK, testPAN, "", dataMap(t, visaData), arqc, []byte{0, 0})
		}, issuer.ErrCVN},
		{"tag 91 of method 1 with proprietary data", func() ([]byte, error) {
			return issuer.IssuerAuthenticationData(issuer.VisaCVN10, arqc, []byte{0, 0}, []byte{1})
		}, issuer.ErrLength},
		{"tag 91 of method 2 with an 8-byte ARPC", func() ([]byte, error) {
			return issuer.IssuerAuthenticationData(issuer.VisaCVN18, arqc, make([]byte, 4), nil)
		}, issuer.ErrLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.f()
			if !errors.Is(err, tc.want) {
				t.Errorf("= %X, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	if _, err := issuer.ApplicationCryptogram(testIMK, []byte{1}, mac.Method3); !errors.Is(err, issuer.ErrUnsupported) {
		t.Errorf("padding method 3: %v", err)
	}
	if _, err := issuer.AppendMasterKey(nil, testIMK, testPAN, "", issuer.Option(3)); !errors.Is(err, issuer.ErrUnsupported) {
		t.Errorf("option 3: %v", err)
	}
}

func TestSessionKeyErrors(t *testing.T) {
	if _, err := issuer.SessionKey(testIMK, make([]byte, 7)); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("SessionKey(R of 7 bytes) = %v, want ErrLength", err)
	}
	if _, err := issuer.SessionKey(testIMK[:8], make([]byte, 8)); !errors.Is(err, issuer.ErrKeySize) {
		t.Errorf("SessionKey(8-byte key) = %v, want ErrKeySize", err)
	}
	if _, err := issuer.VisaSessionKey(testIMK, []byte{1}); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("VisaSessionKey(ATC of 1 byte) = %v, want ErrLength", err)
	}
	if _, err := issuer.MastercardSessionKey(testIMK, []byte{0, 1}, []byte{1, 2, 3}); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("MastercardSessionKey(UN of 3 bytes) = %v, want ErrLength", err)
	}
	if _, err := issuer.ACR([]byte{1, 2, 3}); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("ACR(3 bytes) = %v, want ErrLength", err)
	}
}

func TestCardValueErrors(t *testing.T) {
	cvk := testIMK
	tests := []struct {
		name string
		f    func() (string, error)
		want error
	}{
		{"CVV key of 8 bytes", func() (string, error) { return issuer.CVV(cvk[:8], testPAN, "2512", "101") }, issuer.ErrKeySize},
		{"CVV expiry MMYYYY", func() (string, error) { return issuer.CVV(cvk, testPAN, "122025", "101") }, issuer.ErrCardData},
		{"CVV service code of 2 digits", func() (string, error) { return issuer.CVV(cvk, testPAN, "2512", "10") }, issuer.ErrCardData},
		{"CVV PAN with a space", func() (string, error) { return issuer.CVV(cvk, "1234 5678 9012", "2512", "101") }, issuer.ErrPAN},
		{"dCVV ATC of 1 byte", func() (string, error) { return issuer.DCVV(cvk, testPAN, "2512", "101", []byte{1}) }, issuer.ErrLength},
		{"CVC3 IVCVC3 of 3 bytes", func() (string, error) { return issuer.CVC3(cvk, []byte{1, 2, 3}, make([]byte, 4), []byte{0, 1}) }, issuer.ErrLength},
		{"CVC3 UN of 2 bytes", func() (string, error) { return issuer.CVC3(cvk, []byte{1, 2}, make([]byte, 2), []byte{0, 1}) }, issuer.ErrLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.f()
			if !errors.Is(err, tc.want) {
				t.Errorf("= %q, %v; want %v", got, err, tc.want)
			}
		})
	}
	if _, err := issuer.IVCVC3(cvk, nil); !errors.Is(err, issuer.ErrCardData) {
		t.Errorf("IVCVC3(empty track) = %v, want ErrCardData", err)
	}
	if err := issuer.VerifyCVC3(cvk, []byte{1, 2}, make([]byte, 4), []byte{0, 1}, "123456"); !errors.Is(err, issuer.ErrCardData) {
		t.Errorf("VerifyCVC3(6 digits) = %v, want ErrCardData", err)
	}
}
