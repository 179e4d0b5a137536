package qr

// CRC returns the CRC-16 of data as the merchant-presented mode computes
// it (EMVCo MPM v1.1, the CRC data object 63, after ISO/IEC 13239):
// polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR,
// the parameters catalogued as CRC-16/CCITT-FALSE (or CRC-16/IBM-3740).
// Its check value, the CRC of "123456789", is 0x29B1.
//
// In a payload the CRC covers every byte before its value: all the data
// objects and then the ID and length of the CRC object itself, "6304".
func CRC(data []byte) uint16 {
	return updateCRC(0xFFFF, data)
}

// CRCString is CRC for a string, without copying it.
func CRCString(s string) uint16 {
	crc := uint16(0xFFFF)
	for i := 0; i < len(s); i++ {
		crc = crc<<8 ^ crcTable[byte(crc>>8)^s[i]]
	}
	return crc
}

func updateCRC(crc uint16, data []byte) uint16 {
	for _, b := range data {
		crc = crc<<8 ^ crcTable[byte(crc>>8)^b]
	}
	return crc
}

// crcTable holds the CRC of each byte value, shifted through the
// polynomial eight times: the usual byte-at-a-time table.
var crcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

// appendHex4 appends v as four upper-case hexadecimal digits, as the CRC
// is written in a payload.
func appendHex4(dst []byte, v uint16) []byte {
	const digits = "0123456789ABCDEF"
	return append(dst, digits[v>>12], digits[v>>8&0xF], digits[v>>4&0xF], digits[v&0xF])
}

// parseHex4 reads four hexadecimal digits; lower case only if lower is set.
func parseHex4(s string, lower bool) (uint16, bool) {
	if len(s) != 4 {
		return 0, false
	}
	var v uint16
	for i := 0; i < 4; i++ {
		c := s[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		case lower && 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint16(d)
	}
	return v, true
}
