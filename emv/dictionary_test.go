package emv

import (
	"strings"
	"testing"

	"github.com/posflow/posflow/tlv"
)

func TestDictionary(t *testing.T) {
	for _, e := range elements() {
		if !e.Tag.Valid() {
			t.Errorf("%s: invalid tag", e.Tag)
		}
		if e.Name == "" || e.Format == 0 || e.Source == 0 {
			t.Errorf("%s: incomplete entry %+v", e.Tag, e)
		}
		if e.MaxLen != 0 && e.MinLen > e.MaxLen {
			t.Errorf("%s: length range %d-%d", e.Tag, e.MinLen, e.MaxLen)
		}
		if (e.Format == FormatTemplate) != e.Tag.Constructed() && e.Tag != 0x80 {
			t.Errorf("%s: format %v but constructed %v", e.Tag, e.Format, e.Tag.Constructed())
		}
	}
	e, ok := Lookup(0x9F26)
	if !ok || e.Name != "Application Cryptogram" || e.Format != FormatB || e.MinLen != 8 || e.Source != SourceICC {
		t.Errorf("Lookup(9F26) = %+v, %v", e, ok)
	}
	if _, ok := Lookup(0xDF7F); ok {
		t.Error("Lookup of a proprietary tag succeeded")
	}
	if Name(0x5A) != "Application Primary Account Number (PAN)" {
		t.Errorf("Name(5A) = %q", Name(0x5A))
	}
	if FormatCN.String() != "cn" || Format(99).String() != "Format(99)" || SourceIssuer.String() != "issuer" || Source(9).String() != "Source(9)" {
		t.Error("Format/Source String")
	}
}

func TestPrinterMasks(t *testing.T) {
	// The test card record of tlv/testdata (openemv/emv-utils): track 2,
	// name, track 1 discretionary data; then a PAN record.
	record := mustHex(t, "703357114761739001010119D22122011758928889 5F200C455850495245442F43415244 9F1F0E3137353839303936303030303030")
	var b strings.Builder
	if err := Printer().Fprint(&b, record); err != nil {
		t.Fatal(err)
	}
	want := `70 READ RECORD Response Message Template [51]
  57 Track 2 Equivalent Data [17] 476173******0119D*****************
  5F20 Cardholder Name [12] <masked, 12 bytes>
  9F1F Track 1 Discretionary Data [14] <masked, 14 bytes>
`
	if b.String() != want {
		t.Errorf("Printer:\n%s\nwant:\n%s", b.String(), want)
	}
	tests := []struct {
		tag  tlv.Tag
		v    []byte
		want string
	}{
		{0x5A, mustHex(t, "4761739001010119"), "476173******0119"},
		{0x5A, mustHex(t, "47617390010101191F"), "476173*******1191"},
		{0x50, []byte("VISA CREDIT"), `"VISA CREDIT"`},
		{0x50, []byte{0x01, 0x02}, "0102"},
		{0x9F26, mustHex(t, "2E078F5CEA112DAA"), "2E078F5CEA112DAA"},
		{0x56, []byte("B4761739001010119^EXPIRED/CARD^2212201"), `"B476173******0119^********************"`},
		{0x56, []byte("%B4761739001010119^X^2"), `"%B476173******0119^***"`},
		{0x56, []byte{0x01, 0x02}, "<masked, 2 bytes>"},
		{0x57, mustHex(t, "4761739001010119"), "<masked, 8 bytes>"},
		{0x99, mustHex(t, "1234"), "<masked, 2 bytes>"},
		{0xDF01, mustHex(t, "AB"), "AB"},
		{0x9F5E, mustHex(t, "54133300570040470100"), "<masked, 10 bytes>"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.tag, tt.v); got != tt.want {
			t.Errorf("FormatValue(%s, %X) = %s, want %s", tt.tag, tt.v, got, tt.want)
		}
	}
}
