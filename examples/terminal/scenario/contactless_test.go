package scenario

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
)

// TestTapIssuerScript taps a qVSDC card that supports issuer update
// processing, on a reader that does too, for an amount over the floor
// limit: the card goes online and asks for a second tap (Start B); the
// host approves with its ARPC (91) and the unblock script it holds for the
// card (72); the terminal asks the cardholder to tap again, and Kernel 3
// sends the card EXTERNAL AUTHENTICATE with the ARPC and the script's
// APPLICATION UNBLOCK. The host sends the script once.
func TestTapIssuerScript(t *testing.T) {
	ctx := context.Background()
	w, out := start(t)
	s := w.Catalogue.Lookup("tap-issuer-script")
	card := s.Card.Tap.(*cardsim.QVSDCCard)
	r, err := w.Run(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Approved || string(r.Response) != "00" {
		t.Fatalf("receipt approved=%t code %q, want approved 00\n%s", r.Approved, r.Response, out)
	}
	var ins []string
	for _, c := range card.IssuerCommands {
		ins = append(ins, fmt.Sprintf("%X", c[:2]))
	}
	if want := []string{"0082", "8418"}; !slices.Equal(ins, want) {
		t.Fatalf("the card received issuer commands %q, want EXTERNAL AUTHENTICATE and APPLICATION UNBLOCK %q\n%s", ins, want, out)
	}
	if ea := card.IssuerCommands[0]; len(ea) < 5 || int(ea[4]) != len(ea)-5 || ea[4] < 8 {
		t.Errorf("EXTERNAL AUTHENTICATE %X does not carry the issuer authentication data", ea)
	}
	for _, step := range []string{
		"card decision: Online Request",
		"issuer update: the cardholder taps the card again (issuer authentication data: true, 1 script(s))",
		"second tap: Approved, issuer script results 20",
	} {
		if !strings.Contains(out.String(), step) {
			t.Errorf("steps lack %q\n%s", step, out)
		}
	}
	cs, err := w.Host.CardState(ctx, s.Card.Issued.PAN)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Script != "" {
		t.Errorf("host still holds script %q after sending it", cs.Script)
	}

	// A second purchase: approved online with the ARPC only, still on a
	// second tap; no script this time.
	r, err = w.Run(ctx, s)
	if err != nil || !r.Approved {
		t.Fatalf("second purchase: approved=%t, %v", r != nil && r.Approved, err)
	}
	if n := len(card.IssuerCommands); n != 3 || card.IssuerCommands[2][1] != 0x82 {
		t.Errorf("after the second purchase the card has %d issuer commands, want a third, EXTERNAL AUTHENTICATE", n)
	}
	checkTapSecrets(t, s, out.String())
}

// TestTapWrongPIN taps an M/Chip card over the CVM required limit with a
// wrong online PIN: the host answers 55, the cardholder taps again and
// types the right PIN, and the new tap's request (a new STAN, a new
// cryptogram and ATC, which the host's replay check accepts) is approved.
func TestTapWrongPIN(t *testing.T) {
	ctx := context.Background()
	w, out := start(t)
	s := w.Catalogue.Lookup("tap-wrong-pin")
	r, err := w.Run(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Approved || string(r.Response) != "00" {
		t.Fatalf("receipt approved=%t code %q, want approved 00\n%s", r.Approved, r.Response, out)
	}
	rows := journal(t, w)
	var got []string
	stans := map[string]bool{}
	for _, e := range rows {
		got = append(got, e.Kind+" "+e.Code)
		stans[e.STAN] = true
	}
	if want := []string{"financial 55", "financial 00"}; !slices.Equal(got, want) || len(stans) != 2 {
		t.Errorf("journal %q with %d STANs, want %q with two", got, len(stans), want)
	}
	if n := strings.Count(out.String(), "contactless tap: Entry Point selected Kernel 2"); n != 2 {
		t.Errorf("%d taps, want 2\n%s", n, out)
	}
	if !strings.Contains(out.String(), "incorrect PIN (55): the cardholder taps the card again and re-enters the PIN") {
		t.Errorf("steps lack the second tap after 55\n%s", out)
	}
	cs, err := w.Host.CardState(ctx, s.Card.Issued.PAN)
	if err != nil {
		t.Fatal(err)
	}
	if cs.PINTries != 0 {
		t.Errorf("host counts %d wrong PINs after the right one, want 0", cs.PINTries)
	}
	checkTapSecrets(t, s, out.String())
}

// checkTapSecrets fails if text holds the full PAN or track data of the
// scenario's card or a PIN typed, or lacks its masked PAN.
func checkTapSecrets(t *testing.T, s *Scenario, text string) {
	t.Helper()
	c := s.Card
	if strings.Contains(text, c.Issued.PAN) || strings.Contains(text, c.Track2[len(c.Issued.PAN):]) {
		t.Errorf("output contains the PAN or track data of %s…", c.Issued.PAN[:6])
	}
	for _, pin := range []string{cardsim.TestPIN, "9999"} {
		if strings.Contains(text, pin) {
			t.Errorf("output contains a PIN typed (%s)", pin)
		}
	}
	if !strings.Contains(text, emv.MaskPAN(c.Issued.PAN)) {
		t.Error("output lacks the masked PAN")
	}
}
