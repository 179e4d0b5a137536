package oda

import (
	"errors"
	"strings"
	"testing"
)

var sentinels = []error{
	ErrLength, ErrRange, ErrTrailer, ErrHeader, ErrFormat, ErrHashAlgorithm, ErrKeyAlgorithm,
	ErrKeyLength, ErrExponent, ErrRemainder, ErrHash, ErrIssuerID, ErrPAN, ErrExpiryDate,
	ErrExpired, ErrRevoked, ErrDynamicData, ErrCID, ErrTransactionDataHash, ErrResponse,
	ErrTerminalData, ErrStaticData, ErrModulus, ErrChecksum, ErrDuplicateCAPK, ErrUnknownCAPK,
	ErrCAPKExpired, ErrCAPKData, ErrKeyGeneration, ErrSigning,
}

// TestErrorMessages checks the house rules: lower case, "oda: " prefix,
// distinct sentinels, an *Error that unwraps to its sentinel.
func TestErrorMessages(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range sentinels {
		msg := e.Error()
		if !strings.HasPrefix(msg, "oda: ") || msg != strings.ToLower(msg[:5])+msg[5:] || msg[5] != strings.ToLower(msg[5:6])[0] {
			t.Errorf("sentinel %q: want lower case after the prefix oda: ", msg)
		}
		if seen[msg] {
			t.Errorf("sentinel %q twice", msg)
		}
		seen[msg] = true
		for item := ItemCAPK; item <= ItemStaticData; item++ {
			err := error(&Error{Item: item, Err: e, Detail: "x"})
			if !errors.Is(err, e) || strings.Count(err.Error(), "oda: ") != 1 || !strings.Contains(err.Error(), item.String()) {
				t.Errorf("Error{%v, %v}.Error() = %q", item, e, err)
			}
		}
	}
	if Item(0).String() != "unknown item" || Item(200).String() != "unknown item" {
		t.Error("unknown items are not named so")
	}
}

// TestErrorsHoldNoPAN makes the PAN and issuer identifier checks fail and
// looks for the PAN's digits in the messages.
func TestErrorsHoldNoPAN(t *testing.T) {
	p := testPKIs(t)[0]
	otherPAN := []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10}
	ic, err := RecoverIssuerCertificate(p.CAPK, p.IssuerCert)
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := ic.Verify(nil, []byte{3}, Checks{PAN: otherPAN, Date: txnDate})
	issuer, _ := ic.Verify(nil, []byte{3}, testChecks())
	cc, err := RecoverICCCertificate(issuer, p.ICCCert)
	if err != nil {
		t.Fatal(err)
	}
	_, err2 := cc.Verify(nil, []byte{3}, testStatic, Checks{PAN: otherPAN, Date: txnDate})
	for _, err := range []error{err1, err2} {
		if err == nil {
			t.Fatal("PAN check passed")
		}
		for _, digits := range []string{"4761", "5413", "541333", "9001"} {
			if strings.Contains(err.Error(), digits) {
				t.Errorf("error %q holds PAN digits %s", err, digits)
			}
		}
	}
}
