package entrypoint_test

import (
	"fmt"

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
	fmt.Println(entrypoint.Preprocess(visa, 200, entrypoint.Limit{}))
	fmt.Println(entrypoint.Preprocess(visa, 9000, entrypoint.Limit{}))
	fmt.Println(entrypoint.Preprocess(visa, 20000, entrypoint.Limit{}))
	// Output:
	// TTQ 24004000
	// floor limit exceeded, CVM required limit exceeded, TTQ 24C04000
	// contactless not allowed, floor limit exceeded, CVM required limit exceeded, TTQ 24C04000
}
