package acquirer

import (
	"errors"
	"fmt"
)

// Sentinel errors, for use with errors.Is.
var (
	// ErrNotFound means a card, account or journal row is not in the store.
	ErrNotFound = errors.New("acquirer: not found")
	// ErrConfig is wrapped by every error of LoadConfig, ParseConfig and New
	// about the configuration; the concrete error is often a *ConfigError.
	ErrConfig = errors.New("acquirer: invalid configuration")
	// ErrPINMismatch means the PIN is not the card's PIN.
	ErrPINMismatch = errors.New("acquirer: PIN mismatch")
	// ErrPINBlock means the PIN block does not decipher to a valid block
	// for the card's PAN (wrong key, wrong format or a corrupted block).
	ErrPINBlock = errors.New("acquirer: invalid PIN block")
	// ErrCryptogram means the application cryptogram does not verify.
	ErrCryptogram = errors.New("acquirer: application cryptogram mismatch")
	// ErrDuplicateKey is matched by the error of Tx.Insert when the
	// journal holds a row with the same RequestKey already (refusals
	// aside): the request is a duplicate, and the host answers it as one.
	ErrDuplicateKey = errors.New("acquirer: duplicate request key")
	// ErrUnknownKey means the security module holds no key of that name
	// or for that terminal.
	ErrUnknownKey = errors.New("acquirer: unknown key")
)

// A ConfigError reports a configuration item that is missing or invalid.
// It names the item and never quotes its value, which may be a key or a PAN.
type ConfigError struct {
	Item   string // "cards[2].pvv", "keys.bdk", ...
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("acquirer: config: %s: %s", e.Item, e.Reason)
}

// Unwrap returns ErrConfig.
func (e *ConfigError) Unwrap() error { return ErrConfig }

// A StoreError reports a failure of the store (the database). A request
// that meets one is answered with response code 96 and moves no money.
type StoreError struct {
	Op  string // "begin", "journal", "commit", ...
	Err error
}

func (e *StoreError) Error() string { return "acquirer: store: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *StoreError) Unwrap() error { return e.Err }
