package issuer_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// The Visa CVN 18 transaction of pyemv's tests/test_cvn_hsm.py.
func visaCVN18Data() map[tlv.Tag][]byte {
	return map[tlv.Tag][]byte{
		0x9F02: mustHex("000000004000"), 0x9F03: mustHex("000000000000"),
		0x9F1A: mustHex("0124"), 0x95: mustHex("8000048000"), 0x5F2A: mustHex("0124"),
		0x9A: mustHex("191105"), 0x9C: mustHex("01"), 0x9F37: mustHex("52BF4585"),
		0x82: mustHex("1800"), 0x9F36: mustHex("001C"), 0x9F10: mustHex("06011203A0B800"),
	}
}

// Option A and option B for a 17-digit PAN (pyemv kd.py doctests).
func ExampleMasterKeyB() {
	imk := mustHex("0123456789ABCDEFFEDCBA9876543210")
	a, _ := issuer.MasterKeyA(imk, "12345678901234567", "01")
	b, _ := issuer.MasterKeyB(imk, "12345678901234567", "01")
	fmt.Printf("option A %X\noption B %X\n", a, b)
	// Output:
	// option A 73AD54688CEF2934B0979857E3C719F1
	// option B AD406D7F6D7570916D75E5DCAB8CF737
}

// The EMV common session key for ATC 001C (pyemv kd.py doctest).
func ExampleSessionKey() {
	mk := mustHex("0123456789ABCDEFFEDCBA9876543210")
	r, _ := issuer.ACR([]byte{0x00, 0x1C})
	sk, _ := issuer.SessionKey(mk, r)
	fmt.Printf("R %X\nSK %X\n", r, sk)
	// Output:
	// R 001C000000000000
	// SK E9FB384AF807B940FEDCEA613461B0C4
}

// The ARQC and ARPC of pyemv's Visa CVN 18 test, and the tag 91 the
// issuer sends back.
func ExampleCryptogram() {
	imk := mustHex("0123456789ABCDEFFEDCBA9876543210")
	data := visaCVN18Data()
	arqc, _ := issuer.Cryptogram(issuer.VisaCVN18, imk, "1234567890123456", "00", data)
	csu := []byte{0, 0, 0, 0}
	arpc, _ := issuer.ARPC(issuer.VisaCVN18, imk, "1234567890123456", "00", data, arqc, csu)
	iad, _ := issuer.IssuerAuthenticationData(issuer.VisaCVN18, arpc, csu, nil)
	fmt.Printf("ARQC %X\nARPC %X\n91 %X\n", arqc, arpc, iad)
	// Output:
	// ARQC 7A788EA6B8A3E733
	// ARPC 9AF514C1
	// 91 9AF514C100000000
}

// An ARQC that does not verify: the error names the step and shows the
// check values of the derived keys and the data that was MACed, which is
// what an integrator compares with the HSM's log. pyemv publishes the
// leftmost 2 bytes of these check values; the trace holds 3.
func ExampleVerifyCryptogram() {
	imk := mustHex("0123456789ABCDEFFEDCBA9876543210")
	err := issuer.VerifyCryptogram(issuer.VisaCVN18, imk, "1234567890123456", "00",
		visaCVN18Data(), mustHex("7A788EA6B8A3E734"))
	var ve *issuer.VerifyError
	if errors.As(err, &ve) {
		fmt.Println("step:", ve.Trace.Step)
		fmt.Printf("ICC master key KCV %X… (%v)\n", ve.Trace.MasterKeyKCV[:2], ve.Trace.Option)
		fmt.Printf("session key KCV %X…\n", ve.Trace.SessionKeyKCV[:2])
		fmt.Printf("data %X\n", ve.Trace.Data)
	}
	// Output:
	// step: cryptogram MAC
	// ICC master key KCV BAB0… (option B)
	// session key KCV 22C8…
	// data 0000000040000000000000000124800004800001241911050152BF45851800001C06011203A0B800
}

// The version comes from the issuer application data and the AID.
func ExampleDetectCVN() {
	for _, c := range []struct{ aid, iad string }{
		{"A0000000031010", "06011203A0B800"},
		{"A0000000041010", "0115A00003220000000000000000000322FF"},
		{"A0000002771010", "1501850440B100000000B00000000000000000000000"},
		{"A0000000041010", "06011203A0B800"},
	} {
		cvn, err := issuer.DetectCVN(mustHex(c.aid), mustHex(c.iad))
		fmt.Println(cvn, err)
	}
	// Output:
	// Visa CVN 18 <nil>
	// Mastercard CVN 21 <nil>
	// Interac CVN 133 <nil>
	// CVN(0) issuer: Mastercard issuer application data (9F10) of 7 bytes: not an M/Chip length (18, 20, 26 or 28 bytes)
}

// The PIN change command of pyemv's Mastercard CVN 21 test: ISO 9564-1
// format 2 PIN block enciphered under the SMC session key, MACed under the
// SMI session key, both derived with R = ARQC.
func ExampleScript_PINChange() {
	s, _ := issuer.NewScript(issuer.MastercardCVN21, issuer.ScriptKeys{
		SMI: mustHex("FEDCBA98765432100123456789ABCDEF"),
		SMC: mustHex("89ABCDEF0123456776543210FEDCBA98"),
	}, "1234567890123456", "00", mustHex("001C"), mustHex("C30E54BE496CF5E5"))
	defer s.Clear() // the derived ICC master keys, once the commands are built
	cmd, _ := s.PINChange("9999", "")
	fmt.Printf("%X\n", cmd)
	// Output:
	// 8424000210D9F5896BE8E283C682264E1D32DF1D51
}

// The CVC3 of pyemv's cvv.py doctest.
func ExampleCVC3() {
	key, _ := issuer.MasterKeyA(mustHex("01234567899876543210012345678998"), "5123456789012345", "00")
	iv, _ := issuer.IVCVC3(key, mustHex("5123456789012345D35121010000000000000F"))
	cvc3, _ := issuer.CVC3(key, iv, mustHex("00000899"), mustHex("005E"))
	fmt.Println(cvc3)
	// Output:
	// 29488
}

// The CVV of psec's cvv.py doctest and the dCVV of jPOS's test.
func ExampleCVV() {
	cvv, _ := issuer.CVV(mustHex("0123456789ABCDEFFEDCBA9876543210"), "1234567890123456", "9912", "220")
	key, _ := issuer.MasterKeyA(mustHex("12345678123456781234567812345678"), "1234567890123456", "00")
	dcvv, _ := issuer.DCVV(key, "1234567890123456", "1310", "226", mustHex("3210"))
	fmt.Println(cvv, dcvv)
	// Output:
	// 170 422
}

// An issuer host's path: field 55 in, version detected from 9F10 and the
// AID, cryptogram verified (pyemv's Visa CVN 18 transaction).
func ExampleVerify() {
	var de55 []byte
	for tag, v := range visaCVN18Data() {
		de55, _ = tlv.AppendTLV(de55, tag, v)
	}
	de55, _ = tlv.AppendTLV(de55, 0x9F26, mustHex("7A788EA6B8A3E733"))
	de55, _ = tlv.AppendTLV(de55, 0x4F, mustHex("A0000000031010"))

	data, err := issuer.ParseField55(de55)
	if err != nil {
		fmt.Println(err)
		return
	}
	cvn, err := issuer.Verify(mustHex("0123456789ABCDEFFEDCBA9876543210"), "1234567890123456", "00", data)
	fmt.Println(cvn, err)
	// Output:
	// Visa CVN 18 <nil>
}
