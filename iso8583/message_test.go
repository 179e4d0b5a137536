package iso8583

import (
	"bytes"
	"slices"
	"testing"
)

func TestMessageFields(t *testing.T) {
	m := NewMessage(MTIFinancialRequest)
	for _, id := range []int{41, 3, 55, 2, 128, 3} { // out of order, 3 twice
		m.SetString(id, "v"+string(rune('0'+id%10)))
	}
	var ids []int
	for id := range m.All() {
		ids = append(ids, id)
	}
	if !slices.Equal(ids, []int{2, 3, 41, 55, 128}) || m.Len() != 5 {
		t.Errorf("fields %v, want [2 3 41 55 128]", ids)
	}
	m.Unset(55)
	if m.Has(55) || m.Text(55) != "" || m.Len() != 4 {
		t.Error("Unset(55) left the field")
	}
	m.Set(4, nil)
	if v, ok := m.Field(4); !ok || v == nil || len(v) != 0 {
		t.Errorf("Set(4, nil): Field = %q, %v; want present and empty", v, ok)
	}
	c := m.Clone()
	c.SetString(2, "changed")
	if m.Text(2) == "changed" {
		t.Error("Clone shares values")
	}
}

func TestRawField(t *testing.T) {
	m := testPurchase("000123", "TERM0001")
	raw, _ := SpecBCD.Pack(m)
	got, err := SpecBCD.Unpack(raw)
	if err != nil {
		t.Fatal(err)
	}
	// Field 35 in BCD: one length byte 37, then 19 bytes of nibbles.
	rf := got.RawField(35)
	if len(rf) != 20 || rf[0] != 0x37 || !bytes.Contains(raw, rf) {
		t.Errorf("RawField(35) = %X", rf)
	}
	if got.RawField(64) != nil {
		t.Error("RawField of an absent field")
	}
	got.SetString(41, "TERM0002")
	if got.Raw() != nil || got.RawField(35) != nil {
		t.Error("Raw kept after a change")
	}
}

func TestPackRejects(t *testing.T) {
	tests := []struct {
		name string
		id   int
		v    string
	}{
		{"fixed field too short", 3, "00000"},
		{"fixed field too long", 11, "0000001"},
		{"variable field too long", 2, "12345678901234567890"},
		{"letter in numeric field", 4, "00000000100A"},
		{"letter in track 2", 35, "4761739001010119D2912"},
		{"control character in ans", 43, "SHOP\n" + "                                   "},
		{"undefined field", 5, "000000000100"},
		{"x+n without sign", 97, "00000000000000000"},
	}
	for _, s := range []*Spec{SpecASCII, SpecBCD} {
		for _, tt := range tests {
			m := NewMessage(MTIFinancialRequest)
			m.SetString(tt.id, tt.v)
			if b, err := s.Pack(m); err == nil {
				t.Errorf("%s: %s: Pack = %X, want an error", s.Name(), tt.name, b)
			}
		}
		if _, err := s.Pack(NewMessage("02")); err == nil {
			t.Errorf("%s: Pack accepted a 2-digit MTI", s.Name())
		}
	}
}

func TestBCDUnpackRejectsNonCanonical(t *testing.T) {
	m := NewMessage("0800")
	m.SetString(11, "000001")
	m.SetString(2, "4761739001010") // 13 digits: a trailing pad nibble
	m.SetString(22, "051")          // 3 digits: a leading pad nibble
	good, err := SpecBCD.Pack(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SpecBCD.Unpack(good); err != nil {
		t.Fatal(err)
	}
	// Offsets: MTI 2, bitmap 8, field 2 = 1 + 7 bytes, field 11 = 3 bytes,
	// field 22 = 2 bytes.
	for _, tt := range []struct {
		name string
		pos  int
		val  byte
	}{
		{"pad nibble of odd PAN not 0", 2 + 8 + 7, 0x0F},
		{"length prefix not BCD", 2 + 8, 0x1A},
		{"digit nibble over 9", 2 + 8 + 1, 0xA7},
		{"leading pad nibble of n3 not 0", 2 + 8 + 8 + 3, 0x10},
		{"MTI nibble over 9", 0, 0x0A},
	} {
		b := bytes.Clone(good)
		b[tt.pos] |= tt.val
		if _, err := SpecBCD.Unpack(b); err == nil {
			t.Errorf("%s: Unpack(%X) accepted it", tt.name, b)
		}
	}
}
