package iso8583

import (
	"errors"
	"testing"
)

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
