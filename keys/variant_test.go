package keys_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
)

func TestVariant(t *testing.T) {
	// ANSI X9.24-1:2009 Table A-1 PIN variant on the transaction key of
	// KSN FFFF9876543210E00001.
	got, err := keys.Variant(testvec.MustHex("042666B49184CFA368DE9628D0397BC9"), testvec.MustHex("00000000000000FF"))
	if err != nil || !bytes.Equal(got, testvec.MustHex("042666B49184CF5C68DE9628D0397B36")) {
		t.Errorf("Variant = %X, %v", got, err)
	}
	full, err := keys.Variant(testvec.MustHex("00112233"), testvec.MustHex("FFFFFFFF"))
	if err != nil || !bytes.Equal(full, testvec.MustHex("FFEEDDCC")) {
		t.Errorf("full-length Variant = %X, %v", full, err)
	}
	for _, tc := range []struct {
		name      string // why the mask is bad
		key, mask []byte
	}{
		{"empty mask", make([]byte, 16), nil},
		{"mask longer than the key", make([]byte, 8), make([]byte, 16)},
		{"mask does not divide the key", make([]byte, 16), make([]byte, 3)},
		{"empty key", nil, make([]byte, 8)},
	} {
		if _, err := keys.Variant(tc.key, tc.mask); !errors.Is(err, keys.ErrMaskSize) {
			t.Errorf("%s: err = %v, want ErrMaskSize", tc.name, err)
		}
	}
}
