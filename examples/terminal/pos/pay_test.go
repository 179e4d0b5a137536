package pos

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/oda"
)

// testTerminal returns a terminal connected to addr whose cardholder types
// pins in order, with its log and steps in out.
func testTerminal(t *testing.T, addr string, capk *oda.CAPK, out *bytes.Buffer, pins ...string) *Terminal {
	t.Helper()
	return testTerminalWith(t, addr, []*oda.CAPK{capk}, out, nil, pins...)
}

// testTerminalWith is testTerminal with several CA keys and a change to
// the configuration.
func testTerminalWith(t *testing.T, addr string, capks []*oda.CAPK, out *bytes.Buffer, edit func(*Config), pins ...string) *Terminal {
	t.Helper()
	ik, err := dukpt.TDESInitialKey(testBDK, testIKSN[:])
	if err != nil {
		t.Fatal(err)
	}
	pad, err := OpenPINPad(filepath.Join(t.TempDir(), "pinpad.state"), ik, testIKSN)
	if err != nil {
		t.Fatal(err)
	}
	pad.Enter = ScriptedPINs(pins...)
	pad.Rand = rand.NewChaCha8([32]byte{9})
	store := new(oda.Store)
	for _, capk := range capks {
		if capk == nil {
			continue
		}
		if err := store.Add(capk); err != nil {
			t.Fatal(err)
		}
	}
	cfg := Config{
		Merchant:   Merchant{Name: "CORNER SHOP", City: "SPRINGFIELD", ID: "MERCHANT0000001", Category: "5411", Country: "US"},
		TerminalID: "TERM0001",
		FloorLimit: 1000,
		CAPKs:      store,
		Host:       addr,
		Timeout:    2 * time.Second,
		PINPad:     pad,
		Time:       clock(),
		Rand:       rand.NewChaCha8([32]byte{1}),
		Log:        slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Steps:      func(s string) { out.WriteString(s + "\n") },
	}
	if edit != nil {
		edit(&cfg)
	}
	term, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return term
}

func visaCard(t *testing.T) *cardsim.Card {
	t.Helper()
	p, err := cardsim.VisaCVN10(cardsim.SDA, cardsim.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cardsim.New(p, cardsim.Config{Rand: rand.NewChaCha8([32]byte{2})})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPayStub(t *testing.T) {
	h := startStub(t)
	card := visaCard(t)
	var out bytes.Buffer
	term := testTerminal(t, h.addr, card.Profile().Applications[0].Keys.CAPK, &out, "9999", cardsim.TestPIN)
	ctx := context.Background()
	if err := term.SignOn(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := term.Pay(ctx, 2500, Card{Chip: card})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s\n%s", out.String(), r)
	if !r.Approved || r.Response != "00" || !r.PINVerified {
		t.Errorf("Pay: approved %t code %q PIN verified %t, want approved 00 with PIN", r.Approved, r.Response, r.PINVerified)
	}
	if got, want := strings.Join(h.mtis(), " "), "0800 0200 0200"; got != want {
		t.Errorf("host saw %s, want %s", got, want)
	}
	if st := card.State(); st.LastCID.Type() != emv.TC {
		t.Errorf("card's last cryptogram %v, want TC", st.LastCID)
	}
	s, err := term.Settle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !s.InBalance || s.Totals.DebitsNumber != 1 || s.Totals.DebitsAmount != 2500 {
		t.Errorf("Settle = %+v", s)
	}
}
