package issuer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// The published Visa CVN 18 transaction of pyemv (see pyemv_cvn.json).
var cvn18ARQC = "7A788EA6B8A3E733"

func TestVerifyCryptogramDiagnostics(t *testing.T) {
	data := dataMap(t, visaData)
	if err := issuer.VerifyCryptogram(issuer.VisaCVN18, testIMK, testPAN, "00", data, unhex(t, cvn18ARQC)); err != nil {
		t.Fatalf("published ARQC does not verify: %v", err)
	}

	// A wrong ARQC: the error says the MAC step failed and shows the KCVs
	// and the exact data, not the expected cryptogram.
	bad := unhex(t, cvn18ARQC)
	bad[7] ^= 1
	err := issuer.VerifyCryptogram(issuer.VisaCVN18, testIMK, testPAN, "00", data, bad)
	var ve *issuer.VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, issuer.ErrMismatch) {
		t.Fatalf("VerifyCryptogram(bad) = %v, want a VerifyError matching ErrMismatch", err)
	}
	if ve.Trace.Step != issuer.StepMAC {
		t.Errorf("step = %v, want %v", ve.Trace.Step, issuer.StepMAC)
	}
	wantData := "000000004000000000000000012480000480000124191105" + "0152BF45851800001C06011203A0B800"
	if got := upperHex(ve.Trace.Data); got != wantData {
		t.Errorf("trace data = %s, want %s", got, wantData)
	}
	if got := upperHex(ve.Trace.MasterKeyKCV[:]); !strings.HasPrefix(got, "BAB0") {
		t.Errorf("master key KCV = %s, want BAB0…", got)
	}
	if got := upperHex(ve.Trace.SessionKeyKCV[:]); !strings.HasPrefix(got, "22C8") {
		t.Errorf("session key KCV = %s, want 22C8…", got)
	}
	msg := err.Error()
	for _, want := range []string{"issuer: ", "Visa CVN 18", "option B", "KCV BAB0", "KCV 22C8", "method 2", wantData} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	for _, secret := range []string{cvn18ARQC, testPAN, "0123456789ABCDEF"} {
		if strings.Contains(strings.ToUpper(msg), secret) {
			t.Errorf("message %q reveals %q", msg, secret)
		}
	}

	// A wrong IMK: the master key KCV differs from the one above, so the
	// integrator sees the failure is in the key, not the data.
	otherIMK := append([]byte(nil), testIMK...)
	otherIMK[0] ^= 0x02
	err = issuer.VerifyCryptogram(issuer.VisaCVN18, otherIMK, testPAN, "00", data, unhex(t, cvn18ARQC))
	if !errors.As(err, &ve) || strings.HasPrefix(upperHex(ve.Trace.MasterKeyKCV[:]), "BAB0") {
		t.Errorf("wrong IMK: %v", err)
	}

	// A missing data object stops at the data step.
	delete(data, 0x9F1A)
	err = issuer.VerifyCryptogram(issuer.VisaCVN18, testIMK, testPAN, "00", data, unhex(t, cvn18ARQC))
	if !errors.As(err, &ve) || ve.Trace.Step != issuer.StepData || !errors.Is(err, issuer.ErrMissingData) {
		t.Errorf("missing 9F1A: %v", err)
	}
	if !strings.Contains(err.Error(), "cryptogram data") || !strings.Contains(err.Error(), "9F1A") {
		t.Errorf("message %q", err)
	}

	// A cryptogram of the wrong length.
	if err := issuer.VerifyCryptogram(issuer.VisaCVN18, testIMK, testPAN, "00", dataMap(t, visaData), make([]byte, 4)); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("4-byte cryptogram: %v", err)
	}
}

func TestVerifyField55(t *testing.T) {
	// Field 55 with the pyemv Visa CVN 18 transaction, the AID and 9F26.
	var f55 []byte
	for _, o := range []struct{ tag, v string }{
		{"9F26", cvn18ARQC}, {"9F27", "80"}, {"9F10", "06011203A0B800"}, {"9F37", "52BF4585"},
		{"9F36", "001C"}, {"95", "8000048000"}, {"9A", "191105"}, {"9C", "01"}, {"9F02", "000000004000"},
		{"5F2A", "0124"}, {"82", "1800"}, {"9F1A", "0124"}, {"9F03", "000000000000"}, {"4F", aidVisa},
	} {
		tag, _ := tlv.ParseTag(o.tag)
		var err error
		if f55, err = tlv.AppendTLV(f55, tag, unhex(t, o.v)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := issuer.ParseField55(f55)
	if err != nil {
		t.Fatal(err)
	}
	cvn, err := issuer.Verify(testIMK, testPAN, "00", data)
	if err != nil || cvn != issuer.VisaCVN18 {
		t.Fatalf("Verify = %v, %v; want Visa CVN 18", cvn, err)
	}
	delete(data, 0x4F)
	if _, err := issuer.Verify(testIMK, testPAN, "00", data); !errors.Is(err, issuer.ErrMissingData) {
		t.Errorf("Verify without AID = %v", err)
	}
	// Every strict prefix fails to parse or misses data; none panics.
	for i := 0; i < len(f55); i++ {
		d, err := issuer.ParseField55(f55[:i])
		if err == nil {
			if _, err := issuer.Verify(testIMK, testPAN, "00", d); err == nil {
				t.Fatalf("prefix of %d bytes verified", i)
			}
		}
	}
	// A repeated tag is rejected.
	dup := append(append([]byte(nil), f55...), 0x9F, 0x36, 0x02, 0x00, 0x1D)
	if _, err := issuer.ParseField55(dup); !errors.Is(err, issuer.ErrField55) {
		t.Errorf("repeated 9F36: %v", err)
	}
	// Malformed TLV wraps the tlv error too.
	if _, err := issuer.ParseField55([]byte{0x9F, 0x26, 0x08, 1, 2}); !errors.Is(err, issuer.ErrField55) || !errors.Is(err, tlv.ErrTruncated) {
		t.Errorf("truncated: %v", err)
	}
}
