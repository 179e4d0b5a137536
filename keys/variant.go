package keys

// Variant returns key XOR mask, where mask is repeated over the length of
// the key. A variant derives keys for distinct uses from one key: for
// example ANSI X9.24-1:2009 Table A-1 applies the 8-byte PIN encryption
// mask 00000000000000FF to both halves of a double-length DUKPT key, and
// variant-based key-encrypting schemes apply a full-length mask.
//
// len(key) must be a non-zero multiple of len(mask); otherwise Variant
// returns [ErrMaskSize].
func Variant(key, mask []byte) ([]byte, error) {
	return AppendVariant(nil, key, mask)
}

// AppendVariant is like [Variant] but appends the result to dst.
func AppendVariant(dst, key, mask []byte) ([]byte, error) {
	if len(mask) == 0 || len(key) == 0 || len(key)%len(mask) != 0 {
		return dst, ErrMaskSize
	}
	start := len(dst)
	dst = append(dst, key...)
	out := dst[start:]
	for i := range out {
		out[i] ^= mask[i%len(mask)]
	}
	return dst, nil
}
