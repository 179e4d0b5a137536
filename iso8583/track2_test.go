package iso8583

import (
	"bytes"
	"testing"
)

func TestTrack2Nibbles(t *testing.T) {
	var enc track2Nibbles
	for _, tt := range []struct {
		text string
		wire []byte
	}{
		{"4761739001010119=2912201", []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19, 0xD2, 0x91, 0x22, 0x01}},
		{"12=3", []byte{0x12, 0xD3}},
		{"1", []byte{0x1F}},
		{"", []byte{}},
	} {
		w, err := enc.Encode([]byte(tt.text))
		if err != nil || !bytes.Equal(w, tt.wire) {
			t.Errorf("Encode(%q) = %X, %v; want %X", tt.text, w, err, tt.wire)
		}
		v, n, err := enc.Decode(tt.wire, len(tt.text))
		if err != nil || string(v) != tt.text || n != len(tt.wire) {
			t.Errorf("Decode(%X) = %q, %d, %v; want %q", tt.wire, v, n, err, tt.text)
		}
	}
	for _, tt := range []struct {
		name string
		wire []byte
		n    int
	}{
		{"nibble A", []byte{0x1A}, 2},
		{"pad nibble 0 instead of F", []byte{0x10}, 1},
		{"short input", []byte{0x12}, 4},
		{"negative length", []byte{0x12}, -1},
	} {
		if v, _, err := enc.Decode(tt.wire, tt.n); err == nil {
			t.Errorf("%s: Decode(%X, %d) = %q, want an error", tt.name, tt.wire, tt.n, v)
		}
	}
	if _, err := enc.Encode([]byte("12D4")); err == nil {
		t.Error("Encode accepted the letter D; the separator is '='")
	}
}
