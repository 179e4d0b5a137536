package emv_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/pinblock"
)

// issuerHost approves every transaction whose ARQC verifies, with the
// ARPC of the card's cryptogram version.
type issuerHost struct{ cvn issuer.CVN }

func (h issuerHost) Authorise(_ context.Context, req *emv.OnlineRequest) (*emv.OnlineResponse, error) {
	data, err := issuer.ParseField55(req.Field55)
	if err != nil {
		return nil, err
	}
	pan, _ := req.Value(0x5A)
	psn, _ := req.Value(0x5F34)
	digits := strings.TrimRight(strings.ToUpper(hex.EncodeToString(pan)), "F")
	if err := issuer.VerifyCryptogram(h.cvn, cardsim.TestIMK, digits, hex.EncodeToString(psn), data, data[0x9F26]); err != nil {
		return &emv.OnlineResponse{ResponseCode: [2]byte{'0', '5'}}, nil
	}
	arc := []byte("00")
	arpc, err := issuer.ARPC(h.cvn, cardsim.TestIMK, digits, hex.EncodeToString(psn), data, data[0x9F26], arc)
	if err != nil {
		return nil, err
	}
	iad, err := issuer.IssuerAuthenticationData(h.cvn, arpc, arc, nil)
	return &emv.OnlineResponse{Approved: true, ResponseCode: [2]byte(arc), IssuerAuthData: iad}, err
}

type offlinePINPad struct{}

func (offlinePINPad) OfflinePIN(context.Context, emv.PINPrompt) ([]byte, error) {
	return pinblock.Encode(pinblock.ISO2, cardsim.TestPIN, "")
}

func (offlinePINPad) OnlinePIN(context.Context, emv.PINPrompt) (emv.OnlinePIN, error) {
	return emv.OnlinePIN{}, emv.ErrPINPadUnavailable
}

// A purchase of 100.00 USD with a simulated Visa CVN 10 card that supports
// CDA: the amount exceeds the floor limit, so the kernel goes online, the
// issuer verifies the ARQC and answers with an ARPC, and the card approves.
func ExampleProcess() {
	profile, err := cardsim.VisaCVN10(cardsim.CDA, cardsim.Options{Seed: 1})
	if err != nil {
		panic(err)
	}
	app := profile.Applications[0]
	card, err := cardsim.New(profile, cardsim.Config{Rand: rand.NewChaCha8([32]byte{})})
	if err != nil {
		panic(err)
	}
	capks, err := oda.NewStore(app.Keys.CAPK) // the simulated scheme's CA key
	if err != nil {
		panic(err)
	}
	cfg := &emv.Config{
		Terminal: emv.Terminal{
			Capabilities: emv.TerminalCapabilities{0xE0, 0xF8, 0xE8},
			Type:         0x22, // attended, offline with online capability
			CountryCode:  [2]byte{0x08, 0x40},
		},
		Applications: []emv.Application{{
			AID:              []byte{0xA0, 0x00, 0x00, 0x00, 0x03},
			PartialSelection: true,
			TACOnline:        emv.TVR{0xDC, 0x40, 0x04, 0xF8, 0x00},
			TACDefault:       emv.TVR{0xDC, 0x40, 0x00, 0xA8, 0x00},
			FloorLimit:       5000,
		}},
		CAPKs:  capks,
		PINPad: offlinePINPad{},
		Online: issuerHost{cvn: issuer.VisaCVN10},
		Rand:   rand.NewChaCha8([32]byte{1}),
		Time:   func() time.Time { return time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC) },
	}
	res, err := emv.Process(context.Background(), card, cfg, emv.Transaction{
		Type: emv.Purchase, Amount: 10000, Currency: [2]byte{0x08, 0x40}, CurrencyExponent: 2,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Outcome)
	fmt.Println("TVR", res.TVR)
	fmt.Println("CVM", res.CVMResults)
	fmt.Printf("%v, ARC %s\n", res.CID, res.ResponseCode[:])
	// Output:
	// approved online
	// TVR 0000008000: transaction exceeds floor limit
	// CVM enciphered PIN verified by ICC, condition 03, successful
	// TC, ARC 00
}
