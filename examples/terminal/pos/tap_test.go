package pos

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// tapCards returns a simulated qVSDC and M/Chip card (the M/Chip card
// asks for an online PIN when the reader supports it) and their CA keys.
func tapCards(t *testing.T) (*cardsim.QVSDCCard, *cardsim.MChipCard, []*oda.CAPK) {
	t.Helper()
	visa, vk, err := cardsim.NewQVSDC(cardsim.QVSDCProfile{
		Rand: rand.NewChaCha8([32]byte{3}), PAN: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x09, 0x03},
		Expiry: [3]byte{0x30, 0x12, 0x31}, OfflineLimit: 1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	mc, mk, err := cardsim.NewMChip(cardsim.MChipProfile{
		Rand: rand.NewChaCha8([32]byte{4}), PAN: []byte{0x54, 0x13, 0x33, 0x00, 0x89, 0x02, 0x02, 0x19},
		Expiry: [3]byte{0x30, 0x12, 0x31}, CVMList: []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x42, 0x03, 0x1F, 0x03},
		Currency: [2]byte{0x08, 0x40},
	})
	if err != nil {
		t.Fatal(err)
	}
	return visa, mc, []*oda.CAPK{vk, mk}
}

// TestTap taps under the floor limit (offline, advice in the file queue),
// over it (online) and over the CVM limit (online PIN), and checks the
// messages: entry mode 071, field 55 from the data record with the AID and
// without track data or PAN, track 2 only in the 0200, the PIN block only
// with online PIN. The stub host verifies these cards' cryptograms (Visa
// CVN 18 and Mastercard CVN 16 under cardsim.TestIMK) and approves 00.
func TestTap(t *testing.T) {
	h := startStub(t)
	visa, mc, capks := tapCards(t)
	queue, err := OpenQueue(filepath.Join(t.TempDir(), "saf.queue"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	term := testTerminalWith(t, h.addr, capks, &out, func(c *Config) {
		c.ContactlessFloorLimit, c.ContactlessCVMLimit, c.ContactlessLimit = 1000, 5000, 25000
		c.Queue = queue
	}, cardsim.TestPIN)
	ctx := context.Background()

	for _, tc := range []struct {
		name     string
		amount   uint64
		card     Card
		approved bool
		code     string
		pin      bool
		track    bool // the card gives track 2 equivalent data (57)
	}{
		{"qVSDC under the floor limit: offline", 650, Card{Contactless: visa}, true, "Y1", false, true},
		{"qVSDC over the floor limit: online", 2200, Card{Contactless: visa}, true, "00", false, true},
		{"M/Chip over the CVM limit: online PIN", 6400, Card{Contactless: mc}, true, "00", true, false},
	} {
		before := len(h.mtis())
		r, err := term.Pay(ctx, tc.amount, tc.card)
		if err != nil {
			t.Fatalf("%s: Pay: %v", tc.name, err)
		}
		if r.Approved != tc.approved || string(r.Response) != tc.code || r.EntryMode != "contactless" {
			t.Errorf("%s: receipt approved=%t code %q entry %q, want %t %q contactless", tc.name, r.Approved, r.Response, r.EntryMode, tc.approved, tc.code)
		}
		var m *iso8583.Message
		if tc.code == "Y1" {
			if queue.Len() != 1 {
				t.Fatalf("%s: %d messages queued, want the advice", tc.name, queue.Len())
			}
			m, _ = queue.Front()
			if m.Has(35) || m.Has(52) {
				t.Errorf("%s: stored advice with track 2 or PIN block", tc.name)
			}
		} else {
			h.mu.Lock()
			reqs := h.requests[before:]
			h.mu.Unlock()
			if len(reqs) != 1 || reqs[0].MTI != iso8583.MTIFinancialRequest {
				t.Fatalf("%s: host saw %d requests, want one 0200", tc.name, len(reqs))
			}
			m = reqs[0]
			if m.Has(35) != tc.track || m.Text(2) == "" {
				t.Errorf("%s: 0200 with track 2 %t and PAN %t, want track 2 %t and the PAN", tc.name, m.Has(35), m.Has(2), tc.track)
			}
			if m.Has(52) != tc.pin {
				t.Errorf("%s: PIN block sent %t, want %t", tc.name, m.Has(52), tc.pin)
			}
		}
		if got := m.Text(22); got != "071" {
			t.Errorf("%s: %s entry mode %q, want 071", tc.name, string(m.MTI), got)
		}
		icc, _ := m.Field(55)
		for _, tag := range []tlv.Tag{0x4F, 0x9F26, 0x9F36, 0x9F10} {
			if _, err := tlv.Find(icc, tag); err != nil {
				t.Errorf("%s: field 55 lacks %X: %v", tc.name, uint32(tag), err)
			}
		}
		for _, tag := range tapCardTags {
			if _, err := tlv.Find(icc, tag); err == nil {
				t.Errorf("%s: field 55 holds %X", tc.name, uint32(tag))
			}
		}
	}
}
