package scenario

import (
	"fmt"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/pinblock"
)

// Test keys shared by the demo's terminal and host. They are public test
// values: never use them outside tests and demonstrations.
var (
	// BDK is the TDES DUKPT base derivation key of ANSI X9.24-1:2009 A.4,
	// and IKSN the initial key serial number of the PIN pad.
	BDK  = []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10}
	IKSN = dukpt.KSN{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x00}
	// PVK is the issuer's PIN verification key of the Visa PVVs.
	PVK = []byte{0x5C, 0xA6, 0x4B, 0x3E, 0x3C, 0xB4, 0x52, 0x9D, 0x91, 0x1F, 0x38, 0x6E, 0x7A, 0x0B, 0xC1, 0x75}
	// MACKey is the terminal's ANSI X9.19 MAC key.
	MACKey = []byte{0x3F, 0x61, 0x9D, 0x2A, 0x75, 0xE0, 0x4C, 0xB8, 0x1D, 0x92, 0x6B, 0xC7, 0x08, 0xF4, 0x5E, 0xA3}
)

// The merchant and terminal of the demo.
const (
	MerchantID   = "MERCHANT0000001"
	MerchantName = "CORNER SHOP"
	TerminalID   = "TERM0001"
	// Terminals is how many terminals of the merchant the host knows:
	// TerminalID and those Till names after it, for tests with several
	// terminals.
	Terminals = 4
	// FeeRate is the merchant discount rate in basis points.
	FeeRate = 150
)

// Till returns the terminal ID of the merchant's terminal n, from 1
// (TerminalID) to Terminals.
func Till(n int) string { return fmt.Sprintf("TERM%04d", n) }

// TillIKSN returns the initial key serial number of the PIN pad of
// terminal n: IKSN for the first, and for the others IKSN with another
// device ID (byte 6), so that the host tells their DUKPT counters apart.
func TillIKSN(n int) dukpt.KSN {
	k := IKSN
	k[6] += byte(n - 1)
	return k
}

// pvki is the PIN verification key index of the PVVs.
const pvki = 1

// HostConfig returns the acquirer host's configuration for the catalogue:
// the keys above, the merchant and terminal, and an account and a card
// record for every card, with its status, PIN (as its Visa PVV), PIN tries
// and balance.
func (c *Catalogue) HostConfig() (*acquirer.Config, error) {
	cfg := &acquirer.Config{
		FeeRate: FeeRate,
		Keys: acquirer.Keys{
			BDK: BDK,
			PVK: PVK,
			IMK: map[string]acquirer.IssuerKeys{
				"cardsim": {AC: cardsim.TestIMK, SMI: cardsim.TestIMKSMI, SMC: cardsim.TestIMKSMC},
			},
		},
		Merchants: []acquirer.Merchant{{ID: MerchantID, Name: MerchantName, FeeRate: FeeRate}},
	}
	for n := 1; n <= Terminals; n++ {
		cfg.Terminals = append(cfg.Terminals, acquirer.Terminal{ID: Till(n), Merchant: MerchantID, MACKey: MACKey})
	}
	for _, card := range c.Cards() {
		is := card.Issued
		pvv, err := pinblock.VisaPVV(PVK, is.PAN, pvki, is.PIN)
		if err != nil {
			return nil, fmt.Errorf("scenario: PVV: %w", err)
		}
		k := acquirer.Card{
			PAN: is.PAN, PSN: is.PSN, Expiry: is.Expiry, Account: is.Account, Status: is.Status,
			PVKI: pvki, PVV: pvv, PINTries: is.PINTries, Script: is.Script,
		}
		if is.Chip {
			k.IMK = "cardsim"
		}
		cfg.Accounts = append(cfg.Accounts, acquirer.Account{ID: is.Account, Balance: is.Balance, Currency: "840"})
		cfg.Cards = append(cfg.Cards, k)
	}
	return cfg, nil
}
