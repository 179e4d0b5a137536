package acquirer_test

import (
	"context"
	"fmt"
	"os"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// A purchase with a magnetic-stripe card on the terminal without a MAC
// key, the end-of-day reconciliation, and the settlement report, calling
// the host as an iso8583.Handler (the TCP server calls it the same way).
func Example() {
	cfg, err := acquirer.LoadConfig("../testdata/seed.json")
	if err != nil {
		panic(err)
	}
	h, err := acquirer.New(*cfg)
	if err != nil {
		panic(err)
	}
	defer h.Shutdown(context.Background())
	ctx := context.Background()
	serve := func(m *iso8583.Message, err error) *iso8583.Message {
		if err != nil {
			panic(err)
		}
		b, err := iso8583.SpecASCII.Pack(m)
		if err != nil {
			panic(err)
		}
		req, err := iso8583.SpecASCII.Unpack(b) // as the server receives it
		if err != nil {
			panic(err)
		}
		return h.ServeISO8583(ctx, req)
	}

	resp := serve((&iso8583.FinancialRequest{Transaction: iso8583.Transaction{
		PAN: "4761739001010259", Expiry: "3012", ProcessingCode: "000000", Amount: 1250,
		Transmitted: "1126120000", STAN: "000001", EntryMode: "901",
		TerminalID: "TERM0009", MerchantID: "000000000000001", Currency: "978",
	}}).Message())
	fmt.Println("purchase:", string(resp.MTI), resp.Text(39))
	balance, _ := h.Balance(ctx, "other")
	fmt.Println("balance:", balance)

	resp = serve((&iso8583.Reconciliation{Transmitted: "1126180000", STAN: "000002", TerminalID: "TERM0009",
		Totals: iso8583.Totals{DebitsNumber: 1, DebitsAmount: 1250}}).Message())
	fmt.Println("reconciliation:", string(resp.MTI), resp.Text(39), resp.Text(66))

	report, _ := h.Report(ctx)
	report.WriteText(os.Stdout)
	// Output:
	// purchase: 0210 00
	// balance: 98750
	// reconciliation: 0510 00 1
	// MERCHANT        NAME                 BATCHES SALES       AMOUNT REFUNDS     AMOUNT  REV        GROSS   RATE        FEE          NET
	// 000000000000001 Corner Cafe                1     1        12.50       0       0.00    0        12.50  1.50%       0.19        12.31
	// TOTAL                                      1     1        12.50       0       0.00    0        12.50              0.19        12.31
}
