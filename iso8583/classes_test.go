package iso8583

import (
	"errors"
	"testing"
)

func TestBuildersValidate(t *testing.T) {
	base := benchPurchase().Transaction
	noTrack := base
	noTrack.Track2, noTrack.PINBlock = "", nil

	tests := []struct {
		name  string
		build func() (*Message, error)
		want  error
		field int
	}{
		{"0200 without terminal", func() (*Message, error) {
			t := base
			t.TerminalID = ""
			return (&FinancialRequest{Transaction: t}).Message()
		}, ErrMissingField, 41},
		{"0100 without card", func() (*Message, error) {
			t := base
			t.PAN, t.Track2 = "", ""
			return (&AuthorizationRequest{Transaction: t}).Message()
		}, ErrMissingField, 2},
		{"0200 negative amount", func() (*Message, error) {
			t := base
			t.Amount = -1
			return (&FinancialRequest{Transaction: t}).Message()
		}, ErrInvalidField, 4},
		{"0220 with track 2", func() (*Message, error) {
			return (&FinancialAdvice{Transaction: base}).Message()
		}, ErrInvalidField, 35},
		{"0320 with PIN block", func() (*Message, error) {
			t := noTrack
			t.PINBlock = make([]byte, 8)
			return (&BatchUpload{Transaction: t}).Message()
		}, ErrInvalidField, 52},
		{"0400 without PAN", func() (*Message, error) {
			t := noTrack
			t.PAN = ""
			return (&Reversal{Transaction: t}).Message()
		}, ErrMissingField, 2},
		{"0500 without STAN", func() (*Message, error) {
			return (&Reconciliation{TerminalID: "TERM0001"}).Message()
		}, ErrMissingField, 11},
		{"0500 negative total", func() (*Message, error) {
			return (&Reconciliation{STAN: "000001", TerminalID: "TERM0001", Totals: Totals{DebitsAmount: -5}}).Message()
		}, ErrInvalidField, 88},
		{"0800 without function", func() (*Message, error) {
			return (&NetworkRequest{STAN: "000001"}).Message()
		}, ErrMissingField, 70},
		{"0810 without code", func() (*Message, error) {
			return (&Response{MTI: MTINetworkResponse, Transaction: Transaction{STAN: "000001"}, Network: Echo}).Message()
		}, ErrMissingField, 39},
		{"response with a request MTI", func() (*Message, error) {
			return (&Response{MTI: MTIFinancialRequest}).Message()
		}, ErrInvalidMTI, 0},
	}
	for _, tt := range tests {
		_, err := tt.build()
		var fe *FieldError
		if !errors.Is(err, tt.want) || !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s: error %v, want %v on field %d", tt.name, err, tt.want, tt.field)
		}
	}
}

func TestReadersCheckMTI(t *testing.T) {
	m := testPurchase("000001", "TERM0001")
	if _, err := ReadAuthorizationRequest(m); !errors.Is(err, ErrInvalidMTI) {
		t.Errorf("ReadAuthorizationRequest(0200) = %v", err)
	}
	if _, err := ReadResponse(m); !errors.Is(err, ErrInvalidMTI) {
		t.Errorf("ReadResponse(0200) = %v", err)
	}
	for _, f := range []func(*Message) error{
		func(m *Message) error { _, err := ReadFinancialAdvice(m); return err },
		func(m *Message) error { _, err := ReadBatchUpload(m); return err },
		func(m *Message) error { _, err := ReadReversal(m); return err },
		func(m *Message) error { _, err := ReadReconciliation(m); return err },
		func(m *Message) error { _, err := ReadNetworkRequest(m); return err },
	} {
		if err := f(m); !errors.Is(err, ErrInvalidMTI) {
			t.Errorf("reader of another class accepted an 0200: %v", err)
		}
	}
	if err := Validate(NewMessage("0600")); !errors.Is(err, ErrInvalidMTI) {
		t.Errorf("Validate(0600) = %v", err)
	}
}

func TestNewReversal(t *testing.T) {
	// A terminal request with track 2 only and no field 7: the PAN comes
	// from track 2, and without field 7 there is no field 90.
	r := &FinancialRequest{Transaction: Transaction{
		ProcessingCode: "000000", Amount: 50000, STAN: "000001", EntryMode: "051", NII: "010", Condition: "00",
		Track2: "4863995550001423=20072216050010410689", TerminalID: "60060060", MerchantID: "600600600600600",
		PINBlock: mustHex("5103AFE304A02C54"), ICC: testICC,
	}}
	m, err := r.Message()
	if err != nil {
		t.Fatal(err)
	}
	rev, err := NewReversal(m, false)
	if err != nil {
		t.Fatal(err)
	}
	if rev.PAN != "4863995550001423" || rev.Track2 != "" || rev.PINBlock != nil || rev.ICC != nil || rev.Original != nil {
		t.Errorf("NewReversal = %v, Original %v", rev.Transaction, rev.Original)
	}
	rm, err := rev.Message()
	if err != nil {
		t.Fatal(err)
	}
	if rm.MTI != MTIReversalRequest || rm.Text(11) != "000001" || rm.Text(4) != "000000050000" {
		t.Errorf("reversal message %v", rm)
	}
	rev.Advice, rev.Repeat = true, true
	if rev.MTI() != MTIReversalAdviceRepeat {
		t.Errorf("MTI = %s, want 0421", rev.MTI())
	}
	if _, err := NewReversal(NewMessage(MTINetworkRequest), false); !errors.Is(err, ErrInvalidMTI) {
		t.Errorf("NewReversal(0800) = %v", err)
	}
}

func TestReconciliationRoundTrip(t *testing.T) {
	net := int64(-5099)
	r := &Reconciliation{Transmitted: "0821230000", STAN: "000200", TerminalID: "TERM0001",
		Totals: Totals{CreditsNumber: 1, CreditsAmount: 500, DebitsNumber: 3, DebitsAmount: 7698, DebitsReversalNumber: 1, DebitsReversalAmount: 2599, Net: &net}}
	m, err := r.Message()
	if err != nil {
		t.Fatal(err)
	}
	if m.Text(97) != "D0000000000005099" {
		t.Errorf("field 97 = %q", m.Text(97))
	}
	for _, s := range []*Spec{SpecASCII, SpecBCD} {
		b, err := s.Pack(m)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.Unpack(b)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadReconciliation(u)
		if err != nil {
			t.Fatal(err)
		}
		if got.Totals.DebitsAmount != 7698 || got.Totals.Net == nil || *got.Totals.Net != net || got.Totals.DebitsReversalAmount != 2599 {
			t.Errorf("%s: totals %+v", s.Name(), got.Totals)
		}
	}
}

func TestRespond(t *testing.T) {
	req := testPurchase("000123", "TERM0001")
	r, err := Respond(req, Approved)
	if err != nil {
		t.Fatal(err)
	}
	if r.MTI != MTIFinancialResponse || r.STAN != "000123" || r.Amount != 2599 || r.Track2 != "" || r.PINBlock != nil || r.ICC != nil {
		t.Errorf("Respond = %v", r.Transaction)
	}
	m, err := r.Message()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadResponse(m)
	if err != nil || got.Code != Approved || got.Code.Err() != nil {
		t.Errorf("ReadResponse = %+v, %v", got, err)
	}
	if _, err := Respond(m, Approved); !errors.Is(err, ErrInvalidMTI) {
		t.Errorf("Respond(response) = %v", err)
	}
}
