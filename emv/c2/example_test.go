package c2_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/oda"
)

// Two taps of a simulated M/Chip card with CDA on a reader with a floor
// limit of 50.00 and a CVM required limit of 30.00: 10.00 is approved
// offline, 40.00 needs the online PIN the CVM list asks for and goes
// online. The cryptogram comes from inside the CDA signature.
func Example() {
	card, capk, err := cardsim.NewMChip(cardsim.MChipProfile{
		Rand:    rand.NewChaCha8([32]byte{'e', 'x'}),
		PAN:     []byte{0x54, 0x13, 0x33, 0x00, 0x00, 0x00, 0x00, 0x17},
		Expiry:  [3]byte{0x30, 0x12, 0x31},
		CVMList: []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x42, 0x03, 0x1F, 0x03},
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
			AID:              []byte{0xA0, 0x00, 0x00, 0x00, 0x04},
			Kernel:           entrypoint.Kernel2,
			TransactionLimit: entrypoint.LimitOf(50000),
			FloorLimit:       entrypoint.LimitOf(5000),
			CVMRequiredLimit: entrypoint.LimitOf(3000),
		}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{
			entrypoint.Kernel2: &c2.Kernel{
				Terminal:      emv.Terminal{CountryCode: [2]byte{0x02, 0x76}, Type: 0x22},
				CVMRequired:   0x40, // online PIN
				NoCVMRequired: 0x08, // no CVM
				Security:      0x08, // CDA
				TACOnline:     emv.TVR{0xF4, 0x50, 0x84, 0x80, 0x0C},
				TACDefault:    emv.TVR{0xF4, 0x50, 0x84, 0x80, 0x0C},
			},
		},
		CAPKs: keys,
		Rand:  rand.NewChaCha8([32]byte{1}),
		Time:  func() time.Time { return time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC) },
	}
	for _, amount := range []uint64{1000, 4000} {
		o := entrypoint.Process(context.Background(), card, cfg, emv.Transaction{Amount: amount, Currency: [2]byte{0x09, 0x78}})
		tvr, _ := o.Value(0x95)
		cvm, _ := o.Value(0x9F34)
		fmt.Printf("%d.%02d: %v, TVR %X, CVM results %X\n", amount/100, amount%100, o, tvr, cvm)
	}
	// Output:
	// 10.00: Approved, CVM No CVM, TVR 0000000001, CVM results 1F0302
	// 40.00: Online Request, CVM Online PIN, TVR 0000040001, CVM results 020300
}
