package iso8583

import (
	"errors"
	"testing"
)

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
