package iso8583

import (
	"bufio"
	"bytes"
	"testing"
)

// fuzzUnpack checks, for any input, that Unpack does not panic, that a
// message it accepts packs back to exactly the input (the specs have one
// encoding per message), that no strict prefix of it unpacks, and that
// moov's Message reads the same values with the same spec.
func fuzzUnpack(f *testing.F, s *Spec) {
	seeds := []*Message{testPurchase("000123", "TERM0001"), goldenNetwork()}
	if s.VariablePINData() == s {
		seeds = append(seeds, testPurchaseAES("000124", "TERM0001"))
	}
	for _, m := range seeds {
		b, err := s.Pack(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := s.Unpack(data)
		if err != nil {
			return
		}
		b, err := s.Pack(m)
		if err != nil {
			t.Fatalf("Pack(Unpack(%X)): %v", data, err)
		}
		if !bytes.Equal(b, data) {
			t.Fatalf("Pack(Unpack(%X)) = %X", data, b)
		}
		for _, n := range []int{len(data) - 1, len(data) / 2} {
			if _, err := s.Unpack(data[:n]); err == nil {
				t.Fatalf("Unpack accepted the %d-byte prefix of %X", n, data)
			}
		}
		_ = m.String() // the masking printer copes with anything unpacked

		// moov's own message loop, with the same field codecs, reads the
		// same values.
		mm := newMoovMessage(s)
		if err := mm.Unpack(data); err != nil {
			t.Fatalf("moov Unpack(%X) = %v, ours succeeded", data, err)
		}
		for id, v := range m.All() {
			mv, err := mm.GetBytes(id)
			if err != nil || !bytes.Equal(mv, v) && len(mv)+len(v) != 0 {
				t.Fatalf("field %d: moov reads %X (%v), we read %X", id, mv, err, v)
			}
		}
	})
}

func FuzzUnpackASCII(f *testing.F) { fuzzUnpack(f, SpecASCII) }

func FuzzUnpackBCD(f *testing.F) { fuzzUnpack(f, SpecBCD) }

// FuzzUnpackASCIIPIN16 and FuzzUnpackBCDPIN16 fuzz the VariablePINData
// variants, whose field 52 has a length prefix.
func FuzzUnpackASCIIPIN16(f *testing.F) { fuzzUnpack(f, SpecASCII.VariablePINData()) }

func FuzzUnpackBCDPIN16(f *testing.F) { fuzzUnpack(f, SpecBCD.VariablePINData()) }

// FuzzReadFrame checks that the frame reader does not panic, never returns
// more than the maximum, and that what it reads frames back to the bytes
// it consumed.
func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0x00, 0x03, 'a', 'b', 'c'}, uint8(0))
	f.Add([]byte("0008\x60\x00\x01\x00\x00xyz"), uint8(3))
	f.Add([]byte{0xFF, 0xFF}, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		fr := Framing{Length: LengthHeader(mode & 1), TPDU: mode&2 != 0, MaxFrame: 256}
		r := bufio.NewReader(bytes.NewReader(data))
		consumed := 0
		for {
			tpdu, msg, err := fr.ReadFrame(r, nil)
			if err != nil {
				return
			}
			if len(msg) > 256 {
				t.Fatalf("frame of %d bytes over MaxFrame", len(msg))
			}
			out, err := fr.AppendFrame(nil, tpdu, msg)
			if err != nil {
				t.Fatalf("AppendFrame of a frame just read: %v", err)
			}
			if !bytes.Equal(out, data[consumed:consumed+len(out)]) {
				t.Fatalf("frame %X re-framed as %X", data[consumed:consumed+len(out)], out)
			}
			consumed += len(out)
		}
	})
}
