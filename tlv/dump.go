package tlv

import (
	"bufio"
	"encoding/hex"
	"io"
	"strconv"
)

// A Printer writes a readable tree of BER-TLV data: one line per data
// object with its tag, its length in bytes and, for a primitive object, its
// value in hexadecimal; the children of a constructed object follow on
// indented lines. A line looks like
//
//	9F02 [6] 000000001000
//
// or, with a Name hook, 9F02 Amount, Authorised [6] 000000001000.
//
// The hooks let a data dictionary, such as the emv package's, name tags and
// mask sensitive values without this package knowing any tag.
type Printer struct {
	// Name returns a name for a tag, or "" for none. Nil prints no names.
	Name func(Tag) string
	// Value returns the text to print for a primitive object's value.
	// A dictionary uses it to mask the PAN, track data and other
	// sensitive values, or to show text fields as text. Nil prints
	// hexadecimal.
	Value func(t Tag, value []byte) string
	// Indent is the indentation a level; empty means two spaces.
	Indent string
	// Options are the decoding rules.
	Options Options
}

// Dump writes the tree of data to w with the zero Printer: hexadecimal
// values, no names, nothing masked. The input is checked whole first, so
// malformed input writes nothing and returns a [*SyntaxError].
func Dump(w io.Writer, data []byte) error {
	return (&Printer{}).Fprint(w, data)
}

// Fprint writes the tree of data to w. It checks the whole input first, so
// malformed input writes nothing and returns a [*SyntaxError]; otherwise it
// returns the first write error.
func (p *Printer) Fprint(w io.Writer, data []byte) error {
	if err := p.Options.Validate(data); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	p.print(bw, p.Options.NewCursor(data), 0)
	return bw.Flush()
}

func (p *Printer) print(w *bufio.Writer, c Cursor, level int) {
	indent := p.Indent
	if indent == "" {
		indent = "  "
	}
	var line []byte
	for c.Next() {
		obj := c.Object()
		line = line[:0]
		for range level {
			line = append(line, indent...)
		}
		line = obj.Tag.appendHex(line)
		if p.Name != nil {
			if name := p.Name(obj.Tag); name != "" {
				line = append(line, ' ')
				line = append(line, name...)
			}
		}
		line = append(line, " ["...)
		line = strconv.AppendInt(line, int64(len(obj.Value)), 10)
		line = append(line, ']')
		if !obj.Tag.Constructed() && len(obj.Value) > 0 {
			line = append(line, ' ')
			if p.Value != nil {
				line = append(line, p.Value(obj.Tag, obj.Value)...)
			} else {
				line = hex.AppendEncode(line, obj.Value)
				upper(line[len(line)-2*len(obj.Value):])
			}
		}
		line = append(line, '\n')
		w.Write(line)
		if obj.Tag.Constructed() {
			p.print(w, c.Children(), level+1)
		}
	}
}

func upper(b []byte) {
	for i, c := range b {
		if 'a' <= c && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
}
