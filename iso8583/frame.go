package iso8583

import (
	"encoding/binary"
	"errors"
	"io"
	"strconv"
)

// Frame errors.
var (
	// ErrFrameTooLarge means a frame's length header announces more than
	// the maximum frame size; the frame is not read.
	ErrFrameTooLarge = errors.New("iso8583: frame too large")
	// ErrFrameLength means a length header is not a valid length, or a frame
	// is too short for its TPDU.
	ErrFrameLength = errors.New("iso8583: invalid frame length header")
)

// LengthHeader is the length prefix of a frame on a stream connection.
type LengthHeader uint8

const (
	// Binary2 is a 2-byte big-endian binary length (up to 65535).
	Binary2 LengthHeader = iota
	// ASCII4 is a 4-digit ASCII decimal length (up to 9999).
	ASCII4
)

// DefaultMaxFrame is the largest frame Framing accepts when MaxFrame is 0:
// the largest message of ISO 8583:1987 fields 2 to 128 at their maximum
// lengths stays well below it in practice, and a frame this size costs the
// reader one bounded allocation.
const DefaultMaxFrame = 8192

// A TPDU is the 5-byte transport protocol data unit some POS networks put
// in front of the message: an ID (0x60), a 2-byte destination address and
// a 2-byte source address.
type TPDU [5]byte

// Reply returns the TPDU of the response: the same ID with the addresses
// swapped.
func (t TPDU) Reply() TPDU {
	return TPDU{t[0], t[3], t[4], t[1], t[2]}
}

// Framing describes how messages are framed on a stream: a length header,
// then an optional TPDU, then the message. The length counts the TPDU and
// the message. The zero value is a 2-byte binary length, no TPDU and
// DefaultMaxFrame.
type Framing struct {
	Length   LengthHeader
	TPDU     bool // a 5-byte TPDU follows the length
	MaxFrame int  // the largest length accepted; 0 means DefaultMaxFrame
}

func (f Framing) max() int {
	m := f.MaxFrame
	if m <= 0 {
		m = DefaultMaxFrame
	}
	if f.Length == ASCII4 {
		return min(m, 9999)
	}
	return min(m, 65535)
}

// AppendFrame appends the framed message to dst: length header, the TPDU
// if f has one, and msg.
func (f Framing) AppendFrame(dst []byte, tpdu TPDU, msg []byte) ([]byte, error) {
	n := len(msg)
	if f.TPDU {
		n += len(tpdu)
	}
	if n > f.max() {
		return dst, ErrFrameTooLarge
	}
	if f.Length == ASCII4 {
		s := strconv.Itoa(n)
		dst = append(dst, "0000"[len(s):]...)
		dst = append(dst, s...)
	} else {
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	}
	if f.TPDU {
		dst = append(dst, tpdu[:]...)
	}
	return append(dst, msg...), nil
}

// ReadFrame reads one frame from r with io.ReadFull and returns its TPDU
// (zero if f has none) and the message. The message is read into buf when
// it has room, and into a new slice otherwise; the frame's length is
// checked against the maximum before anything is allocated or read. A
// clean end of stream before a frame returns io.EOF; an end inside a frame
// returns io.ErrUnexpectedEOF.
func (f Framing) ReadFrame(r io.Reader, buf []byte) (TPDU, []byte, error) {
	var tpdu TPDU
	var h [4]byte
	hl := 2
	if f.Length == ASCII4 {
		hl = 4
	}
	if _, err := io.ReadFull(r, h[:hl]); err != nil {
		return tpdu, nil, err
	}
	var n int
	if f.Length == ASCII4 {
		for _, c := range h[:4] {
			if c < '0' || c > '9' {
				return tpdu, nil, ErrFrameLength
			}
			n = n*10 + int(c-'0')
		}
	} else {
		n = int(binary.BigEndian.Uint16(h[:2]))
	}
	if n > f.max() {
		return tpdu, nil, ErrFrameTooLarge
	}
	if f.TPDU {
		if n < len(tpdu) {
			return tpdu, nil, ErrFrameLength
		}
		if _, err := io.ReadFull(r, tpdu[:]); err != nil {
			return tpdu, nil, noEOF(err)
		}
		n -= len(tpdu)
	}
	if n == 0 {
		return tpdu, nil, ErrFrameLength
	}
	if cap(buf) >= n {
		buf = buf[:n]
	} else {
		buf = make([]byte, n)
	}
	if _, err := io.ReadFull(r, buf); err != nil {
		return tpdu, nil, noEOF(err)
	}
	return tpdu, buf, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
