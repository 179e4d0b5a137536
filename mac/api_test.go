package mac_test

import (
	"crypto/cipher"

	"github.com/posflow/posflow/mac"
)

// The API that other packages rely on (issue 3). Changing a signature
// breaks this file at compile time.
var (
	_ func(cipher.Block, []byte, mac.Padding) []byte    = mac.Alg1
	_ func([]byte, []byte, mac.Padding) ([]byte, error) = mac.Alg3
	_ func(cipher.Block, []byte) []byte                 = mac.CMAC
	_                                                   = [3]mac.Padding{mac.Method1, mac.Method2, mac.Method3}
)

func init() {
	if mac.Method1 != 1 || mac.Method2 != 2 || mac.Method3 != 3 {
		panic("mac: padding constants changed")
	}
}
