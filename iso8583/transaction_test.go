package iso8583

import (
	"bytes"
	"errors"
	"testing"
)

// fullTransaction has every field of Transaction set, each text field to
// a different value.
func fullTransaction() Transaction {
	return Transaction{
		PAN:             "4761739001010119",
		ProcessingCode:  "000000",
		Amount:          2599,
		Transmitted:     "0821153045",
		STAN:            "000123",
		LocalTime:       "153045",
		LocalDate:       "0821",
		Expiry:          "2912",
		MerchantType:    "5411",
		EntryMode:       "051",
		CardSequence:    "001",
		NII:             "003",
		Condition:       "00",
		Acquirer:        "476173",
		Track2:          "4761739001010119=29122011143804400000",
		RRN:             "623315000123",
		AuthCode:        "A1B2C3",
		TerminalID:      "TERM0001",
		MerchantID:      "MERCHANT0000001",
		MerchantName:    "CORNER SHOP           SPRINGFIELD     US",
		Currency:        "840",
		PINBlock:        []byte{0x8B, 0x5E, 0x2F, 0x1A, 0x9C, 0x3D, 0x4E, 0x70},
		SecurityControl: []byte{0x12, 0x34},
		ICC:             testICC,
		Private:         [4][]byte{{1}, {2, 2}, {3}, {4}},
	}
}

// textIDs are the fields of Transaction held as strings.
var textIDs = []int{2, 3, 7, 11, 12, 13, 14, 18, 22, 23, 24, 25, 32, 35, 37, 38, 41, 42, 43, 49}

// TestTransactionRoundTrip builds an 0200 from a full Transaction, reads
// it back directly and after packing and unpacking with both specs, and
// checks that each read gives the same Transaction.
func TestTransactionRoundTrip(t *testing.T) {
	want := fullTransaction()
	m, err := (&FinancialRequest{Transaction: want}).Message()
	if err != nil {
		t.Fatal(err)
	}
	check := func(how string, m *Message) {
		t.Helper()
		r, err := ReadFinancialRequest(m)
		if err != nil {
			t.Fatalf("%s: ReadFinancialRequest: %v", how, err)
		}
		got := r.Transaction
		for _, id := range textIDs {
			if s := *textOf(&got, id); s != m.Text(id) {
				t.Errorf("%s: field %d read as %q, Text gives %q", how, id, s, m.Text(id))
			}
			if *textOf(&got, id) != *textOf(&want, id) {
				t.Errorf("%s: field %d read as %q, want %q", how, id, *textOf(&got, id), *textOf(&want, id))
			}
		}
		if got.Amount != want.Amount || !bytes.Equal(got.PINBlock, want.PINBlock) || !bytes.Equal(got.SecurityControl, want.SecurityControl) || !bytes.Equal(got.ICC, want.ICC) {
			t.Errorf("%s: read %v, want %v", how, got, want)
		}
		for i := range got.Private {
			if !bytes.Equal(got.Private[i], want.Private[i]) {
				t.Errorf("%s: field %d read as %X, want %X", how, 60+i, got.Private[i], want.Private[i])
			}
		}
		// The strings are the message's text at the time of reading.
		for _, id := range textIDs {
			m.SetString(id, "9")
		}
		if got.PAN != want.PAN || got.Track2 != want.Track2 || got.Currency != want.Currency {
			t.Errorf("%s: changing the message changed the strings read", how)
		}
	}
	check("built", m)
	for _, s := range []*Spec{SpecASCII, SpecBCD} {
		m, _ := (&FinancialRequest{Transaction: want}).Message()
		check(s.Name(), overTheWire(t, s, m))
	}
}

// textOf returns the string field of t that holds field id.
func textOf(t *Transaction, id int) *string {
	switch id {
	case 2:
		return &t.PAN
	case 3:
		return &t.ProcessingCode
	case 7:
		return &t.Transmitted
	case 11:
		return &t.STAN
	case 12:
		return &t.LocalTime
	case 13:
		return &t.LocalDate
	case 14:
		return &t.Expiry
	case 18:
		return &t.MerchantType
	case 22:
		return &t.EntryMode
	case 23:
		return &t.CardSequence
	case 24:
		return &t.NII
	case 25:
		return &t.Condition
	case 32:
		return &t.Acquirer
	case 35:
		return &t.Track2
	case 37:
		return &t.RRN
	case 38:
		return &t.AuthCode
	case 41:
		return &t.TerminalID
	case 42:
		return &t.MerchantID
	case 43:
		return &t.MerchantName
	case 49:
		return &t.Currency
	}
	panic("no text field")
}

// TestBuiltValuesIndependent checks that the values a typed message sets
// from strings, which share one buffer, cannot be written over through
// each other: appending to one copies it.
func TestBuiltValuesIndependent(t *testing.T) {
	m, err := (&FinancialRequest{Transaction: fullTransaction()}).Message()
	if err != nil {
		t.Fatal(err)
	}
	before := m.Clone()
	for id, v := range m.All() {
		_ = append(v, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"...)
		if w, _ := before.Field(id); !bytes.Equal(v, w) {
			t.Fatalf("field %d changed by appending to it", id)
		}
	}
	for id, v := range m.All() {
		if w, _ := before.Field(id); !bytes.Equal(v, w) {
			t.Errorf("field %d changed by appending to another field: %q, want %q", id, v, w)
		}
	}
}

// TestReadBadAmount checks what a typed read gives for an amount that is
// not a number: an error, with only the PAN and processing code read.
func TestReadBadAmount(t *testing.T) {
	m := testPurchase("000123", "TERM0001")
	m.SetString(4, "00000000012A")
	r, err := ReadFinancialRequest(m)
	if !errors.Is(err, ErrInvalidField) {
		t.Fatalf("ReadFinancialRequest = %v, want ErrInvalidField", err)
	}
	if r.PAN != "4761739001010119" || r.ProcessingCode != "000000" || r.STAN != "" || r.Amount != 0 {
		t.Errorf("ReadFinancialRequest read %v", r.Transaction)
	}
}

// TestBuildBadAmount checks that an amount that does not fit field 4 is
// refused.
func TestBuildBadAmount(t *testing.T) {
	for _, a := range []int64{-1, 1e12} {
		tr := fullTransaction()
		tr.Amount = a
		if _, err := (&FinancialRequest{Transaction: tr}).Message(); !errors.Is(err, ErrInvalidField) {
			t.Errorf("Amount %d: Message() = %v, want ErrInvalidField", a, err)
		}
	}
	tr := fullTransaction()
	tr.Amount = 999999999999
	m, err := (&FinancialRequest{Transaction: tr}).Message()
	if err != nil || m.Text(4) != "999999999999" {
		t.Errorf("Amount 999999999999: field 4 %q, %v", m.Text(4), err)
	}
}
