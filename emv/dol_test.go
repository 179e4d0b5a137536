package emv

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/posflow/posflow/tlv"
)

func TestParseDOL(t *testing.T) {
	// The CDOL1 of the test card record in testdata (openemv record-cdol).
	cdol1 := mustHex(t, "9F02069F03069F1A0295055F2A029A039C019F3704")
	got, err := ParseDOL(cdol1)
	if err != nil {
		t.Fatal(err)
	}
	want := []DOLEntry{{0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3}, {0x9C, 1}, {0x9F37, 4}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseDOL (-want +got):\n%s", diff)
	}
	if n, err := DOLLen(cdol1); err != nil || n != 29 {
		t.Errorf("DOLLen = %d, %v; want 29", n, err)
	}
	if got, err := ParseDOL(nil); got != nil || err != nil {
		t.Errorf("ParseDOL(empty) = %v, %v", got, err)
	}
}

func TestParseDOLErrors(t *testing.T) {
	tests := []struct{ hex, why string }{
		{"9F02", "tag without its length byte"},
		{"9F", "truncated tag"},
		{"9F8001", "0x80 as first subsequent tag byte"},
		{"0006", "00 is padding, not a tag"},
		{"DF8181818101", "five-byte tag"},
		{"9F0206 5F", "second tag truncated"},
	}
	for _, tt := range tests {
		if _, err := ParseDOL(mustHex(t, tt.hex)); !errors.Is(err, ErrDOL) {
			t.Errorf("ParseDOL(%s) = %v, want ErrDOL (%s)", tt.hex, err, tt.why)
		}
		if _, err := AppendDOLData(nil, mustHex(t, tt.hex), func(tlv.Tag) ([]byte, bool) { return nil, false }); !errors.Is(err, ErrDOL) {
			t.Errorf("AppendDOLData(%s) = %v, want ErrDOL", tt.hex, err)
		}
	}
}

// Each row checks one rule of EMV 4.4 Book 3 section 5.4.
func TestAppendDOLData(t *testing.T) {
	values := map[tlv.Tag][]byte{
		0x9F02: mustHex(t, "000000001234"),     // n 12
		0x5A:   mustHex(t, "4761739001010119"), // cn
		0x9F1E: []byte("12345678"),             // an 8
		0x95:   mustHex(t, "0000008000"),       // b 5
		0x9F01: mustHex(t, "123456"),           // n, 3 bytes given
		0xDF01: mustHex(t, "AABB"),             // unknown to the dictionary, known to the terminal
		0x70:   mustHex(t, "5A0112"),           // constructed
	}
	lookup := func(tag tlv.Tag) ([]byte, bool) { v, ok := values[tag]; return v, ok }
	tests := []struct {
		rule string
		dol  string
		want string
	}{
		{"n, exact length", "9F0206", "000000001234"},
		{"n, shorter entry keeps the rightmost bytes", "9F0204", "00001234"},
		{"n, longer entry pads 00 on the left", "9F0108", "0000000000123456"},
		{"cn, shorter entry keeps the leftmost bytes", "5A04", "47617390"},
		{"cn, longer entry pads FF on the right", "5A0A", "4761739001010119FFFF"},
		{"an, shorter entry keeps the leftmost bytes", "9F1E04", "31323334"},
		{"an, longer entry pads 00 on the right", "9F1E0A", "31323334353637380000"},
		{"b, longer entry pads 00 on the right", "9506", "000000800000"},
		{"b, shorter entry keeps the leftmost bytes", "9502", "0000"},
		{"absent value gives zeros", "9F3704", "00000000"},
		{"constructed tag gives zeros", "7003", "000000"},
		{"known to the terminal only: binary", "DF0103", "AABB00"},
		{"zero length", "9F0200", ""},
		{"several entries in order", "9F02069F1E025A02", "0000000012343132" + "4761"},
	}
	for _, tt := range tests {
		got, err := AppendDOLData([]byte{0xEE}, mustHex(t, tt.dol), lookup)
		if err != nil {
			t.Errorf("%s: %v", tt.rule, err)
			continue
		}
		if want := append([]byte{0xEE}, mustHex(t, tt.want)...); !bytes.Equal(got, want) {
			t.Errorf("%s: AppendDOLData(%s) = %X, want EE%s", tt.rule, tt.dol, got, tt.want)
		}
	}
}
