package iso8583

import (
	"context"
	"net"
	"testing"
	"time"
)

// startServer serves h on a loopback port and returns its address; the
// server is closed when the test ends.
func startServer(t testing.TB, srv *Server) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return l.Addr().String()
}

// testPurchase returns a typical 0200 purchase.
func testPurchase(stan, tid string) *Message {
	r := &FinancialRequest{Transaction: Transaction{
		PAN:            "4761739001010119",
		ProcessingCode: "000000",
		Amount:         2599,
		Transmitted:    "0821153045",
		STAN:           stan,
		LocalTime:      "153045",
		LocalDate:      "0821",
		Expiry:         "2912",
		MerchantType:   "5411",
		EntryMode:      "051",
		CardSequence:   "001",
		Condition:      "00",
		Acquirer:       "476173",
		Track2:         "4761739001010119=29122011143804400000",
		RRN:            "623315000123",
		TerminalID:     tid,
		MerchantID:     "MERCHANT0000001",
		Currency:       "840",
		PINBlock:       []byte{0x8B, 0x5E, 0x2F, 0x1A, 0x9C, 0x3D, 0x4E, 0x70},
		ICC:            testICC,
	}}
	m, err := r.Message()
	if err != nil {
		panic(err)
	}
	return m
}

// testPurchaseAES is testPurchase with a 16-byte PIN block (ISO 9564-1
// format 4, AES) and the 12-byte AES DUKPT KSN in field 53, for the specs
// of VariablePINData.
func testPurchaseAES(stan, tid string) *Message {
	m := testPurchase(stan, tid)
	m.Set(52, mustHex("4C8B5E2F1A9C3D4E70112233445566FF"))
	m.Set(53, mustHex("123456789012345600000001"))
	return m
}

func ctxTimeout(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// overTheWire packs m with s and unpacks it again, as the receiver sees it.
func overTheWire(t testing.TB, s *Spec, m *Message) *Message {
	t.Helper()
	b, err := s.Pack(m)
	if err != nil {
		t.Fatalf("%s: Pack: %v", s.Name(), err)
	}
	u, err := s.Unpack(b)
	if err != nil {
		t.Fatalf("%s: Unpack(%X): %v", s.Name(), b, err)
	}
	return u
}
