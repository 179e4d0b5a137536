package pos

import (
	"strings"
	"testing"
	"time"
)

func TestReceipt(t *testing.T) {
	base := Receipt{
		Merchant:   Merchant{Name: "CORNER SHOP", City: "SPRINGFIELD", ID: "MERCHANT0000001", Country: "US"},
		TerminalID: "TERM0001", Time: time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC), STAN: "000002",
		MaskedPAN: "476173******0119", EntryMode: "chip", AID: "A0000000031010", Label: "VISA CREDIT",
		Amount: 2500, CurrencyCode: "USD", Exponent: 2,
		Response: "00", AuthCode: "544506", RRN: "633000000001",
		CryptogramType: "TC", Cryptogram: "1C202030D12E0507", TVR: "0200048000",
	}
	for _, tc := range []struct {
		name       string
		edit       func(*Receipt)
		want, omit []string
	}{
		{"PIN", func(r *Receipt) { r.Approved, r.PINVerified = true, true },
			[]string{"CORNER SHOP", "TERM0001", "2026-11-26", "10:30:00", "476173******0119", "chip", "VISA CREDIT",
				"A0000000031010", "USD 25.00", "APPROVED", "00 approved", "544506", "633000000001", "TC", "1C202030D12E0507", "0200048000", "PIN VERIFIED"},
			[]string{"SIGNATURE", "DECLINED"}},
		{"signature", func(r *Receipt) { r.Approved, r.Signature = true, true },
			[]string{"APPROVED", "SIGNATURE ____"}, []string{"PIN VERIFIED"}},
		{"reversed", func(r *Receipt) {
			r.Reversed, r.Reason, r.CryptogramType = true, "declined by the card after the host approved", "AAC"
		}, []string{"DECLINED", "DECLINED BY THE CARD AFTER THE HOST", "APPROVED\n", "TRANSACTION REVERSED", "AAC"},
			[]string{"PIN VERIFIED", "SIGNATURE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.edit(&r)
			s := r.String()
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("receipt lacks %q:\n%s", w, s)
				}
			}
			for _, w := range tc.omit {
				if strings.Contains(s, w) {
					t.Errorf("receipt has %q:\n%s", w, s)
				}
			}
			for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
				if len([]rune(l)) > receiptWidth {
					t.Errorf("line wider than the roll: %q", l)
				}
			}
		})
	}
}
