package pinblock

import "strconv"

// Format is a PIN block format of ISO 9564-1:2017. Its value is the
// control field, the first nibble of the block.
type Format uint8

// The PIN block formats of ISO 9564-1:2017.
const (
	ISO0 Format = 0 // PIN XOR PAN, fill F (ANSI X9.8, EMV online PIN)
	ISO1 Format = 1 // PIN with random fill, no PAN
	ISO2 Format = 2 // PIN with fill F, no PAN; offline PIN to an ICC only
	ISO3 Format = 3 // PIN XOR PAN, random fill A–F
	ISO4 Format = 4 // 16-byte AES format
)

// String returns "ISO-0" … "ISO-4", or "Format(n)" for other values.
func (f Format) String() string {
	if f <= ISO4 {
		return "ISO-" + strconv.Itoa(int(f))
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// BlockSize returns the size of an enciphered block of format f in bytes:
// 8 for formats 0 to 3, 16 for format 4, and 0 for other values.
func (f Format) BlockSize() int {
	switch {
	case f <= ISO3:
		return 8
	case f == ISO4:
		return 16
	}
	return 0
}

// usesPAN reports whether the format binds the PAN into the block.
func (f Format) usesPAN() bool { return f == ISO0 || f == ISO3 || f == ISO4 }

// nibble returns the i-th nibble of b, most significant first.
func nibble(b []byte, i int) byte {
	if i%2 == 0 {
		return b[i/2] >> 4
	}
	return b[i/2] & 0x0f
}

// setNibble sets the i-th nibble of b to v.
func setNibble(b []byte, i int, v byte) {
	if i%2 == 0 {
		b[i/2] = b[i/2]&0x0f | v<<4
	} else {
		b[i/2] = b[i/2]&0xf0 | v&0x0f
	}
}
