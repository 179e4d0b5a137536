package acquirer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// FuzzParseConfig checks that ParseConfig never panics, that what it
// accepts survives a round trip through JSON, and that strict prefixes of
// the seed file are refused.
func FuzzParseConfig(f *testing.F) {
	seed, err := os.ReadFile(filepath.FromSlash(seedPath))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"keys":{"bdk":"00"}}`))
	f.Add([]byte(`{"accounts":[{"id":"a","balance":1}],"cards":[{"pan":"4761739001010119","expiry":"3012","account":"a"}]}`))
	f.Add([]byte(`{"cards":[{"pan":"4761739001010119","expiry":"3013","account":"a"}]} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := acquirer.ParseConfig(data)
		if err != nil {
			if c != nil {
				t.Fatalf("ParseConfig returned a config and %v", err)
			}
			return
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		c2, err := acquirer.ParseConfig(b)
		if err != nil {
			t.Fatalf("ParseConfig(Marshal(c)) = %v", err)
		}
		b2, _ := json.Marshal(c2)
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip changed the config:\n%s\n%s", b, b2)
		}
		if bytes.Equal(data, seed) {
			for n := 0; n < len(seed)-1; n += 97 {
				if _, err := acquirer.ParseConfig(seed[:n]); err == nil {
					t.Fatalf("prefix of %d bytes accepted", n)
				}
			}
		}
	})
}

// FuzzServe feeds arbitrary messages to the host's handler (without TCP):
// it must never panic and must answer every request of the POS flow with a
// response code. The seeds come from TERM0009, which has no MAC key, so
// that mutations reach the checks behind the MAC.
func FuzzServe(f *testing.F) {
	cfg := seedConfig(f)
	cfg.Rand = newRand(9)
	h, err := acquirer.New(*cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { h.Shutdown(context.Background()) })
	add := func(m *iso8583.Message, err error) {
		if err != nil {
			f.Fatal(err)
		}
		b, err := iso8583.SpecASCII.Pack(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	tx := iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000", Amount: 100,
		Transmitted: iso8583.TransmissionTime(testNow), STAN: "000001", Expiry: "3012", EntryMode: "901",
		TerminalID: "TERM0009", MerchantID: "000000000000001", Currency: "978"}
	add((&iso8583.FinancialRequest{Transaction: tx}).Message())
	add((&iso8583.AuthorizationRequest{Transaction: tx}).Message())
	add((&iso8583.FinancialAdvice{Transaction: tx}).Message())
	completion := tx
	completion.STAN = "000005"
	cm, err := (&iso8583.FinancialAdvice{Transaction: completion}).Message()
	if err == nil {
		cm.SetString(90, "0100000001"+tx.Transmitted+"0000000000000000000000") // names the 0100 above
	}
	add(cm, err)
	add((&iso8583.Reversal{Transaction: tx}).Message())
	add((&iso8583.NetworkRequest{Code: iso8583.Echo, STAN: "000002", Transmitted: tx.Transmitted, TerminalID: "TERM0009"}).Message())
	add((&iso8583.Reconciliation{STAN: "000003", Transmitted: tx.Transmitted, TerminalID: "TERM0009",
		Totals: iso8583.Totals{DebitsNumber: 1, DebitsAmount: 100}}).Message())
	chipTx := tx
	chipTx.PAN, chipTx.STAN = panVisa10, "000004"
	chipTx.ICC = newChip(f, cardsim.VisaCVN10, "").arqc(f, 100)
	add((&iso8583.FinancialRequest{Transaction: chipTx}).Message())
	up := tx
	up.RRN = "612345000001"
	add((&iso8583.BatchUpload{Transaction: up}).Message())
	pinTx := tx
	pinTx.STAN = "000006"
	tm := &terminal{t: f, id: "TERM0009"}
	tm.pinpad = newTerminal(f, &testHost{addr: "127.0.0.1:1"}, "TERM0009").pinpad
	pinTx.PINBlock, pinTx.SecurityControl = tm.pinBlock(cardsim.TestPIN, panMagOnly)
	add((&iso8583.FinancialRequest{Transaction: pinTx}).Message())
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := iso8583.SpecASCII.Unpack(data)
		if err != nil {
			return
		}
		resp := h.ServeISO8583(ctx, m)
		if m.MTI.Valid() && m.MTI.IsRequest() && (m.MTI.Class() >= '1' && m.MTI.Class() <= '5' || m.MTI.Class() == '8') {
			if resp == nil || !resp.Has(39) {
				t.Fatalf("request %s got no response code", m.MTI)
			}
		}
	})
}
