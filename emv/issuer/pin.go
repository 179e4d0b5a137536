package issuer

import (
	"github.com/posflow/posflow/pinblock"
)

// VISPINBlock returns the 8-byte VIS PIN block a Visa PIN change script
// carries (before encipherment): the PIN length as one byte, the PIN
// digits and F filler to 8 bytes, exclusive-ored with 00 00 00 00 ‖ bytes
// 5–8 of the ICC master key for application cryptograms mkAC; when
// currentPIN is not empty, also exclusive-ored with the current PIN's
// digits, zero-filled on the right to 16 digits.
func VISPINBlock(mkAC []byte, pin, currentPIN string) ([]byte, error) {
	if len(mkAC) != 16 {
		return nil, errKey("ICC master key for application cryptograms", len(mkAC))
	}
	if !validPIN(pin) {
		return nil, ErrPIN
	}
	var b [8]byte
	b[0] = byte(len(pin))
	var digits [14]byte
	for i := range digits {
		digits[i] = 'F'
	}
	copy(digits[:], pin)
	packHex(b[1:], digits[:])
	for i := 4; i < 8; i++ {
		b[i] ^= mkAC[i]
	}
	if currentPIN != "" {
		if !validPIN(currentPIN) {
			return nil, ErrPIN
		}
		var cur [16]byte
		for i := range cur {
			cur[i] = '0'
		}
		copy(cur[:], currentPIN)
		var c [8]byte
		packHex(c[:], cur[:])
		for i := range b {
			b[i] ^= c[i]
		}
	}
	return b[:], nil
}

func iso2Block(pin string) ([]byte, error) {
	if !validPIN(pin) {
		return nil, ErrPIN
	}
	return pinblock.Encode(pinblock.ISO2, pin, "")
}

func validPIN(pin string) bool {
	return len(pin) >= 4 && len(pin) <= 12 && isDigits(pin)
}

// packHex packs the hexadecimal digits 0-9 and F in s into dst.
func packHex(dst, s []byte) {
	nib := func(c byte) byte {
		if c == 'F' {
			return 0x0F
		}
		return c - '0'
	}
	for i := 0; i+1 < len(s); i += 2 {
		dst[i/2] = nib(s[i])<<4 | nib(s[i+1])
	}
}
