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
