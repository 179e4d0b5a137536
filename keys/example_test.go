package keys_test

import (
	"crypto/aes"
	"encoding/hex"
	"fmt"

	"github.com/posflow/posflow/keys"
)

// The check value of the classic double-length test key, as published in
// psec's documentation.
func ExampleKCV() {
	key, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	c, err := keys.NewTDES(key)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", keys.KCV(c))
	// Output: 08D7B4
}

// The AES key of the TR-31:2018 A.7.4 example; openemv/tr31 publishes
// the first 3 bytes of its CMAC-based check value.
func ExampleKCV_aes() {
	key, _ := hex.DecodeString("3F419E1CB7079442AA37474C2EFBF8B8")
	c, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	kcv := keys.KCV(c)
	fmt.Printf("%d bytes, %X…\n", len(kcv), kcv[:3])
	// Output: 5 bytes, 08793E…
}

// Two custodians hold components of a key; their XOR is the key, which is
// then checked against its published check value (08D7B4, see ExampleKCV).
func ExampleCombine() {
	c1, _ := hex.DecodeString("1111111111111111222222222222222F")
	c2, _ := hex.DecodeString("1032547698BADCFEDCFE98BA5476103F")
	key, err := keys.Combine(c1, c2)
	if err != nil {
		panic(err)
	}
	tdes, err := keys.NewTDES(key)
	if err != nil {
		panic(err)
	}
	fmt.Println(keys.CheckParity(key), keys.CheckKCV(tdes, []byte{0x08, 0xD7, 0xB4}))
	// Output: <nil> true
}

func ExampleVariant() {
	txnKey, _ := hex.DecodeString("042666B49184CFA368DE9628D0397BC9")
	pinVariant, _ := hex.DecodeString("00000000000000FF") // ANSI X9.24-1:2009 Table A-1
	key, _ := keys.Variant(txnKey, pinVariant)
	fmt.Printf("%X\n", key)
	// Output: 042666B49184CF5C68DE9628D0397B36
}
