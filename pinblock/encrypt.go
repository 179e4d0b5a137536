package pinblock

import (
	"crypto/aes"
	"crypto/cipher"

	"github.com/posflow/posflow/keys"
)

// Encrypt returns the PIN block of format f for pin and pan, enciphered
// under key: TDES-ECB with a 16- or 24-byte key for formats 0 to 3, and
// AES with a 16-, 24- or 32-byte key for format 4, enciphered twice as
// E(K, E(K, PIN field) XOR PAN field). Random fill comes from crypto/rand.
// pan is ignored by formats 1 and 2.
func Encrypt(f Format, key []byte, pin, pan string) ([]byte, error) {
	return (*Config)(nil).Encrypt(f, key, pin, pan)
}

// Encrypt is like the package-level [Encrypt] but draws the fill from
// c.Rand.
func (c *Config) Encrypt(f Format, key []byte, pin, pan string) ([]byte, error) {
	b, err := newCipher(f, key)
	if err != nil {
		return nil, err
	}
	return c.EncryptWith(f, b, pin, pan)
}

// EncryptWith is like [Encrypt] but enciphers with b, for callers that
// hold a [cipher.Block] rather than key bytes (a derived DUKPT key, or a
// cipher backed by a hardware module). b must have an 8-byte block for
// formats 0 to 3 and a 16-byte block for format 4, otherwise EncryptWith
// returns [ErrCipher].
func EncryptWith(f Format, b cipher.Block, pin, pan string) ([]byte, error) {
	return (*Config)(nil).EncryptWith(f, b, pin, pan)
}

// EncryptWith is like the package-level [EncryptWith] but draws the fill
// from c.Rand.
func (c *Config) EncryptWith(f Format, b cipher.Block, pinText, pan string) ([]byte, error) {
	if err := checkCipher(f, b); err != nil {
		return nil, err
	}
	p, err := parsePIN(pinText)
	if err != nil {
		return nil, err
	}
	defer p.clear()
	return c.encryptPIN(nil, f, b, &p, pan)
}

// Decrypt deciphers block, a PIN block of format f enciphered under key
// (see [Encrypt]), and returns the PIN after checking every field as
// [Decode] does. pan is ignored by formats 1 and 2.
func Decrypt(f Format, key []byte, block []byte, pan string) (string, error) {
	b, err := newCipher(f, key)
	if err != nil {
		return "", err
	}
	return DecryptWith(f, b, block, pan)
}

// DecryptWith is like [Decrypt] but deciphers with b; see [EncryptWith].
func DecryptWith(f Format, b cipher.Block, block []byte, pan string) (string, error) {
	if err := checkCipher(f, b); err != nil {
		return "", err
	}
	p, err := decryptPIN(f, b, block, pan)
	if err != nil {
		return "", err
	}
	defer p.clear()
	return p.text(), nil
}

// newCipher returns the block cipher format f is enciphered with.
func newCipher(f Format, key []byte) (cipher.Block, error) {
	switch {
	case f <= ISO3:
		if len(key) != 16 && len(key) != 24 {
			return nil, KeySizeError(len(key))
		}
		return keys.NewTDES(key)
	case f == ISO4:
		switch len(key) {
		case 16, 24, 32:
			return aes.NewCipher(key)
		}
		return nil, KeySizeError(len(key))
	}
	return nil, FormatError(f)
}

func checkCipher(f Format, b cipher.Block) error {
	if f > ISO4 {
		return FormatError(f)
	}
	if b.BlockSize() != f.BlockSize() {
		return ErrCipher
	}
	return nil
}

// encryptPIN appends the block of format f for p enciphered with b.
func (c *Config) encryptPIN(dst []byte, f Format, b cipher.Block, p *pin, pan string) ([]byte, error) {
	start := len(dst)
	if f <= ISO3 {
		var clearBlock [8]byte
		defer clear(clearBlock[:])
		if err := c.build03(f, p, pan, &clearBlock); err != nil {
			return dst, err
		}
		dst = append(dst, make([]byte, 8)...)
		b.Encrypt(dst[start:], clearBlock[:])
		return dst, nil
	}
	if err := checkPAN(pan); err != nil {
		return dst, err
	}
	var pinField [16]byte
	defer clear(pinField[:])
	if err := c.pinField4(p, &pinField); err != nil {
		return dst, err
	}
	panField := panField4(pan)
	dst = append(dst, make([]byte, 16)...)
	encipher4(b, &pinField, &panField, dst[start:])
	return dst, nil
}

// decryptPIN deciphers block with b and decodes it as format f.
func decryptPIN(f Format, b cipher.Block, block []byte, pan string) (pin, error) {
	if len(block) != f.BlockSize() {
		return pin{}, syntaxErr("PIN block", -1, ErrBlockSize)
	}
	if f <= ISO3 {
		var clearBlock [8]byte
		defer clear(clearBlock[:])
		b.Decrypt(clearBlock[:], block)
		return decode03(f, clearBlock[:], pan)
	}
	if err := checkPAN(pan); err != nil {
		return pin{}, err
	}
	panField := panField4(pan)
	var pinField [16]byte
	defer clear(pinField[:])
	decipher4(b, block, &panField, pinField[:])
	return parsePINField(pinField[:8], "PIN block", byte(ISO4), fillCheck(ISO4))
}
