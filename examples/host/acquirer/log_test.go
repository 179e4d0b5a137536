package acquirer_test

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/iso8583"
)

// TestLogsMaskCardData runs approvals, declines, refusals and a key
// exchange, and checks that no log line holds a full PAN, a PIN, a PIN
// block, track data or a key.
func TestLogsMaskCardData(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	var secrets []string
	addBlock := func(req *iso8583.Message) {
		if b, ok := req.Field(52); ok {
			secrets = append(secrets, hex.EncodeToString(b))
		}
	}
	req, _ := tm.financial(purchase{pan: panVisa10, amount: 100, pin: cardsim.TestPIN, chip: newChip(t, cardsim.VisaCVN10, "")})
	addBlock(req)
	for _, pin := range []string{"0917", "0917", "0917", "0917"} {
		req, _ = tm.financial(purchase{pan: panMC16, amount: 100, pin: pin})
		addBlock(req)
	}
	for _, pan := range []string{panLost, panStolen, panExpired, panLowFunds, "4111111111111111"} {
		req, _ = tm.financial(purchase{pan: pan, amount: 100000, pin: cardsim.TestPIN})
		addBlock(req)
	}
	// A bad cryptogram, a replayed one and malformed chip data.
	chip := newChip(t, cardsim.MastercardCVN20, "")
	f55 := chip.arqc(t, 100)
	bad := append([]byte(nil), f55...)
	bad[5] ^= 0x10
	tm.sendChip(panMC20, 100, bad)
	tm.sendChip(panMC20, 100, f55)
	tm.sendChip(panMC20, 100, f55)
	tm.sendChip(panMC20, 100, f55[:len(f55)-1])
	// Track 2 instead of field 2.
	stan, tt := tm.next()
	track := panMagOnly + "=30122011234567890"
	m, _ := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{Track2: track, ProcessingCode: "000000",
		Amount: 100, Transmitted: tt, STAN: stan, EntryMode: "901", TerminalID: "TERM0001",
		MerchantID: "000000000000001", Currency: "978"}}).Message()
	if got := tm.send(m).Text(39); got != "00" {
		t.Errorf("track 2 purchase: %s", got)
	}
	raw := dialRaw(t, h)
	raw.roundTrip(sign(t, "TERM0002", purchaseMessage(t, "TERM0001", "000900", 100)))
	km, _ := (&iso8583.NetworkRequest{Code: iso8583.KeyChange, Transmitted: tt, STAN: "000901", TerminalID: "TERM0001"}).Message()
	raw.roundTrip(sign(t, "TERM0001", km))

	logs := h.logs.String()
	if testing.Verbose() {
		t.Log(logs)
	}
	if !strings.Contains(logs, iso8583.MaskPAN(panVisa10)) {
		t.Fatalf("the logs do not show masked PANs; are they written?\n%s", logs)
	}
	for _, attr := range []string{`"terminal":"TERM0001"`, `"stan":"0000`, `"mti":"0200"`, `"amount":100`} {
		if !strings.Contains(logs, attr) {
			t.Errorf("the logs do not carry %s", attr)
		}
	}
	for _, c := range seedConfig(t).Cards {
		secrets = append(secrets, c.PAN)
	}
	cfg := seedConfig(t)
	for _, k := range [][]byte{cfg.Keys.BDK, cfg.Keys.AESBDK, cfg.Keys.PVK, cfg.Keys.ZPK, cfg.Keys.IMK["cardsim"].AC,
		cfg.Keys.IMK["cardsim"].SMI, cfg.Keys.IMK["cardsim"].SMC, testMACKey["TERM0001"], testMACKey["TERM0002"],
		testTMK["TERM0001"]} {
		secrets = append(secrets, hex.EncodeToString(k))
	}
	secrets = append(secrets, "4111111111111111", track, "30122011234567890", `"0917"`, `"`+cardsim.TestPIN+`"`)
	lower := strings.ToLower(logs)
	for _, s := range secrets {
		if strings.Contains(lower, strings.ToLower(s)) {
			t.Errorf("a log line contains a secret (%d characters, starting %.4s)", len(s), s)
		}
	}
}
