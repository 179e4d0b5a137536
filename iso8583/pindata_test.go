package iso8583

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestVariablePINDataWire checks field 52 on the wire, byte for byte, in
// the 1987 specs (fixed 8 bytes, no prefix) and in their VariablePINData
// variants (LL prefix counting bytes, 8 or 16 bytes).
func TestVariablePINDataWire(t *testing.T) {
	tdes := mustHex("8B5E2F1A9C3D4E70")
	aes := mustHex("4C8B5E2F1A9C3D4E70112233445566FF")
	tests := []struct {
		name  string
		spec  *Spec
		block []byte
		want  string // hexadecimal of the bytes of field 52 after the bitmap
	}{
		{"ascii 8 bytes", SpecASCII, tdes, hexOf("8B5E2F1A9C3D4E70")},
		{"ascii variant 8 bytes", SpecASCII.VariablePINData(), tdes, hexOf("08") + hexOf("8B5E2F1A9C3D4E70")},
		{"ascii variant 16 bytes", SpecASCII.VariablePINData(), aes, hexOf("16") + hexOf("4C8B5E2F1A9C3D4E70112233445566FF")},
		{"bcd 8 bytes", SpecBCD, tdes, "8B5E2F1A9C3D4E70"},
		{"bcd variant 8 bytes", SpecBCD.VariablePINData(), tdes, "08" + "8B5E2F1A9C3D4E70"},
		{"bcd variant 16 bytes", SpecBCD.VariablePINData(), aes, "16" + "4C8B5E2F1A9C3D4E70112233445566FF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMessage("0200")
			m.Set(52, tt.block)
			b, err := tt.spec.Pack(m)
			if err != nil {
				t.Fatalf("Pack: %v", err)
			}
			head := tt.spec.mti.wireLen(4) + 8
			if got := b[head:]; !bytes.Equal(got, mustHex(tt.want)) {
				t.Errorf("field 52 = %X, want %s", got, tt.want)
			}
			got, err := tt.spec.Unpack(b)
			if err != nil {
				t.Fatalf("Unpack(%X): %v", b, err)
			}
			if v, _ := got.Field(52); !bytes.Equal(v, tt.block) {
				t.Errorf("Unpack(%X) field 52 = %X, want %X", b, v, tt.block)
			}
			mm := newMoovMessage(tt.spec)
			if err := mm.Unpack(b); err != nil {
				t.Fatalf("moov Unpack(%X): %v", b, err)
			}
			if v, _ := mm.GetBytes(52); !bytes.Equal(v, tt.block) {
				t.Errorf("moov reads field 52 as %X, want %X", v, tt.block)
			}
		})
	}
	if SpecASCII.VariablePINData().VariablePINData() != SpecASCII.VariablePINData() {
		t.Error("VariablePINData of the variant is not the variant")
	}
	if SpecASCII.VariablePINData() == SpecASCII || SpecBCD.VariablePINData() == SpecBCD {
		t.Error("VariablePINData returned the 1987 spec")
	}
}

func hexOf(s string) string {
	const digits = "0123456789ABCDEF"
	var b []byte
	for i := range len(s) {
		b = append(b, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(b)
}

// TestVariablePINDataRejects checks that the variants take PIN data of 8
// or 16 bytes only, when packing and when unpacking, and that the 1987
// specs take 8 bytes only.
func TestVariablePINDataRejects(t *testing.T) {
	for _, s := range []*Spec{SpecASCII.VariablePINData(), SpecBCD.VariablePINData()} {
		for _, n := range []int{0, 1, 7, 9, 15, 17, 24} {
			m := NewMessage("0200")
			m.Set(52, make([]byte, n))
			if _, err := s.Pack(m); !errors.Is(err, ErrInvalidField) {
				t.Errorf("%s: Pack(field 52 of %d bytes) = %v, want ErrInvalidField", s.Name(), n, err)
			}
		}
	}
	tests := []struct {
		name string
		spec *Spec
		in   string
		want error
	}{
		// MTI 0200, bitmap with field 52 only (byte 7, 0x10).
		{"ascii length 07, not a multiple of 8", SpecASCII.VariablePINData(), hexOf("0200") + "0000000000001000" + hexOf("07") + hexOf("00112233445566"), ErrInvalidField},
		{"ascii length 00", SpecASCII.VariablePINData(), hexOf("0200") + "0000000000001000" + hexOf("00"), ErrInvalidField},
		{"ascii length 17, over 16", SpecASCII.VariablePINData(), hexOf("0200") + "0000000000001000" + hexOf("17") + hexOf("00112233445566778899AABBCCDDEEFF00"), ErrInvalidField},
		{"ascii 16 bytes cut short", SpecASCII.VariablePINData(), hexOf("0200") + "0000000000001000" + hexOf("16") + hexOf("00112233445566778899AABBCCDDEE"), ErrTruncated},
		{"ascii lower-case hexadecimal", SpecASCII.VariablePINData(), hexOf("0200") + "0000000000001000" + hexOf("08") + hexOf("0011223344556a77"), ErrInvalidField},
		{"bcd length 0x12", SpecBCD.VariablePINData(), "0200" + "0000000000001000" + "12" + "00112233445566778899AABBCCDDEEFF0011", ErrInvalidField},
		{"bcd length not BCD", SpecBCD.VariablePINData(), "0200" + "0000000000001000" + "0F" + "00112233445566778899AABBCCDDEE", ErrInvalidField},
		{"bcd 16 bytes cut short", SpecBCD.VariablePINData(), "0200" + "0000000000001000" + "16" + "00112233445566778899AABBCCDDEE", ErrTruncated},
		{"bcd 1987 spec reads a prefixed block as 8 bytes and trailing data", SpecBCD, "0200" + "0000000000001000" + "08" + "0011223344556677", ErrTrailingData},
	}
	for _, tt := range tests {
		in := mustHex(tt.in)
		if _, err := tt.spec.Unpack(in); !errors.Is(err, tt.want) {
			t.Errorf("%s: Unpack(%X) = %v, want %v", tt.name, in, err, tt.want)
		}
	}
	// The 1987 layout refuses a 16-byte block and says where to look; a
	// short block gets no such hint.
	for _, tt := range []struct {
		n    int
		hint bool
	}{{16, true}, {7, false}} {
		m := NewMessage("0200")
		m.Set(52, make([]byte, tt.n))
		_, err := SpecASCII.Pack(m)
		if !errors.Is(err, ErrInvalidField) || strings.Contains(err.Error(), "VariablePINData") != tt.hint {
			t.Errorf("SpecASCII.Pack(%d-byte field 52) = %v, want ErrInvalidField, hint %t", tt.n, err, tt.hint)
		}
	}
}

// TestPINBlockLength checks that the typed messages take a PIN block of 8
// or 16 bytes and refuse other lengths with a *FieldError naming field 52.
func TestPINBlockLength(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 12, 15, 16, 17, 24, 32} {
		tx := benchPurchase().Transaction
		tx.PINBlock = make([]byte, n)
		m, err := (&FinancialRequest{Transaction: tx}).Message()
		if n == PINBlockTDES || n == PINBlockAES {
			if err != nil {
				t.Errorf("FinancialRequest with a %d-byte PIN block: %v", n, err)
				continue
			}
			s := SpecASCII
			if n == PINBlockAES {
				s = SpecASCII.VariablePINData()
			}
			r, err := ReadFinancialRequest(overTheWire(t, s, m))
			if err != nil || len(r.PINBlock) != n {
				t.Errorf("ReadFinancialRequest: PIN block of %d bytes, %v; want %d", len(r.PINBlock), err, n)
			}
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != 52 || !errors.Is(err, ErrInvalidField) {
			t.Errorf("FinancialRequest with a %d-byte PIN block: error %v, want a *FieldError on field 52", n, err)
		}
		// A message built by hand is refused by the reader.
		raw := NewMessage(MTIFinancialRequest)
		for id, v := range m0(t).All() {
			raw.Set(id, v)
		}
		raw.Set(52, make([]byte, n))
		if _, err := ReadFinancialRequest(raw); !errors.As(err, &fe) || fe.Field != 52 {
			t.Errorf("ReadFinancialRequest with a %d-byte PIN block: error %v, want a *FieldError on field 52", n, err)
		}
	}
}

// m0 is a valid 0200 without a PIN block.
func m0(t *testing.T) *Message {
	tx := benchPurchase().Transaction
	tx.PINBlock = nil
	m, err := (&FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
