package tlv

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moov-io/bertlv"
)

func addSeeds(f *testing.F) {
	for _, v := range loadVectors(f) {
		f.Add(mustHex(f, v.Hex))
	}
	for _, b := range badInputs {
		f.Add(mustHex(f, b.hex))
	}
	f.Add(nest(40, []byte{0x5A, 0x01, 0x12}))
	f.Add(mustHex(f, "FFFF9F0206000000000100FF5F2A020840FF"))
	f.Add(mustHex(f, "5A8104AABBCCDD"))
}

// FuzzDecode checks, for any input: no panic anywhere in the package;
// Encode(Decode(x)) is x less its padding, and x itself when x is
// canonical; every strict prefix of a valid encoding fails; and where
// github.com/moov-io/bertlv v0.1.0 also decodes x, both agree.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Every entry point, every rule set: errors are fine, panics not.
		for _, o := range []Options{{}, {Lenient: true}, {SkipFF: true}, {MaxDepth: 2}} {
			o.Decode(data)
			o.DecodeOne(data)
			o.Validate(data)
			o.Find(data, 0x9F26)
			o.FindAll(data, 0x5A)
			o.FindPath(data, 0x6F, 0xA5, 0xBF0C, 0x61, 0x4F)
			(&Printer{Options: o}).Fprint(io.Discard, data)
		}

		tlvs, err := Decode(data)
		if err != nil {
			if Validate(data) == nil {
				t.Fatalf("Decode(%X) = %v but Validate succeeds", data, err)
			}
			return
		}
		if err := Validate(data); err != nil {
			t.Fatalf("Decode(%X) succeeds but Validate = %v", data, err)
		}
		c := NewCursor(data)
		n := 0
		for c.Next() {
			n++
		}
		if c.Err() != nil || n != len(tlvs) {
			t.Fatalf("cursor read %d objects (%v), Decode %d", n, c.Err(), len(tlvs))
		}

		// Round trip: re-encoding only drops 0x00 padding (and shortens
		// the lengths of the templates that held it), so it never grows,
		// keeps the tree, and gives back a canonical input unchanged.
		enc, err := Encode(tlvs...)
		if err != nil {
			t.Fatalf("Encode(Decode(%X)) error: %v", data, err)
		}
		if len(enc) > len(data) {
			t.Fatalf("Encode(Decode(%X)) = %X: longer than the input", data, enc)
		}
		if len(enc) == len(data) && !bytes.Equal(enc, data) {
			t.Fatalf("Encode(Decode(%X)) = %X, want the input", data, enc)
		}
		again, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(x))) error: %v", err)
		}
		if a, b := toNodes(tlvs), toNodes(again); !reflect.DeepEqual(a, b) {
			t.Fatalf("tree changed through Encode (-first +second):\n%s", cmp.Diff(a, b))
		}

		// Every strict prefix of a top-level object's encoding fails.
		for _, obj := range tlvs {
			e, err := Encode(obj)
			if err != nil {
				t.Fatal(err)
			}
			if len(e) > 300 {
				continue
			}
			for i := 1; i < len(e); i++ {
				if _, err := Decode(e[:i]); err == nil {
					t.Fatalf("Decode of the %d-byte prefix of %X succeeded", i, e)
				}
			}
		}

		// Agreement with an independent implementation.
		theirs, ok := bertlvDecode(data)
		if ok {
			if a, b := fromBertlv(theirs), toNodes(tlvs); !reflect.DeepEqual(a, b) {
				t.Fatalf("Decode(%X) disagrees with moov-io/bertlv (-bertlv +ours):\n%s", data, cmp.Diff(a, b))
			}
		}
	})
}

// bertlvDecode calls moov-io/bertlv v0.1.0, which panics on some malformed
// lengths; the recover is in this test only.
func bertlvDecode(data []byte) (tlvs []bertlv.TLV, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	tlvs, err := bertlv.Decode(data)
	return tlvs, err == nil
}

func fromBertlv(tlvs []bertlv.TLV) []node {
	var out []node
	for _, t := range tlvs {
		n := node{Tag: t.Tag}
		tag, err := ParseTag(t.Tag)
		if err != nil || tag.Constructed() {
			n.Children = fromBertlv(t.TLVs)
		} else {
			n.Value = fmt.Sprintf("%X", t.Value)
		}
		out = append(out, n)
	}
	return out
}

// The oracle comparison of FuzzDecode must be able to fail.
func TestFuzzChecksCanFail(t *testing.T) {
	theirs, ok := bertlvDecode(mustHex(t, "6F03880101"))
	if !ok {
		t.Fatal("bertlv failed on a valid FCI")
	}
	ours, _ := Decode(mustHex(t, "6F03880102"))
	if reflect.DeepEqual(fromBertlv(theirs), toNodes(ours)) {
		t.Error("the oracle comparison missed a different value")
	}
	if _, ok := bertlvDecode(mustHex(t, "9F0289FFFFFFFFFFFFFFFFFF")); ok {
		t.Error("bertlv v0.1.0 accepted a 9-byte length")
	}
}
