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
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// iso8583Online is an emv.Online that sends the authorisation as an ISO
// 8583 0200 financial request with the chip data in field 55, and reads
// the issuer's answer from the 0210.
type iso8583Online struct {
	spec *iso8583.Spec
	// roundTrip sends a packed message to the acquirer and returns the
	// packed response: a TCP connection with framing, in a terminal.
	roundTrip func([]byte) ([]byte, error)
	stan      int
}

func (o *iso8583Online) Authorise(ctx context.Context, req *emv.OnlineRequest) (*emv.OnlineResponse, error) {
	t57, _ := req.Value(0x57)
	track2 := strings.TrimRight(strings.ReplaceAll(strings.ToUpper(hex.EncodeToString(t57)), "D", "="), "F")
	psn, _ := req.Value(0x5F34)
	o.stan++
	t := iso8583.Transaction{
		ProcessingCode: "000000",
		Amount:         int64(req.Transaction.Amount),
		Transmitted:    "1126103000",
		STAN:           fmt.Sprintf("%06d", o.stan),
		EntryMode:      string(req.EntryMode) + "1",
		CardSequence:   "0" + hex.EncodeToString(psn),
		Track2:         track2,
		TerminalID:     "T0000001",
		MerchantID:     "MERCHANT0000001",
		Currency:       "840",
		ICC:            req.Field55,
	}
	if req.OnlinePIN != nil {
		t.PINBlock, t.SecurityControl = req.OnlinePIN.Block, req.OnlinePIN.KSN
	}
	m, err := (&iso8583.FinancialRequest{Transaction: t}).Message()
	if err != nil {
		return nil, err
	}
	b, err := o.spec.Pack(m)
	if err != nil {
		return nil, err
	}
	rb, err := o.roundTrip(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", emv.ErrUnableToGoOnline, err)
	}
	rm, err := o.spec.Unpack(rb)
	if err != nil {
		return nil, err
	}
	r, err := iso8583.ReadResponse(rm)
	if err != nil {
		return nil, err
	}
	ir, err := iso8583.ReadIssuerResponse(r.ICC)
	if err != nil {
		return nil, err
	}
	resp := &emv.OnlineResponse{Approved: r.Code.Approved(), IssuerAuthData: ir.AuthenticationData}
	copy(resp.ResponseCode[:], r.Code)
	for _, s := range append(ir.Scripts71, ir.Scripts72...) {
		resp.Scripts = append(resp.Scripts, s...)
	}
	return resp, nil
}

// acquirer is the other end for the example: it unpacks the 0200,
// verifies the ARQC of field 55 and approves with an ARPC in the 0210.
func acquirer(spec *iso8583.Spec, cvn issuer.CVN) func([]byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) {
		m, err := spec.Unpack(b)
		if err != nil {
			return nil, err
		}
		req, err := iso8583.ReadFinancialRequest(m)
		if err != nil {
			return nil, err
		}
		data, err := issuer.ParseField55(req.ICC)
		if err != nil {
			return nil, err
		}
		pan, _, _ := strings.Cut(req.Track2, "=")
		psn := req.CardSequence[1:]
		code, arc := iso8583.Approved, []byte("00")
		if issuer.VerifyCryptogram(cvn, cardsim.TestIMK, pan, psn, data, data[0x9F26]) != nil {
			code, arc = "05", []byte("05")
		}
		arpc, err := issuer.ARPC(cvn, cardsim.TestIMK, pan, psn, data, data[0x9F26], arc)
		if err != nil {
			return nil, err
		}
		iad, err := issuer.IssuerAuthenticationData(cvn, arpc, arc, nil)
		if err != nil {
			return nil, err
		}
		resp, err := iso8583.Respond(m, code)
		if err != nil {
			return nil, err
		}
		resp.RRN, resp.AuthCode = "000000000001", "A1B2C3"
		if resp.ICC, err = tlv.AppendTLV(nil, 0x91, iad); err != nil {
			return nil, err
		}
		rm, err := resp.Message()
		if err != nil {
			return nil, err
		}
		return spec.Pack(rm)
	}
}

// The Online interface carried over ISO 8583: the kernel's field 55 goes
// into an 0200, the issuer authentication data comes back in the 0210's
// field 55 and the card checks it.
func ExampleOnline() {
	profile, err := cardsim.MastercardCVN16(cardsim.DDA, cardsim.Options{Seed: 1})
	if err != nil {
		panic(err)
	}
	app := profile.Applications[0]
	card, err := cardsim.New(profile, cardsim.Config{Rand: rand.NewChaCha8([32]byte{})})
	if err != nil {
		panic(err)
	}
	capks, err := oda.NewStore(app.Keys.CAPK)
	if err != nil {
		panic(err)
	}
	spec := iso8583.SpecASCII
	cfg := &emv.Config{
		Terminal: emv.Terminal{
			Capabilities: emv.TerminalCapabilities{0xE0, 0xF8, 0xE8},
			Type:         0x22,
			CountryCode:  [2]byte{0x08, 0x40},
		},
		Applications: []emv.Application{{
			AID:        []byte{0xA0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10},
			TACOnline:  emv.TVR{0xFC, 0x50, 0xBC, 0xF8, 0x00},
			TACDefault: emv.TVR{0xFC, 0x50, 0xBC, 0xA0, 0x00},
			FloorLimit: 5000,
		}},
		CAPKs:  capks,
		PINPad: offlinePINPad{},
		Online: &iso8583Online{spec: spec, roundTrip: acquirer(spec, issuer.MastercardCVN16)},
		Rand:   rand.NewChaCha8([32]byte{1}),
		Time:   func() time.Time { return time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC) },
	}
	res, err := emv.Process(context.Background(), card, cfg, emv.Transaction{
		Type: emv.Purchase, Amount: 25000, Currency: [2]byte{0x08, 0x40}, CurrencyExponent: 2,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Outcome, string(res.ResponseCode[:]))
	fmt.Println("issuer authentication failed:", res.TVR.Has(emv.TVRIssuerAuthenticationFailed))
	fmt.Println("card:", card.State().IssuerAuth, card.State().LastCID)
	// Output:
	// approved online 00
	// issuer authentication failed: false
	// card: passed TC
}
