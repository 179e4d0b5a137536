package iso8583

import (
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/posflow/posflow/tlv"
)

// MaskPAN returns pan with all but the first six and last four digits
// replaced by '*', as PCI DSS requirement 3.4.1 allows to display. A PAN of
// fewer than 13 digits shows only its last four; anything that is not a
// run of digits is replaced whole.
func MaskPAN(pan string) string {
	if pan == "" {
		return ""
	}
	if !classN.valid([]byte(pan)) {
		return "[" + strconv.Itoa(len(pan)) + " chars]"
	}
	if len(pan) < 13 {
		if len(pan) <= 4 {
			return strings.Repeat("*", len(pan))
		}
		return strings.Repeat("*", len(pan)-4) + pan[len(pan)-4:]
	}
	return pan[:6] + strings.Repeat("*", len(pan)-10) + pan[len(pan)-4:]
}

// sensitiveICC lists the chip data objects that carry cardholder or track
// data: masked (PAN) or hidden (the others) when field 55 is printed.
var sensitiveICC = map[tlv.Tag]bool{
	0x5A:   true, // Application PAN
	0x56:   true, // Track 1 equivalent data
	0x57:   true, // Track 2 equivalent data
	0x5F20: true, // Cardholder name
	0x5F24: true, // Application expiration date
	0x9F1F: true, // Track 1 discretionary data
	0x9F20: true, // Track 2 discretionary data
	0x9F6B: true, // Track 2 data (contactless)
	0x99:   true, // Transaction PIN data
}

// masked returns the printable form of field id's value v: the PAN masked,
// track data, PIN blocks, MACs, keys and private data (48 and 60 to 63,
// where networks carry CVV2 and working keys) reduced to their length,
// field 55 as a list of tags with the sensitive ones hidden.
func masked(id int, v []byte) string {
	switch id {
	case 2:
		return MaskPAN(string(v))
	case 14:
		return "****"
	case 35, 36, 45, 48, 52, 60, 61, 62, 63, 64, 96, 128:
		return "[" + strconv.Itoa(len(v)) + " bytes hidden]"
	case 55:
		return maskICC(v)
	case 53:
		return strings.ToUpper(hex.EncodeToString(v))
	}
	if SpecASCII.fields[id] != nil && SpecASCII.fields[id].class == classB {
		return strings.ToUpper(hex.EncodeToString(v))
	}
	return string(v)
}

// maskICC prints the data objects of field 55 as tag=value, with the
// sensitive ones masked; malformed data is reduced to its length.
func maskICC(v []byte) string {
	var b strings.Builder
	if err := tlv.Validate(v); err != nil {
		return "[" + strconv.Itoa(len(v)) + " bytes, not BER-TLV]"
	}
	c := tlv.NewCursor(v)
	for c.Next() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		t := c.Tag()
		fmt.Fprintf(&b, "%X=", uint32(t))
		switch {
		case t == 0x5A:
			b.WriteString(MaskPAN(strings.TrimRight(strings.ToUpper(hex.EncodeToString(c.Value())), "F")))
		case sensitiveICC[t] || c.Object().Constructed():
			b.WriteString("[" + strconv.Itoa(len(c.Value())) + " bytes hidden]")
		default:
			b.WriteString(strings.ToUpper(hex.EncodeToString(c.Value())))
		}
	}
	return b.String()
}

// Describe writes m to w one field a line, as a log or a support engineer
// wants to see it, with card data masked as by MaskPAN and the rules of
// LogValue.
func Describe(w io.Writer, m *Message) error {
	if _, err := fmt.Fprintf(w, "MTI %s\n", m.MTI); err != nil {
		return err
	}
	for id, v := range m.All() {
		desc := ""
		if c := SpecASCII.fields[id]; c != nil {
			desc = c.desc
		}
		if _, err := fmt.Fprintf(w, "%3d %-45s %s\n", id, desc, masked(id, v)); err != nil {
			return err
		}
	}
	return nil
}

// String returns a one-line summary of m with card data masked: its MTI
// and fields, for example "0200 2=476173******0119 3=000000 ... 52=[8 bytes hidden]".
func (m *Message) String() string {
	var b strings.Builder
	b.WriteString(string(m.MTI))
	for id, v := range m.All() {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(id))
		b.WriteByte('=')
		b.WriteString(masked(id, v))
	}
	return b.String()
}

// GoString is String, so that %#v does not print card data.
func (m *Message) GoString() string { return m.String() }

// Format writes String for every verb, so that no fmt verb prints card
// data.
func (m *Message) Format(f fmt.State, _ rune) { io.WriteString(f, m.String()) }

// LogValue makes log/slog log a message as a group of its MTI and fields,
// masked as by String: the PAN as first six and last four digits, the
// expiry date, track data, PIN blocks, MACs, the private fields 48 and 60
// to 63 (where networks carry CVV2 and working keys) and the sensitive data
// objects of field 55 hidden.
func (m *Message) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 1+len(m.fields))
	attrs = append(attrs, slog.String("mti", string(m.MTI)))
	for id, v := range m.All() {
		attrs = append(attrs, slog.String(strconv.Itoa(id), masked(id, v)))
	}
	return slog.GroupValue(attrs...)
}
