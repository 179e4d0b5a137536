package qr

// An Object is one data object of a merchant-presented payload.
type Object struct {
	// ID is the object's ID within its level.
	ID ID
	// Value is the value. For a template parsed from a payload it is the
	// encoded sub-objects as received; when building, a template with Sub
	// is written from Sub and Value is ignored.
	Value string
	// Sub are the sub-objects of a template, in order; nil for a
	// primitive object.
	Sub []Object
}

// Find returns the first sub-object of o with the ID id.
func (o Object) Find(id ID) (Object, bool) { return find(o.Sub, id) }

// SubValue returns the value of the sub-object id of o, or "" if o has
// none.
func (o Object) SubValue(id ID) string {
	s, _ := find(o.Sub, id)
	return s.Value
}

func find(objs []Object, id ID) (Object, bool) {
	for _, o := range objs {
		if o.ID == id {
			return o, true
		}
	}
	return Object{}, false
}

// An MPM is a merchant-presented payload: its data objects in payload
// order. The CRC (ID 63) is not among them; it is checked when parsing and
// computed when building.
type MPM struct {
	// Objects are the data objects, the CRC excluded, in order. The first
	// must be the payload format indicator (ID 00).
	Objects []Object
	// CRC is the CRC the payload carried, when parsed.
	CRC uint16
	// Raw is the payload as parsed, empty for an MPM built in memory.
	Raw string
}

// Find returns the first top-level data object with the ID id.
func (m *MPM) Find(id ID) (Object, bool) { return find(m.Objects, id) }

// Value returns the value of the top-level data object id, or "" if the
// payload has none.
func (m *MPM) Value(id ID) string {
	o, _ := find(m.Objects, id)
	return o.Value
}

// Dynamic reports whether the point of initiation method (ID 01) is "12":
// a payload made for one transaction, usually with its amount.
func (m *MPM) Dynamic() bool { return m.Value(IDPointOfInitiation) == "12" }

// Amount returns the transaction amount (ID 54) as written, such as
// "23.72", or "" if the consumer enters the amount.
func (m *MPM) Amount() string { return m.Value(IDAmount) }

// Currency returns the ISO 4217 numeric currency code (ID 53), such as
// "986".
func (m *MPM) Currency() string { return m.Value(IDCurrency) }

// MerchantName returns the merchant name (ID 59).
func (m *MPM) MerchantName() string { return m.Value(IDMerchantName) }

// MerchantCity returns the merchant city (ID 60).
func (m *MPM) MerchantCity() string { return m.Value(IDMerchantCity) }

// MerchantAccounts returns the merchant account information objects (IDs
// 02 to 51), in payload order. Primitive ones (02-25) carry a payment
// network's merchant identifier; templates (26-51) carry a globally unique
// identifier (sub-ID 00) and the scheme's own sub-objects, such as the
// PIX key in BR Codes.
func (m *MPM) MerchantAccounts() []Object {
	var out []Object
	for _, o := range m.Objects {
		if o.ID >= IDMerchantAccountFirst && o.ID <= IDMerchantAccountLast {
			out = append(out, o)
		}
	}
	return out
}

// Set sets the value of the top-level primitive data object id, replacing
// the first one with that ID in place or else inserting it before the
// first object with a greater ID (before the CRC, which is always last).
func (m *MPM) Set(id ID, value string) {
	m.put(Object{ID: id, Value: value})
}

// SetTemplate sets the top-level template id to hold sub, as Set does for
// a primitive object.
func (m *MPM) SetTemplate(id ID, sub ...Object) {
	m.put(Object{ID: id, Sub: sub})
}

func (m *MPM) put(o Object) {
	for i := range m.Objects {
		if m.Objects[i].ID == o.ID {
			m.Objects[i] = o
			return
		}
	}
	i := 0
	for i < len(m.Objects) && m.Objects[i].ID <= o.ID {
		i++
	}
	m.Objects = append(m.Objects, Object{})
	copy(m.Objects[i+1:], m.Objects[i:])
	m.Objects[i] = o
}

// Delete removes every top-level data object with the ID id.
func (m *MPM) Delete(id ID) {
	out := m.Objects[:0]
	for _, o := range m.Objects {
		if o.ID != id {
			out = append(out, o)
		}
	}
	clear(m.Objects[len(out):])
	m.Objects = out
}

// Options set the rules for parsing and building merchant-presented
// payloads. The zero value applies every rule of EMVCo MPM v1.1.
type Options struct {
	// Lenient accepts payloads that lack mandatory data objects (the
	// merchant account information, the merchant category code 52, the
	// transaction currency 53, the country code 58, the merchant name 59
	// and city 60) and a CRC written in lower-case hexadecimal, as some
	// national schemes issue them: PromptPay's personal payloads carry no
	// 52, 59 or 60. The syntax, the CRC itself, the order of 00 and 63,
	// duplicates and the format of every object present are still checked.
	Lenient bool
}

// ParseMPM parses and validates a merchant-presented payload under the
// strict rules of the zero Options.
func ParseMPM(payload string) (*MPM, error) { return Options{}.ParseMPM(payload) }

// ParseMPM parses a merchant-presented payload: it reads every data object
// and the sub-objects of the templates, checks that the payload format
// indicator comes first and the CRC last, that no ID repeats at a level,
// that the CRC matches, and then validates the objects as [Options.Validate]
// does. The strings of the result alias payload.
//
// Errors are *ObjectError values naming the ID, or a *CRCError; both wrap a
// sentinel error for errors.Is.
func (o Options) ParseMPM(payload string) (*MPM, error) {
	m := &MPM{Raw: payload}
	// Count the top-level objects first, so that the slice is allocated once
	// and sized from the objects actually present, never from a length.
	n := 0
	for c := NewCursor(payload); c.Next(); {
		n++
	}
	m.Objects = make([]Object, 0, n)

	c := NewCursor(payload)
	var seen idSet
	crcAt := -1
	for c.Next() {
		id, off := c.ID(), c.Offset()
		if len(m.Objects) == 0 && crcAt < 0 && id != IDPayloadFormat {
			return nil, objErr(noParent, IDPayloadFormat, off, ErrOrder, "payload does not begin with 00")
		}
		if crcAt >= 0 {
			return nil, objErr(noParent, IDCRC, crcAt, ErrOrder, "data object "+id.String()+" after the CRC")
		}
		if seen.has(id) {
			return nil, objErr(noParent, id, off, ErrDuplicate, "")
		}
		seen.add(id)
		if id == IDCRC {
			if len(c.Value()) != 4 {
				return nil, objErr(noParent, id, off, ErrFormat, "want 4 hexadecimal digits")
			}
			crc, ok := parseHex4(c.Value(), o.Lenient)
			if !ok {
				return nil, objErr(noParent, id, off, ErrFormat, "want 4 upper-case hexadecimal digits")
			}
			m.CRC = crc
			crcAt = off
			continue
		}
		obj := Object{ID: id, Value: c.Value()}
		if id.IsTemplate() {
			sub, err := parseTemplate(c.Children(), id)
			if err != nil {
				return nil, err
			}
			obj.Sub = sub
		}
		m.Objects = append(m.Objects, obj)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if len(m.Objects) == 0 && crcAt < 0 {
		return nil, objErr(noParent, IDPayloadFormat, -1, ErrMissing, "empty payload")
	}
	if crcAt < 0 {
		return nil, objErr(noParent, IDCRC, -1, ErrMissing, "")
	}
	if want := CRCString(payload[:len(payload)-4]); want != m.CRC {
		return nil, &CRCError{Offset: crcAt, Got: m.CRC, Want: want}
	}
	if err := o.Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// parseTemplate reads the sub-objects of the template parent.
func parseTemplate(c Cursor, parent ID) ([]Object, error) {
	n := 0
	for cc := c; cc.Next(); {
		n++
	}
	sub := make([]Object, 0, n)
	var seen idSet
	for c.Next() {
		id := c.ID()
		if seen.has(id) {
			return nil, objErr(parent, id, c.Offset(), ErrDuplicate, "")
		}
		seen.add(id)
		o := Object{ID: id, Value: c.Value()}
		if subTemplate(parent, id) {
			inner, err := parseTemplate(c.Children(), id)
			if err != nil {
				return nil, prefixPath(err, parent)
			}
			o.Sub = inner
		}
		sub = append(sub, o)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return sub, nil
}

// prefixPath puts parent before the path of an *ObjectError from a nested
// template: "50.00" becomes "62.50.00".
func prefixPath(err error, parent ID) error {
	if e, ok := err.(*ObjectError); ok {
		e.Path = parent.String() + "." + e.Path
	}
	return err
}

// idSet is a set of IDs 0 to 99, one bit each.
type idSet [2]uint64

func (s *idSet) has(id ID) bool { return s[id/64]&(1<<(id%64)) != 0 }
func (s *idSet) add(id ID)      { s[id/64] |= 1 << (id % 64) }
