package scenario

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/oda"
)

// The contactless cards are the simulated qVSDC (Kernel 3) and M/Chip
// (Kernel 2) cards of package emv/cardsim, personalised
// here with their own PANs and issued to the host like the contact cards:
// an account, a card record with its PIN (as a PVV) and the cardsim IMK.
//
// Both cards derive their ICC master key from cardsim.TestIMK (their
// profiles' default IMK), the key the host's seed holds them under, and
// make cryptograms the host verifies with emv/issuer.Verify:
//
//   - the qVSDC card: Visa CVN 18, issuer application data (9F10) 06 01
//     12 03 CVR 00 00 (VSDC format 1, DKI 01, CVN 12), master key option
//     B with its PSN 01 (5F34, field 23), the EMV common session key, the
//     common data list followed by all of 9F10;
//   - the M/Chip card: Mastercard CVN 16, the 18-byte M/Chip 4 9F10 (DKI
//     01, CVN 10, CVR), master key option A with PSN 00 (the card has no
//     5F34), the Mastercard SKD session key, the common data list
//     followed by the CVR; with CDA the cryptogram is inside the signed
//     dynamic data, which Kernel 2 verifies before it reports it.
//
// The online taps therefore go through the issuer's check like a contact
// card (entry mode 071, field 55 from the outcome's data record, the PIN
// block of an online PIN verified by the host before the cryptogram) and
// are approved 00. The ARPC the host returns in field 55 reaches a card
// only on a second tap, which only a qVSDC card whose CTQ supports issuer
// update processing asks for (qvsdcIssuerUpdate, scenario
// tap-issuer-script: the host's unblock script goes to the card with it).
// After an incorrect PIN (55) the cardholder taps again (scenario
// tap-wrong-pin): a new tap, a new cryptogram and ATC, a new STAN.

// qvsdc issues a simulated qVSDC card: no CVM asked by the card (CTQ
// 0000), its own offline limit at the reader's floor limit.
func (b *builder) qvsdc(pan string, balance int64) *Card {
	return b.qvsdcWith(pan, balance, 0xE7, [2]byte{}) // E7: beside the contact cards' test CA keys
}

// qvsdcIssuerUpdate issues a simulated qVSDC card that supports issuer
// update processing (CTQ byte 2 bit 7): with the reader's TTQ, which
// supports it too, its online taps ask for a second tap (Start B), on
// which Kernel 3 sends the card the issuer authentication data and
// scripts of the host's answer. The issuer holds an unblock script for
// it, which the host sends with the next approval.
func (b *builder) qvsdcIssuerUpdate(pan string, balance int64) *Card {
	c := b.qvsdcWith(pan, balance, 0xE9, [2]byte{0x00, 0x40})
	if c != nil {
		c.Issued.Script = "unblock"
	}
	return c
}

// qvsdcWith issues a qVSDC card whose own test CA key has index ca.
func (b *builder) qvsdcWith(pan string, balance int64, ca byte, ctq [2]byte) *Card {
	if b.err != nil {
		return nil
	}
	b.n++
	card, capk, err := cardsim.NewQVSDC(cardsim.QVSDCProfile{
		Rand:         rand.NewChaCha8(seed32(b.seed, 1<<40+b.n)),
		CAIndex:      ca,
		PAN:          bcdPAN(pan),
		Expiry:       [3]byte{0x30, 0x12, 0x31},
		CTQ:          ctq,
		OfflineLimit: 1000,
	})
	if err != nil {
		b.err = fmt.Errorf("scenario: qVSDC card: %w", err)
		return nil
	}
	c := b.issueTap(card, capk, "Visa qVSDC (Kernel 3)", pan, balance)
	if c != nil {
		// The issuer knows the card's PSN (5F34): the host derives the
		// ICC master key with it, also for an advice, whose field 55
		// the host does not read it from.
		c.Issued.PSN = cardsim.QVSDCPSN
	}
	return c
}

// mchip issues a simulated M/Chip card with CDA whose CVM list asks for
// an online PIN when the reader supports it (over the CVM required limit)
// and no CVM otherwise.
func (b *builder) mchip(pan string, balance int64) *Card {
	if b.err != nil {
		return nil
	}
	b.n++
	card, capk, err := cardsim.NewMChip(cardsim.MChipProfile{
		Rand:    rand.NewChaCha8(seed32(b.seed, 1<<40+b.n)),
		CAIndex: 0xE8,
		PAN:     bcdPAN(pan),
		Expiry:  [3]byte{0x30, 0x12, 0x31},
		// X and Y amounts zero; enciphered PIN online if the terminal
		// supports it, then no CVM if the terminal supports it.
		CVMList:  []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x42, 0x03, 0x1F, 0x03},
		Currency: [2]byte{0x08, 0x40},
	})
	if err != nil {
		b.err = fmt.Errorf("scenario: M/Chip card: %w", err)
		return nil
	}
	return b.issueTap(card, capk, "Mastercard M/Chip (Kernel 2)", pan, balance)
}

// issueTap records the card's CA key and the issuer's record of it.
func (b *builder) issueTap(card emv.Card, capk *oda.CAPK, name, pan string, balance int64) *Card {
	if !luhn(pan) {
		b.err = fmt.Errorf("scenario: PAN %s fails the Luhn check", emv.MaskPAN(pan))
		return nil
	}
	if capk != nil {
		b.tapCAPKs = append(b.tapCAPKs, capk)
	}
	b.accountCounter++
	return &Card{
		Tap: card, TapName: name,
		Track2: pan + "=3012201" + "0000000",
		Issued: Issued{
			PAN: pan, Expiry: "3012", Status: "active", Chip: true, PIN: cardsim.TestPIN, Balance: balance,
			Account: fmt.Sprintf("ACC%03d", b.accountCounter),
		},
	}
}

// bcdPAN packs a PAN as compressed numeric, padded with F.
func bcdPAN(pan string) []byte {
	if len(pan)%2 == 1 {
		pan += "F"
	}
	b, _ := hex.DecodeString(pan)
	return b
}
