package entrypointtest

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"testing"
	"time"
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

func TestTranscriptValues(t *testing.T) {
	tr, err := ParseTranscript(bytes.ReplaceAll([]byte(sample), []byte(" "), nil))
	if err != nil {
		t.Fatal(err)
	}
	if txn := tr.Transaction(); txn.Amount != 200 || txn.Currency != [2]byte{0x08, 0x40} || txn.Type != 0 {
		t.Errorf("Transaction() = %+v, want 2.00 USD purchase", txn)
	}
	if got, want := tr.DateTime(), time.Date(2019, 8, 19, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("DateTime() = %v, want %v", got, want)
	}
	// The script skips the SELECT and keeps the GPO response data (none
	// before 6985).
	if got := tr.Script(); !bytes.Equal(got, []byte{0}) {
		t.Errorf("Script() = %X, want 00", got)
	}
	if err := Replay(tr); err != nil {
		t.Errorf("Replay: %v", err)
	}
}

func TestScriptCard(t *testing.T) {
	aid := []byte{0xA0, 0, 0, 0, 0x04, 0x10, 0x10}
	c := NewScriptCard(aid, []byte{0x50, 0x02, 'M', 'C'}, []byte{3, 0x77, 0x01, 0x00, 5, 0x80})
	for _, tt := range []struct {
		name, cmd, want string
	}{
		{"PPSE", "00A404000E325041592E5359532E444446303100", "6F20840E325041592E5359532E4444463031A50EBF0C0B61094F07A00000000410109000"},
		{"AID", "00A4040007A000000004101000", "6F0F8407A0000000041010A5045002" + "4D43" + "9000"},
		{"Lc beyond the data: 6700, script untouched", "80A8000005830000", "6700"},
		{"first chunk", "80A8000002830000", "7701009000"},
		{"chunk cut at the end of the script", "00B2011400", "809000"},
		{"script exhausted", "00B2011400", "6A82"},
	} {
		cmd, _ := hex.DecodeString(tt.cmd)
		r, err := c.Transmit(cmd)
		if err != nil || fmt.Sprintf("%X", r) != tt.want {
			t.Errorf("%s: Transmit(%s) = %X, %v; want %s", tt.name, tt.cmd, r, err, tt.want)
		}
	}
}

func TestFixture(t *testing.T) {
	tr := Fixture(t, "mock-visa-offline.json")
	if err := Replay(tr); err != nil {
		t.Fatal(err)
	}
	if tr.Transaction().Amount == 0 || tr.DateTime().IsZero() || len(tr.Script()) == 0 {
		t.Errorf("transaction %+v, date %v, script of %d bytes", tr.Transaction(), tr.DateTime(), len(tr.Script()))
	}
	if _, err := ReadFixture("no-such-file.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFixture of a missing file: %v, want fs.ErrNotExist", err)
	}
}
