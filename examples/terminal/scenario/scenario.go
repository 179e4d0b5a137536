package scenario

import (
	"fmt"
	"math/rand/v2"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/examples/terminal/pos"
)

// Fault says what goes wrong outside the card in a scenario.
type Fault uint8

const (
	NoFault Fault = iota
	// HostSilent: the host's answer to the authorisation is lost, so the
	// terminal times out and reverses.
	HostSilent
	// RequestLost: the authorisation never reaches the host, so the
	// terminal times out and reverses a purchase the host never saw.
	RequestLost
)

// A Scenario is one payment of the catalogue.
type Scenario struct {
	Name        string
	Description string
	Amount      uint64 // minor units of US dollars
	// PINs are what the cardholder types, in order; an empty list means
	// the cardholder is never asked.
	PINs []string
	// Card is the cardholder's card, Issued the issuer's record of it.
	Card   *Card
	Fault  Fault
	Expect Expect
}

// Amount64 returns the amount as the host's balances count it.
func (s *Scenario) Amount64() int64 { return int64(s.Amount) }

// Expect is the outcome a scenario must reach.
type Expect struct {
	Approved bool
	Code     string // response code on the receipt
	Reversed bool
	Advice   bool
	// Debited is the amount the account loses by the end of the payment,
	// and DebitedAtSettlement what it loses when the terminal forwards
	// the offline approval's advice before settlement.
	Debited, DebitedAtSettlement int64
}

// A Card is a simulated card: its chip (nil for a stripe-only card), its
// stripe, and the issuer's record of it; or, for a contactless card, its
// contactless chip (Tap) and the name of its profile.
type Card struct {
	Chip    *cardsim.Card
	Tap     emv.Card
	TapName string
	Track2  string
	Issued  Issued
}

// Present returns the card as the terminal reads it: tapped when it is
// contactless.
func (c *Card) Present() pos.Card {
	pc := pos.Card{Track2: c.Track2}
	if c.Chip != nil {
		pc.Chip = c.Chip
	}
	if c.Tap != nil {
		pc.Contactless = c.Tap
	}
	return pc
}

// Issued is the issuer's record of a card, for the host's seed.
type Issued struct {
	PAN, PSN string
	Expiry   string // YYMM
	Status   string // "active", "blocked", "lost", "stolen"
	// Chip: the host holds the card under cardsim.TestIMK. The contact
	// cards' cryptograms are under it, and so are the contactless cards'
	// (cardsim.QVSDCCard and MChipCard: Visa CVN 18 and Mastercard CVN 16, see
	// contactless.go).
	Chip     bool
	PIN      string // the PIN the issuer holds (as its PVV)
	PINTries int    // wrong PINs already counted
	Script   string // issuer script the host sends with the next approval: "unblock"
	Balance  int64  // opening balance of the card's account
	Account  string
}

// Catalogue holds the scenarios and what the terminal and host need to
// run them.
type Catalogue struct {
	Scenarios []*Scenario
	// CAPKs are the certification authority keys of the cards.
	CAPKs *oda.Store
}

// Cards returns every card of the catalogue once.
func (c *Catalogue) Cards() []*Card {
	var out []*Card
	seen := map[*Card]bool{}
	for _, s := range c.Scenarios {
		if !seen[s.Card] {
			seen[s.Card] = true
			out = append(out, s.Card)
		}
	}
	return out
}

// Lookup returns the scenario named name, or nil.
func (c *Catalogue) Lookup(name string) *Scenario {
	for _, s := range c.Scenarios {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// New personalises the cards of the catalogue from seed.
func New(seed uint64) (*Catalogue, error) {
	b := &builder{seed: seed}
	visa, err := cardsim.VisaCVN10(cardsim.SDA, cardsim.Options{Seed: seed})
	if err != nil {
		return nil, err
	}
	mc, err := cardsim.MastercardCVN16(cardsim.CDA, cardsim.Options{Seed: seed + 1})
	if err != nil {
		return nil, err
	}
	b.visaKeys, b.mcKeys = visa.Applications[0].Keys, mc.Applications[0].Keys

	vo := cardsim.Options{Keys: b.visaKeys}
	mo := cardsim.Options{Keys: b.mcKeys}
	alice := b.card(cardsim.VisaCVN10(cardsim.SDA, vo))("4761739001010119", "active", 100000, nil)
	bob := b.card(cardsim.VisaCVN18(cardsim.DDA, vo))("4761739001010127", "active", 50000, nil)
	carol := b.card(cardsim.PINTriesExhausted(vo))("4761739001010200", "active", 50000, func(i *Issued) { i.PINTries = 2 })
	dave := b.card(cardsim.MastercardCVN16(cardsim.CDA, mo))("5413330089020011", "active", 1000, nil)
	erin := b.card(cardsim.BlockedCard(vo))("4761739001010309", "blocked", 50000, nil)
	frank := b.card(cardsim.ExpiredCard(vo))("4761739001010408", "active", 50000, nil)
	grace := b.card(cardsim.VisaCVN10(cardsim.SDA, vo))("4761739001010507", "lost", 50000, nil)
	heidi := b.card(cardsim.VisaCVN10(cardsim.SDA, vo))("4761739001010606", "active", 50000, nil, cardsim.Fault{Kind: cardsim.FaultMute, INS: 0xA4})
	ivan := b.stripe("6011000990139424", "101", 50000)
	judy := b.card(cardsim.MastercardCVN20(cardsim.CDA, mo))("5413330089020102", "active", 50000, nil)
	mallory := b.card(cardsim.VisaCVN18(cardsim.DDA, vo))("4761739001010705", "active", 50000, nil, cardsim.Fault{Kind: cardsim.FaultCID, INS: 0xAE, Nth: 2, CID: emv.AAC})
	oscar := b.card(cardsim.VisaCVN10(cardsim.DDA, vo))("4761739001010804", "active", 50000, func(i *Issued) { i.Script = "unblock" })
	peggy := b.qvsdc("4761739001010903", 50000)
	trent := b.mchip("5413330089020219", 50000)
	victor := b.qvsdcIssuerUpdate("4761739001011000", 50000)
	if b.err != nil {
		return nil, b.err
	}
	capks, err := oda.NewStore(append([]*oda.CAPK{b.visaKeys.CAPK, b.mcKeys.CAPK}, b.tapCAPKs...)...)
	if err != nil {
		return nil, err
	}

	pin := cardsim.TestPIN
	return &Catalogue{CAPKs: capks, Scenarios: []*Scenario{
		{Name: "approved", Description: "approved chip and PIN", Amount: 2500, PINs: []string{pin}, Card: alice,
			Expect: Expect{Approved: true, Code: "00", Debited: 2500}},
		{Name: "wrong-pin", Description: "wrong PIN, then the right one", Amount: 4200, PINs: []string{"9999", pin}, Card: bob,
			Expect: Expect{Approved: true, Code: "00", Debited: 4200}},
		{Name: "pin-tries-exhausted", Description: "PIN tries exhausted", Amount: 1800, PINs: []string{"0000"}, Card: carol,
			Expect: Expect{Code: "75"}},
		{Name: "insufficient-funds", Description: "insufficient funds", Amount: 7500, Card: dave,
			Expect: Expect{Code: "51"}},
		{Name: "blocked-card", Description: "blocked card", Amount: 1500, Card: erin,
			Expect: Expect{}},
		{Name: "expired-card", Description: "expired card", Amount: 3000, PINs: []string{pin}, Card: frank,
			Expect: Expect{Code: "54"}},
		{Name: "lost-card", Description: "lost card", Amount: 6000, PINs: []string{pin}, Card: grace,
			Expect: Expect{Code: "41"}},
		{Name: "fallback", Description: "chip failure, magnetic-stripe fallback", Amount: 3500, PINs: []string{pin}, Card: heidi,
			Expect: Expect{Approved: true, Code: "00", Debited: 3500}},
		{Name: "stripe-only", Description: "magnetic-stripe-only card", Amount: 1250, PINs: []string{pin}, Card: ivan,
			Expect: Expect{Approved: true, Code: "00", Debited: 1250}},
		{Name: "offline", Description: "offline approval under the floor limit", Amount: 850, Card: judy,
			Expect: Expect{Approved: true, Code: "Y1", Advice: true, DebitedAtSettlement: 850}},
		{Name: "issuer-script", Description: "approved with an issuer script (APPLICATION UNBLOCK)", Amount: 1600, PINs: []string{pin}, Card: oscar,
			Expect: Expect{Approved: true, Code: "00", Debited: 1600}},
		{Name: "host-timeout", Description: "host does not answer in time: reversal", Amount: 9900, PINs: []string{pin}, Card: alice, Fault: HostSilent,
			Expect: Expect{Code: "Z3", Reversed: true}},
		{Name: "card-declines", Description: "card declines after host approval: reversal", Amount: 2000, PINs: []string{pin}, Card: mallory,
			Expect: Expect{Code: "00", Reversed: true}},
		{Name: "tap-offline", Description: "contactless tap under the floor limit, offline", Amount: 650, Card: peggy,
			Expect: Expect{Approved: true, Code: "Y1", Advice: true, DebitedAtSettlement: 650}},
		// The host verifies the simulated contactless cards' ARQCs
		// (Visa CVN 18, Mastercard CVN 16) under cardsim.TestIMK and
		// approves (see contactless.go).
		{Name: "tap-online", Description: "contactless tap over the floor limit, online", Amount: 2200, Card: peggy,
			Expect: Expect{Approved: true, Code: "00", Debited: 2200}},
		{Name: "tap-pin", Description: "contactless tap over the CVM limit, online PIN", Amount: 6400, PINs: []string{pin}, Card: trent,
			Expect: Expect{Approved: true, Code: "00", Debited: 6400}},
		{Name: "tap-wrong-pin", Description: "contactless tap, wrong online PIN, tap again", Amount: 5600, PINs: []string{"9999", pin}, Card: trent,
			Expect: Expect{Approved: true, Code: "00", Debited: 5600}},
		{Name: "tap-issuer-script", Description: "contactless tap, issuer script on a second tap", Amount: 2400, Card: victor,
			Expect: Expect{Approved: true, Code: "00", Debited: 2400}},
	}}, nil
}

type builder struct {
	seed           uint64
	n              uint64
	visaKeys       *cardsim.Keys
	mcKeys         *cardsim.Keys
	tapCAPKs       []*oda.CAPK
	err            error
	accountCounter int
}

// card personalises a chip card from a ready-made profile with its own
// PAN, and the issuer's record of it.
func (b *builder) card(p *cardsim.Profile, err error) func(pan, status string, balance int64, f func(*Issued), faults ...cardsim.Fault) *Card {
	return func(pan, status string, balance int64, f func(*Issued), faults ...cardsim.Fault) *Card {
		if b.err != nil {
			return nil
		}
		if err != nil {
			b.err = err
			return nil
		}
		if !luhn(pan) {
			b.err = fmt.Errorf("scenario: PAN %s fails the Luhn check", emv.MaskPAN(pan))
			return nil
		}
		a := &p.Applications[0]
		a.PAN = pan
		b.n++
		c, err := cardsim.New(p, cardsim.Config{
			Rand:      rand.NewChaCha8(seed32(b.seed, b.n)),
			Faults:    faults,
			FaultSeed: b.seed,
		})
		if err != nil {
			b.err = err
			return nil
		}
		b.accountCounter++
		is := Issued{
			PAN: pan, PSN: a.PSN, Expiry: a.Expiry[:4], Status: status, Chip: true,
			PIN: cardsim.TestPIN, Balance: balance, Account: fmt.Sprintf("ACC%03d", b.accountCounter),
		}
		if f != nil {
			f(&is)
		}
		return &Card{Chip: c, Track2: pan + "=" + a.Expiry[:4] + a.ServiceCode + a.Discretionary, Issued: is}
	}
}

// stripe makes a card without a chip.
func (b *builder) stripe(pan, serviceCode string, balance int64) *Card {
	if b.err != nil {
		return nil
	}
	b.accountCounter++
	return &Card{
		Track2: pan + "=3012" + serviceCode + "0000000000",
		Issued: Issued{PAN: pan, Expiry: "3012", Status: "active", PIN: cardsim.TestPIN, Balance: balance,
			Account: fmt.Sprintf("ACC%03d", b.accountCounter)},
	}
}

func seed32(seed, n uint64) [32]byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
		s[8+i] = byte(n >> (8 * i))
	}
	return s
}

// luhn reports whether pan's check digit is right (ISO/IEC 7812-1 Annex
// B).
func luhn(pan string) bool {
	sum := 0
	for i := range len(pan) {
		d := int(pan[len(pan)-1-i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
