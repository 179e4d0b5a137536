package entrypoint

import (
	"testing"

	"github.com/posflow/posflow/emv"
)

func TestPreprocess(t *testing.T) {
	ttq := TTQ{0x26, 0xC0, 0x40, 0x00} // online cryptogram and CVM required set in the configuration
	base := Combination{
		TransactionLimit: LimitOf(20000),
		FloorLimit:       LimitOf(8000),
		CVMRequiredLimit: LimitOf(5000),
		TTQ:              ttq,
		TTQPresent:       true,
	}
	tests := []struct {
		name   string
		mod    func(*Combination)
		amount uint64
		floor  Limit // terminal floor limit
		want   Indicators
	}{
		{"under every limit: TTQ byte 2 bits 8-7 cleared", nil, 200, Limit{},
			Indicators{TTQ: TTQ{0x26, 0x00, 0x40, 0x00}, TTQPresent: true}},
		{"at the floor limit is not over it", nil, 8000, Limit{},
			Indicators{CVMRequiredLimitExceeded: true, TTQ: TTQ{0x26, 0x40, 0x40, 0x00}, TTQPresent: true}},
		{"over the floor limit: online cryptogram required", nil, 8001, Limit{},
			Indicators{FloorLimitExceeded: true, CVMRequiredLimitExceeded: true, TTQ: TTQ{0x26, 0xC0, 0x40, 0x00}, TTQPresent: true}},
		{"at the CVM required limit: CVM required", nil, 5000, Limit{},
			Indicators{CVMRequiredLimitExceeded: true, TTQ: TTQ{0x26, 0x40, 0x40, 0x00}, TTQPresent: true}},
		{"at the transaction limit: not allowed", nil, 20000, Limit{},
			Indicators{ContactlessNotAllowed: true, FloorLimitExceeded: true, CVMRequiredLimitExceeded: true, TTQ: TTQ{0x26, 0xC0, 0x40, 0x00}, TTQPresent: true}},
		{"no reader floor limit: the terminal's applies", func(c *Combination) { c.FloorLimit = Limit{} }, 300, LimitOf(200),
			Indicators{FloorLimitExceeded: true, TTQ: TTQ{0x26, 0x80, 0x40, 0x00}, TTQPresent: true}},
		{"no floor limit at all", func(c *Combination) { c.FloorLimit = Limit{} }, 300, Limit{},
			Indicators{TTQ: TTQ{0x26, 0x00, 0x40, 0x00}, TTQPresent: true}},
		{"status check: one unit goes online", func(c *Combination) { c.StatusCheck = true }, 100, Limit{},
			Indicators{StatusCheckRequested: true, TTQ: TTQ{0x26, 0x80, 0x40, 0x00}, TTQPresent: true}},
		{"status check off: one unit is an amount", nil, 100, Limit{},
			Indicators{TTQ: TTQ{0x26, 0x00, 0x40, 0x00}, TTQPresent: true}},
		{"status check: one minor unit is not one unit", func(c *Combination) { c.StatusCheck = true }, 1, Limit{},
			Indicators{TTQ: TTQ{0x26, 0x00, 0x40, 0x00}, TTQPresent: true}},
		{"zero amount not allowed", func(c *Combination) { c.ZeroAmountNotAllowed = true }, 0, Limit{},
			Indicators{ContactlessNotAllowed: true, TTQ: TTQ{0x26, 0x00, 0x40, 0x00}, TTQPresent: true}},
		{"zero amount allowed (flag absent): online cryptogram required", nil, 0, Limit{},
			Indicators{ZeroAmount: true, TTQ: TTQ{0x26, 0x80, 0x40, 0x00}, TTQPresent: true}},
		{"zero amount on an offline-only reader: not allowed", func(c *Combination) { c.TTQ[0] |= 0x08 }, 0, Limit{},
			Indicators{ZeroAmount: true, ContactlessNotAllowed: true, TTQ: TTQ{0x2E, 0x00, 0x40, 0x00}, TTQPresent: true}},
		{"no TTQ: indicators only", func(c *Combination) { c.TTQPresent = false }, 9000, Limit{},
			Indicators{FloorLimitExceeded: true, CVMRequiredLimitExceeded: true}},
		{"no limits at all", func(c *Combination) { *c = Combination{} }, 1 << 40, Limit{}, Indicators{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			if tt.mod != nil {
				tt.mod(&c)
			}
			if got := Preprocess(&c, emv.Transaction{Amount: tt.amount, CurrencyExponent: 2}, tt.floor); got != tt.want {
				t.Errorf("Preprocess(%d) = %v, want %v", tt.amount, got, tt.want)
			}
			if c.TTQ != base.TTQ && tt.mod == nil {
				t.Errorf("Preprocess changed the combination's TTQ")
			}
		})
	}
}
