package tlv

import (
	"errors"
	"strings"
	"testing"
)

func TestDump(t *testing.T) {
	data := mustHex(t, "6F1A 840E315041592E5359532E4444463031 A508 880101 5F2D02656E 9F3600")
	var b strings.Builder
	if err := Dump(&b, data); err != nil {
		t.Fatal(err)
	}
	want := `6F [26]
  84 [14] 315041592E5359532E4444463031
  A5 [8]
    88 [1] 01
    5F2D [2] 656E
9F36 [0]
`
	if b.String() != want {
		t.Errorf("Dump =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestPrinterHooks(t *testing.T) {
	data := mustHex(t, "7013 5A0847617390010101195F200C455850495245442F43415244")
	names := map[Tag]string{0x70: "Record Template", 0x5A: "PAN"}
	p := &Printer{
		Name: func(t Tag) string { return names[t] },
		Value: func(t Tag, v []byte) string {
			if t == 0x5A {
				return "476173******0119"
			}
			return string(v)
		},
		Indent: "\t",
	}
	var b strings.Builder
	if err := p.Fprint(&b, data); err == nil {
		t.Fatal("Fprint of a truncated template succeeded")
	}
	data = mustHex(t, "7019 5A0847617390010101195F200C455850495245442F43415244")
	b.Reset()
	if err := p.Fprint(&b, data); err != nil {
		t.Fatal(err)
	}
	want := "70 Record Template [25]\n\t5A PAN [8] 476173******0119\n\t5F20 [12] EXPIRED/CARD\n"
	if b.String() != want {
		t.Errorf("Fprint =\n%q\nwant\n%q", b.String(), want)
	}
	if strings.Contains(b.String(), "4761739001010119") {
		t.Error("masked PAN printed in clear")
	}
}

func TestDumpMalformedWritesNothing(t *testing.T) {
	var b strings.Builder
	err := Dump(&b, mustHex(t, "9F020600 5A"))
	var se *SyntaxError
	if !errors.As(err, &se) || b.Len() != 0 {
		t.Errorf("Dump(malformed) = %v and wrote %q", err, b.String())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDumpWriteError(t *testing.T) {
	if err := Dump(failWriter{}, mustHex(t, "5A0112")); err == nil || err.Error() != "disk full" {
		t.Errorf("Dump to a failing writer = %v", err)
	}
}
