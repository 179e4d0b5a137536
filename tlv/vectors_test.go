package tlv

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// vector is one golden decoding from testdata/vectors.json; see
// testdata/README.md for the source of each.
type vector struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source"`
	Hex         string `json:"hex"`
	Canonical   bool   `json:"canonical"`
	TLVs        []node `json:"tlvs"`
}

// node is the test's own, independent form of a decoded object.
type node struct {
	Tag      string `json:"tag"`
	Value    string `json:"value,omitempty"`
	Children []node `json:"children,omitempty"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	return vs
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func toNodes(tlvs []TLV) []node {
	var out []node
	for _, t := range tlvs {
		n := node{Tag: t.Tag.String()}
		if t.Tag.Constructed() {
			n.Children = toNodes(t.Children)
		} else {
			n.Value = strings.ToUpper(hex.EncodeToString(t.Value))
		}
		out = append(out, n)
	}
	return out
}

// walk lists the primitive objects of a tree in depth-first order.
func walk(ns []node, f func(node)) {
	for _, n := range ns {
		f(n)
		walk(n.Children, f)
	}
}

func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			data := mustHex(t, v.Hex)
			got, err := Decode(data)
			if err != nil {
				t.Fatalf("Decode(%s) error: %v", v.Hex, err)
			}
			if diff := cmp.Diff(v.TLVs, toNodes(got)); diff != "" {
				t.Errorf("Decode(%s) mismatch (-want +got):\n%s", v.Hex, diff)
			}
			if err := Validate(data); err != nil {
				t.Errorf("Validate = %v", err)
			}

			enc, err := Encode(got...)
			if err != nil {
				t.Fatalf("Encode(Decode(x)) error: %v", err)
			}
			if v.Canonical && !bytes.Equal(enc, data) {
				t.Errorf("Encode(Decode(x)) = %X, want %X", enc, data)
			}
			if !v.Canonical && (bytes.Equal(enc, data) || len(enc) >= len(data)) {
				t.Errorf("Encode(Decode(padded)) = %X: padding should be gone", enc)
			}

			// The cursor sees the same top level.
			c := NewCursor(data)
			var top []string
			for c.Next() {
				top = append(top, c.Object().Tag.String())
			}
			if c.Err() != nil {
				t.Errorf("cursor: %v", c.Err())
			}
			var wantTop []string
			for _, n := range v.TLVs {
				wantTop = append(wantTop, n.Tag)
			}
			if diff := cmp.Diff(wantTop, top); diff != "" {
				t.Errorf("cursor tags (-want +got):\n%s", diff)
			}

			// Find returns the first object of each tag in depth-first
			// order, and FindAll every one.
			first := map[string]node{}
			count := map[string]int{}
			walk(v.TLVs, func(n node) {
				if _, ok := first[n.Tag]; !ok {
					first[n.Tag] = n
				}
				count[n.Tag]++
			})
			for tagHex, n := range first {
				tag, err := ParseTag(tagHex)
				if err != nil {
					t.Fatal(err)
				}
				obj, err := Find(data, tag)
				if err != nil {
					t.Errorf("Find(%s) error: %v", tagHex, err)
					continue
				}
				if n.Children == nil {
					if got := strings.ToUpper(hex.EncodeToString(obj.Value)); got != n.Value {
						t.Errorf("Find(%s).Value = %s, want %s", tagHex, got, n.Value)
					}
				}
				if !bytes.Equal(data[obj.Offset:obj.Offset+len(obj.Raw)], obj.Raw) {
					t.Errorf("Find(%s): Raw is not the input at Offset %d", tagHex, obj.Offset)
				}
				all, err := FindAll(data, tag)
				if err != nil || len(all) != count[tagHex] {
					t.Errorf("FindAll(%s) = %d objects, %v; want %d", tagHex, len(all), err, count[tagHex])
				}
			}
		})
	}
}

// The padded record decodes to the same tree as the record it was made
// from, and re-encodes to it.
func TestVectorPaddingRemoved(t *testing.T) {
	byName := map[string]vector{}
	for _, v := range loadVectors(t) {
		byName[v.Name] = v
	}
	padded, plain := byName["record-padded"], byName["record-cdol"]
	got, err := Decode(mustHex(t, padded.Hex))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := Encode(got...)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustHex(t, plain.Hex); !bytes.Equal(enc, want) {
		t.Errorf("Encode(Decode(padded)) = %X, want %X", enc, want)
	}
}

func TestVectorPaths(t *testing.T) {
	byName := map[string][]byte{}
	for _, v := range loadVectors(t) {
		byName[v.Name] = mustHex(t, v.Hex)
	}
	tests := []struct {
		vector string
		path   []Tag
		want   string
	}{
		{"fci-ppse", []Tag{0x6F, 0xA5, 0xBF0C, 0x61, 0x4F}, "A0000000041010"},
		{"fci-ppse", []Tag{0x6F, 0x84}, "325041592E5359532E4444463031"},
		{"fci-mastercard", []Tag{0x6F, 0xA5, 0xBF0C, 0x9F4D}, "0B0A"},
		{"fci-pse", []Tag{0x6F, 0xA5, 0x88}, "01"},
		{"record-pse-two-apps", []Tag{0x70, 0x61, 0x4F}, "A0000000032020"},
		{"record-pse-two-apps", []Tag{0x70, 0x61, 0x73, 0x9F0A}, "0001050100000000"},
		{"record-track2", []Tag{0x70, 0x5F20}, "455850495245442F43415244"},
	}
	for _, tt := range tests {
		obj, err := FindPath(byName[tt.vector], tt.path...)
		if err != nil {
			t.Errorf("%s: FindPath(%v) error: %v", tt.vector, tt.path, err)
			continue
		}
		if got := strings.ToUpper(hex.EncodeToString(obj.Value)); got != tt.want {
			t.Errorf("%s: FindPath(%v) = %s, want %s", tt.vector, tt.path, got, tt.want)
		}
	}
	// Both AIDs of the two-application record, in order.
	all, err := FindAll(byName["record-pse-two-apps"], 0x4F)
	if err != nil || len(all) != 2 {
		t.Fatalf("FindAll(4F) = %v, %v", all, err)
	}
	if got := hex.EncodeToString(all[1].Value); got != "a0000000032010" {
		t.Errorf("second AID = %s", got)
	}
}
