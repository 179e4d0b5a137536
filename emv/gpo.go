package emv

import (
	"bytes"
	"fmt"

	"github.com/posflow/posflow/tlv"
)

// A GPOResponse is the response to GET PROCESSING OPTIONS (Book 3 6.5.8.4):
// the AIP and the AFL, and in format 2 the other data objects the card
// adds. Its slices alias the response.
type GPOResponse struct {
	AIP AIP
	// AFL is the application file locator (94) as received.
	AFL []byte
	// Format2 is true for a response in template 77.
	Format2 bool
	// Template is the value of template 77 in format 2: the data objects,
	// 82 and 94 among them, to be read with a tlv.Cursor.
	Template []byte
}

// maxTemplateObjects bounds the data objects of a response template that
// the parsers check for duplicates (GET PROCESSING OPTIONS and GENERATE
// AC responses hold about ten).
const maxTemplateObjects = 32

// tagSet records the tags of one template without allocating.
type tagSet struct {
	tags [maxTemplateObjects]tlv.Tag
	n    int
}

// add records t and reports false if it was already there or the set is
// full.
func (s *tagSet) add(t tlv.Tag) (ok, full bool) {
	for _, u := range s.tags[:s.n] {
		if u == t {
			return false, false
		}
	}
	if s.n == len(s.tags) {
		return false, true
	}
	s.tags[s.n] = t
	s.n++
	return true, false
}

// ParseGPOResponse parses the response data of GET PROCESSING OPTIONS in
// format 1 (template 80: AIP then AFL) or format 2 (template 77 with 82
// and 94 and other primitive objects, none twice). Nothing may follow the
// template. The AFL is checked with ParseAFL.
func ParseGPOResponse(b []byte) (GPOResponse, error) {
	var g GPOResponse
	c := tlv.NewCursor(b)
	if !c.Next() {
		if err := c.Err(); err != nil {
			return g, fmt.Errorf("%w: GPO response: %w", ErrCardData, err)
		}
		return g, fmt.Errorf("%w: GPO response: empty", ErrCardData)
	}
	obj := c.Object()
	if c.Next() || c.Err() != nil {
		return g, fmt.Errorf("%w: GPO response: data after the template", ErrCardData)
	}
	switch obj.Tag {
	case 0x80:
		v := obj.Value
		if len(v) < 2+4 || (len(v)-2)%4 != 0 {
			return g, fmt.Errorf("%w: GPO response: format 1 of %d bytes", ErrCardData, len(v))
		}
		copy(g.AIP[:], v)
		g.AFL = v[2:]
	case 0x77:
		g.Format2 = true
		g.Template = obj.Value
		var aip, afl bool
		var seen tagSet
		in := obj.Children()
		for in.Next() {
			o := in.Object()
			if o.Constructed() {
				return g, fmt.Errorf("%w: GPO response: constructed object %X", ErrCardData, uint32(o.Tag))
			}
			if o.Tag != 0x82 && o.Tag != 0x94 {
				if ok, full := seen.add(o.Tag); full {
					return g, fmt.Errorf("%w: GPO response: more than %d data objects", ErrCardData, maxTemplateObjects)
				} else if !ok {
					return g, fmt.Errorf("%w: GPO response: tag %X twice", ErrRedundantData, uint32(o.Tag))
				}
			}
			switch o.Tag {
			case 0x82:
				if aip || len(o.Value) != 2 {
					return g, fmt.Errorf("%w: GPO response: AIP (82) twice or not 2 bytes", ErrCardData)
				}
				aip = true
				copy(g.AIP[:], o.Value)
			case 0x94:
				if afl {
					return g, fmt.Errorf("%w: GPO response: AFL (94) twice", ErrRedundantData)
				}
				afl = true
				g.AFL = o.Value
			}
		}
		if err := in.Err(); err != nil {
			return g, fmt.Errorf("%w: GPO response: %w", ErrCardData, err)
		}
		if !aip || !afl {
			return g, fmt.Errorf("%w: GPO response: AIP (82) or AFL (94) missing", ErrMissingData)
		}
	default:
		return g, fmt.Errorf("%w: GPO response: template %X, want 80 or 77", ErrCardData, uint32(obj.Tag))
	}
	if err := checkAFL(g.AFL); err != nil {
		return g, fmt.Errorf("%w: GPO response: %w", ErrCardData, err)
	}
	return g, nil
}

// initiateApplicationProcessing sends GET PROCESSING OPTIONS with the PDOL
// data (Book 3 10.1). 6985 removes the application and goes back to
// selection; any other error status ends the transaction.
func (k *kernel) initiateApplicationProcessing() error {
	k.begin(StepInitiate)
	pdol := k.icc[0x9F38]
	var err error
	k.pdolData, err = k.appendDOL(nil, pdol)
	if err != nil {
		return k.failf(ErrCardData, "PDOL: %v", err)
	}
	cmd := GetProcessingOptions(k.pdolData)
	dol := pdol
	if dol == nil {
		dol = []byte{}
	}
	r, err := k.exchange(cmd, dol)
	if err != nil {
		return err
	}
	if r.SW == SWConditionsNotSatisfied {
		k.note("GET PROCESSING OPTIONS: %v: back to application selection", r.SW)
		k.begin(StepSelection)
		return errReselect
	}
	if !r.SW.OK() {
		return k.fail(fmt.Errorf("GET PROCESSING OPTIONS: %w", r.SW))
	}
	g, err := ParseGPOResponse(r.Data)
	if err != nil {
		return k.fail(err)
	}
	if g.Format2 {
		c := tlv.NewCursor(g.Template)
		for c.Next() {
			if t := c.Tag(); t != 0x82 && t != 0x94 {
				if err := k.keepICC(t, c.Value()); err != nil {
					return err
				}
			}
		}
	}
	k.aip = g.AIP
	k.icc[0x82] = bytes.Clone(g.AIP[:])
	k.icc[0x94] = bytes.Clone(g.AFL)
	k.afl, _ = ParseAFL(g.AFL)
	k.note("AIP %v", g.AIP)
	return nil
}

// keepICC stores a primitive data object from the card's GPO response or
// records; a second value of the same tag is redundant data that ends the
// transaction (Book 3 10.2). Values from the FCI may be repeated: the
// record's value replaces them.
func (k *kernel) keepICC(t tlv.Tag, v []byte) error {
	if k.seen == nil {
		k.seen = make(map[tlv.Tag]bool, 32)
	}
	if k.seen[t] {
		return k.failf(ErrRedundantData, "tag %X", uint32(t))
	}
	k.seen[t] = true
	k.icc[t] = bytes.Clone(v)
	return nil
}
