package tlv

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// nest returns n constructed 70 templates, one inside the other, around
// inner.
func nest(n int, inner []byte) []byte {
	b := inner
	for range n {
		enc, err := AppendTLV(nil, 0x71, b) // primitive tag for the framing...
		if err != nil {
			panic(err)
		}
		enc[0] = 0x70 // ...then made constructed
		b = enc
	}
	return b
}

var badInputs = []struct {
	name   string
	hex    string
	why    string
	want   error
	offset int
	tag    Tag
}{
	{"truncated tag", "9F", "a tag byte 9F announces a subsequent byte that is missing", ErrTruncated, 0, 0},
	{"truncated multi-byte tag", "5A0112DF8181", "the third byte of DF8181.. says another follows", ErrTruncated, 3, 0},
	{"truncated length", "9F02", "the tag is complete but the length field is missing", ErrTruncated, 0, 0x9F02},
	{"truncated long length", "9F0282", "82 announces two length bytes, none present", ErrTruncated, 0, 0x9F02},
	{"length past end", "9F0206000000", "the value should be 6 bytes, 3 remain", ErrTruncated, 0, 0x9F02},
	{"nine length bytes", "9F0289FFFFFFFFFFFFFFFFFF", "a 9-byte length field (moov-io/bertlv v0.1.0 panics here)", ErrLengthTooLarge, 0, 0x9F02},
	{"eight length bytes", "9F0288FFFFFFFFFFFFFFFF", "an 8-byte length field with the sign bit set (moov-io/bertlv v0.1.0 panics here)", ErrLengthTooLarge, 0, 0x9F02},
	{"four length bytes", "5A8400000001AA", "length fields are at most 3 bytes", ErrLengthTooLarge, 0, 0x5A},
	{"indefinite length", "70809F02060000000001000000", "0x80 is the indefinite form, not allowed in EMV", ErrIndefiniteLength, 0, 0x70},
	{"indefinite length inside", "6F05A58088010100", "indefinite length in a child", ErrIndefiniteLength, 2, 0xA5},
	{"0x80 first subsequent byte", "9F800102", "X.690 8.1.2.4.2: bits 7-1 of the first subsequent byte may not all be zero", ErrInvalidTag, 0, 0},
	{"0x00 first subsequent byte", "9F000102", "X.690 8.1.2.4.2: bits 7-1 of the first subsequent byte may not all be zero", ErrInvalidTag, 0, 0},
	{"five-byte tag", "DF8181818101AA", "tags are at most four bytes", ErrInvalidTag, 0, 0},
	{"non-minimal 81", "5A8104AABBCCDD", "81 04 fits the short form 04", ErrNonMinimalLength, 0, 0x5A},
	{"non-minimal 82", "5A820004AABBCCDD", "82 0004 fits the short form", ErrNonMinimalLength, 0, 0x5A},
	{"non-minimal 83", "5A83000004AABBCCDD", "83 000004 fits the short form", ErrNonMinimalLength, 0, 0x5A},
	{"trailing garbage", "8A0230309F", "a complete object followed by a lone tag byte", ErrTruncated, 4, 0},
	{"child runs past parent", "700457039F0206", "the child 57 claims 3 bytes but its parent holds 2 after its header", ErrTruncated, 2, 0x57},
	{"FF padding by default", "5A0112FFFF", "0xFF is not padding unless SkipFF; here it starts a truncated tag", ErrTruncated, 3, 0},
	{"malformed record of a test card", "703357114761739001010119D22122011758928889" + "5F200C455850495245442F43415244" + "9F1F0F3137353839303936303030303030",
		"9F1F claims 15 bytes, 14 remain in the template (openemv/emv-utils read application data test 6)", ErrTruncated, 36, 0x9F1F},
}

func TestDecodeBadInput(t *testing.T) {
	for _, tt := range badInputs {
		t.Run(tt.name, func(t *testing.T) {
			data := mustHex(t, tt.hex)
			got, err := Decode(data)
			if err == nil {
				t.Fatalf("Decode(%s) = %v, want error: %s", tt.hex, got, tt.why)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode(%s) error = %v, want %v (%s)", tt.hex, err, tt.want, tt.why)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Decode(%s) error %T is not a *SyntaxError", tt.hex, err)
			}
			if se.Offset != tt.offset || se.Tag != tt.tag {
				t.Errorf("Decode(%s) error at offset %d tag %v, want offset %d tag %v", tt.hex, se.Offset, se.Tag, tt.offset, tt.tag)
			}
			if got != nil {
				t.Errorf("Decode(%s) returned objects with an error", tt.hex)
			}
			if err := Validate(data); !errors.Is(err, tt.want) {
				t.Errorf("Validate(%s) = %v, want %v", tt.hex, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "tlv: offset ") {
				t.Errorf("error text %q does not name the offset", err)
			}
		})
	}
}

func TestDepthLimit(t *testing.T) {
	deep := nest(10000, []byte{0x5A, 0x01, 0x12})
	_, err := Decode(deep)
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("Decode(10,000 levels) = %v, want ErrTooDeep", err)
	}
	if _, err := Find(deep, 0x5A); !errors.Is(err, ErrTooDeep) {
		t.Errorf("Find(10,000 levels) = %v, want ErrTooDeep", err)
	}

	// DefaultMaxDepth levels are fine: 31 templates around a primitive.
	ok := nest(DefaultMaxDepth-1, []byte{0x5A, 0x01, 0x12})
	if _, err := Decode(ok); err != nil {
		t.Errorf("Decode(%d levels) = %v", DefaultMaxDepth, err)
	}
	if _, err := Decode(nest(DefaultMaxDepth, []byte{0x5A, 0x01, 0x12})); !errors.Is(err, ErrTooDeep) {
		t.Errorf("Decode(%d levels) = %v, want ErrTooDeep", DefaultMaxDepth+1, err)
	}
	if _, err := (Options{MaxDepth: 3}).Decode(nest(3, nil)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("MaxDepth 3, 4 levels: %v, want ErrTooDeep", err)
	}
	if _, err := (Options{MaxDepth: 3}).Decode(nest(2, []byte{0x5A, 0x00})); err != nil {
		t.Errorf("MaxDepth 3, 3 levels: %v", err)
	}
}

func TestOptions(t *testing.T) {
	// Lenient takes the non-minimal lengths strict rejects.
	for _, h := range []string{"5A8104AABBCCDD", "5A820004AABBCCDD", "5A83000004AABBCCDD"} {
		got, err := (Options{Lenient: true}).Decode(mustHex(t, h))
		if err != nil || len(got) != 1 || !bytes.Equal(got[0].Value, mustHex(t, "AABBCCDD")) {
			t.Errorf("lenient Decode(%s) = %v, %v", h, got, err)
		}
	}
	// Lenient does not take what is malformed.
	if _, err := (Options{Lenient: true}).Decode(mustHex(t, "70809F020100")); !errors.Is(err, ErrIndefiniteLength) {
		t.Errorf("lenient indefinite: %v", err)
	}

	// SkipFF skips FF padding around and between objects (ISO 7816-4 Annex D).
	data := mustHex(t, "FFFF9F0206000000000100FF5F2A020840FF")
	got, err := (Options{SkipFF: true}).Decode(data)
	if err != nil || len(got) != 2 || got[1].Tag != 0x5F2A {
		t.Errorf("SkipFF Decode = %v, %v", got, err)
	}
	if _, err := Decode(data); err == nil {
		t.Error("strict Decode of FF padding succeeded")
	}
	// By default FF begins a tag, as in EMV's proprietary FF templates.
	got, err = Decode(mustHex(t, "FF3503DF0100"))
	if err != nil || len(got) != 1 || got[0].Tag != 0xFF35 || len(got[0].Children) != 1 || got[0].Children[0].Tag != 0xDF01 {
		t.Errorf("Decode(FF35...) = %v, %v", got, err)
	}
}

func TestDecodePadding(t *testing.T) {
	data := mustHex(t, "0000 9F020600000000010000 00 5F2A020840 0000")
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []TLV{
		{Tag: 0x9F02, Value: mustHex(t, "000000000100")},
		{Tag: 0x5F2A, Value: mustHex(t, "0840")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode (-want +got):\n%s", diff)
	}
	// Only padding: no objects, no error.
	if got, err := Decode([]byte{0, 0, 0}); got != nil || err != nil {
		t.Errorf("Decode(000000) = %v, %v", got, err)
	}
	if got, err := Decode(nil); got != nil || err != nil {
		t.Errorf("Decode(nil) = %v, %v", got, err)
	}
}

func TestDecodeKeepsOrderAndDuplicates(t *testing.T) {
	data := mustHex(t, "9F3602000182021C009F360200025A0112")
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var tags []Tag
	for _, t := range got {
		tags = append(tags, t.Tag)
	}
	if diff := cmp.Diff([]Tag{0x9F36, 0x82, 0x9F36, 0x5A}, tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

func TestDecodeEmptyValues(t *testing.T) {
	got, err := Decode(mustHex(t, "70009F0200"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0].Value) != 0 || got[0].Children != nil || len(got[1].Value) != 0 {
		t.Errorf("Decode(70009F0200) = %#v", got)
	}
}

func TestDecodeLongForms(t *testing.T) {
	for _, n := range []int{0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000} {
		v := bytes.Repeat([]byte{0xA5}, n)
		enc, err := AppendTLV(nil, 0x86, v)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 + lengthLen(n) + n; len(enc) != want {
			t.Errorf("AppendTLV(%d bytes) = %d bytes, want %d", n, len(enc), want)
		}
		got, err := DecodeOne(enc)
		if err != nil || !bytes.Equal(got.Value, v) {
			t.Errorf("DecodeOne(%d-byte value) = %d bytes, %v", n, len(got.Value), err)
		}
	}
}

func TestDecodeOne(t *testing.T) {
	got, err := DecodeOne(mustHex(t, "00 6F03 880101 00"))
	if err != nil || got.Tag != 0x6F || len(got.Children) != 1 {
		t.Errorf("DecodeOne = %v, %v", got, err)
	}
	_, err = DecodeOne(mustHex(t, "8A023030 9F3602"))
	var se *SyntaxError
	if !errors.Is(err, ErrTrailingData) || !errors.As(err, &se) || se.Offset != 4 {
		t.Errorf("DecodeOne(object + garbage) = %v, want ErrTrailingData at 4", err)
	}
	_, err = DecodeOne(mustHex(t, "8A023030 9F36020001"))
	if !errors.Is(err, ErrTrailingData) {
		t.Errorf("DecodeOne(two objects) = %v, want ErrTrailingData", err)
	}
	if _, err := DecodeOne(nil); !errors.Is(err, ErrTruncated) {
		t.Errorf("DecodeOne(nil) = %v, want ErrTruncated", err)
	}
	_, err = DecodeOne(mustHex(t, "0000 6F02 8802"))
	if !errors.As(err, &se) || se.Offset != 4 || se.Tag != 0x88 {
		t.Errorf("DecodeOne(bad child) = %v, want offset 4 tag 88", err)
	}
}

func TestValuesAliasInput(t *testing.T) {
	data := mustHex(t, "6F03880101")
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	clone := got[0].Clone()
	data[4] = 0x02
	if got[0].Children[0].Value[0] != 0x02 {
		t.Error("decoded value does not alias the input")
	}
	if clone.Children[0].Value[0] != 0x01 || clone.Value[2] != 0x01 {
		t.Error("Clone shares memory with the input")
	}
}

func TestCursor(t *testing.T) {
	data := mustHex(t, "00 6F09 8407A0000000031010 00 9F3600 01")
	c := NewCursor(data)
	if !c.Next() {
		t.Fatalf("Next = false, %v", c.Err())
	}
	o := c.Object()
	if o.Tag != 0x6F || o.Offset != 1 || len(o.Raw) != 11 || !o.Constructed() {
		t.Errorf("first object = %+v", o)
	}
	ch := o.Children()
	if !ch.Next() || ch.Object().Tag != 0x84 || ch.Object().Offset != 3 {
		t.Errorf("child = %+v, %v", ch.Object(), ch.Err())
	}
	if ch.Next() || ch.Err() != nil {
		t.Errorf("second child: %v", ch.Err())
	}
	if !c.Next() || c.Object().Tag != 0x9F36 || c.Object().Offset != 13 || len(c.Object().Value) != 0 {
		t.Errorf("second object = %+v", c.Object())
	}
	if string(c.Rest()) != "\x01" {
		t.Errorf("Rest = %X", c.Rest())
	}
	if c.Next() {
		t.Errorf("third Next = true: %+v", c.Object())
	}
	var se *SyntaxError
	if !errors.As(c.Err(), &se) || se.Offset != 16 || !errors.Is(se, ErrTruncated) {
		t.Errorf("Err = %v", c.Err())
	}
	if c.Next() {
		t.Error("Next after an error = true")
	}
}

func TestFind(t *testing.T) {
	// A search must go past a constructed object to its siblings; a known
	// bug elsewhere (moov-io/bertlv FindFirstTag) stops after the first
	// constructed subtree.
	data := mustHex(t, "70035A0112 9F2608 0102030405060708")
	obj, err := Find(data, 0x9F26)
	if err != nil || !bytes.Equal(obj.Value, mustHex(t, "0102030405060708")) {
		t.Errorf("Find(9F26 after a template) = %X, %v", obj.Value, err)
	}
	obj, err = Find(data, 0x5A)
	if err != nil || obj.Offset != 2 {
		t.Errorf("Find(5A in a template) = %+v, %v", obj, err)
	}
	if _, err := Find(data, 0x9F27); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find(absent) = %v, want ErrNotFound", err)
	}
	// A constructed tag is found itself.
	if obj, err := Find(data, 0x70); err != nil || len(obj.Raw) != 5 {
		t.Errorf("Find(70) = %+v, %v", obj, err)
	}
	// Malformed input before a match is an error, not "not found".
	if _, err := Find(mustHex(t, "7003 5A02"), 0x9F26); !errors.Is(err, ErrTruncated) {
		t.Errorf("Find(malformed) = %v", err)
	}
	// Depth-first: the object inside the first template comes before a
	// later top-level object of the same tag.
	data = mustHex(t, "7003 9F3600 9F360101")
	if obj, err := Find(data, 0x9F36); err != nil || obj.Offset != 2 {
		t.Errorf("Find depth-first = %+v, %v", obj, err)
	}
	all, err := FindAll(data, 0x9F36)
	if err != nil || len(all) != 2 || all[1].Offset != 5 {
		t.Errorf("FindAll = %+v, %v", all, err)
	}
	if all, err := FindAll(data, 0x5A); all != nil || err != nil {
		t.Errorf("FindAll(absent) = %v, %v", all, err)
	}
	if _, err := FindAll(mustHex(t, "9F3600 5A"), 0x9F36); !errors.Is(err, ErrTruncated) {
		t.Errorf("FindAll(malformed) = %v", err)
	}
}

func TestFindPath(t *testing.T) {
	// The first 61 has no 4F; the path must try the second.
	data := mustHex(t, "70 0D 61 03 500141 61 06 4F04A0000000")
	obj, err := FindPath(data, 0x70, 0x61, 0x4F)
	if err != nil || !bytes.Equal(obj.Value, mustHex(t, "A0000000")) {
		t.Errorf("FindPath with backtracking = %X, %v", obj.Value, err)
	}
	if _, err := FindPath(data, 0x70, 0x4F); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindPath(70/4F) = %v, want ErrNotFound", err)
	}
	if _, err := FindPath(data); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindPath() = %v, want ErrNotFound", err)
	}
	// A path through a primitive goes nowhere.
	if _, err := FindPath(mustHex(t, "5A0112"), 0x5A, 0x12); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindPath through a primitive = %v", err)
	}
	if _, err := FindPath(mustHex(t, "7004 6102 4F05"), 0x70, 0x61, 0x4F); !errors.Is(err, ErrTruncated) {
		t.Errorf("FindPath(malformed) = %v", err)
	}
}

// Decode notes up to topBuffer top-level objects as it checks them; more
// take the path that reads the top level twice. Both give the same tree.
func TestDecodeManyTopLevel(t *testing.T) {
	for _, n := range []int{topBuffer - 1, topBuffer, topBuffer + 1, 3 * topBuffer} {
		var data []byte
		var want []TLV
		for i := range n {
			v := []byte{byte(i)}
			tag := Tag(0x9F01 + i%100)
			if i%7 == 3 {
				enc, _ := Encode(TLV{Tag: 0x70, Children: []TLV{{Tag: 0x5A, Value: v}, {Tag: 0xA5, Children: []TLV{{Tag: 0x88, Value: v}}}}})
				data = append(data, enc...)
				want = append(want, TLV{Tag: 0x70, Children: []TLV{{Tag: 0x5A, Value: v}, {Tag: 0xA5, Children: []TLV{{Tag: 0x88, Value: v}}}}})
				continue
			}
			data, _ = AppendTLV(data, tag, v)
			want = append(want, TLV{Tag: tag, Value: v})
		}
		got, err := Decode(data)
		if err != nil {
			t.Fatalf("%d objects: %v", n, err)
		}
		if diff := cmp.Diff(toNodes(want), toNodes(got)); diff != "" {
			t.Errorf("%d objects (-want +got):\n%s", n, diff)
		}
		large, err := Options{}.decodeLarge(data)
		if err != nil || !cmp.Equal(toNodes(large), toNodes(got)) {
			t.Errorf("%d objects: decodeLarge differs: %v", n, err)
		}
		enc, err := Encode(got...)
		if err != nil || !bytes.Equal(enc, data) {
			t.Errorf("%d objects: Encode(Decode(x)) != x", n)
		}
	}
	if got, err := (Options{}).decodeLarge(nil); got != nil || err != nil {
		t.Errorf("decodeLarge(nil) = %v, %v", got, err)
	}
}
