package main

import (
	"context"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/terminal/scenario"
)

// TestDemo runs the demo in-process, as go run ./examples/demo does, and
// checks that every scenario ends as expected, the settlement is in
// balance, and the output shows no full PAN, track data or PIN.
func TestDemo(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), &out, options{StateDir: t.TempDir(), QR: true}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"18 scenarios, 18 as expected, settled in balance: true",
		"ENTRY                        contactless",
		"field 55 from the kernel's data record",
		"on the second tap the card received 2 issuer command(s)",
		"scan to pay USD 25.00 to CORNER SHOP",
		"PIN VERIFIED",
		"SIGNATURE ____",
		"TRANSACTION REVERSED",
		"settlement report of the host",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	cat, err := scenario.New(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cat.Cards() {
		if strings.Contains(text, c.Issued.PAN) || strings.Contains(text, c.Track2[len(c.Issued.PAN):]) {
			t.Errorf("demo output shows the PAN or track of card %s…", c.Issued.PAN[:6])
		}
	}
	if strings.Contains(text, cardsim.TestPIN) {
		t.Error("demo output shows the PIN")
	}
}
