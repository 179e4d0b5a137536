package iso8583

import (
	"errors"

	"github.com/moov-io/iso8583/encoding"
)

// track2Nibbles is a github.com/moov-io/iso8583 encoding.Encoder for track 2
// data packed as nibbles: the digits 0-9 as themselves, the field separator
// '=' as D, left-aligned, and an odd count padded with a trailing F nibble.
// moov's BCD encoders accept digits only, so they cannot carry the separator.
type track2Nibbles struct{}

var _ encoding.Encoder = track2Nibbles{}

var errTrack2Char = errors.New("iso8583: track 2 character out of set")

func (track2Nibbles) Encode(src []byte) ([]byte, error) {
	out := make([]byte, (len(src)+1)/2)
	for i, c := range src {
		var n byte
		switch {
		case c >= '0' && c <= '9':
			n = c - '0'
		case c == '=':
			n = 0xD
		default:
			return nil, errTrack2Char
		}
		if i%2 == 0 {
			out[i/2] = n << 4
		} else {
			out[i/2] |= n
		}
	}
	if len(src)%2 == 1 {
		out[len(out)-1] |= 0xF
	}
	return out, nil
}

func (track2Nibbles) Decode(src []byte, length int) ([]byte, int, error) {
	read := (length + 1) / 2
	if length < 0 || len(src) < read {
		return nil, 0, ErrTruncated
	}
	out := make([]byte, length)
	for i := range out {
		b := src[i/2]
		n := b >> 4
		if i%2 == 1 {
			n = b & 0xF
		}
		switch {
		case n <= 9:
			out[i] = '0' + n
		case n == 0xD:
			out[i] = '='
		default:
			return nil, 0, errTrack2Char
		}
	}
	if length%2 == 1 && src[read-1]&0xF != 0xF {
		return nil, 0, errTrack2Char
	}
	return out, read, nil
}
