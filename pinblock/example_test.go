package pinblock_test

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/pinblock"
)

// The format 0 example of ANSI X9.24-1:2009 Annex A.4.
func ExampleEncode() {
	block, err := pinblock.Encode(pinblock.ISO0, "1234", "4012345678909")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", block)
	// Output: 041274EDCBA9876F
}

func ExampleDecode() {
	block, _ := hex.DecodeString("041274EDCBA9876F")
	pin, err := pinblock.Decode(pinblock.ISO0, block, "4012345678909")
	fmt.Println(pin, err)

	// The same block with a PAN it was not made for does not decode.
	_, err = pinblock.Decode(pinblock.ISO0, block, "4012345678919")
	fmt.Println(err)
	// Output:
	// 1234 <nil>
	// pinblock: PIN block position 15: fill digit not allowed by the format
}

// The first transaction of ANSI X9.24-1:2009 Annex A.4.2: the DUKPT
// transaction key with the PIN variant applied enciphers the format 0
// block.
func ExampleEncrypt() {
	txnKey, _ := hex.DecodeString("042666B49184CFA368DE9628D0397BC9")
	pinVariant, _ := hex.DecodeString("00000000000000FF")
	key, err := keys.Variant(txnKey, pinVariant)
	if err != nil {
		panic(err)
	}
	block, err := pinblock.Encrypt(pinblock.ISO0, key, "1234", "4012345678909")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", block)
	// Output: 1B9C1845EB993A7A
}

// A format 4 block of the ANSI X9.24-3-2017 supplement (AES-128 PIN key of
// KSN 123456789012345600000001).
func ExampleDecrypt() {
	key, _ := hex.DecodeString("AF8CB133A78F8DC2D1359F18527593FB")
	block, _ := hex.DecodeString("A912150391AB65A67E52883D81CE2D15")
	pin, err := pinblock.Decrypt(pinblock.ISO4, key, block, "4111111111111111")
	fmt.Println(pin, err)
	// Output: 1234 <nil>
}

// Injecting the random part published in the ANSI X9.24-3-2017 supplement
// reproduces its format 4 block. Production code leaves Rand nil.
func ExampleConfig_Encrypt() {
	key, _ := hex.DecodeString("AF8CB133A78F8DC2D1359F18527593FB")
	random, _ := hex.DecodeString("2F69ADDE2E9E7ACE")
	c := &pinblock.Config{Rand: bytes.NewReader(random)}
	block, err := c.Encrypt(pinblock.ISO4, key, "1234", "4111111111111111")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", block)
	// Output: A912150391AB65A67E52883D81CE2D15
}

func ExampleFormat4PANField() {
	for _, pan := range []string{"4111111111111111", "123456789"} {
		field, _ := pinblock.Format4PANField(pan)
		fmt.Printf("%X\n", field)
	}
	// Output:
	// 44111111111111111000000000000000
	// 00001234567890000000000000000000
}

// Translate a DUKPT-enciphered format 0 block (X9.24-1 A.4.2, first
// transaction) into a format 4 block under an AES zone key, without the
// PIN leaving the call.
func ExampleTranslate() {
	tdesKey, _ := hex.DecodeString("042666B49184CF5C68DE9628D0397B36") // PIN-variant transaction key
	aesKey, _ := hex.DecodeString("AF8CB133A78F8DC2D1359F18527593FB")
	in, _ := hex.DecodeString("1B9C1845EB993A7A")
	out, err := pinblock.Translate(pinblock.ISO0, tdesKey, pinblock.ISO4, aesKey, in, "4012345678909")
	if err != nil {
		panic(err)
	}
	pin, err := pinblock.Decrypt(pinblock.ISO4, aesKey, out, "4012345678909")
	fmt.Println(len(out), pin, err)
	// Output: 16 1234 <nil>
}

func ExampleVisaPVV() {
	pvk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	pvv, err := pinblock.VisaPVV(pvk, "1122334455667788", 3, "4524")
	fmt.Println(pvv, err)
	fmt.Println(pinblock.VerifyVisaPVV(pvk, "1122334455667788", 3, "4524", pvv))
	// Output:
	// 4021 <nil>
	// <nil>
}

func ExampleIBM3624Offset() {
	pvk, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	const table, data = "1234567890123456", "1122334455667788"
	natural, _ := pinblock.IBM3624NaturalPIN(pvk, table, data, 4)
	offset, err := pinblock.IBM3624Offset(pvk, table, data, "4524")
	fmt.Println(natural, offset, err)
	// Output: 4524 0000 <nil>
}
