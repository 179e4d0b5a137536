package qr

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/posflow/posflow/tlv"
)

// The tags of the consumer-presented mode's templates (EMVCo QRCPS CPM
// v1.0), BER-TLV application class tags.
const (
	TagPayloadFormat          tlv.Tag = 0x85 // payload format indicator, "CPV01"
	TagApplicationTemplate    tlv.Tag = 0x61 // one per application
	TagCommonDataTemplate     tlv.Tag = 0x62 // data common to the applications
	TagApplicationTransparent tlv.Tag = 0x63 // inside 61: application specific transparent template
	TagCommonTransparent      tlv.Tag = 0x64 // inside 62: common data transparent template
	TagADFName                tlv.Tag = 0x4F // inside 61: the application's AID
)

// PayloadFormatCPM is the value of the payload format indicator (tag 85)
// of the consumer-presented mode.
const PayloadFormatCPM = "CPV01"

// A CPM is a consumer-presented payload: the application templates and
// the common data template that follow the payload format indicator.
// Its values may be cardholder data (a PAN, track 2 equivalent data, a
// cardholder name): mask them before printing or logging.
type CPM struct {
	// Applications hold the contents of each application template (61),
	// in payload order: primitive data objects, the ADF name (4F) among
	// them, and at most one application specific transparent template
	// (63) of primitive data objects.
	Applications [][]tlv.TLV
	// Common holds the contents of the common data template (62):
	// primitive data objects and at most one common data transparent
	// template (64). Nil means no template 62.
	Common []tlv.TLV
	// Raw is the BER-TLV payload as decoded from Base64; nil for a CPM
	// built in memory.
	Raw []byte
}

// ParseCPM decodes a consumer-presented payload from its Base64 text (the
// standard alphabet with padding, RFC 4648 section 4), then checks it as
// DecodeCPM does. The decoder of encoding/base64 skips line breaks; ParseCPM
// refuses them, and refuses non-zero padding bits, so that a payload that
// parses is rebuilt byte for byte.
func ParseCPM(b64 string) (*CPM, error) {
	if strings.ContainsAny(b64, "\r\n") {
		return nil, fmt.Errorf("%w: line break", ErrBase64)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBase64, err)
	}
	return DecodeCPM(raw)
}

// DecodeCPM decodes and checks a binary consumer-presented payload: BER-TLV
// under the strict rules of package tlv, with no padding; the payload
// format indicator (85) "CPV01" first; then one or more application
// templates (61), each with an ADF name (4F) of 5 to 16 bytes, and after
// them at most one common data template (62); no other tag at the top
// level; the transparent templates
// 63 and 64 at most once in 61 and 62 respectively, holding only primitive
// data objects. The values in the result alias raw.
//
// Malformed BER-TLV returns an error wrapping the *tlv.SyntaxError; a
// payload that breaks the rules above returns an *ObjectError naming the
// tag path ("61.4F").
func DecodeCPM(raw []byte) (*CPM, error) {
	tree, err := tlv.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("qr: consumer-presented payload: %w", err)
	}
	c, err := cpmFromTree(tree)
	if err != nil {
		return nil, err
	}
	// tlv.Decode skips 0x00 padding between objects; refuse it here, so
	// that what decodes is what was sent.
	enc, err := tlv.Encode(tree...)
	if err != nil || !bytes.Equal(enc, raw) {
		return nil, &ObjectError{Offset: -1, Err: ErrNonCanonical}
	}
	c.Raw = raw
	return c, nil
}

func cpmFromTree(tree []tlv.TLV) (*CPM, error) {
	if len(tree) == 0 || tree[0].Tag != TagPayloadFormat {
		return nil, cpmErr(ErrOrder, "payload does not begin with tag 85", TagPayloadFormat)
	}
	if string(tree[0].Value) != PayloadFormatCPM {
		return nil, cpmErr(ErrFormat, `want "CPV01"`, TagPayloadFormat)
	}
	c := &CPM{}
	for _, t := range tree[1:] {
		switch t.Tag {
		case TagApplicationTemplate:
			if c.Common != nil {
				return nil, cpmErr(ErrOrder, "application template after the common data template", t.Tag)
			}
			if err := checkCPMTemplate(t.Tag, TagApplicationTransparent, t.Children); err != nil {
				return nil, err
			}
			c.Applications = append(c.Applications, t.Children)
		case TagCommonDataTemplate:
			if c.Common != nil {
				return nil, cpmErr(ErrDuplicate, "", t.Tag)
			}
			if err := checkCPMTemplate(t.Tag, TagCommonTransparent, t.Children); err != nil {
				return nil, err
			}
			c.Common = t.Children
			if c.Common == nil {
				c.Common = []tlv.TLV{}
			}
		case TagPayloadFormat:
			return nil, cpmErr(ErrDuplicate, "", t.Tag)
		default:
			return nil, cpmErr(ErrUnexpected, "", t.Tag)
		}
	}
	if len(c.Applications) == 0 {
		return nil, cpmErr(ErrMissing, "no application template", TagApplicationTemplate)
	}
	return c, nil
}

// checkCPMTemplate checks the contents of the template tag, which may hold
// one transparent template of primitive objects.
func checkCPMTemplate(tag, transparent tlv.Tag, kids []tlv.TLV) error {
	seenTransparent, seenADF := false, false
	for _, k := range kids {
		switch {
		case k.Tag == transparent:
			if seenTransparent {
				return cpmErr(ErrDuplicate, "", tag, k.Tag)
			}
			seenTransparent = true
			for _, g := range k.Children {
				if g.Tag.Constructed() {
					return cpmErr(ErrUnexpected, "constructed data object in a transparent template", tag, k.Tag, g.Tag)
				}
			}
		case k.Tag.Constructed():
			return cpmErr(ErrUnexpected, "constructed data object", tag, k.Tag)
		case k.Tag == TagADFName && tag == TagApplicationTemplate:
			if seenADF {
				return cpmErr(ErrDuplicate, "", tag, k.Tag)
			}
			seenADF = true
			if len(k.Value) < 5 || len(k.Value) > 16 {
				return cpmErr(ErrFormat, "ADF name of 5 to 16 bytes", tag, k.Tag)
			}
		}
	}
	if tag == TagApplicationTemplate && !seenADF {
		return cpmErr(ErrMissing, "", tag, TagADFName)
	}
	return nil
}

func cpmErr(err error, detail string, tags ...tlv.Tag) error {
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = t.String()
	}
	return &ObjectError{Path: strings.Join(parts, "."), Offset: -1, Err: err, Detail: detail}
}

// tree returns the top-level data objects of c's payload.
func (c *CPM) tree() []tlv.TLV {
	tree := make([]tlv.TLV, 0, 2+len(c.Applications))
	tree = append(tree, tlv.TLV{Tag: TagPayloadFormat, Value: []byte(PayloadFormatCPM)})
	for _, a := range c.Applications {
		tree = append(tree, tlv.TLV{Tag: TagApplicationTemplate, Children: a})
	}
	if c.Common != nil {
		tree = append(tree, tlv.TLV{Tag: TagCommonDataTemplate, Children: c.Common})
	}
	return tree
}

// AppendBinary checks c under the rules of DecodeCPM and appends its
// BER-TLV payload to dst: the payload format indicator, the application
// templates, the common data template. On error dst is returned unchanged.
func (c *CPM) AppendBinary(dst []byte) ([]byte, error) {
	tree := c.tree()
	if _, err := cpmFromTree(tree); err != nil {
		return dst, err
	}
	out, err := tlv.AppendEncode(dst, tree...)
	if err != nil {
		return dst, fmt.Errorf("qr: consumer-presented payload: %w", err)
	}
	return out, nil
}

// AppendBase64 appends the Base64 text of c's payload to dst, the form a QR
// code carries.
func (c *CPM) AppendBase64(dst []byte) ([]byte, error) {
	bin, err := c.AppendBinary(nil)
	if err != nil {
		return dst, err
	}
	return base64.StdEncoding.AppendEncode(dst, bin), nil
}

// Encode returns the Base64 text of c's payload.
func (c *CPM) Encode() (string, error) {
	b, err := c.AppendBase64(nil)
	return string(b), err
}

// Data returns the data of application i (0 for the first template 61) as
// a card would give it to a kernel: every primitive data object of the
// application template and of its transparent template 63, over those of
// the common data template 62 and its transparent template 64, keyed by
// tag. Where the application and the common data carry the same tag, the
// application's value wins; where a tag repeats in one template, the first
// wins. The values alias the payload. Data returns nil if there is no
// application i.
func (c *CPM) Data(i int) map[tlv.Tag][]byte {
	if i < 0 || i >= len(c.Applications) {
		return nil
	}
	m := make(map[tlv.Tag][]byte)
	flatten(m, c.Applications[i])
	flatten(m, c.Common)
	return m
}

// flatten adds the primitive objects of objs and of the templates in objs
// to m, keeping values already there.
func flatten(m map[tlv.Tag][]byte, objs []tlv.TLV) {
	for _, o := range objs {
		if o.Tag.Constructed() {
			flatten(m, o.Children)
			continue
		}
		if _, ok := m[o.Tag]; !ok {
			m[o.Tag] = o.Value
		}
	}
}
