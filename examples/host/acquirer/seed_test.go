package acquirer_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/pinblock"
)

var update = flag.Bool("update", false, "rewrite testdata/seed.json")

const seedPath = "../testdata/seed.json"

// Test keys of the seed file. They are published here and in the seed:
// never use them for real cards.
var (
	testBDK    = mustHex("0123456789ABCDEFFEDCBA9876543210") // ANSI X9.24-1:2009 A.4 test BDK
	testAESBDK = mustHex("FEDCBA9876543210F1F1F1F1F1F1F1F1") // ANSI X9.24-3-2017 test BDK
	testPVK    = mustHex("4CA2161637D0133E5E151AEA45DA2A16")
	testZPK    = mustHex("A1B2C3D4E5F60718293A4B5C6D7E8F90")
	// Terminal MAC keys and master keys, by terminal ID.
	testMACKey = map[string][]byte{
		"TERM0001": mustHex("0123456789ABCDEF0123456789ABCDEF"),
		"TERM0002": mustHex("89ABCDEF0123456789ABCDEF01234567"),
	}
	testTMK = map[string][]byte{
		"TERM0001": mustHex("C1D0F8FB4958670DBA40AB1F3752EF0D"),
		"TERM0002": mustHex("0DC1F8FB49586770DBA40AB1F3752EF0"),
	}
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Card numbers of the seed. The first five are the PANs of the ready-made
// cardsim profiles (the edge profiles, blocked, expired and PIN tries
// exhausted, share Visa CVN 10's); the others are for scenarios whose card
// differs only at the host: the terminal personalises a Visa CVN 10 profile
// with that PAN.
const (
	panVisa10   = "4761739001010119"
	panVisa18   = "4761739001010127"
	panMC16     = "5413330089020011"
	panMC20     = "5413330089020029"
	panDebit    = "4761739001010010" // cardsim.TwoApplications, VISA DEBIT
	panLowFunds = "4761739001010200"
	panLost     = "4761739001010218"
	panStolen   = "4761739001010226"
	panBlocked  = "4761739001010234"
	panExpired  = "4761739001010242"
	panMagOnly  = "4761739001010259"
	panUnblock  = "4761739001010267"
)

// seedConfig is the configuration of testdata/seed.json.
func seedConfig(t testing.TB) *acquirer.Config {
	pvv := func(pan string) string {
		v, err := pinblock.VisaPVV(testPVK, pan, 1, cardsim.TestPIN)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	card := func(pan, psn, account, status, imk string) acquirer.Card {
		return acquirer.Card{PAN: pan, PSN: psn, Expiry: "3012", Account: account, Status: status,
			IMK: imk, PVKI: 1, PVV: pvv(pan)}
	}
	c := &acquirer.Config{
		Addr:    acquirer.DefaultAddr,
		FeeRate: 150,
		Limits:  acquirer.Limits{MaxAmount: 500000, PINTryLimit: 3},
		Keys: acquirer.Keys{
			BDK: testBDK, AESBDK: testAESBDK, PVK: testPVK, ZPK: testZPK,
			IMK: map[string]acquirer.IssuerKeys{
				"cardsim": {AC: cardsim.TestIMK, SMI: cardsim.TestIMKSMI, SMC: cardsim.TestIMKSMC},
			},
		},
		Merchants: []acquirer.Merchant{
			{ID: "000000000000001", Name: "Corner Cafe"},
			{ID: "000000000000002", Name: "Book Shop", FeeRate: 250},
		},
		Terminals: []acquirer.Terminal{
			{ID: "TERM0001", Merchant: "000000000000001", MACKey: testMACKey["TERM0001"], TMK: testTMK["TERM0001"]},
			{ID: "TERM0002", Merchant: "000000000000002", MACKey: testMACKey["TERM0002"], TMK: testTMK["TERM0002"]},
			{ID: "TERM0009", Merchant: "000000000000001"},
		},
		Accounts: []acquirer.Account{
			{ID: "visa10", Balance: 100000, Currency: "978"},
			{ID: "visa18", Balance: 100000, Currency: "978"},
			{ID: "mc16", Balance: 100000, Currency: "978"},
			{ID: "mc20", Balance: 100000, Currency: "978"},
			{ID: "debit", Balance: 100000, Currency: "978"},
			{ID: "lowfunds", Balance: 500, Currency: "978"},
			{ID: "other", Balance: 100000, Currency: "978"},
		},
		Cards: []acquirer.Card{
			card(panVisa10, "01", "visa10", "", "cardsim"),
			card(panVisa18, "01", "visa18", "", "cardsim"),
			card(panMC16, "00", "mc16", "", "cardsim"),
			card(panMC20, "00", "mc20", "", "cardsim"),
			card(panDebit, "01", "debit", "", "cardsim"),
			card(panLowFunds, "01", "lowfunds", "", "cardsim"),
			card(panLost, "01", "other", acquirer.StatusLost, "cardsim"),
			card(panStolen, "01", "other", acquirer.StatusStolen, "cardsim"),
			card(panBlocked, "01", "other", acquirer.StatusBlocked, "cardsim"),
			card(panExpired, "01", "other", "", "cardsim"),
			card(panMagOnly, "", "other", "", ""),
			card(panUnblock, "01", "other", "", "cardsim"),
		},
	}
	c.Cards[9].Expiry = "2001"
	c.Cards[11].Script = "unblock"
	// Mastercard CVN 20 verifies its PIN by IBM 3624 offset instead of PVV.
	mc20 := &c.Cards[3]
	off, err := pinblock.IBM3624Offset(testPVK, "0123456789012345", "3008902002FFFFFF", cardsim.TestPIN)
	if err != nil {
		t.Fatal(err)
	}
	mc20.PVV, mc20.PVKI, mc20.Offset, mc20.ValData = "", 0, off, "3008902002FFFFFF"
	return c
}

func TestSeedFile(t *testing.T) {
	b, err := json.MarshalIndent(seedConfig(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile(filepath.FromSlash(seedPath), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filepath.FromSlash(seedPath))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b) {
		t.Fatalf("%s is not what seedConfig builds; run go test -run TestSeedFile -update", seedPath)
	}
	if _, err := acquirer.LoadConfig(filepath.FromSlash(seedPath)); err != nil {
		t.Fatalf("LoadConfig(%s) = %v", seedPath, err)
	}
}
