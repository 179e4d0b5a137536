package tlv

import (
	"errors"
	"testing"
)

func TestTag(t *testing.T) {
	tests := []struct {
		tag         Tag
		str         string
		n           int
		class       Class
		constructed bool
		valid       bool
	}{
		{0x5A, "5A", 1, Application, false, true},
		{0x70, "70", 1, Application, true, true},
		{0x82, "82", 1, ContextSpecific, false, true},
		{0xA5, "A5", 1, ContextSpecific, true, true},
		{0x9F26, "9F26", 2, ContextSpecific, false, true},
		{0x5F2A, "5F2A", 2, Application, false, true},
		{0xBF0C, "BF0C", 2, ContextSpecific, true, true},
		{0xFF35, "FF35", 2, Private, true, true},
		{0xDF8101, "DF8101", 3, Private, false, true},
		{0xDF818102, "DF818102", 4, Private, false, true},
		{0x01, "01", 1, Universal, false, true},
		{0x9F80, "9F80", 2, ContextSpecific, false, false},    // 80 as first subsequent byte
		{0x9F00, "9F00", 2, ContextSpecific, false, false},    // 00 as first subsequent byte
		{0x9F8101, "9F8101", 3, ContextSpecific, false, true}, // 81 then final 01
		{0x9F81, "9F81", 2, ContextSpecific, false, false},    // announces a byte that is missing
		{0x5A01, "5A01", 2, Application, false, false},        // 5A is a one-byte tag
		{0xDF81818101 & 0xFFFFFFFF, "81818101", 4, ContextSpecific, false, false},
		{0, "00", 1, Universal, false, false},
	}
	for _, tt := range tests {
		if got := tt.tag.String(); got != tt.str {
			t.Errorf("Tag(%#x).String() = %q, want %q", uint32(tt.tag), got, tt.str)
		}
		if got := tt.tag.Len(); got != tt.n {
			t.Errorf("Tag(%s).Len() = %d, want %d", tt.str, got, tt.n)
		}
		if got := tt.tag.Class(); got != tt.class {
			t.Errorf("Tag(%s).Class() = %v, want %v", tt.str, got, tt.class)
		}
		if got := tt.tag.Constructed(); got != tt.constructed {
			t.Errorf("Tag(%s).Constructed() = %v, want %v", tt.str, got, tt.constructed)
		}
		if got := tt.tag.Valid(); got != tt.valid {
			t.Errorf("Tag(%s).Valid() = %v, want %v", tt.str, got, tt.valid)
		}
		if tt.valid {
			p, err := ParseTag(tt.str)
			if err != nil || p != tt.tag {
				t.Errorf("ParseTag(%q) = %v, %v", tt.str, p, err)
			}
		}
	}
	if Private.String() != "private" || Class(7).String() != "Class(7)" {
		t.Error("Class.String")
	}
}

func TestParseTagErrors(t *testing.T) {
	for _, s := range []string{"", "9", "9F2", "9G26", "9F80", "5A01", "DF81818181", "00"} {
		if tag, err := ParseTag(s); err == nil {
			t.Errorf("ParseTag(%q) = %v, want error", s, tag)
		}
	}
	if _, err := ParseTag("9F80"); !errors.Is(err, ErrInvalidTag) {
		t.Errorf("ParseTag(9F80) error = %v, want ErrInvalidTag", err)
	}
	if tag, err := ParseTag("bf0c"); err != nil || tag != 0xBF0C {
		t.Errorf("ParseTag(bf0c) = %v, %v", tag, err)
	}
}
