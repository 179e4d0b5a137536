package qr

import (
	"bytes"
	"testing"
)

// FuzzParseMPM checks that no input makes the merchant-presented parser or
// the cursor panic, that what parses strictly is rebuilt byte for byte,
// and that no strict prefix of a valid payload parses.
func FuzzParseMPM(f *testing.F) {
	for _, v := range loadMPMVectors(f) {
		f.Add(v.Payload)
	}
	f.Add(withCRC(pfi + poi + account + rest + obj("55", "02") + obj("56", "1.00")))
	f.Add(withCRC(pfi + poi + account + rest + obj("62", obj("50", obj("00", "X")+obj("01", "Y")))))
	f.Add("00A201")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		checkMPM(t, in)
		// Random changes almost always break the CRC; check the input
		// again with its CRC mended, so that the rules behind it are
		// reached too.
		if n := len(in); n >= 8 && in[n-8:n-4] == "6304" {
			checkMPM(t, in[:n-4]+hex4(CRCString(in[:n-4])))
		}
	})
}

// checkMPM parses in strictly and leniently and checks what parses.
func checkMPM(t *testing.T, in string) {
	t.Helper()
	walk(in)
	lenient := Options{Lenient: true}
	lm, lerr := lenient.ParseMPM(in)
	m, err := ParseMPM(in)
	if err == nil && lerr != nil {
		t.Fatalf("strict ParseMPM accepts %q, lenient refuses: %v", in, lerr)
	}
	if lerr == nil {
		if _, err := lenient.AppendMPM(nil, lm); err != nil {
			t.Fatalf("lenient AppendMPM of a lenient parse of %q = %v", in, err)
		}
	}
	if err != nil {
		return
	}
	out, err := m.AppendPayload(nil)
	if err != nil {
		t.Fatalf("AppendPayload of %q = %v", in, err)
	}
	if string(out) != in {
		t.Fatalf("round trip of %q gave %q", in, out)
	}
	if _, err := ParseMPM(in[:len(in)-1]); err == nil {
		t.Fatalf("ParseMPM accepts %q without its last byte", in)
	}
}

// FuzzParseCPM checks that no input makes the consumer-presented decoder
// panic, as Base64 text or as binary, and that what parses is rebuilt byte
// for byte.
func FuzzParseCPM(f *testing.F) {
	for _, v := range loadCPMVectors(f) {
		f.Add(v.Base64)
	}
	f.Add("hQVDUFYwMWEJTwegAAAAAxAQ")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		if c, err := DecodeCPM([]byte(in)); err == nil {
			out, err := c.AppendBinary(nil)
			if err != nil || !bytes.Equal(out, []byte(in)) {
				t.Fatalf("binary round trip of %x gave %x, %v", in, out, err)
			}
			for i := range c.Applications {
				c.Data(i)
			}
		}
		c, err := ParseCPM(in)
		if err != nil {
			return
		}
		out, err := c.Encode()
		if err != nil || out != in {
			t.Fatalf("round trip of %q gave %q, %v", in, out, err)
		}
	})
}
