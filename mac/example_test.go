package mac_test

import (
	"crypto/aes"
	"encoding/hex"
	"fmt"

	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/mac"
)

// RFC 4493, section 4, example 2.
func ExampleCMAC() {
	key, _ := hex.DecodeString("2b7e151628aed2a6abf7158809cf4f3c")
	msg, _ := hex.DecodeString("6bc1bee22e409f96e93d7e117393172a")
	c, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", mac.CMAC(c, msg))
	// Output: 070a16b46b4d4144f79bdd9dd04a287c
}

// The request MAC of the first transaction of ANSI X9.24-1:2009 Annex
// A.4.2: ANSI X9.19 under the transaction key with the request MAC
// variant, padding method 1, leftmost 4 bytes.
func ExampleAlg3() {
	txnKey, _ := hex.DecodeString("042666B49184CFA368DE9628D0397BC9")
	variant, _ := hex.DecodeString("000000000000FF00")
	key, _ := keys.Variant(txnKey, variant)
	m, err := mac.Alg3(key, []byte("4012345678909D987"), mac.Method1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", m[:4])
	// Output: 9CCC7817
}

// ISO/IEC 9797-1 MAC algorithm 1 with TDES and padding method 2, as
// published in psec's documentation.
func ExampleAlg1() {
	key, _ := hex.DecodeString("0123456789ABCDEFFEDCBA9876543210")
	data, _ := hex.DecodeString("1234567890ABCDEF")
	c, err := keys.NewTDES(key)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", mac.Alg1(c, data, mac.Method2))
	// Output: 925B1737EF681AD3
}

// Verifying a truncated tag (RFC 4493 example 1, leftmost 8 bytes).
func ExampleVerifyCMAC() {
	key, _ := hex.DecodeString("2b7e151628aed2a6abf7158809cf4f3c")
	tag, _ := hex.DecodeString("bb1d6929e9593728")
	c, _ := aes.NewCipher(key)
	fmt.Println(mac.VerifyCMAC(c, nil, tag))
	tag[0] ^= 1
	fmt.Println(mac.VerifyCMAC(c, nil, tag))
	// Output:
	// <nil>
	// mac: verification failed
}

func ExampleAppendPad() {
	data, _ := hex.DecodeString("1234")
	for p := mac.Method1; p <= mac.Method3; p++ {
		fmt.Printf("%v: %X\n", p, mac.AppendPad(nil, data, p, 8))
	}
	// Output:
	// method 1: 1234000000000000
	// method 2: 1234800000000000
	// method 3: 00000000000000101234000000000000
}
