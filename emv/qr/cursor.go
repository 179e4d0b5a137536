package qr

import "unicode/utf8"

// A Cursor reads the data objects of one level of a merchant-presented
// payload, in order, without allocating: each is an ID of two digits,
// a length of two digits from "01" to "99" and a value of that many
// characters. Use it like bufio.Scanner:
//
//	c := qr.NewCursor(payload)
//	for c.Next() {
//		id, v := c.ID(), c.Value()
//		...
//	}
//	if err := c.Err(); err != nil {
//		...
//	}
//
// The length counts characters, not bytes: the EMVCo example payload
// writes the four Chinese characters of its alternate merchant name
// (twelve bytes of UTF-8) with the length "04". For the ASCII text that
// makes up most payloads the two are the same.
//
// The values are sub-strings of the input. A cursor checks the syntax of
// its level only; it looks inside a template when asked, through
// Cursor.Children.
type Cursor struct {
	s      string // the level being read
	pos    int    // next byte of s to read
	base   int    // offset of s in the whole payload
	parent ID     // template holding this level, or noParent
	id     ID
	off    int // offset of the current object in s
	val    string
	err    error
}

// NewCursor returns a cursor over the top level of payload.
func NewCursor(payload string) Cursor {
	return Cursor{s: payload, parent: noParent}
}

// Next reads the next data object. It returns false at the end of the
// input or at the first malformed object, after which Err tells which.
func (c *Cursor) Next() bool {
	if c.err != nil || c.pos >= len(c.s) {
		return false
	}
	start := c.pos
	rest := c.s[start:]
	if len(rest) < 2 {
		return c.fail(start, noParent, ErrTruncated, "")
	}
	id, ok := twoDigits(rest)
	if !ok {
		return c.fail(start, noParent, ErrID, "")
	}
	if len(rest) < 4 {
		return c.fail(start, ID(id), ErrTruncated, "")
	}
	n, ok := twoDigits(rest[2:])
	if !ok || n == 0 {
		return c.fail(start, ID(id), ErrLength, "")
	}
	// Advance over n characters. The loop advances at least one byte a
	// character, so it ends within len(rest) steps whatever n says.
	p := 4
	for range n {
		if p >= len(rest) {
			return c.fail(start, ID(id), ErrTruncated, "")
		}
		if rest[p] < utf8.RuneSelf {
			p++
			continue
		}
		r, size := utf8.DecodeRuneInString(rest[p:])
		if r == utf8.RuneError && size <= 1 {
			return c.fail(start, ID(id), ErrUTF8, "")
		}
		p += size
	}
	c.id, c.off, c.val = ID(id), start, rest[4:p]
	c.pos = start + p
	return true
}

func (c *Cursor) fail(off int, id ID, err error, detail string) bool {
	e := &ObjectError{Offset: c.base + off, Err: err, Detail: detail}
	if id != noParent {
		e.Path = path(c.parent, id)
	} else if c.parent != noParent {
		e.Path = c.parent.String()
	}
	c.err = e
	return false
}

// twoDigits reads two decimal digits from the start of s, which must have
// at least two bytes.
func twoDigits(s string) (int, bool) {
	a, b := s[0]-'0', s[1]-'0'
	if a > 9 || b > 9 {
		return 0, false
	}
	return int(a)*10 + int(b), true
}

// ID returns the ID of the current data object.
func (c *Cursor) ID() ID { return c.id }

// Value returns the value of the current data object, a sub-string of the
// input.
func (c *Cursor) Value() string { return c.val }

// Raw returns the whole current data object as it appears in the input:
// ID, length and value.
func (c *Cursor) Raw() string { return c.s[c.off:c.pos] }

// Offset returns the byte offset of the current data object's ID in the
// outermost payload.
func (c *Cursor) Offset() int { return c.base + c.off }

// Rest returns the input not yet read.
func (c *Cursor) Rest() string { return c.s[c.pos:] }

// Err returns the error that stopped the cursor, an *ObjectError, or nil
// if it reached the end of its input.
func (c *Cursor) Err() error { return c.err }

// Children returns a cursor over the data objects inside the current
// object's value, for a template. Offsets stay relative to the outermost
// payload, and errors name the template in their path ("62.05").
func (c *Cursor) Children() Cursor {
	return Cursor{s: c.val, base: c.base + c.off + 4, parent: c.id}
}
