package dukpt

import (
	"errors"
	"testing"
)

func TestKSNCounter(t *testing.T) {
	k := KSN{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xEF, 0xF8, 0x00}
	if c := k.Counter(); c != 0x0FF800 {
		t.Errorf("Counter() = %X, want FF800", c)
	}
	if got := k.Initial().String(); got != "FFFF9876543210E00000" {
		t.Errorf("Initial() = %s", got)
	}
	if got := k.WithCounter(0x1FFFFF).String(); got != "FFFF9876543210FFFFFF" {
		t.Errorf("WithCounter(1FFFFF) = %s", got)
	}
	if got := k.WithCounter(0xFFE00001).Counter(); got != 1 {
		t.Errorf("WithCounter keeps bits above 21: counter %X", got)
	}
	a := AESKSN{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56, 0x00, 0x01, 0xFF, 0xFF}
	if c := a.Counter(); c != 0x1FFFF {
		t.Errorf("AES Counter() = %X", c)
	}
	if id := a.InitialKeyID(); id != [8]byte{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56} {
		t.Errorf("InitialKeyID() = %X", id)
	}
	if a.Initial().Counter() != 0 || a.derivationID() != 0x90123456 {
		t.Errorf("Initial or derivationID wrong")
	}
}

// TestKSNNextRollover checks KSN.Next against the rollover sequence of
// X9.24-1:2009 A.4.3, which lists consecutive device KSNs across counters
// with ten one-bits.
func TestKSNNextRollover(t *testing.T) {
	v := loadTDES(t)
	seq := v.Sequences[1].Vectors
	k := KSN(seq[0].KSN)
	for _, x := range seq[1:] {
		n, err := k.Next()
		if err != nil || n != KSN(x.KSN) {
			t.Fatalf("%v.Next() = %v, %v, want %v", k, n, err, x.KSN)
		}
		k = n
	}
}

func TestKSNValid(t *testing.T) {
	tests := []struct {
		c    uint32
		want error
	}{
		{0, ErrCounterZero},
		{1, nil},
		{0x1FF800, nil},               // ten one-bits
		{0x1FFC00, ErrCounterInvalid}, // eleven
		{0x1FFFFF, ErrCounterInvalid},
	}
	for _, tt := range tests {
		err := KSN{}.WithCounter(tt.c).Valid()
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("Valid() for counter %X = %v, want %v", tt.c, err, tt.want)
		}
	}
	aes := []struct {
		c    uint32
		want error
	}{
		{0, ErrCounterZero},
		{0xFFFF0000, nil},
		{0x1FFFF, ErrCounterInvalid}, // the supplement's 17-bit counter
		{0xFFFFFFFF, ErrCounterInvalid},
	}
	for _, tt := range aes {
		err := AESKSN{}.WithCounter(tt.c).Valid()
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("AES Valid() for counter %X = %v, want %v", tt.c, err, tt.want)
		}
	}
}

func TestKSNNext(t *testing.T) {
	tests := []struct {
		c, want uint32
		err     error
	}{
		{0, 1, nil},
		{0x0FFC00, 0x100000, nil}, // A.4.3: EFFC00 is followed by F00000
		{0x1FF800, 0, ErrExhausted},
		{0x1FFFFF, 0, ErrExhausted}, // an invalid counter: nothing valid above
		{0x0FFFFF, 0x100000, nil},   // an invalid counter: skip to the next valid
	}
	for _, tt := range tests {
		n, err := KSN{}.WithCounter(tt.c).Next()
		if !errors.Is(err, tt.err) || (tt.err == nil && n.Counter() != tt.want) {
			t.Errorf("Next() of counter %X = %X, %v, want %X, %v", tt.c, n.Counter(), err, tt.want, tt.err)
		}
	}
	aes := []struct {
		c, want uint32
		err     error
	}{
		{0, 1, nil},
		{0x1FFFE, 0x20000, nil}, // the supplement's counters around 1FFFFh
		{0xFFFE8000, 0xFFFF0000, nil},
		{0xFFFF0000, 0, ErrExhausted},
	}
	for _, tt := range aes {
		n, err := AESKSN{}.WithCounter(tt.c).Next()
		if !errors.Is(err, tt.err) || (tt.err == nil && n.Counter() != tt.want) {
			t.Errorf("AES Next() of counter %X = %X, %v, want %X, %v", tt.c, n.Counter(), err, tt.want, tt.err)
		}
	}
}

func TestParseKSNErrors(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"9 bytes (truncated)", make([]byte, 9)},
		{"11 bytes (trailing byte)", make([]byte, 11)},
		{"8 bytes (a KSN without its counter bytes)", make([]byte, 8)},
	}
	for _, tt := range tests {
		_, err := ParseKSN(tt.b)
		var le *KSNLengthError
		if !errors.Is(err, ErrKSNLength) || !errors.As(err, &le) || le.Len != len(tt.b) || le.Want != 10 {
			t.Errorf("ParseKSN(%s) error %v", tt.name, err)
		}
		if _, err := ParseAESKSN(append(tt.b, 0)); !errors.Is(err, ErrKSNLength) && len(tt.b)+1 != 12 {
			t.Errorf("ParseAESKSN(%s + 1 byte) error %v", tt.name, err)
		}
	}
	var k KSN
	for _, s := range []string{"", "FFFF9876543210E0000", "FFFF9876543210E000001", "FFFF9876543210E0000G"} {
		if err := k.UnmarshalText([]byte(s)); err == nil {
			t.Errorf("UnmarshalText(%q) succeeded", s)
		}
	}
	if err := k.UnmarshalText([]byte("ffff9876543210e00001")); err != nil || k.String() != "FFFF9876543210E00001" {
		t.Errorf("UnmarshalText(lower case) = %v, %v", k, err)
	}
}

func TestEnumStrings(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{PINEncryption.String(), "PINEncryption"},
		{KeyEncryption.String(), "KeyEncryption"},
		{Usage(0).String(), "Usage(0)"},
		{Usage(200).String(), "Usage(200)"},
		{AES128.String(), "AES128"},
		{HMAC256.String(), "HMAC256"},
		{KeyType(0).String(), "KeyType(0)"},
	} {
		if tt.got != tt.want {
			t.Errorf("String() = %q, want %q", tt.got, tt.want)
		}
	}
	if TDES3.Size() != 24 || AES256.Size() != 32 || KeyType(9).Size() != 0 {
		t.Error("Size() wrong")
	}
}
