package tlv

// DefaultMaxDepth is the number of nested levels of data objects accepted
// when Options.MaxDepth is zero. EMV nests at most five levels (a SELECT
// response 6F / A5 / BF0C / 61 / 4F); the default is generous but keeps a
// hostile input from driving recursion without bound.
const DefaultMaxDepth = 32

// Options set the decoding rules. The zero value decodes strictly, as EMV
// requires: minimal lengths, 0x00 padding skipped, 0xFF not.
type Options struct {
	// Lenient accepts long-form lengths that a shorter form could hold
	// (81 05, 82 00 85), as some cards send them.
	Lenient bool
	// SkipFF skips 0xFF bytes before, between and after data objects, as
	// ISO/IEC 7816-4 Annex D allows. Leave it off for EMV data, where tags
	// beginning with FF exist (FF35 and other proprietary templates).
	SkipFF bool
	// MaxDepth is the greatest number of nested levels; the top level of the
	// input is level 1. Zero means DefaultMaxDepth.
	MaxDepth int
}

// rules is the compact form of Options that cursors and objects carry.
type rules struct {
	lenient  bool
	skipFF   bool
	maxDepth int32
	depth    int32 // level of the objects the cursor reads; 1 at the top
}

func (o Options) rules() rules {
	r := rules{lenient: o.Lenient, skipFF: o.SkipFF, maxDepth: DefaultMaxDepth, depth: 1}
	if o.MaxDepth > 0 {
		r.maxDepth = int32(min(o.MaxDepth, 1<<30))
	}
	return r
}

// An Object is one data object read by a [Cursor]. Its slices alias the
// input of the cursor.
type Object struct {
	// Tag is the object's tag.
	Tag Tag
	// Value is the contents; for a constructed object, the encoded children.
	Value []byte
	// Raw is the whole encoding of the object as it appears in the input:
	// tag, length and value. Compute MACs and hashes over Raw, never over a
	// re-encoding.
	Raw []byte
	// Offset is the position of the first tag byte in the outermost input.
	Offset int

	r rules
}

// Constructed reports whether the object is constructed.
func (o Object) Constructed() bool { return o.Tag.Constructed() }

// Children returns a cursor over the data objects inside o's value, with
// the rules of the cursor that read o. Offsets stay relative to the
// outermost input. If o's level is already the deepest allowed, the cursor
// returns no objects and its Err is an ErrTooDeep [SyntaxError].
func (o Object) Children() Cursor {
	head := len(o.Raw) - len(o.Value)
	c := Cursor{data: o.Raw, base: o.Offset, tag: o.Tag, vstart: head, pos: len(o.Raw), r: o.r}
	return c.Children()
}

// A Cursor reads the data objects of one level of BER-TLV input, in order,
// without allocating. Use it like bufio.Scanner:
//
//	c := tlv.NewCursor(data)
//	for c.Next() {
//		obj := c.Object()
//		...
//	}
//	if err := c.Err(); err != nil {
//		...
//	}
//
// A cursor checks the objects of the level it walks; it looks inside a
// constructed object only when asked, through [Cursor.Children] or
// [Object.Children]. Use [Validate] to check a whole tree.
type Cursor struct {
	data []byte // the input of this level
	pos  int    // next byte to read in data; the end of the current object
	base int    // offset of data[0] in the outermost input
	err  error

	// The current object: its tag, where it starts, where its value
	// starts; it ends at pos.
	tag    Tag
	start  int
	vstart int

	r rules
}

// NewCursor returns a cursor over data with the strict rules of the zero
// Options.
func NewCursor(data []byte) Cursor {
	return Options{}.NewCursor(data)
}

// NewCursor returns a cursor over data with the rules o.
func (o Options) NewCursor(data []byte) Cursor {
	return Cursor{data: data, r: o.rules()}
}

// Next reads the next data object, skipping padding. It returns false at
// the end of the input or at the first malformed object, after which Err
// tells which.
func (c *Cursor) Next() bool {
	data := c.data
	i := c.pos
	for i < len(data) && (data[i] == 0x00 || data[i] == 0xFF && c.r.skipFF) {
		i++
	}
	if i >= len(data) {
		c.pos = len(data)
		return false
	}
	start := i

	// Tag. The common one- and two-byte tags take the short paths.
	var tag Tag
	b := data[i]
	if b&0x1F != 0x1F {
		tag = Tag(b)
		i++
	} else if i+1 < len(data) && data[i+1]-1 < 0x7F {
		// A second byte 01-7F ends the tag; 00 and 80 are invalid and
		// 81-FF announce more, so they take the long path.
		tag = Tag(b)<<8 | Tag(data[i+1])
		i += 2
	} else {
		n, err := parseTag(data[i:])
		if err != nil {
			return c.fail(start, 0, err)
		}
		for _, tb := range data[i : i+n] {
			tag = tag<<8 | Tag(tb)
		}
		i += n
	}

	// Length.
	var length int
	if i < len(data) && data[i] < 0x80 {
		length = int(data[i])
		i++
	} else {
		l, n, err := parseLength(data[i:], c.r.lenient)
		if err != nil {
			return c.fail(start, tag, err)
		}
		length = l
		i += n
	}
	if length > len(data)-i {
		return c.fail(start, tag, ErrTruncated)
	}
	c.tag, c.start, c.vstart, c.pos = tag, start, i, i+length
	return true
}

func (c *Cursor) fail(at int, tag Tag, err error) bool {
	c.err = &SyntaxError{Offset: c.base + at, Tag: tag, Err: err}
	c.data = c.data[:c.pos] // nothing more to read
	c.tag = 0
	return false
}

// Tag returns the tag of the current object: the one read by the last call
// to Next that returned true.
func (c *Cursor) Tag() Tag { return c.tag }

// Value returns the value of the current object, a sub-slice of the input.
func (c *Cursor) Value() []byte { return c.data[c.vstart:c.pos:c.pos] }

// Object returns the current object.
func (c *Cursor) Object() Object {
	return Object{
		Tag:    c.tag,
		Value:  c.data[c.vstart:c.pos:c.pos],
		Raw:    c.data[c.start:c.pos:c.pos],
		Offset: c.base + c.start,
		r:      c.r,
	}
}

// Children returns a cursor over the data objects inside the current
// object's value; see [Object.Children].
func (c *Cursor) Children() Cursor {
	ch := Cursor{data: c.data[c.vstart:c.pos:c.pos], base: c.base + c.vstart, r: c.r}
	ch.r.depth++
	if ch.r.depth > ch.r.maxDepth {
		ch.err = &SyntaxError{Offset: c.base + c.start, Tag: c.tag, Err: ErrTooDeep}
		ch.data = nil
	}
	return ch
}

// Err returns the error that stopped the cursor, a [*SyntaxError], or nil if
// it reached the end of the input.
func (c *Cursor) Err() error { return c.err }

// Rest returns the input not yet read.
func (c *Cursor) Rest() []byte { return c.data[c.pos:] }

// Validate checks that data is a well-formed sequence of data objects under
// the strict rules, including everything inside constructed objects.
func Validate(data []byte) error {
	return Options{}.Validate(data)
}

// Validate checks that data is a well-formed sequence of data objects under
// the rules o, including everything inside constructed objects.
func (o Options) Validate(data []byte) error {
	_, err := count(o.NewCursor(data))
	return err
}

// count reads the rest of c and everything inside it, and returns the
// number of objects at every level, or the first error. Cursors pass by
// value through the recursion so that none escapes to the heap.
func count(c Cursor) (int, error) {
	n := 0
	for c.Next() {
		n++
		if c.tag.Constructed() {
			k, err := count(c.Children())
			if err != nil {
				return 0, err
			}
			n += k
		}
	}
	return n, c.err
}
