package pinblock

// Decode returns the PIN held in the clear PIN block of format f (ISO0 to
// ISO3). pan is ignored by formats 1 and 2. Every nibble is checked: the
// control field, the PIN length (4 to 12), the PIN digits, and the fill
// (F for formats 0 and 2, A–F for format 3, any value for format 1). A
// block that fails a check returns a [*SyntaxError], never a PIN.
//
// Formats 0 and 3 carry no integrity check of their own: a wrong PAN
// usually shows as [ErrFill], but when the two PANs differ only in digits
// that overlay PIN digits, the block decodes to a different PIN. Integrity
// comes from the MAC of the message that carries the block.
func Decode(f Format, block []byte, pan string) (string, error) {
	p, err := decode03(f, block, pan)
	if err != nil {
		return "", err
	}
	defer p.clear()
	return p.text(), nil
}

func decode03(f Format, block []byte, pan string) (pin, error) {
	if f > ISO3 {
		return pin{}, FormatError(f)
	}
	if len(block) != 8 {
		return pin{}, syntaxErr("PIN block", -1, ErrBlockSize)
	}
	var b [8]byte
	defer clear(b[:])
	copy(b[:], block)
	if f.usesPAN() {
		if err := checkPAN(pan); err != nil {
			return pin{}, err
		}
		pf := panField03(pan)
		for i := range b {
			b[i] ^= pf[i]
		}
	}
	return parsePINField(b[:], "PIN block", byte(f), fillCheck(f))
}

func fillCheck(f Format) func(byte) bool {
	switch f {
	case ISO1:
		return func(byte) bool { return true }
	case ISO3:
		return func(v byte) bool { return v >= 0xa }
	case ISO4:
		return func(v byte) bool { return v == 0xa }
	default: // ISO0, ISO2
		return func(v byte) bool { return v == 0xf }
	}
}
