package main

import (
	"bytes"
	"flag"
	"io"
	"strconv"
	"strings"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

var tlvDecodeCmd = &command{
	group: "tlv", name: "decode",
	args:    "[-reveal] [-lenient] [-ff] [-formats] [-json] [HEX...]",
	summary: "print the tree of BER-TLV data with EMV names and decoded bit fields",
	doc: `
Prints the tree of BER-TLV data (EMV 4.4 Book 3 Annex B). Each line shows a
tag, its name from the EMV data dictionary, the value's length in bytes and,
for a primitive object, the value (in hexadecimal, or quoted for text
elements); the children of a constructed object follow, indented. Under the
TVR, TSI, AIP, AUC, CID, terminal capabilities, CVM list, CVM results, AFL
and issuer application data (the scheme taken from the AID in the same
input) follow lines starting with "=" that decode them. The PAN shows only
its first six and last four digits; track data, cardholder names and PIN
data are hidden. -formats adds each element's EMV format (b, n, cn, a, an,
ans) after its name; with -json every object carries it.`,
	example: []string{"tlv", "decode", "9F2701809F3303E0B0C8950500000080009F10070601 0A03A4A810 8407A0000000032010"},
	source:  "field 55 of a Visa purchase, Chuckks/Iso8583Lib IsoFileTest.kt, see tlv/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		lenient := fs.Bool("lenient", false, "accept non-minimal length encodings, as some cards send them")
		skipFF := fs.Bool("ff", false, "skip 0xFF padding between objects (ISO/IEC 7816-4 Annex D)")
		formats := fs.Bool("formats", false, "show the EMV format of each data element (b, n, cn, a, an, ans) after its name")
		return func(e *env) (any, error) {
			data, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			t, err := newTLVTree(data, tlv.Options{Lenient: *lenient, SkipFF: *skipFF}, e.reveal, *formats)
			if err != nil {
				return nil, err
			}
			return t, nil
		}
	},
}

// newTLVTree decodes data for printing with the EMV dictionary.
// With formats, each name is followed by the element's EMV format.
func newTLVTree(data []byte, opts tlv.Options, reveal, formats bool) (*tlvTree, error) {
	tree, err := opts.Decode(data)
	if err != nil {
		return nil, err
	}
	p := emv.Printer()
	p.Options = opts
	if formats {
		p.Name = func(t tlv.Tag) string {
			if de, ok := emv.Lookup(t); ok && de.Format != emv.FormatTemplate {
				return de.Name + ", format " + de.Format.String()
			}
			return emv.Name(t)
		}
	}
	if reveal {
		p.Value = nil
	}
	var text bytes.Buffer
	if err := p.Fprint(&text, data); err != nil {
		return nil, err
	}
	return &tlvTree{data: data, tree: tree, text: text.String(), reveal: reveal, aid: findAID(opts, data)}, nil
}

// findAID returns the application identifier in data, from the card (4F),
// the FCI (84) or the terminal (9F06), or nil.
func findAID(opts tlv.Options, data []byte) []byte {
	for _, t := range []tlv.Tag{0x4F, 0x84, 0x9F06} {
		if o, err := opts.Find(data, t); err == nil {
			return o.Value
		}
	}
	return nil
}

// tlvTree is the result of tlv decode: the printer's lines, to which the
// decoding of bit fields is added, and the tree for -json.
type tlvTree struct {
	data   []byte
	tree   []tlv.TLV
	text   string
	reveal bool
	aid    []byte
}

func (t *tlvTree) writeText(w io.Writer) {
	lines := strings.SplitAfter(t.text, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	var nodes []tlv.TLV
	var walk func([]tlv.TLV)
	walk = func(ts []tlv.TLV) {
		for _, n := range ts {
			nodes = append(nodes, n)
			walk(n.Children)
		}
	}
	walk(t.tree)
	if len(nodes) != len(lines) {
		// The printer and the decoder disagree on the objects; print the
		// tree without annotations rather than misplace them.
		io.WriteString(w, t.text)
		return
	}
	for i, line := range lines {
		io.WriteString(w, line)
		n := nodes[i]
		if n.Tag.Constructed() {
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))] + "  = "
		for _, d := range annotate(n.Tag, n.Value, t.aid) {
			io.WriteString(w, indent+d+"\n")
		}
	}
}

func (t *tlvTree) jsonValue() any {
	var conv func([]tlv.TLV) []obj
	conv = func(ts []tlv.TLV) []obj {
		out := []obj{}
		for _, n := range ts {
			o := obj{{"tag", n.Tag.String()}}
			if name := emv.Name(n.Tag); name != "" {
				o = o.add("name", name)
			}
			if de, ok := emv.Lookup(n.Tag); ok {
				o = o.add("format", de.Format.String())
			}
			o = o.add("length", len(n.Value))
			if n.Tag.Constructed() {
				o = o.add("children", conv(n.Children))
			} else {
				if t.reveal {
					o = o.add("value", upperHex(n.Value))
				} else {
					v := emv.FormatValue(n.Tag, n.Value)
					if text, err := strconv.Unquote(v); err == nil {
						v = text // a text element, quoted in the tree
					}
					o = o.add("value", v)
				}
				if d := annotate(n.Tag, n.Value, t.aid); d != nil {
					o = o.add("decoded", d)
				}
			}
			out = append(out, o)
		}
		return out
	}
	return conv(t.tree)
}
