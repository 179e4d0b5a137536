package qr_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"
	"os"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/qr"
	"github.com/posflow/posflow/tlv"
)

// The example payload of the EMVCo merchant-presented specification
// (testdata/mpm.json, "emvco-example").
const emvcoExample = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A"

func ExampleParseMPM() {
	m, err := qr.ParseMPM(emvcoExample)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("dynamic:", m.Dynamic())
	fmt.Println("amount:", m.Amount(), "currency:", m.Currency())
	fmt.Println("merchant:", m.MerchantName(), "in", m.MerchantCity())
	for _, a := range m.MerchantAccounts() {
		fmt.Println("account", a.ID, "GUI", a.SubValue(qr.IDGUI))
	}
	lang, _ := m.Find(qr.IDLanguageTemplate)
	fmt.Println("in", lang.SubValue(qr.IDLanguagePreference)+":", lang.SubValue(qr.IDAlternateName), lang.SubValue(qr.IDAlternateCity))
	fmt.Printf("CRC: %04X\n", m.CRC)
	// Output:
	// dynamic: true
	// amount: 23.72 currency: 156
	// merchant: BEST TRANSPORT in BEIJING
	// account 29 GUI D15600000000
	// account 31 GUI D15600000001
	// in ZH: 最佳运输 北京
	// CRC: A13A
}

// A dynamic payload for one payment, built from the merchant's fixed data
// and the amount in minor units. The parts are those of a published Pix
// payload (testdata/mpm.json, "pix-spi-dynamic"), which this rebuilds
// byte for byte, CRC included.
func ExampleMerchant_Dynamic() {
	shop := qr.Merchant{
		Accounts: []qr.Object{{ID: 26, Sub: []qr.Object{
			{ID: qr.IDGUI, Value: "br.gov.bcb.spi"},
			{ID: 21, Value: "12345678"},
			{ID: 22, Value: "1234"},
			{ID: 23, Value: "12345678"},
			{ID: 24, Value: "00112233445566778899"},
		}}},
		CategoryCode: "0000",
		Currency:     "986",
		Country:      "BR",
		Name:         "FULANO DE TAL",
		City:         "BRASILIA",
		Additional:   []qr.Object{{ID: qr.IDReferenceLabel, Value: "RP12345678-2019"}},
	}
	amount, err := qr.FormatAmount(12345, 2) // BRL has two decimals
	if err != nil {
		log.Fatal(err)
	}
	m := shop.Dynamic(amount)
	m.SetTemplate(80, qr.Object{ID: qr.IDGUI, Value: "br.gov.bcb.spi"},
		qr.Object{ID: 25, Value: "bx.com.br/spi/U0VHUkVET1RPVEFMTUVOVEVBTEVBVE9SSU8="})
	payload, err := m.Payload()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payload)
	// Output:
	// 00020101021226740014br.gov.bcb.spi210812345678220412342308123456782420001122334455667788995204000053039865406123.455802BR5913FULANO DE TAL6008BRASILIA62190515RP12345678-201980720014br.gov.bcb.spi2550bx.com.br/spi/U0VHUkVET1RPVEFMTUVOVEVBTEVBVE9SSU8=630434D1
}

func ExampleCRC() {
	// The check value of CRC-16/CCITT-FALSE.
	fmt.Printf("%04X\n", qr.CRC([]byte("123456789")))
	// Output: 29B1
}

// The consumer-presented example of the EMVCo specification
// (testdata/cpm.json), read as card data, with the PAN masked.
func ExampleParseCPM() {
	c, err := qr.ParseCPM("hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==")
	if err != nil {
		log.Fatal(err)
	}
	for i := range c.Applications {
		d := c.Data(i)
		fmt.Printf("AID %X %q PAN %s ATC %X\n", d[0x4F], d[0x50], emv.MaskPAN(fmt.Sprintf("%X", d[0x5A])), d[tlv.Tag(0x9F36)])
	}
	// Output:
	// AID A0000000555555 "Product1" PAN 123456******3458 ATC 0001
	// AID A0000000666666 "Product2" PAN 123456******3458 ATC 0001
}

func ExampleWritePNG() {
	var buf bytes.Buffer
	if err := qr.WritePNG(&buf, emvcoExample, 584); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	s, _ := qr.NewSymbol(emvcoExample)
	fmt.Println("modules:", s.Size(), "image:", img.Bounds().Dx(), "x", img.Bounds().Dy())
	// Output: modules: 65 image: 584 x 584
}

func ExampleMPM_Fprint() {
	m, err := qr.ParseMPM(emvcoExample)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Fprint(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 00 Payload Format Indicator [2] "01"
	// 01 Point of Initiation Method [2] "12"
	// 29 Merchant Account Information Template [30]
	//   00 Globally Unique Identifier [12] "D15600000000"
	//   05 [10] "A93FO3230Q"
	// 31 Merchant Account Information Template [28]
	//   00 Globally Unique Identifier [12] "D15600000001"
	//   03 [8] "12345678"
	// 52 Merchant Category Code [4] "4111"
	// 58 Country Code [2] "CN"
	// 59 Merchant Name [14] "BEST TRANSPORT"
	// 60 Merchant City [7] "BEIJING"
	// 64 Merchant Information Language Template [20]
	//   00 Language Preference [2] "ZH"
	//   01 Merchant Name—Alternate Language [4] "最佳运输"
	//   02 Merchant City—Alternate Language [2] "北京"
	// 54 Transaction Amount [5] "23.72"
	// 53 Transaction Currency [3] "156"
	// 55 Tip or Convenience Indicator [2] "01"
	// 62 Additional Data Field Template [33]
	//   03 Store Label [4] "1234"
	//   06 Customer Label [3] "***"
	//   07 Terminal Label [8] "A6008667"
	//   09 Additional Consumer Data Request [2] "ME"
	// 91 Unreserved Template [32]
	//   00 Globally Unique Identifier [16] "A011223344998877"
	//   07 [8] "12345678"
	// 63 CRC [4] A13A
}

func ExampleDetectMode() {
	fmt.Println(qr.DetectMode(emvcoExample))
	fmt.Println(qr.DetectMode("hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MQ=="))
	fmt.Println(qr.DetectMode("https://example.com/"))
	// Output:
	// merchant-presented
	// consumer-presented
	// unknown
}
