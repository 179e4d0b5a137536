package iso8583

import (
	"bytes"
	"errors"
	moov "github.com/moov-io/iso8583"
	"strings"
	"testing"
)

// sampleValue returns a value of the maximum length, or of len 7 for
// variable fields, in the field's class.
func sampleValue(c *codec, n int) []byte {
	switch c.class {
	case classB:
		v := make([]byte, n)
		for i := range v {
			v[i] = byte(0xA0 + i)
		}
		return v
	case classZ:
		v := []byte(strings.Repeat("4", n))
		if n > 3 {
			v[n/2] = '='
		}
		return v
	case classXN:
		return append([]byte("D"), bytes.Repeat([]byte("9"), n-1)...)
	case classN:
		return []byte(strings.Repeat("1234567890", 20)[:n])
	case classAN:
		return []byte(strings.Repeat("AB 1cd", 40)[:n])
	}
	return []byte(strings.Repeat("A-z ~!/", 200)[:n])
}

// TestSpecRoundTripEveryField packs and unpacks every field of both specs
// and their VariablePINData variants, alone, at its full length and, for
// variable fields, at an odd length and at zero length (for field 52 of
// the variants, at 8 bytes).
func TestSpecRoundTripEveryField(t *testing.T) {
	for _, s := range []*Spec{SpecASCII, SpecBCD, SpecASCII.VariablePINData(), SpecBCD.VariablePINData()} {
		for id, c := range s.fields {
			if c == nil {
				continue
			}
			lens := []int{c.max}
			switch {
			case c.step != 0:
				lens = append(lens, c.step)
			case c.digits != 0:
				lens = append(lens, 7, 0)
			}
			for _, n := range lens {
				if c.class == classXN && n == 0 {
					continue
				}
				m := NewMessage("0200")
				v := sampleValue(c, n)
				m.Set(id, v)
				b, err := s.Pack(m)
				if err != nil {
					t.Errorf("%s: Pack(field %d, len %d): %v", s.Name(), id, n, err)
					continue
				}
				got, err := s.Unpack(b)
				if err != nil {
					t.Errorf("%s: Unpack(field %d, len %d, %X): %v", s.Name(), id, n, b, err)
					continue
				}
				if gv, _ := got.Field(id); !bytes.Equal(gv, v) || got.Len() != 1 || got.MTI != "0200" {
					t.Errorf("%s: field %d round trip = %q, want %q", s.Name(), id, gv, v)
				}
				if !bytes.Equal(got.Raw(), b) {
					t.Errorf("%s: field %d Raw differs", s.Name(), id)
				}
				// Moov's Message with the same spec reads the same bytes.
				mm := newMoovMessage(s)
				if err := mm.Unpack(b); err != nil {
					t.Errorf("%s: moov Unpack(field %d): %v", s.Name(), id, err)
					continue
				}
				if mv, _ := mm.GetBytes(id); !bytes.Equal(mv, v) && !(len(mv) == 0 && len(v) == 0) {
					t.Errorf("%s: moov reads field %d as %q, want %q", s.Name(), id, mv, v)
				}
			}
		}
	}
}

func TestUnpackRejects(t *testing.T) {
	ok := NewMessage("0800")
	ok.SetString(11, "000001")
	ok.SetString(70, "301")
	good, err := SpecASCII.Pack(ok)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"mti only", good[:4], ErrTruncated},
		{"non-digit mti", append([]byte("08A0"), good[4:]...), ErrInvalidMTI},
		{"trailing byte", append(append([]byte{}, good...), '0'), ErrTrailingData},
		{"truncated last field", good[:len(good)-1], ErrTruncated},
		{"field 65 undefined", func() []byte {
			b := append([]byte{}, good...)
			b[12] |= 0x80 // field 65 in the secondary bitmap
			return b
		}(), ErrUnknownField},
		{"non-digit in n field", append(append([]byte{}, good[:len(good)-1]...), 'X'), ErrInvalidField},
	}
	for _, tt := range tests {
		_, err := SpecASCII.Unpack(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Unpack(%X) = %v, want %v", tt.name, tt.in, err, tt.want)
		}
	}
}
func newMoovMessage(s *Spec) *moov.Message { return moov.NewMessage(s.Moov()) }

// TestUnpackValuesAreCopies checks the contract of Unpack: the message
// keeps data as its Raw bytes, its values are copies (changing data
// later does not change them), appending to one value does not write
// over another, and an empty value is present and nil, as moov's
// decoders return it (so that a typed read takes an empty field 55 for
// absent chip data, as before).
func TestUnpackValuesAreCopies(t *testing.T) {
	for _, s := range allSpecs {
		m := testPurchase("000123", "TERM0001")
		m.Set(55, []byte{})
		m.SetString(48, "")
		data, err := s.Pack(m)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.Unpack(data)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(u.Raw(), data) || &u.Raw()[0] != &data[0] {
			t.Errorf("%s: Raw is not data", s.Name())
		}
		want := u.Clone()
		for _, v := range u.All() {
			_ = append(v, bytes.Repeat([]byte{'X'}, 64)...)
		}
		for i := range data {
			data[i] = 0xFF
		}
		for id, v := range u.All() {
			if w, _ := want.Field(id); !bytes.Equal(v, w) {
				t.Errorf("%s: field %d = %q after changing data and other fields, want %q", s.Name(), id, v, w)
			}
		}
		for _, id := range []int{48, 55} {
			if v, ok := u.Field(id); !ok || v != nil {
				t.Errorf("%s: empty field %d = %v, %v; want nil, true", s.Name(), id, v, ok)
			}
		}
	}
}
