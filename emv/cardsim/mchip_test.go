package cardsim_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
)

// TestMChipCryptogramVerifies asks for cryptograms without CDA, which
// return 9F26 in the clear; with CDA the cryptogram is in the signature,
// and the Kernel 2 tests of emv/c2 verify the one the kernel recovers.
func TestMChipCryptogramVerifies(t *testing.T) {
	const pan = "5413330089020219"
	for _, tt := range []struct {
		name string
		p1   byte
		cid  byte
	}{{"ARQC", 0x80, 0x80}, {"TC", 0x40, 0x40}, {"AAC", 0x00, 0x00}} {
		t.Run(tt.name, func(t *testing.T) {
			card, _, err := cardsim.NewMChip(cardsim.MChipProfile{
				Rand: rand.NewChaCha8([32]byte{2}), PAN: []byte{0x54, 0x13, 0x33, 0x00, 0x89, 0x02, 0x02, 0x19},
				Expiry: [3]byte{0x30, 0x12, 0x31}, Currency: [2]byte{0x08, 0x40},
			})
			if err != nil {
				t.Fatal(err)
			}
			// AIP for the common data list.
			r, err := card.Transmit([]byte{0x80, 0xA8, 0, 0, 2, 0x83, 0, 0})
			if err != nil {
				t.Fatal(err)
			}
			aip := response(t, r)[0x82]
			cdol := append(bytes.Clone(terminalData), 0x22, 0x1F, 0x03, 0x02)
			r, err = card.Transmit(append(append([]byte{0x80, 0xAE, tt.p1, 0, byte(len(cdol))}, cdol...), 0))
			if err != nil {
				t.Fatal(err)
			}
			m := withTerminal(response(t, r), cardsim.MChipAID)
			m[issuer.TagAIP] = aip
			if got := m[0x9F27]; len(got) != 1 || got[0] != tt.cid {
				t.Fatalf("9F27 = % X, want %02X", got, tt.cid)
			}
			cvn, err := issuer.Verify(cardsim.TestIMK, pan, "", m)
			if err != nil || cvn != issuer.MastercardCVN16 {
				t.Fatalf("Verify = %v, %v; want Mastercard CVN 16", cvn, err)
			}
		})
	}
}
