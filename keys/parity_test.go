package keys_test

import (
	"bytes"
	"errors"
	"math/bits"
	"strings"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
)

func TestParity(t *testing.T) {
	good := testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
	if err := keys.CheckParity(good); err != nil {
		t.Errorf("CheckParity(test key) = %v", err)
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	adj := bytes.Clone(all)
	keys.AdjustParity(adj)
	for i, b := range adj {
		if bits.OnesCount8(b)%2 != 1 || b&0xfe != all[i]&0xfe {
			t.Fatalf("AdjustParity(%02X) = %02X", all[i], b)
		}
	}
	if err := keys.CheckParity(adj); err != nil {
		t.Errorf("CheckParity(adjusted) = %v", err)
	}
	bad := bytes.Clone(good)
	bad[5] ^= 1
	err := keys.CheckParity(bad)
	var pe *keys.ParityError
	if !errors.Is(err, keys.ErrParity) || !errors.As(err, &pe) || pe.Offset != 5 {
		t.Errorf("CheckParity(bad) = %v, want ParityError at 5", err)
	}
	if strings.Contains(err.Error(), "AB") {
		t.Errorf("parity error %q shows key material", err)
	}
}
