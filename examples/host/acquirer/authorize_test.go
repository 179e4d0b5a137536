package acquirer_test

import (
	"context"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/iso8583"
)

func balance(t testing.TB, h *testHost, account string) int64 {
	t.Helper()
	b, err := h.Balance(context.Background(), account)
	if err != nil {
		t.Fatalf("Balance(%s): %v", account, err)
	}
	return b
}

func TestPurchaseApprovedChipAndPIN(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	for _, tc := range []struct {
		name    string
		profile func(cardsim.ODAMode, cardsim.Options) (*cardsim.Profile, error)
		pan     string
		account string
	}{
		{"Visa CVN 10", cardsim.VisaCVN10, panVisa10, "visa10"},
		{"Visa CVN 18", cardsim.VisaCVN18, panVisa18, "visa18"},
		{"Mastercard CVN 16", cardsim.MastercardCVN16, panMC16, "mc16"},
		{"Mastercard CVN 20 (IBM 3624 offset)", cardsim.MastercardCVN20, panMC20, "mc20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chip := newChip(t, tc.profile, "")
			if chip.app.PAN != tc.pan {
				t.Fatalf("cardsim PAN %s, seed has %s", iso8583.MaskPAN(chip.app.PAN), iso8583.MaskPAN(tc.pan))
			}
			before := balance(t, h, tc.account)
			req, resp := tm.financial(purchase{pan: tc.pan, amount: 1234, pin: cardsim.TestPIN, chip: chip})
			if got := resp.Text(39); got != "00" {
				t.Fatalf("response code %s, want 00", got)
			}
			if len(resp.Text(38)) != 6 || len(resp.Text(37)) != 12 {
				t.Errorf("auth code %q, RRN %q", resp.Text(38), resp.Text(37))
			}
			if got := balance(t, h, tc.account); got != before-1234 {
				t.Errorf("balance %d, want %d", got, before-1234)
			}
			// The ARPC in field 55 is the one the card expects.
			if got := chip.complete(t, resp); got != cardsim.IssuerAuthPassed {
				t.Errorf("card's issuer authentication %v, want passed", got)
			}
			_ = req
		})
	}
}
