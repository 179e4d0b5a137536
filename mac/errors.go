package mac

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by this package matches one of
// them with [errors.Is].
var (
	// ErrMismatch reports that a MAC did not verify.
	ErrMismatch = errors.New("mac: verification failed")
	// ErrTagSize reports a tag too short or too long to verify.
	ErrTagSize = errors.New("mac: invalid tag size")
	// ErrKeySize reports a key of the wrong length.
	ErrKeySize = errors.New("mac: invalid key size")
)

// TagSizeError reports the length, in bytes, of a tag that cannot be
// verified. It matches [ErrTagSize].
type TagSizeError int

func (e TagSizeError) Error() string {
	return "mac: invalid tag size " + strconv.Itoa(int(e))
}

// Is reports whether target is [ErrTagSize].
func (e TagSizeError) Is(target error) bool { return target == ErrTagSize }

// KeySizeError reports the length, in bytes, of a rejected key. It
// matches [ErrKeySize].
type KeySizeError int

func (e KeySizeError) Error() string {
	return "mac: invalid key size " + strconv.Itoa(int(e))
}

// Is reports whether target is [ErrKeySize].
func (e KeySizeError) Is(target error) bool { return target == ErrKeySize }
