package qr

import (
	"bufio"
	"io"
	"strconv"
	"unicode/utf8"
)

// Fprint writes the data objects of m to w, one line each, with the
// sub-objects of templates indented under them and, for a parsed payload,
// the CRC it carried last:
//
//	54 Transaction Amount [5] "23.72"
//	62 Additional Data Field Template [33]
//	  07 Terminal Label [8] "A6008667"
//
// The length in brackets counts characters, as in the payload. Values are
// quoted as Go strings. The objects of a merchant-presented payload are
// public merchant data; nothing is masked.
func (m *MPM) Fprint(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for _, o := range m.Objects {
		line = appendLine(line[:0], "", o.ID, o.ID.Name(), o)
		for _, s := range o.Sub {
			line = appendLine(line, "  ", s.ID, SubName(o.ID, s.ID), s)
			for _, g := range s.Sub {
				name := ""
				if g.ID == IDGUI {
					name = "Globally Unique Identifier"
				}
				line = appendLine(line, "    ", g.ID, name, g)
			}
		}
		bw.Write(line) // a write error sticks; Flush returns it
	}
	if m.Raw != "" {
		line = append(line[:0], "63 CRC [4] "...)
		line = appendHex4(line, m.CRC)
		line = append(line, '\n')
		bw.Write(line)
	}
	return bw.Flush()
}

func appendLine(dst []byte, indent string, id ID, name string, o Object) []byte {
	dst = append(dst, indent...)
	dst = append(dst, id.String()...)
	if name != "" {
		dst = append(dst, ' ')
		dst = append(dst, name...)
	}
	dst = append(dst, " ["...)
	if o.Sub != nil {
		dst = strconv.AppendInt(dst, int64(encodedLen(o.Sub)), 10)
		dst = append(dst, "]\n"...)
		return dst
	}
	dst = strconv.AppendInt(dst, int64(utf8.RuneCountInString(o.Value)), 10)
	dst = append(dst, "] "...)
	dst = strconv.AppendQuote(dst, o.Value)
	return append(dst, '\n')
}
