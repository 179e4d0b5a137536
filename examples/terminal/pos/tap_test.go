package pos

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
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

// TestTapIssuerUpdate taps a qVSDC card that supports issuer update
// processing over the floor limit: the stub host approves with its ARPC
// (91), and the terminal taps again so that Kernel 3 sends it to the card
// in EXTERNAL AUTHENTICATE. A card without that support (CTQ 0000) is
// tapped once.
func TestTapIssuerUpdate(t *testing.T) {
	h := startStub(t)
	for _, tc := range []struct {
		name     string
		ctq      [2]byte
		external int // EXTERNAL AUTHENTICATE commands the card receives
	}{
		{"CTQ supports issuer update: second tap", [2]byte{0x00, 0x40}, 1},
		{"CTQ without it: one tap", [2]byte{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card, capk, err := cardsim.NewQVSDC(cardsim.QVSDCProfile{
				Rand: rand.NewChaCha8([32]byte{5}), PAN: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x09, 0x03},
				Expiry: [3]byte{0x30, 0x12, 0x31}, OfflineLimit: 1000, CTQ: tc.ctq,
			})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			term := testTerminalWith(t, h.addr, []*oda.CAPK{capk}, &out, func(c *Config) {
				c.ContactlessFloorLimit, c.ContactlessCVMLimit, c.ContactlessLimit = 1000, 5000, 25000
			}, cardsim.TestPIN)
			r, err := term.Pay(context.Background(), 2200, Card{Contactless: card})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Approved || string(r.Response) != "00" {
				t.Fatalf("receipt approved=%t code %q, want approved 00\n%s", r.Approved, r.Response, out.String())
			}
			if n := len(card.IssuerCommands); n != tc.external || n == 1 && card.IssuerCommands[0][1] != 0x82 {
				t.Errorf("the card received issuer commands %X, want %d EXTERNAL AUTHENTICATE\n%s", card.IssuerCommands, tc.external, out.String())
			}
			if second := strings.Contains(out.String(), "second tap: Approved"); second != (tc.external == 1) {
				t.Errorf("second tap reported %t, want %t\n%s", second, tc.external == 1, out.String())
			}
		})
	}
}

// TestTapOnlineResponse reads the issuer's answer for Kernel 3 from field
// 55 of the 0210: the scripts in the order received, whatever their tag.
func TestTapOnlineResponse(t *testing.T) {
	for _, tc := range []struct {
		name     string
		code     iso8583.ResponseCode
		icc      string
		auth     string
		scripts  string
		approved bool
		bad      bool
	}{
		{"ARPC, 72 then 71 kept in order, 8A ignored", "00", "910A00112233445566773030" + "8A023030" + "72039F1800" + "71039F1801", "00112233445566773030", "72039F180071039F1801", true, false},
		{"no field 55: no issuer data", "05", "", "", "", false, false},
		{"truncated field 55: length beyond the data", "00", "910A0011", "", "", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			icc, _ := hex.DecodeString(tc.icc)
			got, err := tapOnlineResponse(&iso8583.Response{Code: tc.code, Transaction: iso8583.Transaction{ICC: icc}})
			if tc.bad {
				if err == nil {
					t.Fatalf("tapOnlineResponse(%s) = %+v, want an error", tc.icc, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Approved != tc.approved || fmt.Sprintf("%X", got.IssuerAuthData) != tc.auth || fmt.Sprintf("%X", got.Scripts) != tc.scripts || string(got.ResponseCode[:]) != string(tc.code) {
				t.Errorf("tapOnlineResponse(%s) = %+v, want approved %t, 91 %s, scripts %s", tc.icc, got, tc.approved, tc.auth, tc.scripts)
			}
		})
	}
}
