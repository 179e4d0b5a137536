package main

import (
	"strings"
	"testing"
)

// Field 55 of a Visa purchase (Chuckks/Iso8583Lib IsoFileTest.kt, see
// tlv/testdata/README.md).
const field55 = "5F2A02048482021C008407A0000000032010950580800080009A032401089C01009F02060000000900009F03060000000000009F090200839F100706010A03A4A8109F1A0204849F1E0836523635333530349F26082E078F5CEA112DAA9F2701809F3303E0B0C89F34030103029F3501229F4104000000019F530100"

// A READ RECORD template of a public test card (openemv/emv-utils
// tests/emv_read_application_data_test.c, see tlv/testdata/README.md).
const record = "703357114761739001010119D22122011758928889 5F200C455850495245442F43415244 9F1F0E3137353839303936303030303030"

// The PPSE FCI of the moov-io/bertlv tests.
const ppse = "6F2F840E325041592E5359532E4444463031A51DBF0C1A61184F07A0000000041010500A4D617374657263617264870101"

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestTLVDecodeField55(t *testing.T) {
	code, out, errOut := runCLI(t, "", "tlv", "decode", field55)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	objects := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(strings.TrimLeft(line, " "), "= ") {
			objects++
		}
	}
	if objects != 19 {
		t.Errorf("%d objects, want 19:\n%s", objects, out)
	}
	for _, want := range []string{
		"95 Terminal Verification Results [5] 8080008000\n  = offline data authentication was not performed\n  = ICC and terminal have different application versions\n  = transaction exceeds floor limit\n",
		"9F10 Issuer Application Data [7] 06010A03A4A810\n  = cryptogram version Visa CVN 10 (0A)\n",
		"9F27 Cryptogram Information Data [1] 80\n  = ARQC\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the decoding %q:\n%s", want, out)
		}
	}
	for _, want := range []string{
		"5F2A Transaction Currency Code [2] 0484",
		"9F26 Application Cryptogram [8] 2E078F5CEA112DAA",
		"9F10 Issuer Application Data [7] 06010A03A4A810",
		"9F1E Interface Device (IFD) Serial Number [8] \"6R653504\"",
		"9F53 Transaction Category Code (scheme) [1] 00",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTLVDecodeFCIFromStdin(t *testing.T) {
	// Spaced and split over lines, as copied from a trace.
	in := ppse[:30] + " \n " + ppse[30:] + "\n"
	code, out, errOut := runCLI(t, in, "tlv", "decode")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `6F File Control Information (FCI) Template [47]
  84 Dedicated File (DF) Name [14] 325041592E5359532E4444463031
  A5 File Control Information (FCI) Proprietary Template [29]
    BF0C File Control Information (FCI) Issuer Discretionary Data [26]
      61 Application Template [24]
        4F Application Identifier (AID) - card [7] A0000000041010
        50 Application Label [10] "Mastercard"
        87 Application Priority Indicator [1] 01
`
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
	code2, out2, _ := runCLI(t, ppse, "tlv", "decode", "-")
	if code2 != 0 || out2 != want {
		t.Errorf("with '-': exit %d, output:\n%s", code2, out2)
	}
}

func TestTLVDecodeMasksCardData(t *testing.T) {
	_, out, _ := runCLI(t, "", "tlv", "decode", record)
	for _, secret := range []string{"4761739001010119", "D22122011758928889", "455850495245442F43415244", "3137353839303936303030303030"} {
		if strings.Contains(out, secret) {
			t.Errorf("output shows %s:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "57 Track 2 Equivalent Data [17] 476173******0119D*****************") {
		t.Errorf("track 2 not masked as expected:\n%s", out)
	}
	if !strings.Contains(out, "5F20 Cardholder Name [12] <masked, 12 bytes>") {
		t.Errorf("name not masked:\n%s", out)
	}
	_, out, _ = runCLI(t, "", "tlv", "decode", "-reveal", record)
	if !strings.Contains(out, "4761739001010119D22122011758928889") {
		t.Errorf("-reveal did not show the test card's track 2:\n%s", out)
	}
}

func TestTLVDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"truncated", []string{"tlv", "decode", "8A0230309F0206000000"}, 1, "posflow: tlv decode: tlv: offset 4: tag 9F02: truncated input\n"},
		{"indefinite", []string{"tlv", "decode", "70809F020100"}, 1, "posflow: tlv decode: tlv: offset 0: tag 70: indefinite length\n"},
		{"bad hex", []string{"tlv", "decode", "9F02ZZ"}, 1, "posflow: tlv decode: invalid hex digit 'Z' at position 4\n"},
		{"odd hex", []string{"tlv", "decode", "9F0"}, 1, "posflow: tlv decode: odd number of hex digits (3)\n"},
		{"non-minimal", []string{"tlv", "decode", "5A8101AA"}, 1, "posflow: tlv decode: tlv: offset 0: tag 5A: non-minimal length\n"},
		{"no command", nil, 2, "usage: posflow"},
		{"unknown command", []string{"frobnicate"}, 2, `posflow: unknown command "frobnicate"`},
		{"tlv without decode", []string{"tlv"}, 2, "usage: posflow tlv decode"},
		{"bad flag", []string{"tlv", "decode", "-nope", "5A00"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, "", tt.args...)
		if code != tt.code || !strings.HasPrefix(errOut, tt.want) && !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d, %q", tt.name, code, errOut, tt.code, tt.want)
		}
		if code == 1 && (out != "" || strings.Count(errOut, "\n") != 1) {
			t.Errorf("%s: want one line on stderr and nothing on stdout, got %q / %q", tt.name, out, errOut)
		}
	}
	if code, _, _ := runCLI(t, "", "tlv", "decode", "-lenient", "5A8101AA"); code != 0 {
		t.Errorf("-lenient: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "tlv", "decode", "-ff", "FF5A01AAFF"); code != 0 {
		t.Errorf("-ff: exit %d", code)
	}
	if code, out, _ := runCLI(t, "", "help"); code != 0 || !strings.Contains(out, "tlv decode") {
		t.Errorf("help: exit %d, %q", code, out)
	}
	if code, _, errOut := runCLI(t, "  \n", "tlv", "decode"); code != 1 || errOut != "posflow: tlv decode: no input\n" {
		t.Errorf("empty stdin: exit %d, %q", code, errOut)
	}
}
