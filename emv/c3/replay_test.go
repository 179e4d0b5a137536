package c3_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

// visaConfig is the reader configuration the Visa transcripts were
// recorded with (the source's cfg_visa.json, as the fixtures README
// gives it): limits 80.00, 80.00 and 200.00, TTQ 24004000.
func visaConfig(tr *entrypointtest.Transcript) *entrypoint.Config {
	date := tr.DateTime()
	return &entrypoint.Config{
		Combinations: []entrypoint.Combination{{
			AID:              []byte{0xA0, 0, 0, 0, 0x03},
			Kernel:           entrypoint.Kernel3,
			TransactionLimit: entrypoint.LimitOf(20000),
			FloorLimit:       entrypoint.LimitOf(8000),
			CVMRequiredLimit: entrypoint.LimitOf(8000),
			TTQ:              entrypoint.TTQ{0x24, 0x00, 0x40, 0x00},
			TTQPresent:       true,
		}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{
			entrypoint.Kernel3: &c3.Kernel{Terminal: emv.Terminal{CountryCode: [2]byte{0x08, 0x40}, Type: 0x22}},
		},
		CAPKs: oda.TestKeys(),
		Rand:  bytes.NewReader(tr.UN),
		Time:  func() time.Time { return date },
	}
}

func fmtHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	s := ""
	for _, c := range b {
		s += string(digits[c>>4]) + string(digits[c&15])
	}
	return s
}

func TestReplay(t *testing.T) {
	tests := []struct {
		file       string
		outcome    entrypoint.OutcomeType
		cvm        entrypoint.CVM
		cryptogram string
	}{
		{"mock-visa-offline.json", entrypoint.Approved, entrypoint.NoCVM, "20261203C3227D26"},
		{"mock-visa-online.json", entrypoint.OnlineRequest, entrypoint.OnlinePIN, "48325309BE82CBA2"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tr := entrypointtest.Fixture(t, tt.file)
			card := entrypointtest.NewCard(tr)
			o := entrypoint.Process(context.Background(), card, visaConfig(tr), tr.Transaction())
			if err := card.Err(); err != nil {
				t.Fatalf("replay: %v", err)
			}
			if !card.Done() {
				t.Errorf("replay stopped at command %d of %d", card.Next(), len(tr.APDUs))
			}
			if o.Type != tt.outcome || o.CVM != tt.cvm {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, want %v with CVM %v", o, tt.outcome, tt.cvm)
			}
			ac, _ := o.Value(0x9F26)
			if got := fmtHex(ac); got != tt.cryptogram {
				t.Errorf("9F26 = %s, want %s", got, tt.cryptogram)
			}
			if o.Kernel != entrypoint.Kernel3 {
				t.Errorf("kernel %d, want 3", o.Kernel)
			}
			// The trace never shows a PAN of the public test cards in clear.
			for _, e := range o.Trace {
				for _, pan := range entrypointtest.PublicPANs {
					if strings.Contains(strings.ToUpper(e.Text), pan) {
						t.Errorf("trace shows the PAN: %v", e)
					}
				}
			}
		})
	}
}
