package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/pinblock"
)

// Test keys, the same public values as the demo's (package
// examples/terminal/scenario, not imported so that the generator depends
// on the host and the transport only). Never use them outside tests.
var (
	// BDK is the TDES DUKPT base derivation key of ANSI X9.24-1:2009 A.4,
	// and IKSN the initial key serial number the PIN pads' IKSNs derive from.
	BDK  = []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}
	IKSN = dukpt.KSN{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x00}
	// PVK is the issuer's PIN verification key of the Visa PVVs.
	PVK = []byte{0x5C, 0xA6, 0x4B, 0x3E, 0x3C, 0xB4, 0x52, 0x9D, 0x91, 0x1F, 0x38, 0x6E, 0x7A, 0x0B, 0xC1, 0x75}
	// MACKey is every terminal's ANSI X9.19 MAC key.
	MACKey = []byte{0x3F, 0x61, 0x9D, 0x2A, 0x75, 0xE0, 0x4C, 0xB8, 0x1D, 0x92, 0x6B, 0xC7, 0x08, 0xF4, 0x5E, 0xA3}
)

// The merchant of every load terminal, and the amount limit of the host
// (a larger amount is declined with 61).
const (
	merchantID = "MERCHANT0000001"
	maxAmount  = 100000
)

// A request is one prepared message: signed, with its PIN block and chip
// data, and the answer the full host is expected to give.
//
// The request is kept as the bytes the terminal sends, and unpacked just
// before it is sent (message): tens of thousands of unpacked messages
// were most of the process's heap, which every mark phase of the garbage
// collector, shared with the hosts under test, had to walk.
type request struct {
	raw  []byte
	kind string // "purchase", "chip", "decline" or "reversal"
	want string // expected field 39 from the full host
	// auth is the issuer authentication data (tag 91, ARPC) expected in
	// field 55 of the answer to a chip request; nil for others.
	auth []byte
}

// Traffic is the prepared work: the host's configuration and, for each
// terminal, the messages it sends in order, one at a time.
type Traffic struct {
	Config    *acquirer.Config
	Terminals []string
	Scripts   [][]request
}

// luhn appends the check digit to the digits of s.
func luhn(s string) string {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return s + string(rune('0'+(10-sum%10)%10))
}

// DefaultCards is the number of PIN cards Prepare issues unless told
// otherwise.
const DefaultCards = 100

// Prepare issues cards, configures terminals and precomputes every request
// (DUKPT PIN blocks, ARQCs and MACs included) and the ARPC of every chip
// answer, so that the run spends no CPU on them: terminals terminals,
// perTerminal requests each, with a mix of
//
//   - approved purchases with an online PIN, the card keyed in (about 40%);
//   - approved EMV chip purchases (about 35%), field 55 carrying a real
//     ARQC of the terminal's own chip card (Visa CVN 10, 18, 22 and
//     Mastercard CVN 16, 17, 20, 21, one per terminal in turn) over a
//     strictly increasing ATC, half of them with an online PIN;
//   - declines (about 10%): 51 for an empty account, 61 over the amount
//     limit, keyed in or chip (whose answer carries an ARPC too);
//   - reversals of the terminal's previous approved purchase (about 15%).
//
// The keyed-in purchases use cards PIN cards, each with an account of its
// own, drawn at random; a real issuer's population is far larger than the
// default, DefaultCards, and its rows are then spread over more of the
// database's pages.
func Prepare(terminals, perTerminal, cards int, seed uint64) (*Traffic, error) {
	if terminals < 1 || terminals > 9999 {
		return nil, fmt.Errorf("loadgen: %d terminals, want 1 to 9999", terminals)
	}
	if cards < 1 || cards > 10_000_000 {
		return nil, fmt.Errorf("loadgen: %d cards, want 1 to 10000000", cards)
	}
	if perTerminal < 1 || perTerminal > 999999 {
		return nil, fmt.Errorf("loadgen: %d requests per terminal, want 1 to 999999", perTerminal)
	}
	cfg := &acquirer.Config{
		FeeRate: 150,
		Limits:  acquirer.Limits{MaxAmount: maxAmount, PINTryLimit: 3},
		Keys: acquirer.Keys{BDK: BDK, PVK: PVK, IMK: map[string]acquirer.IssuerKeys{
			"cardsim": {AC: cardsim.TestIMK, SMI: cardsim.TestIMKSMI, SMC: cardsim.TestIMKSMC},
		}},
		Merchants: []acquirer.Merchant{{ID: merchantID, Name: "LOAD SHOP"}},
	}
	nCards := cards
	pans := make([]string, nCards+1)
	for i := range pans {
		pan := luhn(fmt.Sprintf("476173%09d", i))
		pvv, err := pinblock.VisaPVV(PVK, pan, 1, cardsim.TestPIN)
		if err != nil {
			return nil, err
		}
		acct := fmt.Sprintf("LOAD%04d", i)
		bal := int64(1) << 40
		if i == nCards {
			bal = 0 // the empty account: its purchases are declined with 51
		}
		pans[i] = pan
		cfg.Accounts = append(cfg.Accounts, acquirer.Account{ID: acct, Balance: bal, Currency: "978"})
		cfg.Cards = append(cfg.Cards, acquirer.Card{PAN: pan, Expiry: "3012", Account: acct, PVKI: 1, PVV: pvv})
	}
	// Each terminal's chip card; its account is one of the others'.
	chips := make([]*chipCard, terminals)
	for t := range chips {
		chips[t] = newChipCard(t)
		cfg.Cards = append(cfg.Cards, acquirer.Card{PAN: chips[t].pan, PSN: fmt.Sprintf("%02X", chips[t].psn),
			Expiry: "3012", Account: fmt.Sprintf("LOAD%04d", t%nCards), IMK: chipIMK, PVKI: 1})
		pvv, err := pinblock.VisaPVV(PVK, chips[t].pan, 1, cardsim.TestPIN)
		if err != nil {
			return nil, err
		}
		cfg.Cards[len(cfg.Cards)-1].PVV = pvv
	}
	mac, err := iso8583.RetailMAC(MACKey)
	if err != nil {
		return nil, err
	}
	tr := &Traffic{Config: cfg}
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for t := range terminals {
		id := fmt.Sprintf("LT%06d", t)
		cfg.Terminals = append(cfg.Terminals, acquirer.Terminal{ID: id, Merchant: merchantID, MACKey: MACKey})
		tr.Terminals = append(tr.Terminals, id)
		// Each terminal's PIN pad has its own device ID in the KSN.
		iksn := IKSN
		iksn[5], iksn[6] = byte(t>>8), byte(t)
		ik, err := dukpt.TDESInitialKey(BDK, iksn[:])
		if err != nil {
			return nil, err
		}
		pad, err := dukpt.NewTDESDevice(ik, iksn)
		clear(ik)
		if err != nil {
			return nil, err
		}
		r := rand.New(rand.NewPCG(seed, uint64(t)))
		script := make([]request, 0, perTerminal)
		var last *iso8583.Message // the last approved purchase not yet reversed
		for i := range perTerminal {
			stan := fmt.Sprintf("%06d", i+1)
			tt := iso8583.TransmissionTime(start.Add(time.Duration(i) * time.Second))
			p := r.IntN(100)
			if p < 15 && last != nil {
				rev, err := iso8583.NewReversal(last, false)
				if err != nil {
					return nil, err
				}
				// The host finds the original by the terminal and the STAN,
				// which the reversal keeps; its own transmission time makes
				// it a request of its own.
				rev.Transmitted = tt
				rev.SecurityControl = nil // no PIN block, so no KSN
				m, err := rev.Message()
				if err != nil {
					return nil, err
				}
				raw, err := iso8583.Sign(iso8583.SpecASCII, m, mac)
				if err != nil {
					return nil, err
				}
				script = append(script, request{raw: raw, kind: "reversal", want: "00"})
				last = nil
				continue
			}
			card, amount, kind, want := r.IntN(nCards), int64(100+r.IntN(9900)), "purchase", "00"
			chip := p >= 23 && p < 60
			pinned := !chip || r.IntN(2) == 0
			switch {
			case p >= 15 && p < 20:
				card, kind, want = nCards, "decline", "51"
			case p >= 20 && p < 25:
				amount, kind, want = maxAmount+1, "decline", "61"
			case chip:
				kind = "chip"
			}
			pan := pans[card]
			if chip {
				pan = chips[t].pan
			}
			tx := iso8583.Transaction{
				PAN: pan, ProcessingCode: "000000", Amount: amount, Transmitted: tt, STAN: stan,
				Expiry: "3012", EntryMode: "021", TerminalID: id, MerchantID: merchantID, Currency: "978",
			}
			if pinned {
				pin, err := pad.Next()
				if err != nil {
					return nil, err
				}
				block, err := pin.EncryptPIN(pinblock.ISO0, cardsim.TestPIN, pan)
				ksn := pin.KSN()
				pin.Clear()
				if err != nil {
					return nil, err
				}
				tx.PINBlock, tx.SecurityControl = block, ksn[:]
			}
			var auth []byte
			if chip {
				cd, err := chips[t].next(r, id, i+1, amount, pinned, want)
				if err != nil {
					return nil, err
				}
				tx.EntryMode, tx.CardSequence, tx.ICC, auth = "051", "001", cd.field55, cd.auth
			}
			m, err := (&iso8583.FinancialRequest{Transaction: tx}).Message()
			if err != nil {
				return nil, err
			}
			raw, err := iso8583.Sign(iso8583.SpecASCII, m, mac)
			if err != nil {
				return nil, err
			}
			script = append(script, request{raw: raw, kind: kind, want: want, auth: auth})
			if want == "00" {
				if last, err = iso8583.SpecASCII.Unpack(raw); err != nil {
					return nil, err
				}
			}
		}
		tr.Scripts = append(tr.Scripts, script)
	}
	return tr, nil
}

// message returns the request as a message to send.
func (r request) message() (*iso8583.Message, error) { return iso8583.SpecASCII.Unpack(r.raw) }
