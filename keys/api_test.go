package keys_test

import (
	"crypto/cipher"

	"github.com/posflow/posflow/keys"
)

// The API that other packages rely on (issue 3). Changing a signature
// breaks this file at compile time.
var (
	_ func([]byte) (cipher.Block, error) = keys.NewTDES
	_ func(cipher.Block) []byte          = keys.KCV
)
