package pinblock

// MinPINLength and MaxPINLength bound the PIN length of ISO 9564-1:2017.
const (
	MinPINLength = 4
	MaxPINLength = 12
)

// pin holds the digits of a PIN as values 0–9. It is kept on the stack and
// cleared after use, so that translation never materialises the PIN as a
// string.
type pin struct {
	n int
	d [MaxPINLength]byte
}

func parsePIN(s string) (pin, error) {
	var p pin
	if len(s) < MinPINLength || len(s) > MaxPINLength {
		return p, syntaxErr("PIN", -1, ErrPINLength)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return p, syntaxErr("PIN", i, ErrPINDigit)
		}
		p.d[i] = c - '0'
	}
	p.n = len(s)
	return p, nil
}

// text returns the PIN as a string of digits.
func (p *pin) text() string {
	var b [MaxPINLength]byte
	for i := range p.n {
		b[i] = '0' + p.d[i]
	}
	s := string(b[:p.n])
	clear(b[:])
	return s
}

func (p *pin) clear() {
	clear(p.d[:])
	p.n = 0
}

// putPINField writes control ‖ length ‖ PIN digits into the first nibbles
// of b and returns the index of the first fill nibble.
func (p *pin) putPINField(b []byte, control byte) int {
	setNibble(b, 0, control)
	setNibble(b, 1, byte(p.n))
	for i := range p.n {
		setNibble(b, 2+i, p.d[i])
	}
	return 2 + p.n
}

// parsePINField reads control ‖ length ‖ PIN ‖ fill from the first 16
// nibbles of b, checking every fill nibble with fillOK.
func parsePINField(b []byte, field string, control byte, fillOK func(byte) bool) (pin, error) {
	var p pin
	if nibble(b, 0) != control {
		return p, syntaxErr(field, 0, ErrControl)
	}
	n := int(nibble(b, 1))
	if n < MinPINLength || n > MaxPINLength {
		return p, syntaxErr(field, 1, ErrPINLength)
	}
	for i := range n {
		v := nibble(b, 2+i)
		if v > 9 {
			clear(p.d[:])
			return p, syntaxErr(field, 2+i, ErrPINDigit)
		}
		p.d[i] = v
	}
	for i := 2 + n; i < 16; i++ {
		if !fillOK(nibble(b, i)) {
			clear(p.d[:])
			return p, syntaxErr(field, i, ErrFill)
		}
	}
	p.n = n
	return p, nil
}
