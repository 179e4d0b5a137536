package pinblock

// MinPANLength and MaxPANLength bound the PANs this package accepts.
// ISO/IEC 7812-1 allows at most 19 digits. The lower bound is this
// package's choice: 8 digits is the shortest number a 6-digit issuer
// identification number, one account digit and the check digit can form,
// and it keeps an empty or truncated PAN from silently weakening the
// binding of formats 0, 3 and 4.
const (
	MinPANLength = 8
	MaxPANLength = 19
)

func checkPAN(pan string) error {
	if len(pan) < MinPANLength || len(pan) > MaxPANLength {
		return syntaxErr("PAN", -1, ErrPANLength)
	}
	for i := 0; i < len(pan); i++ {
		if pan[i] < '0' || pan[i] > '9' {
			return syntaxErr("PAN", i, ErrPANDigit)
		}
	}
	return nil
}

// panField03 returns the PAN field of formats 0 and 3: four zero nibbles
// followed by the 12 rightmost PAN digits excluding the check digit,
// right-justified with zeros on the left if there are fewer. pan must have
// passed checkPAN.
func panField03(pan string) [8]byte {
	var f [8]byte
	body := pan[:len(pan)-1]
	if len(body) > 12 {
		body = body[len(body)-12:]
	}
	start := 16 - len(body)
	for i := 0; i < len(body); i++ {
		setNibble(f[:], start+i, body[i]-'0')
	}
	return f
}

// panField4 returns the PAN field of format 4: M ‖ PAN ‖ zero padding,
// where M is the PAN length minus 12, and a PAN of fewer than 12 digits
// is right-justified in 12 digits with M = 0. pan must have passed
// checkPAN.
func panField4(pan string) [16]byte {
	var f [16]byte
	m := 0
	start := 1 + 12 - len(pan)
	if len(pan) > 12 {
		m = len(pan) - 12
		start = 1
	}
	setNibble(f[:], 0, byte(m))
	for i := 0; i < len(pan); i++ {
		setNibble(f[:], start+i, pan[i]-'0')
	}
	return f
}
