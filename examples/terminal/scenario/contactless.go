package scenario

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

// The contactless cards are the simulated qVSDC (Kernel 3) and M/Chip
// (Kernel 2) cards of package emv/entrypoint/entrypointtest, personalised
// here with their own PANs and issued to the host like the contact cards:
// an account, a card record with its PIN (as a PVV) and the cardsim IMK.
//
// The host cannot verify their cryptograms, and declines their online
// requests with 05:
//
//   - the qVSDC card's issuer application data (9F10) are 06 01 11 03 CVR
//     00 00, Visa format 1 with cryptogram version 17 (11), which
//     emv/issuer does not implement (it knows Visa CVN 10, 18 and 22);
//   - the M/Chip card's 9F10 is 01 10 CID 00, four bytes, not an M/Chip
//     length (18, 20, 26 or 28 bytes), so no CVN is detected;
//   - and both cards make their ARQC as the first 8 bytes of a SHA-256 of
//     the transaction data, the ATC and the CVR or CID, under no key at
//     all (entrypointtest: "for kernel tests, not for issuer
//     verification"), so no IMK in a seed could verify them.
//
// The online taps therefore show everything up to the issuer's check
// (entry mode 071, field 55 from the outcome's data record, the PIN block
// of an online PIN verified by the host before the cryptogram) and end
// declined 05. A simulated contactless card whose cryptograms derive from
// an IMK (emv/cardsim's keys) would let the host approve them; that is
// for package entrypointtest.

// qvsdc issues a simulated qVSDC card: no CVM asked by the card (CTQ
// 0000), its own offline limit at the reader's floor limit.
func (b *builder) qvsdc(pan string, balance int64) *Card {
	if b.err != nil {
		return nil
	}
	b.n++
	card, capk, err := entrypointtest.NewQVSDCCard(entrypointtest.QVSDCProfile{
		Rand:         rand.NewChaCha8(seed32(b.seed, 1<<40+b.n)),
		CAIndex:      0xE7, // beside the contact cards' test CA keys
		PAN:          bcdPAN(pan),
		Expiry:       [3]byte{0x30, 0x12, 0x31},
		OfflineLimit: 1000,
	})
	if err != nil {
		b.err = fmt.Errorf("scenario: qVSDC card: %w", err)
		return nil
	}
	return b.issueTap(card, capk, "Visa qVSDC (Kernel 3)", pan, balance)
}

// mchip issues a simulated M/Chip card with CDA whose CVM list asks for
// an online PIN when the reader supports it (over the CVM required limit)
// and no CVM otherwise.
func (b *builder) mchip(pan string, balance int64) *Card {
	if b.err != nil {
		return nil
	}
	b.n++
	card, capk, err := entrypointtest.NewMChipCard(entrypointtest.MChipProfile{
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
