package c3_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/oda"
)

// Two taps of a simulated qVSDC card on a reader with a floor limit of
// 50.00 and a CVM required limit of 100.00: 15.00 is approved offline
// after fDDA, 60.00 goes online.
func Example() {
	card, capk, err := cardsim.NewQVSDC(cardsim.QVSDCProfile{
		Rand:         rand.NewChaCha8([32]byte{'e', 'x'}),
		PAN:          []byte{0x47, 0x61, 0x73, 0x00, 0x00, 0x00, 0x00, 0x19},
		Expiry:       [3]byte{0x30, 0x12, 0x31},
		OfflineLimit: 10000,
	})
	if err != nil {
		panic(err)
	}
	keys, err := oda.NewStore(capk)
	if err != nil {
		panic(err)
	}
	cfg := &entrypoint.Config{
		Combinations: []entrypoint.Combination{{
			AID:              []byte{0xA0, 0x00, 0x00, 0x00, 0x03},
			Kernel:           entrypoint.Kernel3,
			TransactionLimit: entrypoint.LimitOf(20000),
			FloorLimit:       entrypoint.LimitOf(5000),
			CVMRequiredLimit: entrypoint.LimitOf(10000),
			TTQ:              entrypoint.TTQ{0x26, 0x00, 0x40, 0x00},
			TTQPresent:       true,
		}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{
			entrypoint.Kernel3: &c3.Kernel{Terminal: emv.Terminal{CountryCode: [2]byte{0x08, 0x26}}},
		},
		CAPKs: keys,
		Rand:  rand.NewChaCha8([32]byte{1}),
		Time:  func() time.Time { return time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC) },
	}
	for _, amount := range []uint64{1500, 6000} {
		o := entrypoint.Process(context.Background(), card, cfg, emv.Transaction{Amount: amount, Currency: [2]byte{0x08, 0x26}})
		cid, _ := o.Value(0x9F27)
		fmt.Printf("%d.%02d: %v (%v)\n", amount/100, amount%100, o, emv.CID(cid[0]))
	}
	// Output:
	// 15.00: Approved, CVM No CVM (TC)
	// 60.00: Online Request, CVM No CVM (ARQC)
}
