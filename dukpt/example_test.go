package dukpt_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"log"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/pinblock"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// The initial key of ANSI X9.24-1:2009 A.4.
func ExampleTDESInitialKey() {
	bdk := unhex("0123456789ABCDEFFEDCBA9876543210")
	ik, err := dukpt.TDESInitialKey(bdk, unhex("FFFF9876543210E00000"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%X\n", ik)
	// Output: 6AC292FAA1315B4D858AB3A3D7D5933A
}

// The host side of the first transaction of ANSI X9.24-1:2009 A.4.2: the
// transaction key, the enciphered format 0 PIN block of PIN 1234 and PAN
// 4012345678909, and the request MAC of "4012345678909D987" (A.4 prints
// its leftmost 4 bytes).
func ExampleTDESHost_Transaction() {
	h, err := dukpt.NewTDESHost(unhex("0123456789ABCDEFFEDCBA9876543210"), dukpt.HostConfig{})
	if err != nil {
		log.Fatal(err)
	}
	ksn, _ := dukpt.ParseKSN(unhex("FFFF9876543210E00001"))
	tx, err := h.Transaction(ksn)
	if err != nil {
		log.Fatal(err)
	}
	pin, _ := tx.DecryptPIN(pinblock.ISO0, unhex("1B9C1845EB993A7A"), "4012345678909")
	mac, _ := tx.MAC(dukpt.MACRequest, []byte("4012345678909D987"))
	fmt.Println(tx)
	fmt.Printf("transaction key %X\n", tx.TransactionKey())
	fmt.Println("PIN", pin)
	fmt.Printf("request MAC %X\n", mac[:4])
	// Output:
	// dukpt.TDESTransaction{KSN: FFFF9876543210E00001}
	// transaction key 042666B49184CFA368DE9628D0397BC9
	// PIN 1234
	// request MAC 9CCC7817
}

// A PIN pad loaded with the initial key of ANSI X9.24-1:2009 A.4 sends the
// KSNs and PIN blocks of A.4.2, and saves its state after every
// transaction.
func ExampleTDESDevice() {
	d, err := dukpt.NewTDESDevice(unhex("6AC292FAA1315B4D858AB3A3D7D5933A"), dukpt.KSN(unhex("FFFF9876543210E00000")))
	if err != nil {
		log.Fatal(err)
	}
	for range 3 {
		tx, err := d.Next()
		if err != nil {
			log.Fatal(err)
		}
		state, _ := d.MarshalBinary() // persist before using the keys
		_ = state
		block, err := tx.EncryptPIN(pinblock.ISO0, "1234", "4012345678909")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%v %X\n", tx.KSN(), block)
	}
	// Output:
	// FFFF9876543210E00001 1B9C1845EB993A7A
	// FFFF9876543210E00002 10A01C8D02C69107
	// FFFF9876543210E00003 18DC07B94797B466
}

// A device skips counters with more than ten one-bits: after EFFC00 comes
// F00000 (ANSI X9.24-1:2009 A.4.3).
func ExampleKSN_Next() {
	k, _ := dukpt.ParseKSN(unhex("FFFF9876543210EFFC00"))
	next, err := k.Next()
	fmt.Println(next, err)
	// Output: FFFF9876543210F00000 <nil>
}

// Working keys of the ANSI X9.24-3-2017 supplement: the AES-128 PIN key of
// the first KSN under the AES-128 BDK, and under the AES-256 BDK, where the
// PIN key is weaker than the BDK.
func ExampleAESWorkingKey() {
	ksn := unhex("123456789012345600000001")
	for _, bdk := range []string{
		"FEDCBA9876543210F1F1F1F1F1F1F1F1",
		"FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1",
	} {
		ik, err := dukpt.AESInitialKey(unhex(bdk), ksn)
		if err != nil {
			log.Fatal(err)
		}
		key, err := dukpt.AESWorkingKey(ik, ksn, dukpt.PINEncryption, dukpt.AES128)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%X\n", key)
	}
	// Output:
	// AF8CB133A78F8DC2D1359F18527593FB
	// 09C9C432966811D6B2C3336BAC1B1202
}

// The first enciphered ISO 9564-1 format 4 PIN block of the ANSI
// X9.24-3-2017 supplement (page 31), whose PIN field carries the random
// bytes 2F69ADDE2E9E7ACE. Outside tests, use EncryptPIN, which draws them
// from crypto/rand.
func ExampleAESTransaction_EncryptPINWith() {
	h, err := dukpt.NewAESHost(unhex("FEDCBA9876543210F1F1F1F1F1F1F1F1"), dukpt.HostConfig{})
	if err != nil {
		log.Fatal(err)
	}
	ksn, _ := dukpt.ParseAESKSN(unhex("123456789012345600000001"))
	tx, err := h.Transaction(ksn)
	if err != nil {
		log.Fatal(err)
	}
	c := &pinblock.Config{Rand: bytes.NewReader(unhex("2F69ADDE2E9E7ACE"))}
	block, err := tx.EncryptPINWith(c, dukpt.AES128, "1234", "4111111111111111")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%X\n", block)
	// Output: A912150391AB65A67E52883D81CE2D15
}

// The AES-128 DUKPT update key of the supplement (page 7).
func ExampleAESUpdateKey() {
	ik := unhex("1273671EA26AC29AFA4D1084127652A1")
	key, err := dukpt.AESUpdateKey(ik, unhex("123456789012345600000000"), dukpt.AES128)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%X\n", key)
	// Output: 9A9770AEE1ACD1B13473D0463A1883B9
}

// The supplement's 17-bit counter: a device never sends it, but the host
// derives its key.
func ExampleAESKSN_Valid() {
	ksn, _ := dukpt.ParseAESKSN(unhex("12345678901234560001FFFF"))
	fmt.Println(ksn.Valid())
	ik := unhex("1273671EA26AC29AFA4D1084127652A1")
	key, err := dukpt.AESTransactionKey(ik, ksn[:])
	fmt.Printf("%X %v\n", key, err)
	// Output:
	// dukpt: transaction counter has too many one-bits (counter 1ffffh)
	// 1FE368988089CDD76DA18A3458E113BA <nil>
}
