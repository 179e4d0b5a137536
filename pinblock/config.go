package pinblock

import (
	"crypto/rand"
	"io"
)

// Config holds the source of randomness for the formats that contain
// random digits (1, 3 and 4). The zero value, and a nil *Config, use
// crypto/rand. The package-level functions use a zero Config. A Config is
// safe for concurrent use when its Rand is (crypto/rand is).
type Config struct {
	// Rand is the source of random fill digits. If nil, crypto/rand.Reader
	// is used. Every byte read is used or rejected whole, so the fill is
	// uniform whenever Rand is.
	Rand io.Reader
}

func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return rand.Reader
	}
	return c.Rand
}
