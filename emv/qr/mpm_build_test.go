package qr

import (
	"errors"
	"testing"
)

// pixMerchant is the merchant of the BR Code example in testdata/mpm.json
// ("pix-brcode-manual"), in parts.
var pixMerchant = Merchant{
	Accounts: []Object{
		{ID: 4, Value: "12345678901234"},
		{ID: 26, Sub: []Object{{ID: IDGUI, Value: "BR.GOV.BCB.PIX"}, {ID: 1, Value: "123e4567-e12b-12d1-a456-426655440000"}}},
		{ID: 27, Sub: []Object{{ID: IDGUI, Value: "BR.COM.OUTRO"}, {ID: 1, Value: "0123456789"}}},
	},
	CategoryCode: "0000",
	Currency:     "986",
	Country:      "BR",
	Name:         "NOME DO RECEBEDOR",
	City:         "BRASILIA",
	PostalCode:   "70074900",
	Additional:   []Object{{ID: IDReferenceLabel, Value: "RP12345678-2019"}},
}

// TestBuildBRCodeExample builds the BR Code example from its parts and
// checks it against the published payload, CRC included.
func TestBuildBRCodeExample(t *testing.T) {
	m := pixMerchant.Dynamic("123.45")
	// The published payload has no point of initiation method and an
	// unreserved template 80.
	m.Delete(IDPointOfInitiation)
	m.SetTemplate(80, Object{ID: IDGUI, Value: "BR.COM.OUTRO"}, Object{ID: 1, Value: "0123.ABCD.3456.WXYZ"})
	want := ""
	for _, v := range loadMPMVectors(t) {
		if v.Name == "pix-brcode-manual" {
			want = v.Payload
		}
	}
	got, err := m.Payload()
	if err != nil || got != want {
		t.Errorf("Payload() =\n%s, %v\nwant\n%s", got, err, want)
	}
	if m.String() != want {
		t.Errorf("String() = %s", m.String())
	}
}

func TestMerchantStaticDynamic(t *testing.T) {
	s := pixMerchant.Static()
	p, err := s.Payload()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseMPM(p)
	if err != nil {
		t.Fatalf("ParseMPM(Static()) = %v", err)
	}
	if back.Dynamic() || back.Amount() != "" {
		t.Errorf("static payload: dynamic %v, amount %q", back.Dynamic(), back.Amount())
	}
	amt, err := FormatAmount(2372, 2)
	if err != nil {
		t.Fatal(err)
	}
	d := pixMerchant.Dynamic(amt)
	p, err = d.Payload()
	if err != nil {
		t.Fatal(err)
	}
	back, err = ParseMPM(p)
	if err != nil {
		t.Fatalf("ParseMPM(Dynamic()) = %v", err)
	}
	if !back.Dynamic() || back.Amount() != "23.72" {
		t.Errorf("dynamic payload: dynamic %v, amount %q", back.Dynamic(), back.Amount())
	}
}

func TestSetDelete(t *testing.T) {
	m := &MPM{}
	m.Set(IDCurrency, "986")
	m.Set(IDPayloadFormat, "01")
	m.Set(IDAmount, "1.00")
	m.Set(IDCurrency, "978") // replaced in place
	m.Set(IDMerchantCategoryCode, "5812")
	var ids string
	for _, o := range m.Objects {
		ids += o.ID.String() + "=" + o.Value + " "
	}
	if want := "00=01 52=5812 53=978 54=1.00 "; ids != want {
		t.Errorf("objects %q, want %q", ids, want)
	}
	m.Delete(IDAmount)
	if _, ok := m.Find(IDAmount); ok || len(m.Objects) != 3 {
		t.Errorf("Delete left %v", m.Objects)
	}
}

func TestBuildErrors(t *testing.T) {
	long := make([]byte, 100)
	for i := range long {
		long[i] = 'x'
	}
	tests := []struct {
		name string
		m    *MPM
		err  error
		why  string
	}{
		{"empty", &MPM{}, ErrOrder, "00 must come first"},
		{"CRC set", func() *MPM { m := pixMerchant.Static(); m.Set(IDCRC, "0000"); return m }(), ErrOrder, "the CRC is computed"},
		{"value of 100", func() *MPM { m := pixMerchant.Static(); m.Set(65, string(long)); return m }(), ErrFormat, "at most 99 characters"},
		{"empty value", func() *MPM { m := pixMerchant.Static(); m.Set(IDPostalCode, ""); return m }(), ErrFormat, "lengths run from 01"},
		{"template over 99", func() *MPM {
			m := pixMerchant.Static()
			m.SetTemplate(IDAdditionalData, Object{ID: 1, Value: "0123456789012345678901234"}, Object{ID: 2, Value: "0123456789012345678901234"},
				Object{ID: 3, Value: "0123456789012345678901234"}, Object{ID: 4, Value: "0123456789012345678901234"})
			return m
		}(), ErrFormat, "4 x 29 = 116 characters"},
		{"empty template", func() *MPM { m := pixMerchant.Static(); m.SetTemplate(IDAdditionalData); return m }(), ErrFormat, "a template holds at least one object"},
		{"sub-objects in a primitive", func() *MPM {
			m := pixMerchant.Static()
			m.Objects = append(m.Objects, Object{ID: 65, Sub: []Object{{ID: 0, Value: "x"}}})
			return m
		}(), ErrUnexpected, "65 (reserved for EMVCo) is primitive"},
		{"ID 100", func() *MPM {
			m := pixMerchant.Static()
			m.Objects = append(m.Objects, Object{ID: 100, Value: "x"})
			return m
		}(), ErrID, "IDs are two digits"},
		{"duplicate", func() *MPM {
			m := pixMerchant.Static()
			m.Objects = append(m.Objects, Object{ID: IDMerchantCity, Value: "x"})
			return m
		}(), ErrDuplicate, "60 twice"},
		{"template as malformed value", func() *MPM {
			m := pixMerchant.Static()
			m.Objects = append(m.Objects, Object{ID: 81, Value: "0005ab"})
			return m
		}(), ErrTruncated, "81.00 claims 5 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("prefix")
			got, err := tt.m.AppendPayload(dst)
			if !errors.Is(err, tt.err) {
				t.Fatalf("AppendPayload = %v, want %v (%s)", err, tt.err, tt.why)
			}
			if string(got) != "prefix" {
				t.Errorf("AppendPayload changed dst on error: %q", got)
			}
			if tt.m.String() != "" {
				t.Errorf("String() = %q on an invalid MPM", tt.m.String())
			}
		})
	}
}

// TestAppendAllocs pins the build path at zero allocations when dst has
// room: validation and encoding of a parsed payload allocate nothing.
func TestAppendAllocs(t *testing.T) {
	m, err := ParseMPM(loadMPMVectors(t)[0].Payload)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 512)
	n := testing.AllocsPerRun(100, func() {
		if _, err := m.AppendPayload(buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("AppendPayload allocates %v times, want 0", n)
	}
}
