package pinblock

// Format4PINField returns the 16-byte plain-text PIN field of format 4:
// control 4, PIN length, PIN digits, fill A up to 16 nibbles, then 8
// random bytes drawn from crypto/rand.
func Format4PINField(pin string) ([]byte, error) {
	return (*Config)(nil).AppendFormat4PINField(nil, pin)
}

// Format4PINField is like the package-level [Format4PINField] but draws
// the random bytes from c.Rand.
func (c *Config) Format4PINField(pin string) ([]byte, error) {
	return c.AppendFormat4PINField(nil, pin)
}

// AppendFormat4PINField is like [Config.Format4PINField] but appends the
// field to dst.
func (c *Config) AppendFormat4PINField(dst []byte, pinText string) ([]byte, error) {
	p, err := parsePIN(pinText)
	if err != nil {
		return dst, err
	}
	defer p.clear()
	var f [16]byte
	defer clear(f[:])
	if err := c.pinField4(&p, &f); err != nil {
		return dst, err
	}
	return append(dst, f[:]...), nil
}

func (c *Config) pinField4(p *pin, f *[16]byte) error {
	next := p.putPINField(f[:], byte(ISO4))
	for i := next; i < 16; i++ {
		setNibble(f[:], i, 0xa)
	}
	return randomBytes(c.rand(), f[8:])
}

// DecodeFormat4PINField returns the PIN held in a 16-byte plain-text
// format 4 PIN field. It checks the control field, the PIN length and
// digits and the A fill of the first 8 bytes; the random second half is
// not checked.
func DecodeFormat4PINField(field []byte) (string, error) {
	if len(field) != 16 {
		return "", syntaxErr("PIN field", -1, ErrBlockSize)
	}
	p, err := parsePINField(field[:8], "PIN field", byte(ISO4), fillCheck(ISO4))
	if err != nil {
		return "", err
	}
	defer p.clear()
	return p.text(), nil
}

// Format4PANField returns the 16-byte plain-text PAN field of format 4:
// M ‖ PAN ‖ zero padding, where M is the PAN length minus 12; a PAN of
// fewer than 12 digits is right-justified in 12 digits and M is 0.
func Format4PANField(pan string) ([]byte, error) {
	return AppendFormat4PANField(nil, pan)
}

// AppendFormat4PANField is like [Format4PANField] but appends the field to
// dst.
func AppendFormat4PANField(dst []byte, pan string) ([]byte, error) {
	if err := checkPAN(pan); err != nil {
		return dst, err
	}
	f := panField4(pan)
	return append(dst, f[:]...), nil
}

// encipher4 writes E(K, E(K, PIN field) XOR PAN field) to out.
func encipher4(c *blockCipher, pinField, panField *[16]byte, out []byte) {
	c.encrypt(out, pinField[:])
	for i := range 16 {
		out[i] ^= panField[i]
	}
	c.encrypt(out, out)
}

// decipher4 recovers the PIN field from a format 4 block into f.
func decipher4(c *blockCipher, block []byte, panField *[16]byte, f []byte) {
	c.decrypt(f, block)
	for i := range 16 {
		f[i] ^= panField[i]
	}
	c.decrypt(f, f)
}
