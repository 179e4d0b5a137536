package keys_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
)

func TestCombine(t *testing.T) {
	key := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
	c1 := testvec.MustHex("1111111111111111222222222222222F")
	c3 := testvec.MustHex("A5A5A5A5A5A5A5A55A5A5A5A5A5A5A5A")
	c2 := make([]byte, 16)
	for i := range c2 {
		c2[i] = key[i] ^ c1[i] ^ c3[i]
	}
	got, err := keys.Combine(c1, c2, c3)
	if err != nil || !bytes.Equal(got, key) {
		t.Errorf("Combine = %X, %v, want %X", got, err, key)
	}
	// Combining does not modify the components.
	if !bytes.Equal(c1, testvec.MustHex("1111111111111111222222222222222F")) {
		t.Error("Combine modified a component")
	}
	for _, tc := range []struct {
		name  string // why the components are bad
		comps [][]byte
		index int
	}{
		{"a single component", [][]byte{key}, -1},
		{"no components", nil, -1},
		{"component lengths differ", [][]byte{key, key[:8]}, 1},
		{"component of 10 bytes is no key length", [][]byte{key[:10], key[:10]}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.Combine(tc.comps...)
			var ce *keys.ComponentError
			if !errors.Is(err, keys.ErrComponents) || !errors.As(err, &ce) || ce.Index != tc.index {
				t.Errorf("Combine err = %v, want ComponentError at %d", err, tc.index)
			}
		})
	}
}
