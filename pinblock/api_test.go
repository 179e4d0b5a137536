package pinblock_test

import "github.com/posflow/posflow/pinblock"

// The API that other packages rely on (issue 3). Changing a signature
// breaks this file at compile time.
var (
	_ pinblock.Format                                                                        = pinblock.ISO0
	_                                                                                        = [5]pinblock.Format{pinblock.ISO0, pinblock.ISO1, pinblock.ISO2, pinblock.ISO3, pinblock.ISO4}
	_ func(pinblock.Format, string, string) ([]byte, error)                                  = pinblock.Encode
	_ func(pinblock.Format, []byte, string) (string, error)                                  = pinblock.Decode
	_ func(pinblock.Format, []byte, string, string) ([]byte, error)                          = pinblock.Encrypt
	_ func(pinblock.Format, []byte, []byte, string) (string, error)                          = pinblock.Decrypt
	_ func([]byte, string, int, string) (string, error)                                      = pinblock.VisaPVV
	_ func([]byte, string, string, string) (string, error)                                   = pinblock.IBM3624Offset
	_ func(pinblock.Format, []byte, pinblock.Format, []byte, []byte, string) ([]byte, error) = pinblock.Translate
)

func init() {
	if pinblock.ISO0 != 0 || pinblock.ISO1 != 1 || pinblock.ISO2 != 2 || pinblock.ISO3 != 3 || pinblock.ISO4 != 4 {
		panic("pinblock: format constants changed")
	}
}
