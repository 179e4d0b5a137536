package mac_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/mac"
)

func TestAdversarial(t *testing.T) {
	tdes := newBlock(t, "TDES", testvec.MustHex("0123456789ABCDEFFEDCBA9876543210"))
	aesc := newBlock(t, "AES", testvec.MustHex("000102030405060708090A0B0C0D0E0F"))
	key := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
	data := []byte("message")
	rows := []struct {
		name string // why the input is bad
		err  error
		want error
	}{
		{"Alg3 key of 8 bytes (single DES)", func() error { _, err := mac.Alg3(key[:8], data, mac.Method1); return err }(), mac.ErrKeySize},
		{"Alg3 key of 24 bytes", func() error { _, err := mac.Alg3(append(key, key[:8]...), data, mac.Method1); return err }(), mac.ErrKeySize},
		{"Alg3 key of 0 bytes", func() error { _, err := mac.Alg3(nil, data, mac.Method2); return err }(), mac.ErrKeySize},
		{"VerifyAlg3 with a bad key", mac.VerifyAlg3(key[:15], data, mac.Method1, make([]byte, 8)), mac.ErrKeySize},
		{"tag of 3 bytes is below MinTagSize", mac.VerifyCMAC(aesc, data, make([]byte, 3)), mac.ErrTagSize},
		{"empty tag", mac.VerifyAlg1(tdes, data, mac.Method1, nil), mac.ErrTagSize},
		{"tag of 9 bytes for a 64-bit cipher", mac.VerifyAlg1(tdes, data, mac.Method2, make([]byte, 9)), mac.ErrTagSize},
		{"tag of 17 bytes for AES", mac.VerifyCMAC(aesc, data, make([]byte, 17)), mac.ErrTagSize},
		{"tag of 9 bytes for Alg3", mac.VerifyAlg3(key, data, mac.Method1, make([]byte, 9)), mac.ErrTagSize},
		{"all-zero tag does not verify", mac.VerifyCMAC(aesc, data, make([]byte, 16)), mac.ErrMismatch},
		{"Alg1 tag under other padding", mac.VerifyAlg1(tdes, data, mac.Method1, mac.Alg1(tdes, data, mac.Method2)), mac.ErrMismatch},
		{"Alg3 tag of other data", func() error {
			m, _ := mac.Alg3(key, []byte("other"), mac.Method1)
			return mac.VerifyAlg3(key, data, mac.Method1, m)
		}(), mac.ErrMismatch},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if !errors.Is(r.err, r.want) {
				t.Fatalf("err = %v, want %v", r.err, r.want)
			}
			if !strings.HasPrefix(r.err.Error(), "mac: ") {
				t.Errorf("message %q lacks the package prefix", r.err)
			}
		})
	}
	var tse mac.TagSizeError
	if err := mac.VerifyCMAC(aesc, data, make([]byte, 2)); !errors.As(err, &tse) || tse != 2 {
		t.Errorf("errors.As TagSizeError: %v", err)
	}
	var kse mac.KeySizeError
	if _, err := mac.Alg3(key[:7], data, mac.Method1); !errors.As(err, &kse) || kse != 7 {
		t.Errorf("errors.As KeySizeError: %v", err)
	}
}
