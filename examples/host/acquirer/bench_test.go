package acquirer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// BenchmarkPurchase measures one approved 0200 through the handler (no
// TCP): unpack, MAC verify, TDES DUKPT PIN decipher and PVV verify, the
// SQLite transaction (duplicate lookup, card state, balance, journal row)
// and the signed response; the terminal's signing is in the loop too. The
// in-memory database measures the host, the file database (WAL,
// synchronous FULL) adds a durable commit per request.
func BenchmarkPurchase(b *testing.B) {
	for _, db := range []string{"memory", "file"} {
		b.Run(db, func(b *testing.B) {
			cfg := seedConfig(b)
			cfg.Accounts[6].Balance = 1 << 50 // "other"
			cfg.Limits.MaxAmount = 0
			cfg.Time = func() time.Time { return testNow }
			if db == "file" {
				cfg.Database = filepath.Join(b.TempDir(), "host.db")
			}
			h, err := acquirer.New(*cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer h.Shutdown(context.Background())
			tm := &terminal{t: b, id: "TERM0001"}
			tm.pinpad = newTerminal(b, &testHost{addr: "127.0.0.1:1"}, "TERM0001").pinpad
			mk, _ := iso8583.RetailMAC(testMACKey["TERM0001"])
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				m := purchaseMessage(b, "TERM0001", fmt.Sprintf("%06d", i%1000000), 100)
				m.SetString(7, iso8583.TransmissionTime(testNow.Add(time.Duration(i/1000000)*time.Second)))
				// A new KSN each time: the host refuses a replayed one.
				block, ksn := tm.pinBlock(cardsim.TestPIN, panMagOnly)
				m.Set(52, block)
				m.Set(53, ksn)
				raw, err := iso8583.Sign(iso8583.SpecASCII, m, mk)
				if err != nil {
					b.Fatal(err)
				}
				req, err := iso8583.SpecASCII.Unpack(raw)
				if err != nil {
					b.Fatal(err)
				}
				if resp := h.ServeISO8583(ctx, req); resp.Text(39) != "00" {
					b.Fatalf("response code %s", resp.Text(39))
				}
			}
		})
	}
}
