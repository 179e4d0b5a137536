package cardsim_test

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// A terminal selects the Visa CVN 10 application of a simulated card, gets
// processing options, asks for an ARQC and has the issuer verify it.
func Example() {
	profile, err := cardsim.VisaCVN10(cardsim.SDA, cardsim.Options{Seed: 1})
	if err != nil {
		panic(err)
	}
	card, err := cardsim.New(profile, cardsim.Config{Rand: rand.NewChaCha8([32]byte{})})
	if err != nil {
		panic(err)
	}
	t := emv.Transport{Card: card}
	app := profile.Applications[0]

	r, _ := t.Exchange(emv.Select(app.AID, false))
	label, _ := tlv.FindPath(r.Data, 0x6F, 0xA5, 0x50)
	fmt.Printf("SELECT %s: %s\n", r.SW.String(), label.Value)

	r, _ = t.Exchange(emv.GetProcessingOptions(nil))
	fmt.Printf("GET PROCESSING OPTIONS %s: AIP %X\n", r.SW.String(), r.Data[2:4])

	// CDOL1 data: amount 15.00 USD in the United States on 15 January
	// 2026, purchase, unpredictable number A1B2C3D4.
	terminal := map[tlv.Tag][]byte{
		0x9F02: {0, 0, 0, 0, 0x15, 0x00}, 0x9F03: make([]byte, 6),
		0x9F1A: {0x08, 0x40}, 0x95: make([]byte, 5), 0x5F2A: {0x08, 0x40},
		0x9A: {0x26, 0x01, 0x15}, 0x9C: {0x00}, 0x9F37: {0xA1, 0xB2, 0xC3, 0xD4},
	}
	cdol1, _ := emv.AppendDOLData(nil, app.CDOL1, func(t tlv.Tag) ([]byte, bool) {
		v, ok := terminal[t]
		return v, ok
	})
	r, _ = t.Exchange(emv.GenerateAC(emv.RequestARQC, cdol1))
	v, _ := tlv.DecodeOne(r.Data) // format 1: CID, ATC, AC, IAD
	cid, atc, ac, iad := emv.CID(v.Value[0]), v.Value[1:3], v.Value[3:11], v.Value[11:]
	fmt.Printf("GENERATE AC %s: %v, ATC %X, IAD %X\n", r.SW.String(), cid, atc, iad)

	terminal[0x82], terminal[0x9F36], terminal[0x9F10] = []byte{0x5C, 0x00}, atc, iad
	err = issuer.VerifyCryptogram(app.CVN, cardsim.TestIMK, app.PAN, app.PSN, terminal, ac)
	fmt.Println("issuer verifies the ARQC:", err == nil)
	// Output:
	// SELECT 9000: VISA CREDIT
	// GET PROCESSING OPTIONS 9000: AIP 5C00
	// GENERATE AC 9000: ARQC, ATC 0011, IAD 06010A03A00000
	// issuer verifies the ARQC: true
}

// A fault rule makes the first GET PROCESSING OPTIONS fail with 6985, as a
// card does whose application refuses the transaction; the terminal
// selects again and the card answers.
func ExampleFault() {
	profile, _ := cardsim.MastercardCVN16(cardsim.NoODA, cardsim.Options{})
	card, _ := cardsim.New(profile, cardsim.Config{Faults: []cardsim.Fault{
		{Kind: cardsim.FaultStatus, INS: 0xA8, Nth: 1, SW: emv.SWConditionsNotSatisfied},
	}})
	t := emv.Transport{Card: card}
	aid := profile.Applications[0].AID
	for range 2 {
		t.Exchange(emv.Select(aid, false))
		r, _ := t.Exchange(emv.GetProcessingOptions(nil))
		fmt.Println("GET PROCESSING OPTIONS:", r.SW.String())
	}
	// Output:
	// GET PROCESSING OPTIONS: 6985
	// GET PROCESSING OPTIONS: 9000
}

// Offline plaintext PIN: a wrong PIN, the try counter, then the right PIN.
func ExampleCard_State() {
	profile, _ := cardsim.VisaCVN10(cardsim.NoODA, cardsim.Options{})
	card, _ := cardsim.New(profile, cardsim.Config{T0: true})
	t := emv.Transport{Card: card, T0: true}
	t.Exchange(emv.Select(profile.Applications[0].AID, false))
	t.Exchange(emv.GetProcessingOptions(nil))
	for _, block := range []string{"249999FFFFFFFFFF", "241234FFFFFFFFFF"} {
		b, _ := hex.DecodeString(block)
		r, _ := t.Exchange(emv.Verify(emv.PlaintextPIN, b))
		fmt.Printf("VERIFY %s, %d tries left\n", r.SW.String(), card.State().PINTriesLeft)
	}
	// Output:
	// VERIFY 63C2, 2 tries left
	// VERIFY 9000, 3 tries left
}

// A reader taps a simulated contactless Visa card (Kernel 3, qVSDC): PPSE,
// SELECT, GET PROCESSING OPTIONS with the PDOL data. The reader's TTQ asks
// for an online cryptogram, so the card answers with an ARQC in the GET
// PROCESSING OPTIONS response, which the issuer verifies under TestIMK.
func ExampleNewQVSDC() {
	card, _, err := cardsim.NewQVSDC(cardsim.QVSDCProfile{
		PAN:    []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x09, 0x03},
		Expiry: [3]byte{0x30, 0x12, 0x31},
		ATC:    0x0010,
	})
	if err != nil {
		panic(err)
	}
	t := emv.Transport{Card: card}

	r, _ := t.Exchange(emv.Select(cardsim.PPSEName, false))
	aid, _ := tlv.FindPath(r.Data, 0x6F, 0xA5, 0xBF0C, 0x61, 0x4F)
	r, _ = t.Exchange(emv.Select(aid.Value, false))
	pdol, _ := tlv.FindPath(r.Data, 0x6F, 0xA5, 0x9F38)
	fmt.Printf("SELECT %X %s\n", aid.Value, r.SW.String())

	// TTQ 26 80 00 00: online capable, online cryptogram required. USD
	// 22.00 in the United States on 26 November 2026.
	terminal := map[tlv.Tag][]byte{
		0x9F66: {0x26, 0x80, 0x00, 0x00}, 0x9F02: {0, 0, 0, 0, 0x22, 0x00}, 0x9F03: make([]byte, 6),
		0x9F1A: {0x08, 0x40}, 0x95: make([]byte, 5), 0x5F2A: {0x08, 0x40},
		0x9A: {0x26, 0x11, 0x26}, 0x9C: {0x00}, 0x9F37: {0xF4, 0x0A, 0x97, 0x28},
	}
	data, _ := emv.AppendDOLData(nil, pdol.Value, func(t tlv.Tag) ([]byte, bool) {
		v, ok := terminal[t]
		return v, ok
	})
	r, _ = t.Exchange(emv.GetProcessingOptions(data))
	c := tlv.NewCursor(r.Data)
	c.Next() // template 77
	in := c.Children()
	for in.Next() {
		terminal[in.Tag()] = in.Value()
	}
	terminal[issuer.TagAID] = aid.Value
	fmt.Printf("GET PROCESSING OPTIONS %s: ATC %X, IAD %X\n", r.SW.String(), terminal[0x9F36], terminal[0x9F10])

	cvn, err := issuer.Verify(cardsim.TestIMK, "4761739001010903", cardsim.QVSDCPSN, terminal)
	fmt.Printf("issuer verifies the ARQC: %v, %v\n", err == nil, cvn)
	// Output:
	// SELECT A0000000031010 9000
	// GET PROCESSING OPTIONS 9000: ATC 0011, IAD 06011203200000
	// issuer verifies the ARQC: true, Visa CVN 18
}
