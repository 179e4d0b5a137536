package iso8583

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestFramingRoundTrip(t *testing.T) {
	tpdu := TPDU{0x60, 0x00, 0x10, 0x00, 0x00}
	msg := []byte("0800 hello")
	for _, f := range []Framing{{}, {Length: ASCII4}, {TPDU: true}, {Length: ASCII4, TPDU: true}} {
		b, err := f.AppendFrame(nil, tpdu, msg)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 0, 64)
		gotTPDU, got, err := f.ReadFrame(bytes.NewReader(b), buf)
		if err != nil || !bytes.Equal(got, msg) {
			t.Errorf("%+v: ReadFrame(%X) = %q, %v", f, b, got, err)
		}
		if f.TPDU && gotTPDU != tpdu {
			t.Errorf("%+v: TPDU %X, want %X", f, gotTPDU, tpdu)
		}
		if &got[0] != &buf[:1][0] {
			t.Errorf("%+v: ReadFrame did not reuse the buffer", f)
		}
	}
	if got := (TPDU{0x60, 0x00, 0x10, 0x80, 0x00}).Reply(); got != (TPDU{0x60, 0x80, 0x00, 0x00, 0x10}) {
		t.Errorf("Reply = %X", got)
	}
}

func TestReadFrameRejects(t *testing.T) {
	tests := []struct {
		name string
		f    Framing
		in   []byte
		want error
	}{
		{"empty stream", Framing{}, nil, io.EOF},
		{"half a header", Framing{}, []byte{0x00}, io.ErrUnexpectedEOF},
		{"short body", Framing{}, []byte{0x00, 0x05, 'a'}, io.ErrUnexpectedEOF},
		{"zero length", Framing{}, []byte{0x00, 0x00}, ErrFrameLength},
		{"over MaxFrame", Framing{MaxFrame: 100}, []byte{0x00, 101}, ErrFrameTooLarge},
		{"over default maximum", Framing{}, []byte{0xFF, 0xFF}, ErrFrameTooLarge},
		{"ASCII header not digits", Framing{Length: ASCII4}, []byte("00+5abcde"), ErrFrameLength},
		{"ASCII over MaxFrame", Framing{Length: ASCII4, MaxFrame: 10}, []byte("0011"), ErrFrameTooLarge},
		{"shorter than its TPDU", Framing{TPDU: true}, []byte{0x00, 0x04, 0x60, 0, 0, 0}, ErrFrameLength},
		{"TPDU only", Framing{TPDU: true}, []byte{0x00, 0x05, 0x60, 0, 0, 0, 0}, ErrFrameLength},
		{"truncated TPDU", Framing{TPDU: true}, []byte{0x00, 0x08, 0x60, 0}, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		_, _, err := tt.f.ReadFrame(bytes.NewReader(tt.in), nil)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: ReadFrame(%X) = %v, want %v", tt.name, tt.in, err, tt.want)
		}
	}
	if _, err := (Framing{MaxFrame: 4}).AppendFrame(nil, TPDU{}, []byte("12345")); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("AppendFrame(oversize) = %v", err)
	}
}
