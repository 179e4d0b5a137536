package iso8583

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

// allSpecs are the predefined specs and their VariablePINData variants.
var allSpecs = []*Spec{SpecASCII, SpecBCD, SpecASCII.VariablePINData(), SpecBCD.VariablePINData()}

// viaMoovOnly returns a copy of s that codes every MTI, length and value
// with moov's encoders and prefixers, as the package did before the fast
// paths: the reference they must agree with.
func viaMoovOnly(s *Spec) *Spec {
	r := &Spec{name: s.name + " via moov", mti: s.mti}
	r.mti.direct, r.mti.asciiLen = viaMoov, false
	for id, c := range s.fields {
		if c == nil {
			continue
		}
		d := *c
		d.direct, d.asciiLen = viaMoov, false
		r.fields[id] = &d
	}
	r.pin16 = r
	return r
}

// TestFastPathChosen checks that the fast paths apply where they should,
// so that the tests comparing them with moov compare something.
func TestFastPathChosen(t *testing.T) {
	tests := []struct {
		name     string
		c        *codec
		direct   direct
		asciiLen bool
	}{
		{"ASCII mti", &SpecASCII.mti, directASCII, true},
		{"ASCII 2, n..19", SpecASCII.fields[2], directASCII, true},
		{"ASCII 3, n6", SpecASCII.fields[3], directASCII, true},
		{"ASCII 35, z..37", SpecASCII.fields[35], directASCII, true},
		{"ASCII 48, ans...999", SpecASCII.fields[48], directASCII, true},
		{"ASCII 52, b8 as hex", SpecASCII.fields[52], viaMoov, true},
		{"ASCII 53, b..48 as hex", SpecASCII.fields[53], viaMoov, true},
		{"ASCII 55, b...255", SpecASCII.fields[55], directBinary, true},
		{"ASCII 63, b...999", SpecASCII.fields[63], directBinary, true},
		{"ASCII pin16 52, b..16 as hex", SpecASCII.VariablePINData().fields[52], viaMoov, true},
		{"BCD mti", &SpecBCD.mti, viaMoov, false},
		{"BCD 2, n..19", SpecBCD.fields[2], viaMoov, false},
		{"BCD 3, n6", SpecBCD.fields[3], viaMoov, false},
		{"BCD 35, z..37", SpecBCD.fields[35], viaMoov, false},
		{"BCD 41, ans8", SpecBCD.fields[41], directASCII, false},
		{"BCD 48, ans...999", SpecBCD.fields[48], directASCII, false},
		{"BCD 52, b8", SpecBCD.fields[52], directBinary, false},
		{"BCD 55, b...255", SpecBCD.fields[55], directBinary, false},
		{"BCD pin16 52, b..16", SpecBCD.VariablePINData().fields[52], directBinary, false},
	}
	for _, tt := range tests {
		if tt.c.direct != tt.direct || tt.c.asciiLen != tt.asciiLen {
			t.Errorf("%s: direct %d, asciiLen %v; want %d, %v", tt.name, tt.c.direct, tt.c.asciiLen, tt.direct, tt.asciiLen)
		}
	}
}

// fieldValues returns values for field c: of the field's class at every
// interesting length (0, 1, the step, around the maximum and random ones
// in between), and of random bytes, high bytes (refused by
// encoding.ASCII) and other classes' characters at some of them.
func fieldValues(c *codec, r *rand.Rand) [][]byte {
	lens := []int{0, 1, 2, c.max - 1, c.max, c.max + 1, c.max + 2, 100, 1000}
	if c.step != 0 {
		lens = append(lens, c.step, c.step-1, c.step+1, 2*c.step)
	}
	for range 4 {
		lens = append(lens, r.IntN(c.max+1))
	}
	var vs [][]byte
	for _, n := range lens {
		if n < 0 {
			continue
		}
		if n > 0 {
			vs = append(vs, classValue(c, n))
		}
		random := make([]byte, n)
		high := make([]byte, n)
		digits := make([]byte, n)
		ans := make([]byte, n)
		for i := range n {
			random[i] = byte(r.Uint32())
			high[i] = byte(0x80 + r.IntN(0x80))
			digits[i] = byte('0' + r.IntN(10))
			ans[i] = byte(0x20 + r.IntN(0x5F))
		}
		vs = append(vs, random, high, digits, ans)
		if n > 0 {
			// One high byte in an otherwise fitting value.
			v := classValue(c, n)
			v[r.IntN(n)] = 0x80 | byte(r.Uint32())
			vs = append(vs, v)
		}
	}
	return append(vs, nil)
}

// classValue returns a value of n characters or bytes in c's class, as
// sampleValue does for any n.
func classValue(c *codec, n int) []byte {
	v := make([]byte, 0, n)
	for len(v) < n {
		v = append(v, sampleValue(c, min(n-len(v), 100))...)
	}
	return v
}

// sameError reports whether two errors of packing or unpacking are the
// same: both nil, or equal *FieldError values.
func sameError(a, b error) bool {
	return reflect.DeepEqual(a, b)
}

// sameMessage reports whether a and b hold the same MTI, raw bytes and
// fields, including where each lies in raw and whether an empty value is
// nil.
func sameMessage(a, b *Message) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.MTI != b.MTI || !bytes.Equal(a.raw, b.raw) || (a.raw == nil) != (b.raw == nil) || len(a.fields) != len(b.fields) {
		return false
	}
	for i, e := range a.fields {
		f := b.fields[i]
		if e.id != f.id || e.start != f.start || e.end != f.end || !bytes.Equal(e.val, f.val) || (e.val == nil) != (f.val == nil) {
			return false
		}
	}
	return true
}

// checkPackAgrees packs m with s and with its moov-only reference and
// fails unless both give the same bytes and the same error.
func checkPackAgrees(t *testing.T, s, ref *Spec, m *Message, what string) {
	t.Helper()
	prefix := []byte("prefix")
	got, err := s.AppendPack(bytes.Clone(prefix), m)
	want, wantErr := ref.AppendPack(bytes.Clone(prefix), m)
	if !bytes.Equal(got, want) || !sameError(err, wantErr) {
		t.Fatalf("%s: %s: AppendPack = %X, %v; moov %X, %v", s.Name(), what, got, err, want, wantErr)
	}
}

// checkUnpackAgrees unpacks data with s and with its moov-only reference
// and fails unless both give the same message and the same error.
func checkUnpackAgrees(t *testing.T, s, ref *Spec, data []byte, what string) {
	t.Helper()
	got, err := s.Unpack(data)
	want, wantErr := ref.Unpack(data)
	if !sameMessage(got, want) || !sameError(err, wantErr) {
		t.Fatalf("%s: %s: Unpack(%X) = %v, %v; moov %v, %v", s.Name(), what, data, got, err, want, wantErr)
	}
}

// TestFastPathPackAgrees packs every field of every spec alone and after
// another field, with values that fit and values each check or coder
// refuses, and checks that the fast paths write what moov's coders write
// and refuse what they refuse, with the same error. It also compares the
// field coder on its own, beyond the values Pack's checks let through.
func TestFastPathPackAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range allSpecs {
		ref := viaMoovOnly(s)
		for id, c := range s.fields {
			if c == nil {
				continue
			}
			for _, v := range fieldValues(c, r) {
				what := "field " + strconv.Itoa(id) + " = " + strconv.Quote(string(v))
				m := NewMessage(MTIFinancialRequest)
				m.Set(id, v)
				checkPackAgrees(t, s, ref, m, what)
				if id != 3 {
					m.SetString(3, "000000")
					checkPackAgrees(t, s, ref, m, what+" after field 3")
				}

				got, err := c.appendField([]byte("x"), v)
				want, wantErr := ref.fields[id].appendField([]byte("x"), v)
				if !bytes.Equal(got, want) || !sameError(err, wantErr) {
					t.Fatalf("%s: %s: appendField = %X, %v; moov %X, %v", s.Name(), what, got, err, want, wantErr)
				}
			}
		}
		for _, mti := range []MTI{"0200", "0810", "9999", "020", "02000", "02a0", "02\x800", ""} {
			m := NewMessage(mti)
			m.SetString(11, "000001")
			checkPackAgrees(t, s, ref, m, "mti "+strconv.Quote(string(mti)))
		}
	}
}

// TestFastPathUnpackAgrees unpacks, with every spec, each field packed
// alone at the lengths of fieldValues, then the same bytes with bytes of
// the value changed to a high byte, a letter and a digit, cut short, and
// (once per field) with many values of its ASCII length prefix, and checks
// that the fast paths read what moov's coders read and refuse what they
// refuse, with the same error.
func TestFastPathUnpackAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range allSpecs {
		ref := viaMoovOnly(s)
		for id, c := range s.fields {
			if c == nil {
				continue
			}
			prefixesDone := false
			for _, v := range fieldValues(c, r) {
				m := NewMessage(MTIFinancialRequest)
				m.Set(id, v)
				b, err := s.Pack(m)
				if err != nil {
					continue
				}
				what := "field " + strconv.Itoa(id)
				checkUnpackAgrees(t, s, ref, b, what)
				head := len(b) - c.wireLen(len(v)) // the value's wire bytes start here
				for _, i := range positions(head, len(b), r) {
					for _, x := range []byte{0x80, 0xFF, 'A', 'a', '7', '=', ' '} {
						d := bytes.Clone(b)
						d[i] = x
						checkUnpackAgrees(t, s, ref, d, what+", byte "+strconv.Itoa(i)+" changed")
					}
				}
				for _, n := range positions(0, len(b), r) {
					checkUnpackAgrees(t, s, ref, b[:n], what+", cut short")
				}
				if c.digits != 0 && !c.bcdLen && !prefixesDone {
					prefixesDone = true
					// Lengths the ASCII prefix can say, small, around
					// the maximum, the largest and random ones, before
					// the same value bytes (or none).
					p := head - c.digits
					top := 1
					for range c.digits {
						top *= 10
					}
					ls := []int{c.max - 1, c.max, c.max + 1, top - 1}
					for l := range min(top, 20) {
						ls = append(ls, l)
					}
					for range 20 {
						ls = append(ls, r.IntN(top))
					}
					for _, l := range ls {
						if l < 0 || l >= top {
							continue
						}
						d := bytes.Clone(b)
						copy(d[p:], zeros[:c.digits-len(strconv.Itoa(l))]+strconv.Itoa(l))
						checkUnpackAgrees(t, s, ref, d, what+", prefix "+strconv.Itoa(l))
						d = append(d, bytes.Repeat([]byte{'1'}, max(0, l-len(v)))...)
						checkUnpackAgrees(t, s, ref, d, what+", prefix "+strconv.Itoa(l)+" and padding")
					}
				}
			}
		}
		for _, mti := range []string{"0200", "0810", "9999", "02a0", "02\x800", "\xff\xff\xff\xff", "\x02\x00"} {
			m := NewMessage(MTIFinancialRequest)
			m.SetString(11, "000001")
			b, err := s.Pack(m)
			if err != nil {
				t.Fatal(err)
			}
			d := append([]byte(mti), b[s.mti.wireLen(4):]...)
			checkUnpackAgrees(t, s, ref, d, "mti "+strconv.Quote(mti))
		}
	}
}

// positions returns the indexes from from to to, or for a long range its
// first 8, its last 8 and 8 random ones between.
func positions(from, to int, r *rand.Rand) []int {
	var p []int
	for i := from; i < to; i++ {
		if i-from < 8 || to-i <= 8 {
			p = append(p, i)
		}
	}
	if to-from > 16 {
		for range 8 {
			p = append(p, from+8+r.IntN(to-from-16))
		}
	}
	return p
}

// TestFastPathWhole packs and unpacks the test messages of every class
// with every spec both ways.
func TestFastPathWhole(t *testing.T) {
	for _, s := range allSpecs {
		ref := viaMoovOnly(s)
		msgs := []*Message{testPurchase("000123", "TERM0001"), goldenNetwork()}
		if s.VariablePINData() == s {
			msgs = append(msgs, testPurchaseAES("000124", "TERM0001"))
		}
		for _, m := range msgs {
			checkPackAgrees(t, s, ref, m, "message "+string(m.MTI))
			b, err := s.Pack(m)
			if err != nil {
				t.Fatal(err)
			}
			checkUnpackAgrees(t, s, ref, b, "message "+string(m.MTI))
		}
	}
}

// FuzzFastPathPack packs a message with fuzzer-chosen field and value,
// after field 3, with each spec and its moov-only reference, and checks
// that they agree; it compares the field coder alone too.
func FuzzFastPathPack(f *testing.F) {
	f.Add(uint8(0), uint8(2), []byte("4761739001010119"))
	f.Add(uint8(0), uint8(55), []byte{0x9F, 0x26, 0x08, 0x80})
	f.Add(uint8(1), uint8(48), []byte("A\x80B"))
	f.Add(uint8(2), uint8(52), bytes.Repeat([]byte{0xAB}, 16))
	f.Fuzz(func(t *testing.T, spec, id uint8, v []byte) {
		s := allSpecs[int(spec)%len(allSpecs)]
		ref := viaMoovOnly(s)
		m := NewMessage(MTIFinancialRequest)
		m.SetString(3, "000000")
		m.Set(int(id), v)
		checkPackAgrees(t, s, ref, m, "field "+strconv.Itoa(int(id)))
		if int(id) <= maxField && s.fields[id] != nil {
			got, err := s.fields[id].appendField(nil, v)
			want, wantErr := ref.fields[id].appendField(nil, v)
			if !bytes.Equal(got, want) || !sameError(err, wantErr) {
				t.Fatalf("%s: field %d: appendField = %X, %v; moov %X, %v", s.Name(), id, got, err, want, wantErr)
			}
		}
	})
}

// FuzzFastPathUnpack unpacks fuzzer input with each spec and its
// moov-only reference and checks that they agree.
func FuzzFastPathUnpack(f *testing.F) {
	for i, s := range allSpecs[:2] {
		b, err := s.Pack(testPurchase("000123", "TERM0001"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
	}
	f.Add(uint8(0), []byte("0200\x40\x00\x00\x00\x00\x00\x00\x0020\x80"))
	f.Fuzz(func(t *testing.T, spec uint8, data []byte) {
		s := allSpecs[int(spec)%len(allSpecs)]
		checkUnpackAgrees(t, s, viaMoovOnly(s), data, "fuzz input")
	})
}
