package keys

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by this package matches one of
// them with [errors.Is].
var (
	// ErrKeySize reports a key whose length the operation does not accept.
	ErrKeySize = errors.New("keys: invalid key size")
	// ErrParity reports a DES key byte without odd parity.
	ErrParity = errors.New("keys: key byte without odd parity")
	// ErrComponents reports key components that cannot be combined.
	ErrComponents = errors.New("keys: invalid key components")
	// ErrMaskSize reports a variant mask that does not fit the key.
	ErrMaskSize = errors.New("keys: invalid variant mask size")
)

// KeySizeError reports the length, in bytes, of a key that was rejected.
// It matches [ErrKeySize].
type KeySizeError int

func (e KeySizeError) Error() string {
	return "keys: invalid key size " + strconv.Itoa(int(e))
}

// Is reports whether target is [ErrKeySize].
func (e KeySizeError) Is(target error) bool { return target == ErrKeySize }

// ParityError reports the offset of the first key byte that does not have
// odd parity. It matches [ErrParity]. The byte itself is not reported.
type ParityError struct {
	Offset int
}

func (e *ParityError) Error() string {
	return "keys: byte " + strconv.Itoa(e.Offset) + " of key has even parity"
}

// Is reports whether target is [ErrParity].
func (e *ParityError) Is(target error) bool { return target == ErrParity }

// ComponentError reports why a set of key components was rejected. It
// matches [ErrComponents].
type ComponentError struct {
	Index  int    // index of the offending component, or -1
	Reason string // what is wrong, without any key material
}

func (e *ComponentError) Error() string {
	if e.Index < 0 {
		return "keys: components: " + e.Reason
	}
	return "keys: component " + strconv.Itoa(e.Index) + ": " + e.Reason
}

// Is reports whether target is [ErrComponents].
func (e *ComponentError) Is(target error) bool { return target == ErrComponents }
