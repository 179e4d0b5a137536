package tlv

import (
	"bytes"
	"testing"

	"github.com/moov-io/bertlv"
)

// field55 returns the 201-byte, 27-object field 55 of the benchmarks: the
// data objects of an online authorisation request with the sizes EMV
// gives them. The values are patterned, not a real card's.
func field55(tb testing.TB) []byte {
	tb.Helper()
	objs := []struct {
		tag Tag
		n   int
	}{
		{0x9F26, 8}, {0x9F27, 1}, {0x9F10, 32}, {0x9F37, 4}, {0x9F36, 2}, {0x95, 5},
		{0x9A, 3}, {0x9C, 1}, {0x9F02, 6}, {0x5F2A, 2}, {0x82, 2}, {0x9F1A, 2},
		{0x9F03, 6}, {0x9F33, 3}, {0x9F34, 3}, {0x9F35, 1}, {0x84, 7}, {0x9F09, 2},
		{0x9F1E, 8}, {0x9F6E, 4}, {0x9F41, 4}, {0x5F34, 1}, {0x9F07, 2}, {0x9F0D, 5},
		{0x9F0E, 5}, {0x9F0F, 5}, {0x9F53, 1},
	}
	var b []byte
	for i, o := range objs {
		var err error
		b, err = AppendTLV(b, o.tag, bytes.Repeat([]byte{byte(0x11 * (i%15 + 1))}, o.n))
		if err != nil {
			tb.Fatal(err)
		}
	}
	if len(b) != 201 || len(objs) != 27 {
		tb.Fatalf("field 55 is %d bytes, %d objects", len(b), len(objs))
	}
	return b
}

// walkAll reads every object at every level with a cursor.
func walkAll(c Cursor) int {
	n := 0
	for c.Next() {
		n++
		if c.Tag().Constructed() {
			n += walkAll(c.Children())
		}
	}
	return n
}

func TestZeroAllocs(t *testing.T) {
	f55 := field55(t)
	fci := mustHex(t, "6F2F840E325041592E5359532E4444463031A51DBF0C1A61184F07A0000000041010500A4D617374657263617264870101")
	tests := []struct {
		name string
		f    func()
	}{
		{"cursor walk", func() {
			if walkAll(NewCursor(f55)) != 27 {
				t.Fatal("walk")
			}
		}},
		{"cursor walk nested", func() { walkAll(NewCursor(fci)) }},
		{"Find last tag", func() {
			if _, err := Find(f55, 0x9F53); err != nil {
				t.Fatal(err)
			}
		}},
		{"Find absent tag", func() {
			if _, err := Find(f55, 0x9F99); err != ErrNotFound {
				t.Fatal(err)
			}
		}},
		{"FindPath", func() {
			if _, err := FindPath(fci, 0x6F, 0xA5, 0xBF0C, 0x61, 0x4F); err != nil {
				t.Fatal(err)
			}
		}},
		{"Validate", func() {
			if err := Validate(f55); err != nil {
				t.Fatal(err)
			}
		}},
		{"AppendTLV", func() {
			var buf [64]byte
			AppendTLV(buf[:0], 0x9F26, f55[:8])
		}},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", tt.name, n)
		}
	}
	// Decode takes exactly one allocation, for the whole tree.
	if n := testing.AllocsPerRun(100, func() { Decode(fci) }); n != 1 {
		t.Errorf("Decode: %v allocations, want 1", n)
	}
}

// The benchmarks run on the same field 55; compare them with
//
//	go test -run '^$' -bench . -benchmem -cpu 1 ./tlv
func BenchmarkField55(b *testing.B) {
	f55 := field55(b)
	b.Run("CursorWalk", func(b *testing.B) {
		b.SetBytes(int64(len(f55)))
		b.ReportAllocs()
		for b.Loop() {
			walkAll(NewCursor(f55))
		}
	})
	b.Run("FindLast", func(b *testing.B) {
		b.SetBytes(int64(len(f55)))
		b.ReportAllocs()
		for b.Loop() {
			Find(f55, 0x9F53)
		}
	})
	b.Run("Decode", func(b *testing.B) {
		b.SetBytes(int64(len(f55)))
		b.ReportAllocs()
		for b.Loop() {
			Decode(f55)
		}
	})
	b.Run("Encode", func(b *testing.B) {
		tlvs, err := Decode(f55)
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 0, 256)
		b.SetBytes(int64(len(f55)))
		b.ReportAllocs()
		for b.Loop() {
			AppendEncode(buf[:0], tlvs...)
		}
	})
	b.Run("MoovBertlvDecode", func(b *testing.B) {
		b.SetBytes(int64(len(f55)))
		b.ReportAllocs()
		for b.Loop() {
			bertlv.Decode(f55)
		}
	})
}
