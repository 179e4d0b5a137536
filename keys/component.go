package keys

// MinComponents is the smallest number of components [Combine] accepts:
// ANSI X9.24-1:2017 requires a clear key to be split between at least two
// custodians.
const MinComponents = 2

// Combine forms a key from clear key components by exclusive-or, the way
// a BDK or zone key is formed from the components held by key custodians
// (ANSI X9.24-1:2017). All components must have the same length, and that
// length must be a DES or AES key length (8, 16, 24 or 32 bytes).
//
// The XOR of an even number of odd-parity components has even parity;
// call [AdjustParity] on the result when the key is a DES key, and check
// the result against the key check value the custodians were given.
func Combine(components ...[]byte) ([]byte, error) {
	return AppendCombine(nil, components...)
}

// AppendCombine is like [Combine] but appends the key to dst.
func AppendCombine(dst []byte, components ...[]byte) ([]byte, error) {
	if len(components) < MinComponents {
		return dst, &ComponentError{Index: -1, Reason: "need at least 2 components"}
	}
	n := len(components[0])
	switch n {
	case 8, 16, 24, 32:
	default:
		return dst, &ComponentError{Index: 0, Reason: "length is not a key length"}
	}
	for i, c := range components[1:] {
		if len(c) != n {
			return dst, &ComponentError{Index: i + 1, Reason: "length differs from component 0"}
		}
	}
	start := len(dst)
	dst = append(dst, components[0]...)
	out := dst[start:]
	for _, c := range components[1:] {
		for i := range out {
			out[i] ^= c[i]
		}
	}
	return dst, nil
}
