package entrypointtest_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
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

func TestQVSDCCryptogramVerifies(t *testing.T) {
	const pan = "4761739001010903"
	for _, tt := range []struct {
		name    string
		limit   uint64
		decline bool
	}{{"ARQC", 0, false}, {"TC", 5000, false}, {"AAC", 0, true}} {
		t.Run(tt.name, func(t *testing.T) {
			card, _, err := entrypointtest.NewQVSDCCard(entrypointtest.QVSDCProfile{
				Rand: rand.NewChaCha8([32]byte{1}), PAN: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x09, 0x03},
				Expiry: [3]byte{0x30, 0x12, 0x31}, OfflineLimit: tt.limit, Decline: tt.decline,
			})
			if err != nil {
				t.Fatal(err)
			}
			gpo := append([]byte{0x80, 0xA8, 0, 0, 35, 0x83, 33, 0x26, 0, 0, 0}, terminalData...)
			r, err := card.Transmit(append(gpo, 0))
			if err != nil {
				t.Fatal(err)
			}
			m := withTerminal(response(t, r), entrypointtest.QVSDCAID)
			cvn, err := issuer.Verify(cardsim.TestIMK, pan, entrypointtest.QVSDCPSN, m)
			if err != nil || cvn != issuer.VisaCVN18 {
				t.Fatalf("Verify = %v, %v; want Visa CVN 18", cvn, err)
			}
			// Another IMK does not verify it.
			other := bytes.Clone(cardsim.TestIMK)
			other[0] ^= 0x02
			if _, err := issuer.Verify(other, pan, entrypointtest.QVSDCPSN, m); !errors.Is(err, issuer.ErrMismatch) {
				t.Errorf("Verify under another IMK = %v, want ErrMismatch", err)
			}
		})
	}
}

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
			card, _, err := entrypointtest.NewMChipCard(entrypointtest.MChipProfile{
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
			m := withTerminal(response(t, r), entrypointtest.MChipAID)
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
