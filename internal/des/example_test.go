package des_test

import (
	"encoding/hex"
	"fmt"

	"github.com/posflow/posflow/internal/des"
)

// The first block of the ECB example of FIPS 81, Appendix B, Table B1.
func ExampleNewCipher() {
	key, _ := hex.DecodeString("0123456789ABCDEF")
	c, err := des.NewCipher(key)
	if err != nil {
		panic(err)
	}
	dst := make([]byte, des.BlockSize)
	c.Encrypt(dst, []byte("Now is t"))
	fmt.Printf("%X\n", dst)
	// Output: 3FA40E8A984D4815
}

// The first block of the TDEA example of NIST SP 800-67, Appendix B, whose
// plaintext spells "The qufck brown fox jump".
func ExampleNewTripleDESCipher() {
	key, _ := hex.DecodeString("0123456789ABCDEF" + "23456789ABCDEF01" + "456789ABCDEF0123")
	c, err := des.NewTripleDESCipher(key)
	if err != nil {
		panic(err)
	}
	dst := make([]byte, des.BlockSize)
	c.Encrypt(dst, []byte("The qufc"))
	fmt.Printf("%X\n", dst)
	// Output: A826FD8CE53B855F
}

// A Cipher keyed on the stack, as a key derivation that uses each key once
// holds it: no allocation, and the schedule zeroed when done. The block is
// that of ExampleNewCipher.
func ExampleCipher() {
	key, _ := hex.DecodeString("0123456789ABCDEF")
	var c des.Cipher
	if err := c.SetKey(key); err != nil {
		panic(err)
	}
	defer c.Clear()
	dst := make([]byte, des.BlockSize)
	c.Encrypt(dst, []byte("Now is t"))
	fmt.Printf("%X\n", dst)
	// Output: 3FA40E8A984D4815
}

// A TripleDESCipher keyed on the stack with the key of
// ExampleNewTripleDESCipher, and with a double-length key K1‖K2, which
// SetKey takes as K1‖K2‖K1: here K1 = K2, which is single DES under K1,
// giving the block of ExampleCipher.
func ExampleTripleDESCipher() {
	key, _ := hex.DecodeString("0123456789ABCDEF" + "23456789ABCDEF01" + "456789ABCDEF0123")
	var c des.TripleDESCipher
	defer c.Clear()
	if err := c.SetKey(key); err != nil {
		panic(err)
	}
	dst := make([]byte, des.BlockSize)
	c.Encrypt(dst, []byte("The qufc"))
	fmt.Printf("%X\n", dst)

	key, _ = hex.DecodeString("0123456789ABCDEF" + "0123456789ABCDEF")
	if err := c.SetKey(key); err != nil {
		panic(err)
	}
	c.Encrypt(dst, []byte("Now is t"))
	fmt.Printf("%X\n", dst)
	// Output:
	// A826FD8CE53B855F
	// 3FA40E8A984D4815
}
