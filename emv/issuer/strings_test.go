package issuer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/mac"
)

func TestStrings(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{issuer.OptionA.String(), "option A"},
		{issuer.OptionB.String(), "option B"},
		{issuer.Option(7).String(), "Option(7)"},
		{issuer.NoSessionKey.String(), "no session key"},
		{issuer.CommonSessionKey.String(), "EMV common session key (R = ATC || 000000000000)"},
		{issuer.MastercardSKD.String(), "Mastercard SKD (R = ATC || 0000 || UN)"},
		{issuer.VisaSecureMessaging.String(), "Visa secure messaging key (ATC xor)"},
		{issuer.CommonSessionKeyARQC.String(), "EMV common session key (R = ARQC)"},
		{issuer.SessionKeyMethod(0).String(), "SessionKeyMethod(0)"},
		{issuer.VisaEncipherment.String(), "Visa encipherment"},
		{issuer.MastercardEncipherment.String(), "Mastercard encipherment"},
		{issuer.EMVEncipherment.String(), "EMV encipherment"},
		{issuer.Encipherment(0).String(), "Encipherment(0)"},
		{issuer.StepCVN.String(), "input check"},
		{issuer.StepMasterKey.String(), "ICC master key derivation"},
		{issuer.StepSessionKey.String(), "session key derivation"},
		{issuer.StepData.String(), "cryptogram data"},
		{issuer.StepMAC.String(), "cryptogram MAC"},
		{issuer.Step(0).String(), "Step(0)"},
	} {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
	for cvn := issuer.VisaCVN10; cvn <= issuer.InteracCVN133; cvn++ {
		wantKey := map[issuer.CVN]issuer.SessionKeyMethod{
			issuer.VisaCVN10: issuer.NoSessionKey, issuer.VisaCVN18: issuer.CommonSessionKey, issuer.VisaCVN22: issuer.CommonSessionKey,
			issuer.MastercardCVN16: issuer.MastercardSKD, issuer.MastercardCVN17: issuer.MastercardSKD,
			issuer.MastercardCVN20: issuer.CommonSessionKey, issuer.MastercardCVN21: issuer.CommonSessionKey,
			issuer.InteracCVN133: issuer.MastercardSKD,
		}[cvn]
		if got := cvn.SessionKeyMethod(); got != wantKey {
			t.Errorf("%v.SessionKeyMethod() = %v, want %v", cvn, got, wantKey)
		}
		wantPad := mac.Method2
		if cvn == issuer.VisaCVN10 {
			wantPad = mac.Method1
		}
		if got := cvn.Padding(); got != wantPad {
			t.Errorf("%v.Padding() = %v, want %v", cvn, got, wantPad)
		}
	}
	if issuer.CVN(0).SessionKeyMethod() != 0 || issuer.CVN(0).Padding() != 0 {
		t.Error("CVN(0) has a method")
	}
}

func TestVerifyDCVVAndTrace(t *testing.T) {
	key, _ := issuer.MasterKeyA(unhex(t, "12345678123456781234567812345678"), "1234567890123456", "00")
	if err := issuer.VerifyDCVV(key, "1234567890123456", "1310", "226", []byte{0x32, 0x10}, "422"); err != nil {
		t.Errorf("VerifyDCVV(jPOS 422) = %v", err)
	}
	if err := issuer.VerifyDCVV(key, "1234567890123456", "1310", "226", []byte{0x32, 0x11}, "422"); !errors.Is(err, issuer.ErrMismatch) {
		t.Errorf("VerifyDCVV(other ATC) = %v, want ErrMismatch", err)
	}
	var tr issuer.Trace
	data := dataMap(t, visaData)
	if err := issuer.VerifyCryptogramTrace(&tr, issuer.VisaCVN18, testIMK, testPAN, "00", data, unhex(t, cvn18ARQC)); err != nil {
		t.Fatal(err)
	}
	if tr.Step != issuer.StepMAC || len(tr.Data) != 40 || tr.MasterKeyKCV != [3]byte{} {
		t.Errorf("trace after success = %+v", tr)
	}
	if s := tr.String(); !strings.Contains(s, "Visa CVN 18") || strings.Contains(s, testPAN) {
		t.Errorf("Trace.String() = %q", s)
	}
	if err := issuer.VerifyARPC(issuer.VisaCVN18, testIMK, testPAN, "00", data, unhex(t, cvn18ARQC), make([]byte, 4), unhex(t, "9AF514C0")); !errors.Is(err, issuer.ErrMismatch) {
		t.Errorf("VerifyARPC(wrong) = %v", err)
	}
}
