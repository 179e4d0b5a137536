package cardsim

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/emv"
)

// fuzzCards are personalised once; each input runs on a clone.
func fuzzCards(f *testing.F) []*Card {
	var cards []*Card
	for _, p := range []Preset{Presets()[0], Presets()[1], Presets()[2]} {
		cards = append(cards, newCard(f, presetProfile(f, p, CDA), Config{}))
	}
	return cards
}

// transactionCommands are the commands of a complete transaction, for
// the seed corpus.
func transactionCommands(t testing.TB, c *Card) [][]byte {
	a := c.apps[0]
	x := newTerm(t, c.Clone(Config{Rand: seeded(1)}), false)
	x.start(a.def.AID)
	ddol, _ := emv.AppendDOLData(nil, x.data[0x9F49], x.value)
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	x.data[0x8A] = []byte("00")
	cdol2, _ := emv.AppendDOLData(nil, x.data[0x8D], x.value)
	cmds := []emv.Command{
		emv.Select(PSEName, false),
		emv.ReadRecord(1, 1),
		emv.Select(a.def.AID, false),
		emv.GetProcessingOptions(x.pdol),
		emv.ReadRecord(1, 1),
		emv.ReadRecord(2, 1),
		emv.ReadRecord(3, 2),
		emv.InternalAuthenticate(ddol),
		emv.GetData(0x9F17),
		emv.GetChallenge(),
		emv.Verify(emv.PlaintextPIN, unhex("241234FFFFFFFFFF")),
		emv.GenerateAC(emv.RequestARQC|emv.RequestCDA, cdol1),
		emv.ExternalAuthenticate(make([]byte, 10)),
		emv.GenerateAC(emv.RequestTC|emv.RequestCDA, cdol2),
		{CLA: 0x84, INS: 0x1E, Data: make([]byte, 8)},
		{CLA: 0x00, INS: 0xC0, Le: 16},
	}
	return encodeCommands(t, cmds)
}

// FuzzCard feeds a card a sequence of arbitrary command APDUs. The first
// byte chooses the card (Visa CVN 10, Visa CVN 18 or Mastercard CVN 16,
// all CDA) and T=0; the rest is a sequence of commands, each preceded by
// its length. Every command must get a response of a status word and at
// most 256 bytes of data, and the counters must stay in range.
func FuzzCard(f *testing.F) {
	cards := fuzzCards(f)
	for i, c := range cards {
		for _, t0 := range []byte{0, 0x80} {
			in := []byte{byte(i) | t0}
			for _, cmd := range transactionCommands(f, c) {
				in = append(in, byte(len(cmd)))
				in = append(in, cmd...)
			}
			f.Add(in)
		}
	}
	f.Add([]byte{0x00, 0x04, 0x00, 0xA4, 0x04, 0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		tmpl := cards[int(in[0]&0x7F)%len(cards)]
		card := tmpl.Clone(Config{Rand: seeded(1), T0: in[0]&0x80 != 0})
		limit := tmpl.apps[0].def.pinTryLimit()
		for rest := in[1:]; len(rest) > 0; {
			n := min(int(rest[0]), len(rest)-1)
			cmd := rest[1 : 1+n]
			rest = rest[1+n:]
			resp, err := card.Transmit(cmd)
			if err != nil {
				t.Fatalf("Transmit(%X): %v", cmd, err)
			}
			if len(resp) < 2 || len(resp) > 258 {
				t.Fatalf("Transmit(%X) = %X: not a response APDU", cmd, resp)
			}
			st := card.State()
			if st.PINTriesLeft < 0 || st.PINTriesLeft > limit {
				t.Fatalf("PIN tries left %d out of 0..%d", st.PINTriesLeft, limit)
			}
		}
	})
}

// contactlessCards are the contactless cards of FuzzContactless,
// personalised once: a qVSDC card with keys (fDDA), one without, an
// M/Chip card with CDA, and an M/Chip phone that offers relay resistance
// and asks for cardholder verification on the device.
func contactlessCards(f *testing.F) []emv.Card {
	visa := QVSDCProfile{PAN: unhex("4761739001010903"), Expiry: [3]byte{0x30, 0x12, 0x31}, OfflineLimit: 5000, CTQ: [2]byte{0x00, 0x40}}
	plain, _, err := NewQVSDC(visa)
	if err != nil {
		f.Fatal(err)
	}
	visa.Rand = seeded(11)
	withKeys, _, err := NewQVSDC(visa)
	if err != nil {
		f.Fatal(err)
	}
	mc, _, err := NewMChip(MChipProfile{
		Rand: seeded(12), PAN: unhex("5413330089020219"), Expiry: [3]byte{0x30, 0x12, 0x31},
		CVMList: unhex("000000000000000042031F03"), Currency: [2]byte{0x08, 0x40},
	})
	if err != nil {
		f.Fatal(err)
	}
	phone, _, err := NewMChip(MChipProfile{
		Rand: seeded(13), PAN: unhex("5413330089020219"), Expiry: [3]byte{0x30, 0x12, 0x31},
		RelayResistance: true, DeviceCVMRequired: true,
	})
	if err != nil {
		f.Fatal(err)
	}
	return []emv.Card{withKeys, plain, mc, phone}
}

// contactlessCommands are the commands of a tap and of a second tap with
// issuer update processing, for the seed corpus.
func contactlessCommands(t testing.TB, aid []byte) [][]byte {
	pdol := append([]byte{0x26, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0x22, 0}, unhex("000000000000084000000000000840261126000A0B0C0D")...)
	cdol := unhex("0000000022000000000000000840000000000008402611260011223344220000000000")
	cmds := []emv.Command{
		emv.Select(PPSEName, false),
		emv.Select(aid, false),
		emv.GetProcessingOptions(pdol),
		emv.GetProcessingOptions(nil),
		emv.ReadRecord(1, 1),
		emv.ReadRecord(2, 1),
		emv.ReadRecord(2, 2),
		emv.ReadRecord(3, 2),
		emv.GenerateAC(emv.RequestTC|emv.RequestCDA, cdol[:33]),
		emv.ExternalAuthenticate(make([]byte, 10)),
		{CLA: 0x84, INS: 0x18, Data: make([]byte, 8)},
		{CLA: 0x84, INS: 0x1E, P1: 0xFF, Data: make([]byte, 8)},
	}
	return encodeCommands(t, cmds)
}

// FuzzContactless feeds the contactless cards a sequence of arbitrary
// command APDUs, as FuzzCard does: the first byte chooses the card (qVSDC
// with keys, qVSDC without, M/Chip, M/Chip phone), the rest is a sequence of commands
// each preceded by its length. Every command must get a response of a
// status word and at most 256 bytes of data, and no error; a command
// whose length fields do not match its bytes gets 6700.
func FuzzContactless(f *testing.F) {
	cards := contactlessCards(f)
	for i, aid := range [][]byte{QVSDCAID, QVSDCAID, MChipAID, MChipAID} {
		in := []byte{byte(i)}
		for _, cmd := range contactlessCommands(f, aid) {
			in = append(in, byte(len(cmd)))
			in = append(in, cmd...)
		}
		f.Add(in)
	}
	f.Add([]byte{0x00, 0x06, 0x80, 0xA8, 0x00, 0x00, 0x23, 0x83})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		var card emv.Card
		switch c := cards[int(in[0])%len(cards)].(type) {
		case *QVSDCCard:
			card = c.Clone()
		case *MChipCard:
			card = c.Clone()
		}
		for rest := in[1:]; len(rest) > 0; {
			n := min(int(rest[0]), len(rest)-1)
			cmd := rest[1 : 1+n]
			rest = rest[1+n:]
			resp, err := card.Transmit(cmd)
			if err != nil {
				t.Fatalf("Transmit(%X): %v", cmd, err)
			}
			if len(resp) < 2 || len(resp) > 258 {
				t.Fatalf("Transmit(%X) = %X: not a response APDU", cmd, resp)
			}
			if _, err := emv.ParseCommand(cmd); err != nil && !bytes.Equal(resp, []byte{0x67, 0x00}) {
				t.Fatalf("Transmit(%X) = %X for a malformed command, want 6700", cmd, resp)
			}
		}
	})
}

// encodeCommands returns the bytes of each command.
func encodeCommands(t testing.TB, cmds []emv.Command) [][]byte {
	var out [][]byte
	for _, c := range cmds {
		b, err := emv.AppendCommand(nil, c)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
