package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// An obj is the result of a command: named values in the order they are
// printed. The same obj is written as aligned "name: value" lines, or with
// -json as a JSON object whose keys are the names in snake case, so that
// the text and the JSON forms cannot drift apart.
//
// A value is a string, an int, a bool, an obj, a []obj or a []string.
type obj []kv

type kv struct {
	k string
	v any
}

// add appends a named value and returns the extended obj.
func (o obj) add(k string, v any) obj { return append(o, kv{k, v}) }

// jsonKey turns a printed name into a JSON key: "initial key" is
// "initial_key".
func jsonKey(k string) string {
	k = strings.ToLower(k)
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, k)
}

// MarshalJSON writes o as a JSON object, keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := marshal(jsonKey(e.k))
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without the escaping of <, > and &, which
// posflow's output uses in text such as "<masked, 12 bytes>".
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// writeText writes o as indented "name: value" lines.
func writeText(w io.Writer, o obj, indent string) {
	width := 0
	for _, e := range o {
		if _, nested := e.v.(obj); nested {
			continue
		}
		if _, list := e.v.([]obj); list {
			continue
		}
		width = max(width, len(e.k))
	}
	for _, e := range o {
		switch v := e.v.(type) {
		case obj:
			fmt.Fprintf(w, "%s%s:\n", indent, e.k)
			writeText(w, v, indent+"  ")
		case []obj:
			fmt.Fprintf(w, "%s%s:\n", indent, e.k)
			for i, item := range v {
				if i > 0 && len(item) > 1 {
					fmt.Fprintln(w)
				}
				writeText(w, item, indent+"  ")
			}
		case []string:
			fmt.Fprintf(w, "%s%s:\n", indent, e.k)
			for _, s := range v {
				fmt.Fprintf(w, "%s  %s\n", indent, s)
			}
		default:
			fmt.Fprintf(w, "%s%-*s %v\n", indent, width+1, e.k+":", v)
		}
	}
}

// upperHex returns b in upper-case hexadecimal.
func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// secret returns the text of a key, PIN or clear PIN block: in clear with
// -reveal, and otherwise only its size, so that nothing secret reaches a
// terminal, a shell history or a ticket by accident.
func secret(reveal bool, what string, b []byte) string {
	if reveal {
		return upperHex(b)
	}
	return hidden(what, len(b))
}

// hidden is the text that stands for a secret of n bytes or digits.
func hidden(what string, n int) string {
	return "(hidden " + what + ", " + strconv.Itoa(n) + " " + unit(what) + "; -reveal shows it)"
}

func unit(what string) string {
	if what == "PIN" {
		return "digits"
	}
	return "bytes"
}

// secretPIN returns a PIN in clear with -reveal, its length otherwise.
func secretPIN(reveal bool, pin string) string {
	if reveal {
		return pin
	}
	return hidden("PIN", len(pin))
}
