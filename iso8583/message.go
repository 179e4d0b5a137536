package iso8583

import (
	"iter"
	"slices"
)

// A Message is an ISO 8583 message: its MTI and the values of its data
// elements, independent of the wire layout. A Spec packs it into bytes and
// unpacks it from them.
//
// Values are held as the characters of n, an, ans and z elements ("003000")
// and as the bytes of binary ones (the 8-byte PIN block, the BER-TLV of field
// 55). Presence is explicit: a field that is set is packed, even if empty or
// zero.
//
// A message unpacked by a Spec or signed by a MAC keeps the exact bytes it
// came from (Raw, RawField) so that a MAC is verified over exactly the bytes
// received. Changing any field forgets them.
//
// A Message is not safe for concurrent modification.
type Message struct {
	MTI MTI

	fields []entry // sorted by id
	raw    []byte
}

// An entry is one field of a message: 40 bytes on 64-bit platforms, where
// int offsets would make it 48. The fields of a spec are at most a few
// thousand bytes each, so int32 holds every offset into a message.
type entry struct {
	id         int
	val        []byte
	start, end int32 // wire position in raw, prefix included
}

// NewMessage returns an empty message of type mti.
func NewMessage(mti MTI) *Message {
	return &Message{MTI: mti, fields: make([]entry, 0, 20)}
}

// find returns the position of field id in m.fields, or where it would be
// inserted, and whether it is there: slices.BinarySearchFunc written out,
// since calling the comparison through a func value made the search a
// fifth of the time of reading a typed request.
func (m *Message) find(id int) (int, bool) {
	lo, hi := 0, len(m.fields)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if m.fields[h].id < id {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo, lo < len(m.fields) && m.fields[lo].id == id
}

// Set sets field id to v, which the message keeps without copying.
// Validation against a format happens when a Spec packs the message.
func (m *Message) Set(id int, v []byte) {
	m.raw = nil
	if v == nil {
		v = []byte{}
	}
	if n := len(m.fields); n == 0 || m.fields[n-1].id < id {
		m.fields = append(m.fields, entry{id: id, val: v})
		return
	}
	i, ok := m.find(id)
	if ok {
		m.fields[i] = entry{id: id, val: v}
		return
	}
	m.fields = slices.Insert(m.fields, i, entry{id: id, val: v})
}

// SetString sets field id to the characters of s.
func (m *Message) SetString(id int, s string) { m.Set(id, []byte(s)) }

// Unset removes field id.
func (m *Message) Unset(id int) {
	if i, ok := m.find(id); ok {
		m.raw = nil
		m.fields = slices.Delete(m.fields, i, i+1)
	}
}

// Has reports whether field id is present.
func (m *Message) Has(id int) bool {
	_, ok := m.find(id)
	return ok
}

// Field returns the value of field id and whether it is present. The slice
// belongs to the message.
func (m *Message) Field(id int) ([]byte, bool) {
	if i, ok := m.find(id); ok {
		return m.fields[i].val, true
	}
	return nil, false
}

// Text returns the value of field id as a string, or "" if it is absent.
func (m *Message) Text(id int) string {
	v, _ := m.Field(id)
	return string(v)
}

// All returns the present fields and their values in field order.
func (m *Message) All() iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		for _, e := range m.fields {
			if !yield(e.id, e.val) {
				return
			}
		}
	}
}

// Len returns the number of present fields.
func (m *Message) Len() int { return len(m.fields) }

// Raw returns the packed bytes the message was unpacked from or last signed
// as, or nil if it has none (a message built field by field, or changed
// since). The slice is shared with the message.
func (m *Message) Raw() []byte { return m.raw }

// RawField returns the wire bytes of field id, length prefix included,
// within Raw, or nil.
func (m *Message) RawField(id int) []byte {
	if m.raw == nil {
		return nil
	}
	if i, ok := m.find(id); ok {
		e := m.fields[i]
		return m.raw[e.start:e.end]
	}
	return nil
}

// Clone returns a deep copy of m.
func (m *Message) Clone() *Message {
	c := &Message{MTI: m.MTI, fields: make([]entry, len(m.fields)), raw: nil}
	buf := make([]byte, 0, m.size())
	for i, e := range m.fields {
		buf = append(buf, e.val...)
		c.fields[i] = entry{id: e.id, val: buf[len(buf)-len(e.val) : len(buf) : len(buf)], start: e.start, end: e.end}
	}
	if m.raw != nil {
		c.raw = slices.Clone(m.raw)
	}
	return c
}

func (m *Message) size() int {
	n := 0
	for _, e := range m.fields {
		n += len(e.val)
	}
	return n
}

// reset empties m for reuse.
func (m *Message) reset() {
	m.MTI = ""
	m.fields = m.fields[:0]
	m.raw = nil
}
