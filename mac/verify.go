package mac

import "crypto/subtle"

// MinTagSize is the shortest tag, in bytes, the Verify functions accept.
// 32 bits is the shortest MAC the payment standards use (ANSI X9.19 and
// the ANSI X9.24-1 DUKPT examples); SP 800-38B advises at least 64 bits
// unless the number of verification attempts is limited.
const MinTagSize = 4

func checkTag(tag []byte, blockSize int) error {
	if len(tag) < MinTagSize || len(tag) > blockSize {
		return TagSizeError(len(tag))
	}
	return nil
}

// compare checks tag against the leftmost len(tag) bytes of full in
// constant time and clears full.
func compare(full, tag []byte) error {
	ok := subtle.ConstantTimeCompare(full[:len(tag)], tag)
	clear(full)
	if ok != 1 {
		return ErrMismatch
	}
	return nil
}
