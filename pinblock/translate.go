package pinblock

import "crypto/cipher"

// Translate deciphers block, a PIN block of format from under fromKey,
// and returns the same PIN as a block of format to under toKey, without
// the PIN ever being returned to the caller. Keys are as for [Encrypt];
// pan is the account the block belongs to and is used by whichever of the
// two formats binds it (0, 3 and 4).
//
// ISO 9564-1 and the PCI PIN Security Requirements restrict translation
// out of the formats that bind the PAN (0, 3, 4) into formats that do not
// (1, 2). Translate applies that rule strictly, without the narrow
// exceptions those documents allow: such a translation returns
// [ErrTranslation] before anything is deciphered.
func Translate(from Format, fromKey []byte, to Format, toKey []byte, block []byte, pan string) ([]byte, error) {
	return (*Config)(nil).Translate(from, fromKey, to, toKey, block, pan)
}

// Translate is like the package-level [Translate] but draws the fill of
// the new block from c.Rand.
func (c *Config) Translate(from Format, fromKey []byte, to Format, toKey []byte, block []byte, pan string) ([]byte, error) {
	var fb, tb blockCipher
	if err := fb.setKey(from, fromKey); err != nil {
		return nil, err
	}
	defer fb.clear()
	if err := tb.setKey(to, toKey); err != nil {
		return nil, err
	}
	defer tb.clear()
	return c.translateWith(from, &fb, to, &tb, block, pan)
}

// TranslateWith is like [Config.Translate] but takes block ciphers; see
// [EncryptWith].
func (c *Config) TranslateWith(from Format, fromCipher cipher.Block, to Format, toCipher cipher.Block, block []byte, pan string) ([]byte, error) {
	return c.translateWith(from, &blockCipher{block: fromCipher}, to, &blockCipher{block: toCipher}, block, pan)
}

func (c *Config) translateWith(from Format, fromCipher *blockCipher, to Format, toCipher *blockCipher, block []byte, pan string) ([]byte, error) {
	if err := checkCipher(from, fromCipher); err != nil {
		return nil, err
	}
	if err := checkCipher(to, toCipher); err != nil {
		return nil, err
	}
	if from.usesPAN() && !to.usesPAN() {
		return nil, ErrTranslation
	}
	p, err := decryptPIN(from, fromCipher, block, pan)
	if err != nil {
		return nil, err
	}
	defer p.clear()
	return c.encryptPIN(nil, to, toCipher, &p, pan)
}
