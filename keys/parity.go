package keys

import "math/bits"

// AdjustParity sets the least significant bit of every byte of key so that
// each byte has odd parity, as FIPS 46-3 requires of DES keys. It modifies
// key in place.
func AdjustParity(key []byte) {
	for i, b := range key {
		if bits.OnesCount8(b)&1 == 0 {
			key[i] = b ^ 1
		}
	}
}

// CheckParity returns nil if every byte of key has odd parity, and a
// [*ParityError] naming the first byte that does not otherwise.
func CheckParity(key []byte) error {
	for i, b := range key {
		if bits.OnesCount8(b)&1 == 0 {
			return &ParityError{Offset: i}
		}
	}
	return nil
}
