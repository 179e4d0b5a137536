package pinblock

// Encode returns the clear PIN block of format f (ISO0 to ISO3) for pin
// and pan, drawing random fill from crypto/rand. pan is ignored by formats
// 1 and 2. Format 4 has no single clear block: use [Format4PINField] and
// [Format4PANField], or [Encrypt].
func Encode(f Format, pin, pan string) ([]byte, error) {
	return (*Config)(nil).AppendEncode(nil, f, pin, pan)
}

// AppendEncode is like [Encode] but appends the block to dst.
func AppendEncode(dst []byte, f Format, pin, pan string) ([]byte, error) {
	return (*Config)(nil).AppendEncode(dst, f, pin, pan)
}

// Encode is like the package-level [Encode] but draws the fill from c.Rand.
func (c *Config) Encode(f Format, pin, pan string) ([]byte, error) {
	return c.AppendEncode(nil, f, pin, pan)
}

// AppendEncode is like [Config.Encode] but appends the block to dst.
func (c *Config) AppendEncode(dst []byte, f Format, pinText, pan string) ([]byte, error) {
	if f > ISO3 {
		return dst, FormatError(f)
	}
	p, err := parsePIN(pinText)
	if err != nil {
		return dst, err
	}
	defer p.clear()
	var b [8]byte
	defer clear(b[:])
	if err := c.build03(f, &p, pan, &b); err != nil {
		return dst, err
	}
	return append(dst, b[:]...), nil
}

// build03 writes the clear block of format f (0 to 3) for p into b.
func (c *Config) build03(f Format, p *pin, pan string, b *[8]byte) error {
	if f.usesPAN() {
		if err := checkPAN(pan); err != nil {
			return err
		}
	}
	next := p.putPINField(b[:], byte(f))
	var fill [16]byte
	defer clear(fill[:])
	n := 16 - next
	switch f {
	case ISO0, ISO2:
		for i := range n {
			fill[i] = 0xf
		}
	case ISO1:
		if err := randomNibbles(c.rand(), fill[:n], 0); err != nil {
			return err
		}
	case ISO3:
		if err := randomNibbles(c.rand(), fill[:n], 0xa); err != nil {
			return err
		}
	}
	for i := range n {
		setNibble(b[:], next+i, fill[i])
	}
	if f.usesPAN() {
		pf := panField03(pan)
		for i := range b {
			b[i] ^= pf[i]
		}
	}
	return nil
}
