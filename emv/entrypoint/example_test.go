package entrypoint_test

import (
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// Pre-processing of the Visa combination the public qVSDC test transcripts
// were recorded with (floor and CVM required limits 80.00, transaction
// limit 200.00, TTQ 24004000), for 2.00 and for 90.00.
func ExamplePreprocess() {
	visa := &entrypoint.Combination{
		AID:              []byte{0xA0, 0x00, 0x00, 0x00, 0x03},
		Kernel:           entrypoint.Kernel3,
		TransactionLimit: entrypoint.LimitOf(20000),
		FloorLimit:       entrypoint.LimitOf(8000),
		CVMRequiredLimit: entrypoint.LimitOf(8000),
		TTQ:              entrypoint.TTQ{0x24, 0x00, 0x40, 0x00},
		TTQPresent:       true,
	}
	for _, amount := range []uint64{200, 9000, 20000} {
		txn := emv.Transaction{Amount: amount, Currency: [2]byte{0x08, 0x40}, CurrencyExponent: 2}
		fmt.Println(entrypoint.Preprocess(visa, txn, entrypoint.Limit{}))
	}
	// Output:
	// TTQ 24004000
	// floor limit exceeded, CVM required limit exceeded, TTQ 24C04000
	// contactless not allowed, floor limit exceeded, CVM required limit exceeded, TTQ 24C04000
}
