package qr

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/posflow/posflow/tlv"
)

type cpmVector struct {
	Name   string `json:"name"`
	Base64 string `json:"base64"`
	Source string `json:"source"`
}

func loadCPMVectors(t testing.TB) []cpmVector {
	t.Helper()
	b, err := os.ReadFile("testdata/cpm.json")
	if err != nil {
		t.Fatal(err)
	}
	var v []cpmVector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCPMVectors(t *testing.T) {
	for _, v := range loadCPMVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			c, err := ParseCPM(v.Base64)
			if err != nil {
				t.Fatalf("ParseCPM(%q) = %v", v.Base64, err)
			}
			got, err := c.Encode()
			if err != nil || got != v.Base64 {
				t.Errorf("Encode() = %q, %v, want %q", got, err, v.Base64)
			}
			bin, err := c.AppendBinary(nil)
			if err != nil || !bytes.Equal(bin, c.Raw) {
				t.Errorf("AppendBinary = %x, %v, want %x", bin, err, c.Raw)
			}
		})
	}
}

// TestCPMEMVCoExample checks the card-like view of the EMVCo example.
func TestCPMEMVCoExample(t *testing.T) {
	c, err := ParseCPM(loadCPMVectors(t)[0].Base64)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Applications) != 2 {
		t.Fatalf("%d applications, want 2", len(c.Applications))
	}
	want := []map[tlv.Tag]string{
		{
			0x4F: "a0000000555555", 0x50: hex.EncodeToString([]byte("Product1")),
			0x5A: "1234567890123458", 0x5F20: hex.EncodeToString([]byte("CARDHOLDER/EMV")),
			0x5F2D: hex.EncodeToString([]byte("ruesdeen")),
			0x9F10: "06010a03000000", 0x9F26: "584fd385fa234bcc", 0x9F36: "0001", 0x9F37: "6d58ef13",
		},
		{0x4F: "a0000000666666", 0x50: hex.EncodeToString([]byte("Product2"))},
	}
	for i, w := range want {
		d := c.Data(i)
		for tag, v := range w {
			if got := hex.EncodeToString(d[tag]); got != v {
				t.Errorf("Data(%d)[%s] = %s, want %s", i, tag, got, v)
			}
		}
		if i == 0 && len(d) != len(w) {
			t.Errorf("Data(0) has %d tags, want %d", len(d), len(w))
		}
	}
	if c.Data(2) != nil || c.Data(-1) != nil {
		t.Error("Data out of range is not nil")
	}
}

func TestCPMBuild(t *testing.T) {
	c := &CPM{
		Applications: [][]tlv.TLV{{
			{Tag: 0x4F, Value: []byte{0xA0, 0, 0, 0, 0x03, 0x10, 0x10}},
			{Tag: 0x50, Value: []byte("VISA")},
			{Tag: 0x63, Children: []tlv.TLV{{Tag: 0x9F26, Value: make([]byte, 8)}}},
		}},
	}
	s, err := c.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseCPM(s)
	if err != nil {
		t.Fatalf("ParseCPM(Encode()) = %v", err)
	}
	if back.Common != nil || len(back.Applications) != 1 || len(back.Data(0)) != 3 {
		t.Errorf("round trip = %+v", back)
	}
}

func TestCPMErrors(t *testing.T) {
	enc := func(h string) string {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	const pfi = "85054350563031"
	app := "6109" + "4f07a0000000031010"
	tests := []struct {
		name, in string
		err      error
		why      string
	}{
		{"empty", "", ErrOrder, "no payload format indicator"},
		{"not base64", "hQVDUFYwMWE*", ErrBase64, "* is not in the alphabet"},
		{"line break", "hQVD\nUFYw", ErrBase64, "encoding/base64 would skip it"},
		{"bad padding bits", "hQVDUFYwMR==", ErrBase64, "non-zero padding bits"},
		{"wrong version", enc("85054350563032" + app), ErrFormat, "CPV02"},
		{"85 not first", enc(app + "85054350563031"), ErrOrder, "application before the indicator"},
		{"no application", enc(pfi), ErrMissing, "61 is mandatory"},
		{"no ADF name", enc(pfi + "6106500456495341"), ErrMissing, "4F is mandatory in 61"},
		{"unknown top-level tag", enc(pfi + app + "9f370400000000"), ErrUnexpected, "9F37 outside a template"},
		{"two 62", enc(pfi + app + "6200" + "6200"), ErrDuplicate, "one common data template"},
		{"61 after 62", enc(pfi + "6200" + app), ErrOrder, "common data comes last"},
		{"two 63", enc(pfi + "610d4f07a0000000031010" + "6300" + "6300"), ErrDuplicate, "one transparent template"},
		{"padding", enc(pfi + "00" + app), ErrNonCanonical, "00 padding would not round-trip"},
		{"nested template in 63", enc(pfi + "610f4f07a0000000031010" + "6304" + "61025000"), ErrUnexpected, "63 holds primitives only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			_, err := ParseCPM(in)
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseCPM(%q) = %v, want %v (%s)", in, err, tt.err, tt.why)
			}
		})
	}
	// Malformed BER-TLV surfaces the tlv package's error.
	_, err := ParseCPM(enc(pfi + "61094f07a0"))
	var se *tlv.SyntaxError
	if !errors.As(err, &se) || !errors.Is(err, tlv.ErrTruncated) {
		t.Errorf("truncated template: %v, want a *tlv.SyntaxError", err)
	}
}
