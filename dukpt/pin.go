package dukpt

import (
	"fmt"

	"github.com/posflow/posflow/pinblock"
)

// This file enciphers PIN blocks (ISO 9564-1:2017) under DUKPT PIN keys:
// formats 0 to 3 under the TDES PIN variant key (ANSI X9.24-1:2009), format 4
// under an AES PIN encryption key (ANSI X9.24-3-2017).

// EncryptPIN returns the PIN block of format f (pinblock.ISO0 to ISO3) for
// pin and pan, enciphered with TDEA under the transaction's PIN key. Random
// fill (formats 1 and 3) comes from crypto/rand.
func (t TDESTransaction) EncryptPIN(f pinblock.Format, pin, pan string) ([]byte, error) {
	return t.EncryptPINWith(nil, f, pin, pan)
}

// EncryptPINWith is EncryptPIN drawing random fill from c (crypto/rand
// when c or c.Rand is nil).
func (t TDESTransaction) EncryptPINWith(c *pinblock.Config, f pinblock.Format, pin, pan string) ([]byte, error) {
	key, err := t.pinKey(f)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return c.Encrypt(f, key, pin, pan)
}

// DecryptPIN deciphers a PIN block of format f (pinblock.ISO0 to ISO3) under
// the transaction's PIN key and returns the PIN, after the strict checks of
// pinblock.Decrypt.
func (t TDESTransaction) DecryptPIN(f pinblock.Format, block []byte, pan string) (string, error) {
	key, err := t.pinKey(f)
	if err != nil {
		return "", err
	}
	defer clear(key)
	return pinblock.Decrypt(f, key, block, pan)
}

func (t TDESTransaction) pinKey(f pinblock.Format) ([]byte, error) {
	if f > pinblock.ISO3 {
		return nil, fmt.Errorf("dukpt: %w %v for TDES DUKPT, which enciphers formats 0 to 3", pinblock.ErrFormat, f)
	}
	return t.WorkingKey(PINEncryption)
}

// EncryptPIN returns the ISO 9564-1 format 4 PIN block for pin and pan,
// enciphered under the transaction's PIN encryption key of type kt
// ([AES128], [AES192] or [AES256]; at most as strong as the BDK). The
// random half of the PIN field comes from crypto/rand.
func (t AESTransaction) EncryptPIN(kt KeyType, pin, pan string) ([]byte, error) {
	return t.EncryptPINWith(nil, kt, pin, pan)
}

// EncryptPINWith is EncryptPIN drawing the random half of the PIN field from
// c (crypto/rand when c or c.Rand is nil).
func (t AESTransaction) EncryptPINWith(c *pinblock.Config, kt KeyType, pin, pan string) ([]byte, error) {
	key, err := t.aesKey(PINEncryption, kt)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	return c.Encrypt(pinblock.ISO4, key, pin, pan)
}

// DecryptPIN deciphers a format 4 PIN block under the transaction's PIN
// encryption key of type kt and returns the PIN.
func (t AESTransaction) DecryptPIN(kt KeyType, block []byte, pan string) (string, error) {
	key, err := t.aesKey(PINEncryption, kt)
	if err != nil {
		return "", err
	}
	defer clear(key)
	return pinblock.Decrypt(pinblock.ISO4, key, block, pan)
}

// aesKey derives a working key of an AES cipher type.
func (t AESTransaction) aesKey(u Usage, kt KeyType) ([]byte, error) {
	if kt != AES128 && kt != AES192 && kt != AES256 {
		return nil, errKeyType(kt, "an AES cipher key")
	}
	return t.WorkingKey(u, kt)
}
