package mac_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/mac"
)

func TestCMACVectors(t *testing.T) {
	var file struct {
		Vectors []struct {
			Name   string
			Cipher string
			Key    testvec.Hex
			Data   testvec.Hex
			MAC    testvec.Hex
		}
	}
	testvec.Load(t, "cmac.json", &file)
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			c := newBlock(t, v.Cipher, v.Key)
			if got := mac.CMAC(c, v.Data); !bytes.Equal(got, v.MAC) {
				t.Errorf("CMAC(%X) = %X, want %X", []byte(v.Data), got, []byte(v.MAC))
			}
			if err := mac.VerifyCMAC(c, v.Data, v.MAC); err != nil {
				t.Errorf("VerifyCMAC = %v", err)
			}
			if err := mac.VerifyCMAC(c, v.Data, v.MAC[:4]); err != nil {
				t.Errorf("VerifyCMAC(truncated) = %v", err)
			}
			bad := bytes.Clone(v.MAC)
			bad[len(bad)-1] ^= 1
			if err := mac.VerifyCMAC(c, v.Data, bad); !errors.Is(err, mac.ErrMismatch) {
				t.Errorf("VerifyCMAC(corrupted) = %v, want ErrMismatch", err)
			}
		})
	}
}
