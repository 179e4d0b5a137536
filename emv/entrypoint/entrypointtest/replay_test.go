package entrypointtest

import (
	"bytes"
	"errors"
	"testing"
)

const sample = `{"not-found":"6700","randoms":"ABABABAB","date":"190819","time":"000000",
"transaction-req":"9F0206000000000200 5F2A020840 9C0100",
"apdus":[{"cmd":"00A4040002AABB00","resp":"9000"},{"cmd":"80A8000002830000","resp":"6985"}]}`

func TestTranscript(t *testing.T) {
	tr, err := ParseTranscript([]byte(bytes.ReplaceAll([]byte(sample), []byte(" "), nil)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tr.Value(0x9F02), []byte{0, 0, 0, 0, 2, 0}) || len(tr.APDUs) != 2 {
		t.Fatalf("transcript %+v", tr)
	}
	c := NewCard(tr)
	if r, err := c.Transmit([]byte{0x00, 0xA4, 0x04, 0x00, 0x02, 0xAA, 0xBB, 0x00}); err != nil || !bytes.Equal(r, []byte{0x90, 0x00}) {
		t.Fatalf("first command: %x, %v", r, err)
	}
	if _, err := c.Transmit([]byte{0x80, 0xA8, 0x00, 0x00, 0x02, 0x83, 0x00}); err == nil || c.Err() == nil {
		t.Fatalf("a command without its Le was answered")
	}
	if c.Done() || c.Next() != 1 {
		t.Errorf("Done %v, Next %d", c.Done(), c.Next())
	}

	for _, bad := range []string{
		`{`,
		`{"randoms":"ABAB","date":"190819","time":"000000","transaction-req":"","apdus":[]}`,
		`{"randoms":"ABABABAB","date":"1908","time":"000000","transaction-req":"","apdus":[]}`,
		`{"randoms":"ABABABAB","date":"190819","time":"000000","transaction-req":"9F02","apdus":[]}`,
		`{"randoms":"ABABABAB","date":"190819","time":"000000","transaction-req":"","apdus":[{"cmd":"0G","resp":"9000"}]}`,
	} {
		if _, err := ParseTranscript([]byte(bad)); !errors.Is(err, ErrFormat) {
			t.Errorf("ParseTranscript(%s) = %v, want ErrFormat", bad, err)
		}
	}
}

func FuzzParseTranscript(f *testing.F) {
	f.Add([]byte(sample))
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := ParseTranscript(b)
		if err != nil {
			return
		}
		c := NewCard(tr)
		for _, e := range tr.APDUs {
			r, err := c.Transmit(e.Command)
			if err != nil {
				// a repeated command earlier in the list is
				// answered by the first; only a mismatch fails
				return
			}
			if !bytes.Equal(r, e.Response) {
				t.Fatalf("response %x, want %x", r, e.Response)
			}
		}
		if !c.Done() {
			t.Fatal("not done after every command")
		}
	})
}
