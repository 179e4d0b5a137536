package tlv

import "fmt"

// Encode returns the encoding of tlvs, in order, with minimal lengths. A
// constructed TLV with Children is written from them, recursively; one
// without Children is written with Value as its contents. Encode returns an
// error for an invalid tag, children under a primitive tag, a value longer
// than MaxLength, or nesting deeper than DefaultMaxDepth.
func Encode(tlvs ...TLV) ([]byte, error) {
	n, err := encodedLen(tlvs, 1)
	if err != nil {
		return nil, err
	}
	return appendTLVs(make([]byte, 0, n), tlvs), nil
}

// AppendEncode appends the encoding of tlvs to dst, as [Encode] does, and
// returns the extended buffer. On error dst is returned unchanged.
func AppendEncode(dst []byte, tlvs ...TLV) ([]byte, error) {
	n, err := encodedLen(tlvs, 1)
	if err != nil {
		return dst, err
	}
	dst = grow(dst, n)
	return appendTLVs(dst, tlvs), nil
}

// AppendTLV appends one primitive data object, tag t and value v, to dst.
// It returns an error for an invalid tag or a value longer than MaxLength.
func AppendTLV(dst []byte, t Tag, v []byte) ([]byte, error) {
	if !t.Valid() {
		return dst, fmt.Errorf("tlv: encode tag %s: %w", t, ErrInvalidTag)
	}
	if len(v) > MaxLength {
		return dst, fmt.Errorf("tlv: encode tag %s: %w", t, ErrLengthTooLarge)
	}
	dst = AppendTag(dst, t)
	dst = AppendLength(dst, len(v))
	return append(dst, v...), nil
}

func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n)
		copy(nb, b)
		return nb
	}
	return b
}

// encodedLen checks tlvs and returns the length of their encoding.
func encodedLen(tlvs []TLV, depth int) (int, error) {
	total := 0
	for i := range tlvs {
		n, err := tlvs[i].encodedLen(depth)
		if err != nil {
			return 0, err
		}
		total += n
		if total > MaxLength+8 {
			// Past anything a parent could hold; stop before overflow.
			return 0, fmt.Errorf("tlv: encode tag %s: %w", tlvs[i].Tag, ErrLengthTooLarge)
		}
	}
	return total, nil
}

func (t *TLV) encodedLen(depth int) (int, error) {
	if !t.Tag.Valid() {
		return 0, fmt.Errorf("tlv: encode tag %s: %w", t.Tag, ErrInvalidTag)
	}
	if depth > DefaultMaxDepth {
		return 0, fmt.Errorf("tlv: encode tag %s: %w", t.Tag, ErrTooDeep)
	}
	n := len(t.Value)
	if len(t.Children) > 0 {
		if !t.Tag.Constructed() {
			return 0, fmt.Errorf("tlv: encode tag %s: %w", t.Tag, ErrPrimitiveChildren)
		}
		var err error
		if n, err = encodedLen(t.Children, depth+1); err != nil {
			return 0, err
		}
	}
	if n > MaxLength {
		return 0, fmt.Errorf("tlv: encode tag %s: %w", t.Tag, ErrLengthTooLarge)
	}
	return t.Tag.Len() + lengthLen(n) + n, nil
}

// valueLen returns the length of t's contents; t has been checked.
func (t *TLV) valueLen() int {
	if len(t.Children) == 0 {
		return len(t.Value)
	}
	n := 0
	for i := range t.Children {
		c := &t.Children[i]
		v := c.valueLen()
		n += c.Tag.Len() + lengthLen(v) + v
	}
	return n
}

// appendTLVs writes tlvs, which encodedLen has checked.
func appendTLVs(dst []byte, tlvs []TLV) []byte {
	for i := range tlvs {
		t := &tlvs[i]
		dst = AppendTag(dst, t.Tag)
		dst = AppendLength(dst, t.valueLen())
		if len(t.Children) > 0 {
			dst = appendTLVs(dst, t.Children)
		} else {
			dst = append(dst, t.Value...)
		}
	}
	return dst
}
