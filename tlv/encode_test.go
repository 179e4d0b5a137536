package tlv

import (
	"bytes"
	"errors"
	"testing"
)

func TestEncode(t *testing.T) {
	fci := TLV{Tag: 0x6F, Children: []TLV{
		{Tag: 0x84, Value: []byte("1PAY.SYS.DDF01")},
		{Tag: 0xA5, Children: []TLV{
			{Tag: 0x88, Value: []byte{0x01}},
			{Tag: 0x5F2D, Value: []byte("nlen")},
			{Tag: 0x9F11, Value: []byte{0x01}},
		}},
	}}
	// The PSE FCI of testdata/vectors.json, fci-pse.
	want := mustHex(t, "6F20840E315041592E5359532E4444463031A50E8801015F2D046E6C656E9F110101")
	got, err := Encode(fci)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("Encode(fci) = %X, %v; want %X", got, err, want)
	}
	prefix := []byte{0xDE, 0xAD}
	got, err = AppendEncode(prefix, fci)
	if err != nil || !bytes.Equal(got, append([]byte{0xDE, 0xAD}, want...)) {
		t.Errorf("AppendEncode = %X, %v", got, err)
	}
	// A constructed object without Children is written from Value.
	raw := TLV{Tag: 0x70, Value: mustHex(t, "5A0112")}
	if got, err := Encode(raw); err != nil || !bytes.Equal(got, mustHex(t, "70035A0112")) {
		t.Errorf("Encode(raw constructed) = %X, %v", got, err)
	}
	if got, err := Encode(); err != nil || len(got) != 0 {
		t.Errorf("Encode() = %X, %v", got, err)
	}
}

func TestEncodeErrors(t *testing.T) {
	big := make([]byte, MaxLength+1)
	cycle := make([]TLV, 1)
	cycle[0] = TLV{Tag: 0x70, Children: cycle}
	tests := []struct {
		name string
		tlv  TLV
		want error
	}{
		{"zero tag", TLV{Tag: 0}, ErrInvalidTag},
		{"bad subsequent byte", TLV{Tag: 0x9F80}, ErrInvalidTag},
		{"tag too short", TLV{Tag: 0x9F}, ErrInvalidTag},
		{"children under primitive", TLV{Tag: 0x5A, Children: []TLV{{Tag: 0x5A}}}, ErrPrimitiveChildren},
		{"bad child tag", TLV{Tag: 0x70, Children: []TLV{{Tag: 0x1F}}}, ErrInvalidTag},
		{"value too long", TLV{Tag: 0x71, Value: big}, ErrLengthTooLarge},
		{"children too long", TLV{Tag: 0x70, Children: []TLV{{Tag: 0x71, Value: big[:MaxLength-4]}, {Tag: 0x72, Value: big[:10]}}}, ErrLengthTooLarge},
		{"cycle", cycle[0], ErrTooDeep},
	}
	for _, tt := range tests {
		if got, err := Encode(tt.tlv); !errors.Is(err, tt.want) {
			t.Errorf("%s: Encode = %d bytes, %v; want %v", tt.name, len(got), err, tt.want)
		}
		dst := []byte{1}
		if got, err := AppendEncode(dst, tt.tlv); err == nil || len(got) != 1 {
			t.Errorf("%s: AppendEncode changed dst on error", tt.name)
		}
	}
	if _, err := AppendTLV(nil, 0x9F80, nil); !errors.Is(err, ErrInvalidTag) {
		t.Errorf("AppendTLV(bad tag) = %v", err)
	}
	if _, err := AppendTLV(nil, 0x71, big); !errors.Is(err, ErrLengthTooLarge) {
		t.Errorf("AppendTLV(big) = %v", err)
	}
}

func TestAppendLength(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "00"}, {0x7F, "7F"}, {0x80, "8180"}, {0xFF, "81FF"}, {0x100, "820100"},
		{0xFFFF, "82FFFF"}, {0x10000, "83010000"}, {MaxLength, "83FFFFFF"},
	}
	for _, tt := range tests {
		if got := AppendLength(nil, tt.n); !bytes.Equal(got, mustHex(t, tt.want)) {
			t.Errorf("AppendLength(%d) = %X, want %s", tt.n, got, tt.want)
		}
	}
	for _, n := range []int{-1, MaxLength + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AppendLength(%d) did not panic", n)
				}
			}()
			AppendLength(nil, n)
		}()
	}
}
