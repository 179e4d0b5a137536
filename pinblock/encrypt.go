package pinblock

import (
	"crypto/aes"
	"crypto/cipher"

	des "github.com/posflow/posflow/internal/des"
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
	var b blockCipher
	if err := b.setKey(f, key); err != nil {
		return nil, err
	}
	defer b.clear()
	return c.encryptWith(f, &b, pin, pan)
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
	return c.encryptWith(f, &blockCipher{block: b}, pinText, pan)
}

func (c *Config) encryptWith(f Format, b *blockCipher, pinText, pan string) ([]byte, error) {
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
	var b blockCipher
	if err := b.setKey(f, key); err != nil {
		return "", err
	}
	defer b.clear()
	return decryptWith(f, &b, block, pan)
}

// DecryptWith is like [Decrypt] but deciphers with b; see [EncryptWith].
func DecryptWith(f Format, b cipher.Block, block []byte, pan string) (string, error) {
	return decryptWith(f, &blockCipher{block: b}, block, pan)
}

func decryptWith(f Format, b *blockCipher, block []byte, pan string) (string, error) {
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

// blockCipher is the cipher a PIN block is enciphered with: a TDES key
// schedule held in place, for formats 0 to 3 keyed from key bytes, or any
// cipher.Block (AES for format 4, or the caller's for the *With
// functions). Its methods are lower case so that it cannot be passed as a
// cipher.Block by mistake: that conversion would move a blockCipher on the
// stack, and its key schedule, to the heap.
type blockCipher struct {
	tdes  des.TripleDESCipher
	block cipher.Block // nil when tdes holds the key
}

// setKey keys b with the key format f is enciphered with: TDES with a 16-
// or 24-byte key for formats 0 to 3, AES with a 16-, 24- or 32-byte key
// for format 4.
func (b *blockCipher) setKey(f Format, key []byte) error {
	switch {
	case f <= ISO3:
		if len(key) != 16 && len(key) != 24 {
			return KeySizeError(len(key))
		}
		return b.tdes.SetKey(key)
	case f == ISO4:
		switch len(key) {
		case 16, 24, 32:
			c, err := aes.NewCipher(key)
			if err != nil {
				return err
			}
			b.block = c
			return nil
		}
		return KeySizeError(len(key))
	}
	return FormatError(f)
}

func (b *blockCipher) blockSize() int {
	if b.block != nil {
		return b.block.BlockSize()
	}
	return b.tdes.BlockSize()
}

func (b *blockCipher) encrypt(dst, src []byte) {
	if b.block != nil {
		b.block.Encrypt(dst, src)
		return
	}
	b.tdes.Encrypt(dst, src)
}

func (b *blockCipher) decrypt(dst, src []byte) {
	if b.block != nil {
		b.block.Decrypt(dst, src)
		return
	}
	b.tdes.Decrypt(dst, src)
}

// clear zeroes the TDES key schedule. An AES cipher.Block cannot be
// cleared; it is left to the garbage collector.
func (b *blockCipher) clear() {
	if b.block == nil {
		b.tdes.Clear()
	}
}

func checkCipher(f Format, b *blockCipher) error {
	if f > ISO4 {
		return FormatError(f)
	}
	if b.blockSize() != f.BlockSize() {
		return ErrCipher
	}
	return nil
}

// encryptPIN appends the block of format f for p enciphered with b.
func (c *Config) encryptPIN(dst []byte, f Format, b *blockCipher, p *pin, pan string) ([]byte, error) {
	start := len(dst)
	if f <= ISO3 {
		var clearBlock [8]byte
		defer clear(clearBlock[:])
		if err := c.build03(f, p, pan, &clearBlock); err != nil {
			return dst, err
		}
		dst = append(dst, make([]byte, 8)...)
		b.encrypt(dst[start:], clearBlock[:])
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
func decryptPIN(f Format, b *blockCipher, block []byte, pan string) (pin, error) {
	if len(block) != f.BlockSize() {
		return pin{}, syntaxErr("PIN block", -1, ErrBlockSize)
	}
	if f <= ISO3 {
		var clearBlock [8]byte
		defer clear(clearBlock[:])
		b.decrypt(clearBlock[:], block)
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
