package iso8583

import (
	"math/bits"
	"strconv"
)

// Pack returns the wire bytes of m.
func (s *Spec) Pack(m *Message) ([]byte, error) {
	return s.AppendPack(make([]byte, 0, 64+2*m.size()), m)
}

// AppendPack appends the wire bytes of m to dst: the MTI, the bitmap (with
// a secondary bitmap when a field above 64 is present) and the fields in
// order. Every value is checked against its field's format first. It does
// not change m, so a message may be packed by several goroutines at once.
func (s *Spec) AppendPack(dst []byte, m *Message) ([]byte, error) {
	return s.appendPack(dst, m, false)
}

// appendPack is AppendPack; with record it also notes in m where each field
// lies in the packed bytes, for Sign.
func (s *Spec) appendPack(dst []byte, m *Message, record bool) ([]byte, error) {
	if !m.MTI.Valid() {
		return dst, &FieldError{Field: 0, Err: ErrInvalidMTI}
	}
	base := len(dst)
	if s.mti.direct != viaMoov {
		// A valid MTI is four ASCII digits, which encoding.ASCII and
		// encoding.Binary write as they are.
		dst = append(dst, m.MTI...)
	} else {
		mti, err := s.mti.enc.Encode([]byte(m.MTI))
		if err != nil {
			return dst, &FieldError{Field: 0, Err: ErrInvalidMTI}
		}
		dst = append(dst, mti...)
	}

	var bitmap [16]byte
	n := 8
	for _, e := range m.fields {
		if !s.Defined(e.id) {
			return dst, &FieldError{Field: e.id, Err: ErrUnknownField}
		}
		if e.id > 64 {
			n = 16
		}
		bitmap[(e.id-1)/8] |= 0x80 >> ((e.id - 1) % 8)
	}
	if n == 16 {
		bitmap[0] |= 0x80
	}
	dst = append(dst, bitmap[:n]...)

	for i := range m.fields {
		e := &m.fields[i]
		c := s.fields[e.id]
		if err := c.check(e.val); err != nil {
			return dst, err
		}
		start := len(dst) - base
		var err error
		if dst, err = c.appendField(dst, e.val); err != nil {
			return dst, err
		}
		if record {
			e.start, e.end = int32(start), int32(len(dst)-base)
		}
	}
	return dst, nil
}

// check validates the length and characters of a field value.
func (c *codec) check(v []byte) error {
	if c.digits == 0 && len(v) != c.max {
		return &FieldError{Field: c.id, Err: ErrInvalidField, Reason: c.withHint(len(v), "length "+strconv.Itoa(len(v))+", want "+strconv.Itoa(c.max))}
	}
	if len(v) > c.max {
		return &FieldError{Field: c.id, Err: ErrInvalidField, Reason: "length " + strconv.Itoa(len(v)) + " over maximum " + strconv.Itoa(c.max)}
	}
	if !c.stepFits(len(v)) {
		return &FieldError{Field: c.id, Err: ErrInvalidField, Reason: c.stepReason(len(v))}
	}
	if !c.class.valid(v) {
		return &FieldError{Field: c.id, Err: ErrInvalidField, Reason: "character outside class " + c.class.String()}
	}
	return nil
}

// stepFits reports whether a value of n bytes fits the codec's step.
func (c *codec) stepFits(n int) bool {
	return c.step == 0 || n != 0 && n%c.step == 0
}

func (c *codec) stepReason(n int) string {
	return "length " + strconv.Itoa(n) + ", want a multiple of " + strconv.Itoa(c.step) + " up to " + strconv.Itoa(c.max)
}

// withHint adds the codec's hint to the reason for a value of n bytes
// that is longer than the field.
func (c *codec) withHint(n int, reason string) string {
	if c.hint == "" || n <= c.max {
		return reason
	}
	return reason + " (" + c.hint + ")"
}

func (k class) valid(v []byte) bool {
	switch k {
	case classN:
		for _, c := range v {
			if c < '0' || c > '9' {
				return false
			}
		}
	case classZ:
		for _, c := range v {
			if (c < '0' || c > '9') && c != '=' {
				return false
			}
		}
	case classXN:
		if len(v) == 0 || v[0] != 'C' && v[0] != 'D' {
			return false
		}
		return classN.valid(v[1:])
	case classAN:
		for _, c := range v {
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == ' ') {
				return false
			}
		}
	case classANS:
		for _, c := range v {
			if c < 0x20 || c > 0x7E {
				return false
			}
		}
	}
	return true
}

// Unpack decodes a whole message. The message keeps data as its Raw bytes
// and its values are fresh copies.
//
// Unpack is strict: the bitmap may announce only fields the spec defines,
// every length and character must fit its field, pad nibbles must be as
// the spec writes them, hexadecimal must be upper case, and the message must
// end where its last field ends.
func (s *Spec) Unpack(data []byte) (*Message, error) {
	m := new(Message)
	if err := s.UnpackInto(m, data); err != nil {
		return nil, err
	}
	return m, nil
}

// UnpackInto is Unpack into an existing message, reusing its storage for
// the list of fields. The values are fresh copies, as with Unpack.
func (s *Spec) UnpackInto(m *Message, data []byte) error {
	m.reset()
	// MTI
	ml := s.mti.wireLen(4)
	if len(data) < ml {
		return &FieldError{Field: 0, Err: ErrTruncated}
	}
	if s.mti.wire == wireBCD && !bcdDigits(data[:ml]) {
		return &FieldError{Field: 0, Err: ErrInvalidMTI}
	}
	var mti MTI
	if s.mti.direct != viaMoov && ml >= 4 {
		// encoding.ASCII would refuse a byte above 127, which is no
		// digit either.
		mti = mtiOf(data[:4])
	} else if v, _, err := s.mti.enc.Decode(data[:ml], 4); err == nil {
		mti = mtiOf(v)
	}
	if !mti.Valid() {
		return &FieldError{Field: 0, Err: ErrInvalidMTI}
	}
	m.MTI = mti
	off := ml

	// Bitmap
	if len(data) < off+8 {
		return &FieldError{Field: 1, Err: ErrTruncated}
	}
	bm := data[off : off+8]
	if bm[0]&0x80 != 0 {
		if len(data) < off+16 {
			return &FieldError{Field: 1, Err: ErrTruncated}
		}
		bm = data[off : off+16]
	}
	off += len(bm)
	if len(bm) == 16 && isZero(bm[8:]) {
		return &FieldError{Field: 1, Err: ErrInvalidField, Reason: "empty secondary bitmap"}
	}
	// Every field takes at least a byte, so a bitmap cannot make us
	// allocate for more fields than there are bytes left.
	if n := min(fieldCount(bm), len(data)-off); cap(m.fields) < n {
		m.fields = make([]entry, 0, n)
	}

	var vals valueBuf // the values coded as they are, copied
	for id := 2; id <= len(bm)*8; id++ {
		if bm[(id-1)/8]&(0x80>>((id-1)%8)) == 0 {
			continue
		}
		c := s.fields[id]
		if c == nil {
			return &FieldError{Field: id, Err: ErrUnknownField}
		}
		start := off
		n := c.max
		if c.digits != 0 {
			pl := c.prefixLen()
			if len(data)-off < pl {
				return &FieldError{Field: id, Err: ErrTruncated, Reason: "in length prefix"}
			}
			if !c.prefixDigits(data[off : off+pl]) {
				return &FieldError{Field: id, Err: ErrInvalidField, Reason: "length prefix is not " + strconv.Itoa(c.digits) + " digits"}
			}
			var err error
			if c.asciiLen {
				// The prefixer would parse the digits checked above and
				// refuse a length over the maximum.
				if n = asciiLength(data[off : off+pl]); n > c.max {
					err = ErrInvalidField
				}
			} else {
				n, _, err = c.pref.DecodeLength(c.max, data[off:off+pl])
			}
			if err != nil {
				return &FieldError{Field: id, Err: ErrInvalidField, Reason: "length over maximum " + strconv.Itoa(c.max)}
			}
			if !c.stepFits(n) {
				return &FieldError{Field: id, Err: ErrInvalidField, Reason: c.stepReason(n)}
			}
			off += pl
		}
		wl := c.wireLen(n)
		if len(data)-off < wl {
			return &FieldError{Field: id, Err: ErrTruncated}
		}
		w := data[off : off+wl]
		if !c.canonical(w, n) {
			return &FieldError{Field: id, Err: ErrInvalidField, Reason: "not in canonical " + c.class.String() + " form"}
		}
		var v []byte
		ok := true
		if c.direct != viaMoov {
			v, ok = c.decodeDirect(w, n, &vals, len(data)-off)
		} else {
			var err error
			v, _, err = c.enc.Decode(w, n)
			ok = err == nil
		}
		if !ok {
			return &FieldError{Field: id, Err: ErrInvalidField, Reason: "value does not decode"}
		}
		if !c.class.valid(v) {
			return &FieldError{Field: id, Err: ErrInvalidField, Reason: "character outside class " + c.class.String()}
		}
		off += wl
		m.fields = append(m.fields, entry{id: id, val: v, start: int32(start), end: int32(off)})
	}
	if off != len(data) {
		return &FieldError{Field: m.lastID(), Err: ErrTrailingData}
	}
	m.raw = data
	return nil
}

func (m *Message) lastID() int {
	if len(m.fields) == 0 {
		return 1
	}
	return m.fields[len(m.fields)-1].id
}

// fieldCount returns the number of fields bitmap bm announces, not
// counting bit 1, which announces the secondary bitmap.
func fieldCount(bm []byte) int {
	n := 0
	for _, b := range bm {
		n += bits.OnesCount8(b)
	}
	if bm[0]&0x80 != 0 {
		n--
	}
	return n
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// bcdDigits reports whether every nibble of b is a decimal digit.
func bcdDigits(b []byte) bool {
	for _, c := range b {
		if c>>4 > 9 || c&0xF > 9 {
			return false
		}
	}
	return true
}

func (c *codec) prefixDigits(p []byte) bool {
	if c.bcdLen {
		return bcdDigits(p) && (c.digits%2 == 0 || p[0]>>4 == 0)
	}
	for _, d := range p {
		if d < '0' || d > '9' {
			return false
		}
	}
	return true
}

// canonical checks the wire bytes w of a value of n characters or bytes for
// the one encoding the spec writes: decimal nibbles with 0 padding for BCD,
// upper-case hexadecimal.
func (c *codec) canonical(w []byte, n int) bool {
	switch c.wire {
	case wireBCD:
		return bcdDigits(w) && (n%2 == 0 || len(w) == 0 || w[0]>>4 == 0)
	case wireLBCD:
		return bcdDigits(w) && (n%2 == 0 || len(w) == 0 || w[len(w)-1]&0xF == 0)
	case wireHex:
		for _, d := range w {
			if !(d >= '0' && d <= '9' || d >= 'A' && d <= 'F') {
				return false
			}
		}
	}
	return true
}
