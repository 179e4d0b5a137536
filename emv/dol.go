package emv

import (
	"errors"
	"fmt"

	"github.com/posflow/posflow/tlv"
)

// ErrDOL is wrapped by the errors of malformed data object lists.
var ErrDOL = errors.New("emv: malformed data object list")

// A DOLEntry is one entry of a data object list: a tag, and the length in
// bytes of the value the card asks for.
type DOLEntry struct {
	Tag    tlv.Tag
	Length int
}

// ParseDOL parses a data object list (PDOL, CDOL1, CDOL2, DDOL, TDOL): a
// sequence of tags, each followed by a one-byte length (EMV 4.4 Book 3
// section 5.4). Tags follow the BER-TLV rules of package tlv.
func ParseDOL(dol []byte) ([]DOLEntry, error) {
	var out []DOLEntry
	err := walkDOL(dol, func(e DOLEntry) { out = append(out, e) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DOLLen returns the length of the data a DOL asks for.
func DOLLen(dol []byte) (int, error) {
	total := 0
	err := walkDOL(dol, func(e DOLEntry) { total += e.Length })
	return total, err
}

// walkDOL calls f for each entry of dol.
func walkDOL(dol []byte, f func(DOLEntry)) error {
	for i := 0; i < len(dol); {
		tag, n, err := readTag(dol[i:])
		if err != nil {
			return fmt.Errorf("%w: offset %d: %v", ErrDOL, i, err)
		}
		if i+n >= len(dol) {
			return fmt.Errorf("%w: offset %d: tag %s has no length", ErrDOL, i, tag)
		}
		f(DOLEntry{Tag: tag, Length: int(dol[i+n])})
		i += n + 1
	}
	return nil
}

// readTag reads one tag at the start of b and returns it with its length.
func readTag(b []byte) (tlv.Tag, int, error) {
	if len(b) == 0 {
		return 0, 0, tlv.ErrTruncated
	}
	if b[0] == 0x00 || b[0] == 0xFF {
		return 0, 0, tlv.ErrInvalidTag
	}
	n := 1
	if b[0]&0x1F == 0x1F {
		for {
			if n >= len(b) {
				return 0, 0, tlv.ErrTruncated
			}
			if n == tlv.MaxTagLen {
				return 0, 0, tlv.ErrInvalidTag
			}
			n++
			if b[n-1]&0x80 == 0 {
				break
			}
		}
	}
	var t tlv.Tag
	for _, c := range b[:n] {
		t = t<<8 | tlv.Tag(c)
	}
	if !t.Valid() {
		return 0, 0, tlv.ErrInvalidTag
	}
	return t, n, nil
}

// AppendDOLData appends to dst the data a DOL asks for, taking each value
// from values, by the rules of EMV 4.4 Book 3 section 5.4:
//
//   - a value of format n is right-aligned: a longer value loses its
//     leftmost bytes, a shorter one is padded on the left with 00;
//   - a value of format cn is left-aligned: a longer value loses its
//     rightmost bytes, a shorter one is padded on the right with FF;
//   - any other value is left-aligned: a longer value loses its rightmost
//     bytes, a shorter one is padded on the right with 00;
//   - a tag values does not know, and a constructed tag, give zeros.
//
// The format of a tag comes from the dictionary; a tag values knows but
// the dictionary does not is taken as binary.
func AppendDOLData(dst, dol []byte, values func(tlv.Tag) ([]byte, bool)) ([]byte, error) {
	start := len(dst)
	err := walkDOL(dol, func(e DOLEntry) {
		dst = appendDOLValue(dst, e, values)
	})
	if err != nil {
		return dst[:start], err
	}
	return dst, nil
}

func appendDOLValue(dst []byte, e DOLEntry, values func(tlv.Tag) ([]byte, bool)) []byte {
	v, ok := values(e.Tag)
	if !ok || e.Tag.Constructed() {
		return appendFill(dst, 0x00, e.Length)
	}
	switch dictionary[e.Tag].Format {
	case FormatN:
		if len(v) >= e.Length {
			return append(dst, v[len(v)-e.Length:]...)
		}
		dst = appendFill(dst, 0x00, e.Length-len(v))
		return append(dst, v...)
	case FormatCN:
		if len(v) >= e.Length {
			return append(dst, v[:e.Length]...)
		}
		dst = append(dst, v...)
		return appendFill(dst, 0xFF, e.Length-len(v))
	}
	if len(v) >= e.Length {
		return append(dst, v[:e.Length]...)
	}
	dst = append(dst, v...)
	return appendFill(dst, 0x00, e.Length-len(v))
}

func appendFill(dst []byte, c byte, n int) []byte {
	for range n {
		dst = append(dst, c)
	}
	return dst
}
