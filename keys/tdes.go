package keys

import (
	"crypto/cipher"

	des "github.com/posflow/posflow/internal/des"
)

// NewTDES returns a Triple DES (TDEA, EDE) block cipher for a
// double-length (16-byte, K1‖K2, used as K1‖K2‖K1: keying option 2 of
// NIST SP 800-67 Rev. 2) or triple-length (24-byte, K1‖K2‖K3: keying
// option 1) key. Any other length returns a [KeySizeError].
//
// Parity bits are ignored, as DES ignores them; use [CheckParity] to
// enforce them. A key whose halves are equal degenerates to single DES
// and is accepted, because payment test keys and legacy single-length
// keys expressed as K‖K rely on it.
func NewTDES(key []byte) (cipher.Block, error) {
	switch len(key) {
	case 16:
		var k [24]byte
		copy(k[:], key)
		copy(k[16:], key[:8])
		c, err := des.NewTripleDESCipher(k[:])
		clear(k[:])
		return c, err
	case 24:
		return des.NewTripleDESCipher(key)
	default:
		return nil, KeySizeError(len(key))
	}
}
