package pinblock

import (
	"fmt"
	"io"
)

// maxRandomReads bounds the reads randomNibbles makes, so that a broken
// source (one that returns only rejected bytes) fails instead of looping.
const maxRandomReads = 64

// randomNibbles sets every element of out to a uniformly random value in
// [lo, 15], reading bytes from r. A byte b is accepted when it falls below
// the largest multiple of the range size that fits in a byte, and then
// contributes b mod size: there is no modulo bias.
func randomNibbles(r io.Reader, out []byte, lo byte) error {
	if len(out) == 0 {
		return nil
	}
	size := 16 - int(lo)
	limit := 256 - 256%size
	var buf [16]byte
	defer clear(buf[:])
	filled := 0
	for range maxRandomReads {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return fmt.Errorf("%w: %w", ErrRandom, err)
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out[filled] = lo + byte(int(b)%size)
			filled++
			if filled == len(out) {
				return nil
			}
		}
	}
	return ErrRandom
}

// randomBytes fills out from r.
func randomBytes(r io.Reader, out []byte) error {
	if _, err := io.ReadFull(r, out); err != nil {
		return fmt.Errorf("%w: %w", ErrRandom, err)
	}
	return nil
}
