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
