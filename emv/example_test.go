package emv_test

import (
	"encoding/hex"
	"fmt"
	"os"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

func ExamplePrinter() {
	// A READ RECORD response of a public test card (openemv/emv-utils,
	// see testdata/README.md): PAN, PAN sequence number, expiry.
	record, _ := hex.DecodeString("70145A0847617390010101195F3401015F2403221231")
	if err := emv.Printer().Fprint(os.Stdout, record); err != nil {
		panic(err)
	}
	// Output:
	// 70 READ RECORD Response Message Template [20]
	//   5A Application Primary Account Number (PAN) [8] 476173******0119
	//   5F34 Application PAN Sequence Number [1] 01
	//   5F24 Application Expiration Date [3] 221231
}

func ExampleAppendDOLData() {
	// CDOL1 of the same card: amount, other amount, country, TVR,
	// currency, date, type, unpredictable number.
	cdol1, _ := hex.DecodeString("9F02069F03069F1A0295055F2A029A039C019F3704")
	terminal := map[tlv.Tag][]byte{
		0x9F02: {0x00, 0x00, 0x00, 0x00, 0x10, 0x00}, // 10.00
		0x9F1A: {0x08, 0x26},                         // United Kingdom
		0x5F2A: {0x08, 0x26},                         // pound sterling
		0x9A:   {0x26, 0x11, 0x26},
		0x9C:   {0x00},
		0x9F37: {0xCA, 0xFE, 0xBA, 0xBE},
	}
	data, err := emv.AppendDOLData(nil, cdol1, func(t tlv.Tag) ([]byte, bool) {
		v, ok := terminal[t]
		return v, ok
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", data)
	// Output:
	// 00000000100000000000000008260000000000082626112600CAFEBABE
}

func ExampleParseCVMList() {
	// openemv/emv-utils tests/emv_cvmlist_test.c test6_cvmlist.
	v, _ := hex.DecodeString("00000000000000004201440341035E0342031F03")
	l, err := emv.ParseCVMList(v)
	if err != nil {
		panic(err)
	}
	for _, r := range l.Rules {
		fmt.Printf("%-45s condition %02X, next if failed: %v\n", r.Code, byte(r.Condition), r.ApplySucceeding)
	}
	// Output:
	// enciphered PIN verified online                condition 01, next if failed: true
	// enciphered PIN verified by ICC                condition 03, next if failed: true
	// plaintext PIN verified by ICC                 condition 03, next if failed: true
	// signature                                     condition 03, next if failed: true
	// enciphered PIN verified online                condition 03, next if failed: true
	// no CVM required                               condition 03, next if failed: false
}

func ExampleTVR() {
	var tvr emv.TVR
	tvr.Set(emv.TVROfflineDataAuthNotPerformed)
	tvr.Set(emv.TVRExceedsFloorLimit)
	fmt.Println(tvr)
	// Output:
	// 8000008000: offline data authentication was not performed; transaction exceeds floor limit
}
