package dukpt

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Every error that originates in this package wraps one
// of them, so callers branch with [errors.Is]. The PIN block, MAC and data
// methods pass on the errors of packages pinblock, mac and keys, which
// match those packages' own sentinels (pinblock.ErrPINLength, for
// example); a failed MAC verification matches both [ErrMAC] and
// mac.ErrMismatch.
var (
	// ErrKeyLength reports a key (BDK, initial key, transaction key) of a
	// length the variant does not use. The concrete error is a
	// [*KeyLengthError].
	ErrKeyLength = errors.New("dukpt: invalid key length")

	// ErrKSNLength reports a key serial number that is not 10 bytes (TDES)
	// or 12 bytes (AES). The concrete error is a [*KSNLengthError].
	ErrKSNLength = errors.New("dukpt: invalid key serial number length")

	// ErrCounterZero reports a transaction counter of zero. No transaction
	// key exists for it: counter 0 denotes the initial key.
	ErrCounterZero = errors.New("dukpt: transaction counter is zero")

	// ErrCounterInvalid reports a transaction counter with more one-bits
	// than a transaction-originating device may use (10 for TDES, 16 for
	// AES). Host derivation still computes keys for such counters; only
	// the Valid methods and the devices report it.
	ErrCounterInvalid = errors.New("dukpt: transaction counter has too many one-bits")

	// ErrExhausted reports that a device has used every valid counter.
	ErrExhausted = errors.New("dukpt: transaction counter exhausted")

	// ErrInitialKSN reports an initial key serial number whose counter is
	// not zero.
	ErrInitialKSN = errors.New("dukpt: initial key serial number has a nonzero counter")

	// ErrUsage reports a key usage the variant or the operation does not
	// support.
	ErrUsage = errors.New("dukpt: unsupported key usage")

	// ErrKeyType reports a key type the operation does not support.
	ErrKeyType = errors.New("dukpt: unsupported key type")

	// ErrKeyStrength reports a working key stronger than the key it would
	// be derived from (ANSI X9.24-3-2017 6.1.3).
	ErrKeyStrength = errors.New("dukpt: working key stronger than its derivation key")

	// ErrState reports a device state that does not decode: wrong
	// length, unknown version, failed checksum or inconsistent registers.
	// The concrete error is a [*StateError].
	ErrState = errors.New("dukpt: corrupt device state")

	// ErrMAC reports a MAC that does not verify.
	ErrMAC = errors.New("dukpt: MAC mismatch")

	// ErrDataLength reports data that is empty or not a whole number of
	// cipher blocks, or an IV that is not one block.
	ErrDataLength = errors.New("dukpt: invalid data or IV length")
)

// KeyLengthError reports a key of the wrong length. It never holds key
// material, only the role of the key and its length.
type KeyLengthError struct {
	Key string // "BDK", "initial key", "transaction key"
	Len int    // length received, in bytes
}

func (e *KeyLengthError) Error() string {
	return "dukpt: " + e.Key + " of " + strconv.Itoa(e.Len) + " bytes"
}

// Unwrap returns [ErrKeyLength].
func (e *KeyLengthError) Unwrap() error { return ErrKeyLength }

// KSNLengthError reports a key serial number of the wrong length.
type KSNLengthError struct {
	Len  int // length received, in bytes
	Want int // 10 for TDES, 12 for AES
}

func (e *KSNLengthError) Error() string {
	return "dukpt: key serial number of " + strconv.Itoa(e.Len) + " bytes, want " + strconv.Itoa(e.Want)
}

// Unwrap returns [ErrKSNLength].
func (e *KSNLengthError) Unwrap() error { return ErrKSNLength }

// CounterError reports a transaction counter that cannot be used. Err is
// [ErrCounterZero], [ErrCounterInvalid], [ErrExhausted] or [ErrInitialKSN].
// Counters are not secret.
type CounterError struct {
	Counter uint32
	Err     error
}

func (e *CounterError) Error() string {
	return e.Err.Error() + " (counter " + strconv.FormatUint(uint64(e.Counter), 16) + "h)"
}

// Unwrap returns e.Err.
func (e *CounterError) Unwrap() error { return e.Err }

// StateError reports why a serialised device state was rejected.
type StateError struct {
	Offset int    // byte offset of the problem, -1 when it concerns the whole state
	Reason string // lower case, no key material
}

func (e *StateError) Error() string {
	if e.Offset < 0 {
		return "dukpt: corrupt device state: " + e.Reason
	}
	return "dukpt: corrupt device state at byte " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// Unwrap returns [ErrState].
func (e *StateError) Unwrap() error { return ErrState }

func errUsage(u Usage, what string) error {
	return fmt.Errorf("%w %v for %s", ErrUsage, u, what)
}

func errKeyType(t KeyType, what string) error {
	return fmt.Errorf("%w %v for %s", ErrKeyType, t, what)
}
