package dukpt

import (
	"crypto/aes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/posflow/posflow/mac"
)

// This file computes and verifies MACs under DUKPT MAC keys: the ANSI X9.19
// retail MAC (ISO/IEC 9797-1 MAC algorithm 3, padding method 1) under the
// TDES request or response MAC keys, as in ANSI X9.24-1:2009 A.4, and CMAC
// or HMAC-SHA256 under AES DUKPT MAC keys.

// MAC returns the 8-byte X9.19 retail MAC of data, zero-padded (padding
// method 1), under the transaction's MAC key for u ([MACRequest] or
// [MACResponse]). X9.24-1 A.4 prints the leftmost 4 bytes.
func (t TDESTransaction) MAC(u Usage, data []byte) ([]byte, error) {
	key, err := t.macKey(u)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return mac.Alg3(key, data, mac.Method1)
}

// VerifyMAC checks tag, the leftmost 4 to 8 bytes of the MAC of data for
// u, in constant time. A mismatch returns an error wrapping [ErrMAC] (and
// mac.ErrMismatch).
func (t TDESTransaction) VerifyMAC(u Usage, data, tag []byte) error {
	key, err := t.macKey(u)
	if err != nil {
		return err
	}
	defer clear(key)
	return wrapMAC(mac.VerifyAlg3(key, data, mac.Method1, tag))
}

func (t TDESTransaction) macKey(u Usage) ([]byte, error) {
	if u != MACRequest && u != MACResponse {
		return nil, errUsage(u, "a MAC")
	}
	return t.WorkingKey(u)
}

// CMAC returns the 16-byte AES-CMAC of data under the transaction's MAC key
// of usage u ([MACRequest], [MACResponse] or [MACBoth]) and type kt
// ([AES128], [AES192] or [AES256]).
func (t AESTransaction) CMAC(u Usage, kt KeyType, data []byte) ([]byte, error) {
	key, err := t.cmacKey(u, kt)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	c, _ := aes.NewCipher(key)
	return mac.CMAC(c, data), nil
}

// VerifyCMAC checks tag, the leftmost 4 to 16 bytes of the CMAC of data, in
// constant time. A mismatch returns an error wrapping [ErrMAC].
func (t AESTransaction) VerifyCMAC(u Usage, kt KeyType, data, tag []byte) error {
	key, err := t.cmacKey(u, kt)
	if err != nil {
		return err
	}
	defer clear(key)
	c, _ := aes.NewCipher(key)
	return wrapMAC(mac.VerifyCMAC(c, data, tag))
}

func (t AESTransaction) cmacKey(u Usage, kt KeyType) ([]byte, error) {
	if u != MACRequest && u != MACResponse && u != MACBoth {
		return nil, errUsage(u, "a MAC")
	}
	return t.aesKey(u, kt)
}

// HMAC returns the 32-byte HMAC-SHA256 of data under the transaction's MAC
// key of usage u ([MACRequest], [MACResponse] or [MACBoth]) and type kt
// ([HMAC128], [HMAC192] or [HMAC256]).
func (t AESTransaction) HMAC(u Usage, kt KeyType, data []byte) ([]byte, error) {
	key, err := t.hmacKey(u, kt)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	m := hmac.New(sha256.New, key)
	m.Write(data)
	return m.Sum(nil), nil
}

// VerifyHMAC checks tag, the leftmost 4 to 32 bytes of the HMAC-SHA256 of
// data, in constant time. A mismatch returns an error wrapping [ErrMAC].
func (t AESTransaction) VerifyHMAC(u Usage, kt KeyType, data, tag []byte) error {
	if len(tag) < mac.MinTagSize || len(tag) > sha256.Size {
		return fmt.Errorf("dukpt: HMAC tag of %d bytes: %w", len(tag), mac.ErrTagSize)
	}
	sum, err := t.HMAC(u, kt, data)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(sum[:len(tag)], tag) != 1 {
		return fmt.Errorf("%w: %w", ErrMAC, mac.ErrMismatch)
	}
	return nil
}

func (t AESTransaction) hmacKey(u Usage, kt KeyType) ([]byte, error) {
	if u != MACRequest && u != MACResponse && u != MACBoth {
		return nil, errUsage(u, "a MAC")
	}
	if kt != HMAC128 && kt != HMAC192 && kt != HMAC256 {
		return nil, errKeyType(kt, "HMAC")
	}
	return t.WorkingKey(u, kt)
}

// wrapMAC adds ErrMAC to a mismatch from package mac.
func wrapMAC(err error) error {
	if errors.Is(err, mac.ErrMismatch) {
		return fmt.Errorf("%w: %w", ErrMAC, err)
	}
	if err != nil {
		return fmt.Errorf("dukpt: %w", err)
	}
	return nil
}
