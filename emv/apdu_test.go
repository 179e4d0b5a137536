package emv

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestAppendCommand(t *testing.T) {
	tests := []struct {
		name string
		c    Command
		want string
	}{
		{"SELECT PSE (case 4)", Select([]byte("1PAY.SYS.DDF01"), false), "00A404000E315041592E5359532E444446303100"},
		{"SELECT next", Select(mustHex(t, "A0000000041010"), true), "00A4040207A000000004101000"},
		{"READ RECORD SFI 1 record 2 (case 2)", ReadRecord(1, 2), "00B2020C00"},
		{"GPO with empty PDOL", GetProcessingOptions(nil), "80A80000028300" + "00"},
		{"GET DATA ATC", GetData(0x9F36), "80CA9F3600"},
		{"GENERATE AC ARQC with CDA", GenerateAC(RequestARQC|RequestCDA, mustHex(t, "0102")), "80AE9000020102" + "00"},
		{"VERIFY plaintext (case 3)", Verify(PlaintextPIN, mustHex(t, "241234FFFFFFFFFF")), "0020008008241234FFFFFFFFFF"},
		{"GET CHALLENGE", GetChallenge(), "0084000000"},
		{"INTERNAL AUTHENTICATE", InternalAuthenticate(mustHex(t, "01020304")), "008800000401020304" + "00"},
		{"EXTERNAL AUTHENTICATE", ExternalAuthenticate(mustHex(t, "11223344556677883030")), "008200000A11223344556677883030"},
		{"case 1", Command{CLA: 0x80, INS: 0x01}, "80010000"},
		{"Le 255", Command{INS: 0xC0, Le: 255}, "00C00000FF"},
	}
	for _, tt := range tests {
		got, err := AppendCommand(nil, tt.c)
		if err != nil || !bytes.Equal(got, mustHex(t, tt.want)) {
			t.Errorf("%s: AppendCommand = %X, %v; want %s", tt.name, got, err, tt.want)
		}
	}
	for _, c := range []Command{{Data: make([]byte, 256)}, {Le: 257}, {Le: -1}} {
		if _, err := AppendCommand(nil, c); !errors.Is(err, ErrCommand) {
			t.Errorf("AppendCommand(%d data bytes, Le %d) = %v, want ErrCommand", len(c.Data), c.Le, err)
		}
	}
}

func TestStatusWord(t *testing.T) {
	tests := []struct {
		sw      StatusWord
		err     string
		warning bool
	}{
		{0x9000, "emv: status 9000 (success)", false},
		{0x6A82, "emv: status 6A82 (file or application not found)", false},
		{0x6283, "emv: status 6283 (selected file invalidated)", true},
		{0x63C2, "emv: status 63C2 (verification failed, 2 tries left)", true},
		{0x6110, "emv: status 6110 (16 bytes available)", false},
		{0x6C00, "emv: status 6C00 (wrong Le, 256 bytes available)", false},
		{0x6F00, "emv: status 6F00", false},
	}
	for _, tt := range tests {
		if got := tt.sw.Error(); got != tt.err {
			t.Errorf("%v.Error() = %q, want %q", tt.sw, got, tt.err)
		}
		if tt.sw.Warning() != tt.warning {
			t.Errorf("%v.Warning() = %v", tt.sw, !tt.warning)
		}
	}
	var err error = SWFileNotFound
	if !errors.Is(fmt.Errorf("select: %w", err), SWFileNotFound) {
		t.Error("a status word does not work with errors.Is")
	}
}

func TestParseResponse(t *testing.T) {
	r, err := ParseResponse(mustHex(t, "6F009000"))
	if err != nil || r.SW != SWSuccess || !bytes.Equal(r.Data, mustHex(t, "6F00")) {
		t.Errorf("ParseResponse = %+v, %v", r, err)
	}
	for _, b := range [][]byte{nil, {0x90}} {
		if _, err := ParseResponse(b); !errors.Is(err, ErrResponse) {
			t.Errorf("ParseResponse(%X) = %v, want ErrResponse", b, err)
		}
	}
}
