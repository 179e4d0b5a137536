package acquirer_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/posflow/posflow/examples/host/acquirer"
)

func TestConfigCheck(t *testing.T) {
	for _, tc := range []struct {
		name string // why the configuration is bad
		item string // the item the error names
		mod  func(c *acquirer.Config)
	}{
		{"BDK of 8 bytes", "keys.bdk", func(c *acquirer.Config) { c.Keys.BDK = c.Keys.BDK[:8] }},
		{"AES BDK of 15 bytes", "keys.aes_bdk", func(c *acquirer.Config) { c.Keys.AESBDK = c.Keys.AESBDK[:15] }},
		{"PVK of 8 bytes", "keys.pvk", func(c *acquirer.Config) { c.Keys.PVK = c.Keys.PVK[:8] }},
		{"decimalization table with a letter", "keys.decimalization", func(c *acquirer.Config) { c.Keys.Decimalization = "012345678901234A" }},
		{"IMK of 8 bytes", "keys.imk.cardsim.ac", func(c *acquirer.Config) {
			k := c.Keys.IMK["cardsim"]
			k.AC = k.AC[:8]
			c.Keys.IMK["cardsim"] = k
		}},
		{"fee over 100 %", "fee_rate_bps", func(c *acquirer.Config) { c.FeeRate = 10001 }},
		{"merchant ID of 16 characters", "merchants[0].id", func(c *acquirer.Config) { c.Merchants[0].ID = strings.Repeat("1", 16) }},
		{"terminal ID of 7 characters", "terminals[0].id", func(c *acquirer.Config) { c.Terminals[0].ID = "TERM001" }},
		{"terminal of an unknown merchant", "terminals[0].merchant", func(c *acquirer.Config) { c.Terminals[0].Merchant = "nobody" }},
		{"repeated terminal", "terminals[1].id", func(c *acquirer.Config) { c.Terminals[1].ID = c.Terminals[0].ID }},
		{"MAC key of 8 bytes", "terminals[0].mac_key", func(c *acquirer.Config) { c.Terminals[0].MACKey = c.Terminals[0].MACKey[:8] }},
		{"repeated account", "accounts[1].id", func(c *acquirer.Config) { c.Accounts[1].ID = c.Accounts[0].ID }},
		{"PAN with a letter", "cards[0].pan", func(c *acquirer.Config) { c.Cards[0].PAN = "476173900101011A" }},
		{"repeated PAN", "cards[1].pan", func(c *acquirer.Config) { c.Cards[1].PAN = c.Cards[0].PAN }},
		{"PSN of 3 digits", "cards[0].psn", func(c *acquirer.Config) { c.Cards[0].PSN = "001" }},
		{"expiry month 13", "cards[0].expiry", func(c *acquirer.Config) { c.Cards[0].Expiry = "3013" }},
		{"card of an unknown account", "cards[0].account", func(c *acquirer.Config) { c.Cards[0].Account = "nobody" }},
		{"unknown status", "cards[0].status", func(c *acquirer.Config) { c.Cards[0].Status = "frozen" }},
		{"unknown issuer key", "cards[0].imk", func(c *acquirer.Config) { c.Cards[0].IMK = "nobody" }},
		{"PVV of 3 digits", "cards[0].pvv", func(c *acquirer.Config) { c.Cards[0].PVV = "123" }},
		{"offset of 13 digits", "cards[0].offset", func(c *acquirer.Config) { c.Cards[0].Offset = strings.Repeat("1", 13) }},
		{"unknown script", "cards[0].script", func(c *acquirer.Config) { c.Cards[0].Script = "block" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := seedConfig(t)
			tc.mod(c)
			err := c.Check()
			var ce *acquirer.ConfigError
			if !errors.As(err, &ce) || ce.Item != tc.item || !errors.Is(err, acquirer.ErrConfig) {
				t.Fatalf("Check() = %v, want a ConfigError naming %s", err, tc.item)
			}
			if _, err := acquirer.New(*c); !errors.Is(err, acquirer.ErrConfig) {
				t.Errorf("New = %v, want ErrConfig", err)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, json string
	}{
		{"unknown field", `{"listen": "x"}`},
		{"trailing object", `{} {}`},
		{"key not hexadecimal", `{"keys": {"bdk": "0123456789ABCDEFFEDCBA98765432ZZ"}}`},
		{"number for a string", `{"addr": 8583}`},
		{"truncated", `{"merchants": [`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := acquirer.ParseConfig([]byte(tc.json))
			if c != nil || !errors.Is(err, acquirer.ErrConfig) {
				t.Fatalf("ParseConfig = %v, %v; want ErrConfig", c, err)
			}
			if strings.Contains(err.Error(), "ZZ") {
				t.Errorf("error %q quotes the input", err)
			}
		})
	}
}

func TestKeyNeverPrints(t *testing.T) {
	k := acquirer.Key(testBDK)
	for _, s := range []string{k.String(), fmt.Sprintf("%v %s %x %X %#v %q", k, k, k, k, k, k), k.LogValue().String()} {
		if strings.Contains(strings.ToLower(s), "0123456789abcdef") || strings.Contains(s, "01 23") {
			t.Errorf("key printed: %q", s)
		}
	}
	if got := k.String(); got != "[16-byte key]" {
		t.Errorf("String() = %q", got)
	}
}
