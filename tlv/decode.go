package tlv

import (
	"bytes"
	"math"
)

// A TLV is a decoded data object.
type TLV struct {
	// Tag is the object's tag.
	Tag Tag
	// Value is the contents. For a constructed object decoded by Decode it
	// holds the raw encoded children (padding included), so that a MAC or
	// hash can be computed over exactly the bytes received.
	Value []byte
	// Children are the decoded children of a constructed object, in order,
	// duplicates kept. Encode writes a constructed object from its Children
	// when there are any, and from Value otherwise.
	Children []TLV
}

// Constructed reports whether t has a constructed tag.
func (t TLV) Constructed() bool { return t.Tag.Constructed() }

// Clone returns a deep copy of t that shares no memory with t or with the
// input it was decoded from.
func (t TLV) Clone() TLV {
	c := TLV{Tag: t.Tag, Value: bytes.Clone(t.Value)}
	if t.Children != nil {
		c.Children = make([]TLV, len(t.Children))
		for i, ch := range t.Children {
			c.Children[i] = ch.Clone()
		}
	}
	return c
}

// Decode decodes every data object in data, under the strict rules of the
// zero Options, into a tree that keeps their order and any duplicate tags.
// Bytes 0x00 before, between and after objects are skipped as padding; any
// other byte must belong to an object, and the whole input must be
// consumed. Values alias data. Empty input decodes to no objects.
func Decode(data []byte) ([]TLV, error) {
	return Options{}.Decode(data)
}

// Decode is like the package function [Decode], with the rules o.
func (o Options) Decode(data []byte) ([]TLV, error) {
	// One walk checks everything and counts the objects at every level, so
	// the tree takes one allocation sized by what was actually read. The
	// top level, often all there is (field 55), is kept on the stack as it
	// is read, so that it need not be read again.
	var top [topBuffer]span
	if len(data) > math.MaxInt32 {
		// Offsets would not fit a span; let the slow path read it.
		return o.decodeLarge(data)
	}
	ntop, total := 0, 0
	nested := false
	c := o.NewCursor(data)
	for c.Next() {
		if ntop < len(top) {
			top[ntop] = span{c.tag, int32(c.vstart), int32(c.pos)}
		}
		ntop++
		total++
		if c.tag.Constructed() {
			nested = true
			k, err := count(c.Children())
			if err != nil {
				return nil, err
			}
			total += k
		}
	}
	if c.err != nil {
		return nil, c.err
	}
	if total == 0 {
		return nil, nil
	}
	d := treeBuilder{slab: make([]TLV, total)}
	if ntop > len(top) {
		// More top-level objects than were noted: read them again.
		return d.level(o.NewCursor(data)), nil
	}
	out := d.slab[:ntop:ntop]
	for i, sp := range top[:ntop] {
		out[i].Tag = sp.tag
		out[i].Value = data[sp.start:sp.end:sp.end]
	}
	d.next = ntop
	if nested {
		d.children(out, c.r)
	}
	return out, nil
}

// decodeLarge decodes input too long for the offsets Decode notes: one
// walk to check and count, one to build the tree.
func (o Options) decodeLarge(data []byte) ([]TLV, error) {
	n, err := count(o.NewCursor(data))
	if err != nil || n == 0 {
		return nil, err
	}
	d := treeBuilder{slab: make([]TLV, n)}
	return d.level(o.NewCursor(data)), nil
}

// topBuffer is how many top-level objects Decode notes on the stack; a
// typical field 55 has 20 to 30.
const topBuffer = 48

// span notes where a value lies in the input.
type span struct {
	tag        Tag
	start, end int32
}

// DecodeOne decodes exactly one data object from data, with padding
// allowed around it, under the strict rules. Anything else after it is an
// [ErrTrailingData] error; no object at all is an [ErrTruncated] error.
func DecodeOne(data []byte) (TLV, error) {
	return Options{}.DecodeOne(data)
}

// DecodeOne is like the package function [DecodeOne], with the rules o.
func (o Options) DecodeOne(data []byte) (TLV, error) {
	c := o.NewCursor(data)
	if !c.Next() {
		if c.err != nil {
			return TLV{}, c.err
		}
		return TLV{}, &SyntaxError{Offset: len(data), Err: ErrTruncated}
	}
	first := c.Object()
	if c.Next() {
		return TLV{}, &SyntaxError{Offset: c.base + c.start, Err: ErrTrailingData}
	}
	if se, ok := c.err.(*SyntaxError); ok {
		return TLV{}, &SyntaxError{Offset: se.Offset, Err: ErrTrailingData}
	}
	tlvs, err := o.Decode(first.Raw)
	if err != nil {
		// Offsets in first.Raw start at first.Offset.
		if se, ok := err.(*SyntaxError); ok {
			se.Offset += first.Offset
		}
		return TLV{}, err
	}
	return tlvs[0], nil
}

// treeBuilder fills a slab of TLVs from input already checked by count.
type treeBuilder struct {
	slab []TLV
	next int
}

// level decodes the objects c reads into the next free stretch of the
// slab, then the children of each constructed one after it, so that the
// siblings of every level are contiguous.
func (d *treeBuilder) level(c Cursor) []TLV {
	first := d.next
	slab := d.slab
	i := first
	nested := false
	for c.Next() && i < len(slab) {
		// The slab is zeroed: set only what is not zero.
		t := &slab[i]
		t.Tag = c.tag
		t.Value = c.data[c.vstart:c.pos:c.pos]
		nested = nested || c.tag.Constructed()
		i++
	}
	d.next = i
	out := slab[first:i:i]
	if nested {
		d.children(out, c.r)
	}
	return out
}

// children decodes the children of the constructed objects of out.
func (d *treeBuilder) children(out []TLV, r rules) {
	for i := range out {
		if out[i].Tag.Constructed() && len(out[i].Value) > 0 {
			// The input was checked, depth included: no rules but the
			// length form matter here.
			if ch := d.level(Cursor{data: out[i].Value, r: r}); len(ch) > 0 {
				out[i].Children = ch
			}
		}
	}
}
