package cardsim_test

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// terminalData is 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 of a USD 22.00 purchase.
var terminalData = []byte{
	0, 0, 0, 0, 0x22, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x40, 0, 0, 0, 0, 0,
	0x08, 0x40, 0x26, 0x11, 0x26, 0x00, 0xF4, 0x0A, 0x97, 0x28,
}

// response unpacks template 77 of a response ending in 9000.
func response(t *testing.T, r []byte) map[tlv.Tag][]byte {
	t.Helper()
	if len(r) < 2 || !bytes.Equal(r[len(r)-2:], []byte{0x90, 0x00}) {
		t.Fatalf("response % X", r)
	}
	c := tlv.NewCursor(r[:len(r)-2])
	if !c.Next() || c.Tag() != 0x77 {
		t.Fatalf("response % X: no template 77", r)
	}
	out := map[tlv.Tag][]byte{}
	in := tlv.NewCursor(c.Value())
	for in.Next() {
		out[in.Tag()] = in.Value()
	}
	if err := in.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// withTerminal adds the terminal data in the order of terminalData.
func withTerminal(m map[tlv.Tag][]byte, aid []byte) map[tlv.Tag][]byte {
	d := terminalData
	m[issuer.TagAmountAuthorised], m[issuer.TagAmountOther] = d[0:6], d[6:12]
	m[issuer.TagTerminalCountry], m[issuer.TagTVR], m[issuer.TagCurrency] = d[12:14], d[14:19], d[19:21]
	m[issuer.TagDate], m[issuer.TagTransactionType], m[issuer.TagUnpredictableNumber] = d[21:24], d[24:25], d[25:29]
	m[issuer.TagAID] = aid
	return m
}

// TestContactlessTransmit checks the status words of the contactless
// cards for commands they refuse, and that a clone keeps its own counters.
func TestContactlessTransmit(t *testing.T) {
	visa, _, err := cardsim.NewQVSDC(cardsim.QVSDCProfile{PAN: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x09, 0x03}, Expiry: [3]byte{0x30, 0x12, 0x31}})
	if err != nil {
		t.Fatal(err)
	}
	mc, _, err := cardsim.NewMChip(cardsim.MChipProfile{
		Rand: rand.NewChaCha8([32]byte{2}), PAN: []byte{0x54, 0x13, 0x33, 0x00, 0x89, 0x02, 0x02, 0x19}, Expiry: [3]byte{0x30, 0x12, 0x31},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		card emv.Card
		cmd  string
		want string
	}{
		{"qVSDC: Lc larger than the data", visa, "80A8000023830000", "6700"},
		{"qVSDC: Lc zero with data", visa, "00A404000000", "6700"},
		{"qVSDC: command of three bytes", visa, "00A404", "6700"},
		{"qVSDC: GPO data not the PDOL's 33 bytes", visa, "80A80000028300" + "00", "6700"},
		{"qVSDC: record not on the card", visa, "00B2011400", "6A83"},
		{"qVSDC: GENERATE AC is not a qVSDC command", visa, "80AE8000022222" + "00", "6D00"},
		{"qVSDC: script command with P1 FF", visa, "841EFF0008" + "0000000000000000", "6A80"},
		{"M/Chip: Lc larger than the data", mc, "80AE80002000", "6700"},
		{"M/Chip: GPO with PDOL data it did not ask for", mc, "80A800000383010000", "6700"},
		{"M/Chip: CDOL1 data of the wrong length", mc, "80AE9000022222" + "00", "6700"},
		{"M/Chip: EXTERNAL AUTHENTICATE on a kernel without issuer update", mc, "008200000A00000000000000000000", "6D00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmd, _ := hex.DecodeString(tt.cmd)
			r, err := tt.card.Transmit(cmd)
			if err != nil || hex.EncodeToString(r) != strings.ToLower(tt.want) {
				t.Errorf("Transmit(%s) = %X, %v; want %s", tt.cmd, r, err, tt.want)
			}
		})
	}
	if n := len(visa.IssuerCommands); n != 1 {
		t.Errorf("%d issuer commands recorded, want the script command", n)
	}

	// A clone counts its own transactions.
	gpo, _ := hex.DecodeString("80A80000238321" + "26000000" + "000000002200000000000000084000000000000840261126000A0B0C0D" + "00")
	clone := visa.Clone()
	for range 2 {
		if r, _ := clone.Transmit(gpo); len(r) < 2 || r[len(r)-2] != 0x90 {
			t.Fatalf("GET PROCESSING OPTIONS = %X", r)
		}
	}
	r, _ := visa.Transmit(gpo)
	if atc := response(t, r)[0x9F36]; !bytes.Equal(atc, []byte{0x00, 0x01}) {
		t.Errorf("ATC of the original after two taps of its clone: %X, want 0001", atc)
	}
	if len(clone.IssuerCommands) != 1 {
		t.Errorf("clone has %d issuer commands, want the original's 1", len(clone.IssuerCommands))
	}
}
