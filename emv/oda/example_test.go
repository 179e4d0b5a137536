package oda_test

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/posflow/posflow/emv/oda"
)

// Test data of openemv/emv-utils tests/emv_rsa_test.c (see
// testdata/README.md): the issuer and ICC certificates of a Visa test card
// under the Visa test CA key 94, and a DDA signature.
const (
	visa94IssuerCert = "" +
		"665CD65C20DEAE638C7320EA011E5E2B33FC5070FF7D153D74FE9A01ABFF0B95" +
		"87B3779C524577F8A57C19923B39CD3F5CCDD457D360DC2619CDBB94328777BB" +
		"905E1CB79E280458F60C8C5593EFD22D6385512B11B7F2EAFE1184CF9066B9B4" +
		"7A0BF832045066359AE465473D31B9F830A6DE7D88E969CB456033F8073BEC51" +
		"2205920E3DEA773D3E36E1F46C2E8BDDC423FB675CA1710A3D0A06E9C7570919" +
		"735190BD6ED65BD5EF92C0416BFE4094EA96A218013838EF337151A8BE7222DC" +
		"F0717399553C4DDA16EBABB2DD386A07BDF313D970C1324CAAB885067691E3EE" +
		"5E5D8B912799BD53C8E1830237E9EC0A9254D80B2BD3622C"
	visa94ICCModulus = "" +
		"AB02DC02F1CB7D30113FE87A17D38D67A47CA6EC7A7AE10E6FE5B7D5800547B1" +
		"B21A2413DD18136126D8B00F021DC7E19CF513DD87149673B3764FF701454347" +
		"CCA9C8E310F9DB651DFDC9364F121002E5A795E3ECFB50678177CF4C15A11067" +
		"C1006E13AE77122934A38C11F429137A9AA9AF98610BC8B4979B3FC6BC85C34C" +
		"AFA2E1B818F54DD8A50B21B9CBF62BFAD4BB3F4CF6B5239F3FD23F8B93E96C84" +
		"C9CE67DFD70359153855A8F735CAFBE5"
	visa94SDAD = "" +
		"7207EF0CB50E15CCA221CB77E81B7BCE11730216436CC828F0A9D72A16BCF1A0" +
		"B736768308CDD816872457CE835AF450BD6378F17A45C0861DB8D61208F1C394" +
		"FD08F1719492F281970A424546A564FD825C83CEE6F8F4987EFC431A641248C6" +
		"466296CBAE8ED35CE0286A5810792B0E99E575BBDBEA8F6979165097A3C6851A" +
		"12022E5B7A6F0A8AC41E794E6AF0CACF700BD7E045E103A62294F074E7E55A82" +
		"FC9EE7E8B8711A5D524667361941C1C9"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Recover and verify an issuer public key certificate (tag 90) with the
// CA public key named by RID A000000003 and index 94 (tag 8F).
func ExampleRecoverIssuerCertificate() {
	ca, err := oda.TestKeys().Lookup(oda.RID{0xA0, 0x00, 0x00, 0x00, 0x03}, 0x94)
	if err != nil {
		panic(err)
	}
	cert, err := oda.RecoverIssuerCertificate(ca, unhex(visa94IssuerCert))
	if err != nil {
		panic(err)
	}
	fmt.Printf("issuer %X, expires %X, serial %X\n", cert.IssuerID, cert.Expiry, cert.Serial)

	pan := unhex("4761739001010119")
	date := time.Date(2031, 12, 31, 0, 0, 0, 0, time.UTC)
	key, err := cert.Verify(nil, []byte{0x03}, oda.Checks{PAN: pan, Date: date})
	if err != nil {
		panic(err)
	}
	fmt.Printf("issuer public key: %d bits, modulus %X...\n", 8*key.Len(), key.Modulus[:8])

	_, err = cert.Verify(nil, []byte{0x03}, oda.Checks{PAN: pan, Date: date.AddDate(0, 0, 1)})
	fmt.Println(err)
	// Output:
	// issuer 476173FF, expires 1231, serial 03DA0A
	// issuer public key: 1408 bits, modulus DDD9039ACC0BB00E...
	// oda: issuer public key certificate: certificate expired (expiry MMYY 1231)
}

// Check the signed dynamic application data a card returned to INTERNAL
// AUTHENTICATE with DDOL data 9F37 = 7FBC4049.
func ExampleVerifyDDA() {
	icc, err := oda.NewPublicKey(unhex(visa94ICCModulus), []byte{0x03})
	if err != nil {
		panic(err)
	}
	s, err := oda.VerifyDDA(icc, unhex(visa94SDAD), unhex("7FBC4049"))
	if err != nil {
		panic(err)
	}
	fmt.Printf("ICC dynamic number (9F4C): %X\n", s.IDN)

	_, err = oda.VerifyDDA(icc, unhex(visa94SDAD), unhex("7FBC404A"))
	fmt.Println(err)
	// Output:
	// ICC dynamic number (9F4C): 00AE
	// oda: signed dynamic application data: hash result does not match
}

// The published test CA keys of one scheme, with their checksums.
func ExampleTestKeys() {
	for _, k := range oda.TestKeys().Keys() {
		if k.RID == (oda.RID{0xA0, 0x00, 0x00, 0x00, 0x03}) {
			fmt.Printf("%s %02X %4d-bit exponent %X checksum %X\n", k.RID, k.Index, 8*k.Key.Len(), k.Key.Exponent, k.Checksum)
		}
	}
	// Output:
	// A000000003 92 1408-bit exponent 03 checksum 429C954A3859CEF91295F663C963E582ED6EB253
	// A000000003 94 1984-bit exponent 03 checksum C4A3C43CCF87327D136B804160E47D43B60E6E0F
	// A000000003 95 1152-bit exponent 03 checksum EE1511CEC71020A9B90443B37B1D5F6E703030F6
	// A000000003 99 1024-bit exponent 03 checksum 4ABFFD6B1C51212D05552E431C5B17007D2F5E6D
}

// Personalise a simulated card under a private test RID and check its
// certificates and a DDA signature as a terminal would. A seeded random
// source and a fixed clock make the keys and certificates the same on
// every run.
func ExampleNewTestPKI() {
	pan := unhex("5413339000001513")
	static := unhex("5A0854133390000015135F24032912318202" + "3900")
	pki, err := oda.NewTestPKI(oda.TestPKIConfig{
		Rand:       rand.NewChaCha8([32]byte{1}),
		Time:       func() time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC) },
		CABits:     1024,
		IssuerBits: 1024,
		ICCBits:    768,
		PAN:        pan,
		StaticData: static,
	})
	if err != nil {
		panic(err)
	}

	// The terminal side.
	store, err := oda.NewStore(pki.CAPK)
	if err != nil {
		panic(err)
	}
	ca, err := store.Lookup(oda.RID{0xF0, 0x00, 0x00, 0x00, 0x01}, 0x01)
	if err != nil {
		panic(err)
	}
	chk := oda.Checks{PAN: pan, Date: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)}
	ic, err := oda.RecoverIssuerCertificate(ca, pki.IssuerCert)
	if err != nil {
		panic(err)
	}
	issuer, err := ic.Verify(pki.IssuerRemainder, []byte{0x03}, chk)
	if err != nil {
		panic(err)
	}
	cc, err := oda.RecoverICCCertificate(issuer, pki.ICCCert)
	if err != nil {
		panic(err)
	}
	icc, err := cc.Verify(pki.ICCRemainder, []byte{0x03}, static, chk)
	if err != nil {
		panic(err)
	}
	fmt.Printf("issuer %X expires %X, card %X expires %X\n", ic.IssuerID, ic.Expiry, cc.PAN, cc.Expiry)

	// The card answers INTERNAL AUTHENTICATE.
	un := unhex("12345678")
	sdad, err := oda.SignDDA(pki.ICC, unhex("0001"), un)
	if err != nil {
		panic(err)
	}
	s, err := oda.VerifyDDA(icc, sdad, un)
	if err != nil {
		panic(err)
	}
	fmt.Printf("DDA passed, ICC dynamic number %X\n", s.IDN)
	// Output:
	// issuer 541333FF expires 1131, card 5413339000001513FFFF expires 1130
	// DDA passed, ICC dynamic number 0001
}
