package cardsim

import (
	"testing"
)

// benchTransaction measures the card side of a complete contact
// transaction (PSE, SELECT, GPO, records, INTERNAL AUTHENTICATE, VERIFY,
// both GENERATE ACs, EXTERNAL AUTHENTICATE) replayed as recorded command
// APDUs against a fresh clone of the card.
func benchTransaction(b *testing.B, mode ODAMode) {
	tmpl := newCard(b, presetProfile(b, Presets()[0], mode), Config{})
	cmds := transactionCommands(b, tmpl)
	r := seeded(3)
	b.ReportAllocs()
	for b.Loop() {
		c := tmpl.Clone(Config{Rand: r})
		for _, cmd := range cmds {
			if _, err := c.Transmit(cmd); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkContactTransactionCDA(b *testing.B)   { benchTransaction(b, CDA) }
func BenchmarkContactTransactionNoODA(b *testing.B) { benchTransaction(b, NoODA) }
