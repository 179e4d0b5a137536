package pinblock_test

import (
	"bytes"
)

// fixedRand returns a reader that yields b and then fails, so a test
// notices if the code reads more randomness than expected.
func fixedRand(b []byte) *bytes.Reader { return bytes.NewReader(b) }
