package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"strings"

	"github.com/moov-io/iso8583/encoding"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// specByName returns the spec named by -spec.
func specByName(name string) (*iso8583.Spec, error) {
	switch strings.ToLower(name) {
	case "ascii":
		return iso8583.SpecASCII, nil
	case "bcd":
		return iso8583.SpecBCD, nil
	case "ascii-pin16":
		return iso8583.SpecASCII.VariablePINData(), nil
	case "bcd-pin16":
		return iso8583.SpecBCD.VariablePINData(), nil
	}
	return nil, usageError(fmt.Sprintf("-spec %q: want ascii, bcd, ascii-pin16 or bcd-pin16", name))
}

// binaryField reports whether field id of s holds bytes (written in
// hexadecimal in JSON) rather than characters.
func binaryField(s *iso8583.Spec, id int) bool {
	f, ok := s.Moov().Fields[id]
	if !ok {
		return false
	}
	enc := f.Spec().Enc
	return enc == encoding.Binary || enc == encoding.BytesToASCIIHex
}

// fieldDescription returns the spec's description of field id.
func fieldDescription(s *iso8583.Spec, id int) string {
	if f, ok := s.Moov().Fields[id]; ok {
		return f.Spec().Description
	}
	return ""
}

// isoMessage is the result of iso8583 decode and encode.
type isoMessage struct {
	spec   *iso8583.Spec
	msg    *iso8583.Message
	packed []byte // for encode: the wire bytes
	reveal bool
	icc    *tlvTree // field 55 as a tree, with -tlv
}

// values returns the printable value of every field: masked by the
// iso8583 package (its LogValue) unless reveal, in clear otherwise.
func (m *isoMessage) values() (ids []int, vals map[int]string) {
	if !m.reveal {
		vals = m.valuesMasked()
		for id := range vals {
			ids = append(ids, id)
		}
		sort.Ints(ids)
		return ids, vals
	}
	vals = map[int]string{}
	for id, v := range m.msg.All() {
		ids = append(ids, id)
		if binaryField(m.spec, id) {
			vals[id] = upperHex(v)
		} else {
			vals[id] = string(v)
		}
	}
	return ids, vals
}

// valuesMasked returns the values as the iso8583 package logs them.
func (m *isoMessage) valuesMasked() map[int]string {
	vals := map[int]string{}
	for _, a := range m.msg.LogValue().Group() {
		id, err := strconv.Atoi(a.Key)
		if err != nil || a.Value.Kind() != slog.KindString {
			continue
		}
		vals[id] = a.Value.String()
	}
	return vals
}

// sensitive returns the fields whose value the iso8583 package masks.
func (m *isoMessage) sensitive() []int {
	masked := (&isoMessage{spec: m.spec, msg: m.msg}).valuesMasked()
	var ids []int
	for id, v := range m.msg.All() {
		clear := string(v)
		if binaryField(m.spec, id) {
			clear = upperHex(v)
		}
		mv := masked[id]
		if mv == clear || id == 55 && !strings.Contains(mv, "hidden") && !strings.Contains(mv, "*") {
			continue
		}
		ids = append(ids, id)
	}
	return ids
}

// packedText is the packed message, or why it is not shown.
func (m *isoMessage) packedText() string {
	if s := m.sensitive(); len(s) > 0 && !m.reveal {
		ids := make([]string, len(s))
		for i, id := range s {
			ids[i] = strconv.Itoa(id)
		}
		return "(hidden: the message carries card data in field " + strings.Join(ids, ", ") + "; -reveal prints it)"
	}
	return upperHex(m.packed)
}

func (m *isoMessage) writeText(w io.Writer) {
	if m.packed != nil {
		fmt.Fprintf(w, "%s\n", m.packedText())
		return
	}
	fmt.Fprintf(w, "spec %s\nMTI  %s\n", m.spec.Name(), m.msg.MTI)
	ids, vals := m.values()
	for _, id := range ids {
		fmt.Fprintf(w, "%3d  %-45s %s\n", id, fieldDescription(m.spec, id), vals[id])
	}
	if m.icc != nil {
		fmt.Fprintf(w, "\nfield 55:\n")
		m.icc.writeText(w)
	}
}

func (m *isoMessage) jsonValue() any {
	ids, vals := m.values()
	fields := obj{}
	for _, id := range ids {
		fields = fields.add(strconv.Itoa(id), vals[id])
	}
	o := obj{{"spec", m.spec.Name()}, {"mti", string(m.msg.MTI)}, {"fields", fields}}
	if m.packed != nil {
		o = o.add("hex", m.packedText())
	}
	if m.icc != nil {
		o = o.add("field 55", m.icc.jsonValue())
	}
	return o
}

var iso8583DecodeCmd = &command{
	group: "iso8583", name: "decode",
	args:    "[-spec ascii|bcd|ascii-pin16|bcd-pin16] [-tlv] [-reveal] [-json] [HEX]",
	summary: "unpack an ISO 8583 message, card data masked",
	doc: `
Unpacks an ISO 8583:1987 message with one of posflow's specs (-spec ascii,
the host-to-host ASCII layout, or bcd, the packed POS layout; ascii-pin16
and bcd-pin16 are the same with field 52 of variable length for 16-byte AES
PIN blocks; see go doc github.com/posflow/posflow/iso8583) and prints one
field a line. The PAN
shows its first six and last four digits; the expiry, track data, PIN
block, MACs, keys and private data show their length only, and field 55
its tags with the sensitive ones hidden (-tlv adds the tree of field 55
with its bit fields decoded, as tlv decode prints it). -reveal prints every value in
clear (binary fields in hexadecimal), and with -json gives the JSON that
iso8583 encode reads back.`,
	example: []string{"iso8583", "decode", "-spec", "bcd", isoExampleBCD},
	source:  "an 0200 built from the X9.24-1:2009 A.4 PAN, enciphered PIN block and KSN, and the Chuckks/Iso8583Lib field 55; see cmd/posflow/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		specName := fs.String("spec", "ascii", "wire layout: ascii or bcd, or ascii-pin16 or bcd-pin16 with field 52 of variable length (AES PIN blocks)")
		tree := fs.Bool("tlv", false, "also print field 55 as a tree, decoded as tlv decode does")
		return func(e *env) (any, error) {
			spec, err := specByName(*specName)
			if err != nil {
				return nil, err
			}
			b, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			m, err := spec.Unpack(b)
			if err != nil {
				return nil, err
			}
			res := &isoMessage{spec: spec, msg: m, reveal: e.reveal}
			if f55, ok := m.Field(55); ok && *tree {
				if res.icc, err = newTLVTree(f55, tlv.Options{}, e.reveal, false); err != nil {
					return nil, fmt.Errorf("field 55: %w", err)
				}
			}
			return res, nil
		}
	},
}

var iso8583EncodeCmd = &command{
	group: "iso8583", name: "encode",
	args:    "[-spec ascii|bcd|ascii-pin16|bcd-pin16] [-reveal] [-json] [JSON]",
	summary: "pack an ISO 8583 message from JSON",
	doc: `
Packs a message given as JSON, on the command line or standard input:

  {"mti": "0200", "fields": {"2": "4012345678909", "3": "000000", "52": "1B9C1845EB993A7A"}}

Character fields (n, an, ans, z) are strings as they are; binary fields
(52, 53, 55, 64, 128 ...) are hexadecimal. This is the form iso8583 decode
-reveal -json prints. The packed message is printed in hexadecimal; with
-json, the fields masked and the hex.`,
	example: []string{"iso8583", "encode", "-spec", "ascii", `{"mti":"0800","fields":{"7":"1126062800","11":"000001","70":"301"}}`},
	source:  "an echo test built by hand",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		specName := fs.String("spec", "ascii", "wire layout: ascii or bcd, or ascii-pin16 or bcd-pin16 with field 52 of variable length (AES PIN blocks)")
		return func(e *env) (any, error) {
			spec, err := specByName(*specName)
			if err != nil {
				return nil, err
			}
			text, err := e.operandText()
			if err != nil {
				return nil, err
			}
			var in struct {
				MTI    string            `json:"mti"`
				Fields map[string]string `json:"fields"`
				// spec and hex, as iso8583 decode -json prints them,
				// are accepted and ignored.
				Spec string `json:"spec"`
				Hex  string `json:"hex"`
			}
			dec := json.NewDecoder(strings.NewReader(text))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&in); err != nil {
				if se, ok := err.(*json.SyntaxError); ok {
					return nil, fmt.Errorf("JSON: %v at offset %d", se, se.Offset)
				}
				if errors.Is(err, io.ErrUnexpectedEOF) {
					return nil, fmt.Errorf("JSON: unexpected end of input at offset %d", len(text))
				}
				return nil, fmt.Errorf("JSON: %v at offset %d", err, dec.InputOffset())
			}
			if in.MTI == "" {
				return nil, fmt.Errorf("JSON: no \"mti\"")
			}
			m := iso8583.NewMessage(iso8583.MTI(in.MTI))
			for k, v := range in.Fields {
				id, err := strconv.Atoi(k)
				if err != nil || id < 2 || id > 128 {
					return nil, fmt.Errorf("JSON: field %q is not a field number from 2 to 128", k)
				}
				if !spec.Defined(id) {
					return nil, fmt.Errorf("field %d: not defined by the spec", id)
				}
				if binaryField(spec, id) {
					b, err := decodeHex(v)
					if err != nil {
						return nil, fmt.Errorf("field %d: %v", id, err)
					}
					m.Set(id, b)
				} else {
					m.SetString(id, v)
				}
			}
			packed, err := spec.Pack(m)
			if err != nil {
				return nil, err
			}
			return &isoMessage{spec: spec, msg: m, packed: packed, reveal: e.reveal}, nil
		}
	},
}

// isoExampleBCD is an 0200 in the BCD layout; see testdata/README.md.
const isoExampleBCD = "02007020048000C09A0013401234567890900000000000000900000000010051005445524D303030314D45524348414E54303030303030313438341B9C1845EB993A7A10FFFF9876543210E0000101245F2A02048482021C008407A0000000032010950580800080009A032401089C01009F02060000000900009F03060000000000009F090200839F100706010A03A4A8109F1A0204849F1E0836523635333530349F26082E078F5CEA112DAA9F2701809F3303E0B0C89F34030103029F3501229F4104000000019F530100"
