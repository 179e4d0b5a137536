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

// TestResponseRoundTrip builds responses with the fields Response holds
// beside Transaction and reads them back.
func TestResponseRoundTrip(t *testing.T) {
	tests := []Response{
		{MTI: MTINetworkResponse, Transaction: Transaction{STAN: "000001"}, Code: Approved, Network: Echo},
		{MTI: MTIReconciliationResponse, Transaction: Transaction{STAN: "000002", TerminalID: "TERM0001"}, Code: Approved, SettlementCode: "2", Additional: "OUT OF BALANCE"},
		{MTI: MTIReversalResponse, Transaction: Transaction{PAN: "4761739001010119", ProcessingCode: "000000", Amount: 1, STAN: "000003", TerminalID: "TERM0001"}, Code: Approved,
			Original: &OriginalData{MTI: MTIFinancialRequest, STAN: "000003", Transmitted: "0821153045", Acquirer: "476173"}},
	}
	for _, want := range tests {
		m, err := want.Message()
		if err != nil {
			t.Fatalf("%s: Message: %v", want.MTI, err)
		}
		got, err := ReadResponse(m)
		if err != nil {
			t.Fatalf("%s: ReadResponse: %v", want.MTI, err)
		}
		if got.MTI != want.MTI || got.Code != want.Code || got.Network != want.Network || got.SettlementCode != want.SettlementCode ||
			got.Additional != want.Additional || got.STAN != want.STAN || got.TerminalID != want.TerminalID || got.Amount != want.Amount ||
			(got.Original == nil) != (want.Original == nil) || got.Original != nil && *got.Original != *want.Original {
			t.Errorf("%s: ReadResponse(Message()) = %+v, want %+v", want.MTI, got, want)
		}
	}
}
