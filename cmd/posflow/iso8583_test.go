package main

import (
	"strings"
	"testing"
)

// TestISO8583PIN16 packs and unpacks a 16-byte AES PIN block with the
// variable field 52 layouts, which the default layouts refuse.
func TestISO8583PIN16(t *testing.T) {
	const msg = `{"mti": "0200", "fields": {"2": "4012345678909", "3": "000000", "4": "000000001000", "11": "000001", "52": "00112233445566778899AABBCCDDEEFF"}}`
	for _, spec := range []string{"ascii-pin16", "bcd-pin16"} {
		code, packed, stderr := runCLI(t, msg, "iso8583", "encode", "-spec", spec, "-reveal")
		if code != 0 {
			t.Fatalf("%s: encode exit %d: %s", spec, code, stderr)
		}
		code, out, stderr := runCLI(t, strings.TrimSpace(packed), "iso8583", "decode", "-spec", spec, "-reveal")
		if code != 0 || !strings.Contains(out, "00112233445566778899AABBCCDDEEFF") {
			t.Errorf("%s: decode exit %d:\n%s%s", spec, code, out, stderr)
		}
	}
	if code, out, _ := runCLI(t, msg, "iso8583", "encode", "-spec", "ascii", "-reveal"); code == 0 {
		t.Errorf("the fixed layout packed a 16-byte PIN block:\n%s", out)
	}
}
