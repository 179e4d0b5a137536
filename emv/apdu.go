package emv

import (
	"errors"
	"fmt"
)

// A StatusWord is the status SW1 SW2 that ends every response APDU (ISO/IEC
// 7816-4 section 5.6, EMV 4.4 Book 3 section 6.3.5). A status word other
// than 9000 can be returned as an error.
type StatusWord uint16

// Status words of EMV 4.4 Book 3 Tables 3 to 5 and Book 1 section 9.
const (
	SWSuccess                 StatusWord = 0x9000
	SWBytesAvailable          StatusWord = 0x6100 // 61xx: xx more bytes with GET RESPONSE
	SWFileDeactivated         StatusWord = 0x6283 // selected file invalidated (application blocked)
	SWEndOfFile               StatusWord = 0x6282
	SWVerifyFailed            StatusWord = 0x63C0 // 63Cx: PIN wrong, x tries left
	SWWrongLength             StatusWord = 0x6700
	SWAuthMethodBlocked       StatusWord = 0x6983 // PIN try limit exceeded
	SWReferencedDataInvalid   StatusWord = 0x6984
	SWConditionsNotSatisfied  StatusWord = 0x6985
	SWWrongData               StatusWord = 0x6A80
	SWFunctionNotSupported    StatusWord = 0x6A81 // card or application blocked
	SWFileNotFound            StatusWord = 0x6A82
	SWRecordNotFound          StatusWord = 0x6A83
	SWReferencedDataNotFound  StatusWord = 0x6A88
	SWWrongLe                 StatusWord = 0x6C00 // 6Cxx: re-send with Le = xx
	SWInstructionNotSupported StatusWord = 0x6D00
	SWClassNotSupported       StatusWord = 0x6E00
)

// SW1 returns the first byte of sw.
func (sw StatusWord) SW1() byte { return byte(sw >> 8) }

// SW2 returns the second byte of sw.
func (sw StatusWord) SW2() byte { return byte(sw) }

// OK reports whether sw is 9000.
func (sw StatusWord) OK() bool { return sw == SWSuccess }

// Warning reports whether sw is a warning (62xx or 63xx): the command was
// processed and the response may carry data.
func (sw StatusWord) Warning() bool { return sw.SW1() == 0x62 || sw.SW1() == 0x63 }

// String returns sw as four hexadecimal digits, "6A82".
func (sw StatusWord) String() string {
	return fmt.Sprintf("%04X", uint16(sw))
}

// Error returns a description of sw, "emv: status 6A82 (file or
// application not found)".
func (sw StatusWord) Error() string {
	if m := sw.meaning(); m != "" {
		return "emv: status " + sw.String() + " (" + m + ")"
	}
	return "emv: status " + sw.String()
}

func (sw StatusWord) meaning() string {
	switch sw.SW1() {
	case 0x61:
		return fmt.Sprintf("%d bytes available", responseLen(sw.SW2()))
	case 0x6C:
		return fmt.Sprintf("wrong Le, %d bytes available", responseLen(sw.SW2()))
	case 0x63:
		if sw&0xFFF0 == SWVerifyFailed {
			return fmt.Sprintf("verification failed, %d tries left", sw&0x0F)
		}
	}
	switch sw {
	case SWSuccess:
		return "success"
	case SWFileDeactivated:
		return "selected file invalidated"
	case SWEndOfFile:
		return "end of file reached before reading Le bytes"
	case SWWrongLength:
		return "wrong length"
	case SWAuthMethodBlocked:
		return "authentication method blocked"
	case SWReferencedDataInvalid:
		return "referenced data invalidated"
	case SWConditionsNotSatisfied:
		return "conditions of use not satisfied"
	case SWWrongData:
		return "incorrect parameters in the data field"
	case SWFunctionNotSupported:
		return "function not supported"
	case SWFileNotFound:
		return "file or application not found"
	case SWRecordNotFound:
		return "record not found"
	case SWReferencedDataNotFound:
		return "referenced data not found"
	case SWInstructionNotSupported:
		return "instruction code not supported"
	case SWClassNotSupported:
		return "class not supported"
	}
	return ""
}

// responseLen reads the length byte of 61xx and 6Cxx, where 00 means 256.
func responseLen(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}

// A Command is a command APDU (ISO/IEC 7816-4 section 5.1) in short form.
type Command struct {
	CLA, INS, P1, P2 byte
	// Data is the command data; at most 255 bytes.
	Data []byte
	// Le is the number of response bytes expected: 0 for none (no Le
	// field), 1 to 256 (256 is sent as 00). EMV commands that expect data
	// ask for 256.
	Le int
}

// ErrCommand is returned for a command that cannot be encoded.
var ErrCommand = errors.New("emv: invalid command APDU")

// AppendCommand appends the encoding of c to dst: CLA INS P1 P2, then Lc and
// the data if there are any, then Le if expected.
func AppendCommand(dst []byte, c Command) ([]byte, error) {
	if len(c.Data) > 255 || c.Le < 0 || c.Le > 256 {
		return dst, fmt.Errorf("%w: %d data bytes, Le %d", ErrCommand, len(c.Data), c.Le)
	}
	dst = append(dst, c.CLA, c.INS, c.P1, c.P2)
	if len(c.Data) > 0 {
		dst = append(dst, byte(len(c.Data)))
		dst = append(dst, c.Data...)
	}
	if c.Le > 0 {
		dst = append(dst, byte(c.Le)) // 256 becomes 00
	}
	return dst, nil
}

// ParseCommand decodes a command APDU in short form (ISO/IEC 7816-4
// section 5.1), the inverse of AppendCommand: CLA INS P1 P2, then nothing,
// Le, or Lc and the data with an optional Le. Lc 00 and length fields that
// do not match the input are ErrCommand errors. Data aliases b.
func ParseCommand(b []byte) (Command, error) {
	if len(b) < 4 {
		return Command{}, fmt.Errorf("%w: %d bytes", ErrCommand, len(b))
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3]}
	rest := b[4:]
	switch {
	case len(rest) == 0:
	case len(rest) == 1:
		c.Le = responseLen(rest[0])
	case rest[0] != 0 && len(rest) == 1+int(rest[0]):
		c.Data = rest[1:]
	case rest[0] != 0 && len(rest) == 2+int(rest[0]):
		c.Data = rest[1 : 1+int(rest[0])]
		c.Le = responseLen(rest[len(rest)-1])
	default:
		return Command{}, fmt.Errorf("%w: length fields do not match", ErrCommand)
	}
	return c, nil
}

// A Response is a response APDU: data and status word.
type Response struct {
	Data []byte
	SW   StatusWord
}

// ErrResponse is returned for response bytes shorter than a status word.
var ErrResponse = errors.New("emv: response shorter than a status word")

// ParseResponse splits response bytes into data and status word. Data
// aliases b.
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, ErrResponse
	}
	n := len(b) - 2
	return Response{Data: b[:n:n], SW: StatusWord(b[n])<<8 | StatusWord(b[n+1])}, nil
}
