package c3_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

// fixtures is the shared folder of public test-card transcripts, outside
// the project tree: ../shared/fixtures/contactless from the repository root.
const fixtures = "../../../shared/fixtures/contactless"

func transcript(t testing.TB, name string) *entrypointtest.Transcript {
	t.Helper()
	tr, err := entrypointtest.ReadTranscript(filepath.Join(fixtures, name))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found: the public transcripts live outside the project in %s", name, fixtures)
	}
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// visaConfig is the reader configuration the Visa transcripts were
// recorded with (the source's cfg_visa.json, as the fixtures README
// gives it): limits 80.00, 80.00 and 200.00, TTQ 24004000.
func visaConfig(tr *entrypointtest.Transcript) *entrypoint.Config {
	date, _ := time.Parse("060102150405", fmtHex(tr.Date)+fmtHex(tr.Time))
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

func txnOf(tr *entrypointtest.Transcript) emv.Transaction {
	var txn emv.Transaction
	for _, b := range tr.Value(0x9F02) {
		txn.Amount = txn.Amount*100 + uint64(b>>4)*10 + uint64(b&15)
	}
	copy(txn.Currency[:], tr.Value(0x5F2A))
	txn.Type = emv.TransactionType(tr.Value(0x9C)[0])
	return txn
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
			tr := transcript(t, tt.file)
			card := entrypointtest.NewCard(tr)
			o := entrypoint.Process(context.Background(), card, visaConfig(tr), txnOf(tr))
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
				for _, pan := range []string{"4761739001010010", "5413339000001513", "5413330089601034"} {
					if strings.Contains(strings.ToUpper(e.Text), pan) {
						t.Errorf("trace shows the PAN: %v", e)
					}
				}
			}
		})
	}
}
