package acquirer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/pinblock"
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

// TestChecks runs one request down each path of the host's checks and
// asserts its response code and that no money moved on a decline.
func TestChecks(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	for _, tc := range []struct {
		name    string
		p       func() purchase
		account string
		want    string
	}{
		{"unknown card", func() purchase { return purchase{pan: "4111111111111111", amount: 100} }, "", "14"},
		{"lost card", func() purchase { return purchase{pan: panLost, amount: 100, pin: cardsim.TestPIN} }, "other", "41"},
		{"stolen card", func() purchase { return purchase{pan: panStolen, amount: 100, pin: cardsim.TestPIN} }, "other", "43"},
		{"blocked card", func() purchase { return purchase{pan: panBlocked, amount: 100, pin: cardsim.TestPIN} }, "other", "62"},
		{"expired at the host", func() purchase { return purchase{pan: panExpired, amount: 100, pin: cardsim.TestPIN} }, "other", "54"},
		{"expired on the card (cardsim.ExpiredCard)", func() purchase {
			return purchase{pan: panVisa10, expiry: "2001", amount: 100, pin: cardsim.TestPIN}
		}, "visa10", "54"},
		{"wrong PIN", func() purchase { return purchase{pan: panMagOnly, amount: 100, pin: "0917"} }, "other", "55"},
		{"over the amount limit", func() purchase { return purchase{pan: panVisa10, amount: 500001, pin: cardsim.TestPIN} }, "visa10", "61"},
		{"insufficient funds", func() purchase { return purchase{pan: panLowFunds, amount: 501, pin: cardsim.TestPIN} }, "lowfunds", "51"},
		{"unsupported processing code", func() purchase {
			return purchase{pan: panVisa10, amount: 100, pin: cardsim.TestPIN, proc: "400000"}
		}, "visa10", "12"},
		{"magnetic stripe with PIN", func() purchase { return purchase{pan: panMagOnly, amount: 100, pin: cardsim.TestPIN} }, "other", "00"},
		{"no PIN (signature)", func() purchase { return purchase{pan: panMagOnly, amount: 100} }, "other", "00"},
		{"exactly the balance", func() purchase { return purchase{pan: panLowFunds, amount: 500, pin: cardsim.TestPIN} }, "lowfunds", "00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before int64
			if tc.account != "" {
				before = balance(t, h, tc.account)
			}
			p := tc.p()
			_, resp := tm.financial(p)
			if got := resp.Text(39); got != tc.want {
				t.Fatalf("response code %s, want %s", got, tc.want)
			}
			if tc.account == "" {
				return
			}
			want := before
			if tc.want == "00" {
				want -= p.amount
			}
			if got := balance(t, h, tc.account); got != want {
				t.Errorf("balance %d, want %d", got, want)
			}
		})
	}
}

func TestPINTryLimit(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	for i, tc := range []struct {
		pin  string
		want string
	}{
		{"0917", "55"},
		{cardsim.TestPIN, "00"}, // a right PIN resets the count
		{"0917", "55"},
		{"0918", "55"},
		{"0919", "75"}, // the third wrong PIN in a row reaches the limit
		{cardsim.TestPIN, "75"},
	} {
		_, resp := tm.financial(purchase{pan: panDebit, amount: 100, pin: tc.pin})
		if got := resp.Text(39); got != tc.want {
			t.Fatalf("attempt %d: response code %s, want %s", i+1, got, tc.want)
		}
	}
	st, err := h.CardState(context.Background(), panDebit)
	if err != nil || st.PINTries != 3 {
		t.Errorf("card state %+v, %v; want 3 PIN tries", st, err)
	}
}

func TestBadPINBlock(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	stan, tt := tm.next()
	_, ksn := tm.pinBlock(cardsim.TestPIN, panMagOnly)
	m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: 100, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "901", TerminalID: "TERM0001",
		MerchantID: "000000000000001", Currency: "978", PINBlock: []byte{1, 2, 3, 4, 5, 6, 7, 8}, SecurityControl: ksn}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.send(m).Text(39); got != "55" {
		t.Errorf("response code %s, want 55", got)
	}
	// A KSN of the wrong length is a bad PIN block too.
	m.Set(53, []byte{1, 2, 3})
	m.SetString(11, "000900")
	if got := tm.send(m).Text(39); got != "55" {
		t.Errorf("short KSN: response code %s, want 55", got)
	}
}

func TestARQC(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0002")
	chip := newChip(t, cardsim.VisaCVN10, "")
	before := balance(t, h, "visa10")

	// A cryptogram with one bit flipped.
	f55 := chip.arqc(t, 700)
	bad := append([]byte(nil), f55...)
	bad[3] ^= 0x01 // inside 9F26, the first data object
	if got := tm.sendChip(panVisa10, 700, bad).Text(39); got != "05" {
		t.Errorf("bad ARQC: response code %s, want 05", got)
	}
	// The genuine cryptogram of the same transaction: its ATC was not
	// used by the refused one.
	resp := tm.sendChip(panVisa10, 700, f55)
	if got := resp.Text(39); got != "00" {
		t.Fatalf("good ARQC: response code %s, want 00", got)
	}
	// The same chip data again: the ATC is not above the last seen.
	if got := tm.sendChip(panVisa10, 700, f55).Text(39); got != "59" {
		t.Errorf("replayed ATC: response code %s, want 59", got)
	}
	// An older ATC after a newer one.
	f55a := chip.arqc(t, 300)
	f55b := chip.arqc(t, 300)
	if got := tm.sendChip(panVisa10, 300, f55b).Text(39); got != "00" {
		t.Errorf("newer ATC: response code %s, want 00", got)
	}
	if got := tm.sendChip(panVisa10, 300, f55a).Text(39); got != "59" {
		t.Errorf("older ATC: response code %s, want 59", got)
	}
	if got := balance(t, h, "visa10"); got != before-1000 {
		t.Errorf("balance %d, want %d", got, before-1000)
	}
	// Malformed chip data is a format error.
	if got := tm.sendChip(panVisa10, 300, []byte{0x9F, 0x26, 0x08, 1}).Text(39); got != "30" {
		t.Errorf("malformed field 55: response code %s, want 30", got)
	}
}

// sendChip sends an 0200 with the given chip data and the right PIN.
func (tm *terminal) sendChip(pan string, amount int64, f55 []byte) *iso8583.Message {
	tm.t.Helper()
	stan, tt := tm.next()
	block, ksn := tm.pinBlock(cardsim.TestPIN, pan)
	m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: pan, ProcessingCode: "000000",
		Amount: amount, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "051", CardSequence: "001",
		TerminalID: tm.id, MerchantID: "000000000000002", Currency: "978", PINBlock: block, SecurityControl: ksn,
		ICC: f55}}).Message()
	if err != nil {
		tm.t.Fatal(err)
	}
	return tm.send(m)
}

func TestIssuerScriptUnblock(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	chip := newChip(t, cardsim.VisaCVN10, panUnblock)
	_, resp := tm.financial(purchase{pan: panUnblock, amount: 100, pin: cardsim.TestPIN, chip: chip})
	if resp.Text(39) != "00" {
		t.Fatalf("response code %s", resp.Text(39))
	}
	f55, _ := resp.Field(55)
	ir, err := iso8583.ReadIssuerResponse(f55)
	if err != nil || len(ir.Scripts72) != 1 {
		t.Fatalf("field 55: %d scripts 72, %v; want 1", len(ir.Scripts72), err)
	}
	// The card accepts the script after the second GENERATE AC: its MAC
	// is right.
	if got := chip.complete(t, resp); got != cardsim.IssuerAuthPassed {
		t.Errorf("issuer authentication %v", got)
	}
	tmpl := ir.Scripts72[0]
	if len(tmpl) < 4 || tmpl[0] != 0x72 || tmpl[2] != 0x86 || int(tmpl[3]) != len(tmpl)-4 {
		t.Fatalf("script template % X is not 72 with one 86", tmpl[:min(len(tmpl), 4)])
	}
	sw, err := chip.card.Transmit(tmpl[4:])
	if err != nil || len(sw) != 2 || sw[0] != 0x90 || sw[1] != 0 {
		t.Errorf("APPLICATION UNBLOCK answered % X, %v; want 90 00", sw, err)
	}
	if st := chip.card.State(); st.ScriptFailed || st.ScriptCommands != 1 {
		t.Errorf("card state after the script: %d commands, failed %v", st.ScriptCommands, st.ScriptFailed)
	}
	// The script is sent once.
	_, resp = tm.financial(purchase{pan: panUnblock, amount: 100, pin: cardsim.TestPIN, chip: chip})
	f55, _ = resp.Field(55)
	if ir, _ := iso8583.ReadIssuerResponse(f55); len(ir.Scripts72) != 0 {
		t.Errorf("script sent again")
	}
}

func TestRefundAndBalanceInquiry(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	_, resp := tm.financial(purchase{pan: panMagOnly, amount: 250, pin: cardsim.TestPIN, proc: "200000"})
	if resp.Text(39) != "00" || balance(t, h, "other") != before+250 {
		t.Fatalf("refund: code %s, balance %d, want 00 and %d", resp.Text(39), balance(t, h, "other"), before+250)
	}
	_, resp = tm.financial(purchase{pan: panMagOnly, amount: 0, pin: cardsim.TestPIN, proc: "310000"})
	if want := fmt.Sprintf("BAL%012d", before+250); resp.Text(39) != "00" || resp.Text(48) != want {
		t.Errorf("balance inquiry: code %s, field 48 %q, want 00 and %q", resp.Text(39), resp.Text(48), want)
	}
}

func TestAuthorizationHold(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "visa18")
	chip := newChip(t, cardsim.VisaCVN18, "")
	stan, tt := tm.next()
	block, ksn := tm.pinBlock(cardsim.TestPIN, panVisa18)
	m, err := (&iso8583.AuthorizationRequest{Transaction: iso8583.Transaction{PAN: panVisa18, ProcessingCode: "000000",
		Amount: 4000, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "051", TerminalID: tm.id,
		MerchantID: "000000000000001", Currency: "978", PINBlock: block, SecurityControl: ksn, ICC: chip.arqc(t, 4000)}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	resp := tm.send(m)
	if resp.MTI != iso8583.MTIAuthorizationResponse || resp.Text(39) != "00" {
		t.Fatalf("0100: %s code %s", resp.MTI, resp.Text(39))
	}
	if got := chip.complete(t, resp); got != cardsim.IssuerAuthPassed {
		t.Errorf("issuer authentication %v", got)
	}
	if got := balance(t, h, "visa18"); got != before-4000 {
		t.Errorf("balance %d, want %d held", got, before-4000)
	}
}

// TestAESDUKPTPIN checks the security module with AES DUKPT PIN blocks
// (ISO format 4, 12-byte KSN), calling the module directly; the blocks
// travel in field 52 of the variable layout (iso8583.Spec.VariablePINData),
// which TestAESDUKPTPINOverTheWire sends.
func TestAESDUKPTPIN(t *testing.T) {
	cfg := seedConfig(t)
	sm, err := acquirer.NewSoftwareModule(cfg.Keys, cfg.Terminals, nil)
	if err != nil {
		t.Fatal(err)
	}
	card := &cfg.Cards[10] // magnetic stripe only, PVV
	dev := newAESPINPad(t)
	for _, tc := range []struct {
		pin  string
		want error
	}{{cardsim.TestPIN, nil}, {"0917", acquirer.ErrPINMismatch}} {
		tx, err := dev.Next()
		if err != nil {
			t.Fatal(err)
		}
		block, err := tx.EncryptPIN(dukpt.AES128, tc.pin, card.PAN)
		if err != nil {
			t.Fatal(err)
		}
		ksn := tx.KSN()
		if err := sm.VerifyPIN(card, ksn[:], block); !errors.Is(err, tc.want) {
			t.Errorf("VerifyPIN = %v, want %v", err, tc.want)
		}
		block[0] ^= 0x80
		if err := sm.VerifyPIN(card, ksn[:], block); !errors.Is(err, acquirer.ErrPINBlock) {
			t.Errorf("VerifyPIN of a damaged block = %v, want ErrPINBlock", err)
		}
	}
	// The PIN translated to the zone PIN key for an issuer.
	tdes := newTerminal(t, startHost(t, nil), "TERM0001")
	block, ksn := tdes.pinBlock(cardsim.TestPIN, card.PAN)
	zb, err := sm.TranslatePIN(card.PAN, ksn, block)
	if err != nil {
		t.Fatal(err)
	}
	if pin, err := pinblock.Decrypt(pinblock.ISO0, testZPK, zb, card.PAN); err != nil || pin != cardsim.TestPIN {
		t.Errorf("translated block does not decipher to the PIN under the ZPK: %v", err)
	}
}

// sendPIN sends an 0200 of amount for the magnetic-stripe card with the
// PIN block and KSN given, under a new STAN and time.
func (tm *terminal) sendPIN(amount int64, block, ksn []byte) *iso8583.Message {
	tm.t.Helper()
	stan, tt := tm.next()
	m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: amount, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "051", TerminalID: tm.id,
		MerchantID: "000000000000001", Currency: "978", PINBlock: block, SecurityControl: ksn}}).Message()
	if err != nil {
		tm.t.Fatal(err)
	}
	return tm.send(m)
}

func TestKSNReplay(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	b1, k1 := tm.pinBlock(cardsim.TestPIN, panMagOnly)
	b2, k2 := tm.pinBlock(cardsim.TestPIN, panMagOnly)
	b3, k3 := tm.pinBlock(cardsim.TestPIN, panMagOnly)
	if got := tm.sendPIN(100, b1, k1).Text(39); got != "00" {
		t.Fatalf("first PIN: %s", got)
	}
	// The captured block and KSN under a new STAN, and a wrong PIN
	// under the same KSN, are refused before the PIN counts.
	if got := tm.sendPIN(100, b1, k1).Text(39); got != "63" {
		t.Errorf("replayed KSN: %s, want 63", got)
	}
	if got := tm.sendPIN(100, []byte{1, 2, 3, 4, 5, 6, 7, 8}, k1).Text(39); got != "63" {
		t.Errorf("replayed KSN with another block: %s, want 63", got)
	}
	// Counters only go up: after the third, the second is old.
	if got := tm.sendPIN(100, b3, k3).Text(39); got != "00" {
		t.Fatalf("third PIN: %s", got)
	}
	if got := tm.sendPIN(100, b2, k2).Text(39); got != "63" {
		t.Errorf("older KSN: %s, want 63", got)
	}
	if got := balance(t, h, "other"); got != before-200 {
		t.Errorf("balance %d, want %d: two purchases", got, before-200)
	}
	if st, err := h.CardState(context.Background(), panMagOnly); err != nil || st.PINTries != 0 {
		t.Errorf("card state %+v, %v; want no wrong PIN counted", st, err)
	}
	// Another PIN pad has its own counter, from its first KSN.
	iksn := mustHex("FFFF9876543211E00000")
	ik, err := dukpt.TDESInitialKey(testBDK, iksn)
	if err != nil {
		t.Fatal(err)
	}
	if tm.pinpad, err = dukpt.NewTDESDevice(ik, dukpt.KSN(iksn)); err != nil {
		t.Fatal(err)
	}
	b, k := tm.pinBlock(cardsim.TestPIN, panMagOnly)
	if got := tm.sendPIN(100, b, k).Text(39); got != "00" {
		t.Errorf("new PIN pad: %s, want 00", got)
	}
}

// TestKSNResend checks that a resend of a request (same STAN and time,
// same KSN) gets its journaled answer rather than a replay refusal.
func TestKSNResend(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	req, resp := tm.financial(purchase{pan: panMagOnly, amount: 100, pin: cardsim.TestPIN})
	if resp.Text(39) != "00" {
		t.Fatalf("purchase: %s", resp.Text(39))
	}
	if got := tm.send(req); got.Text(39) != "00" || got.Text(38) != resp.Text(38) {
		t.Errorf("resend: code %s auth %s, want 00 and %s", got.Text(39), got.Text(38), resp.Text(38))
	}
}

func TestKSNRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "host.db")
	h1 := startHost(t, func(c *acquirer.Config) { c.Database = db })
	tm := newTerminal(t, h1, "TERM0001")
	b1, k1 := tm.pinBlock(cardsim.TestPIN, panMagOnly)
	if got := tm.sendPIN(100, b1, k1).Text(39); got != "00" {
		t.Fatalf("first PIN: %s", got)
	}
	if err := h1.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	h2 := startHost(t, func(c *acquirer.Config) { c.Database = db })
	tm2 := newTerminal(t, h2, "TERM0001")
	tm2.stan, tm2.tick = tm.stan, tm.tick
	tm2.pinpad = tm.pinpad
	if got := tm2.sendPIN(100, b1, k1).Text(39); got != "63" {
		t.Errorf("replayed KSN after restart: %s, want 63", got)
	}
	b2, k2 := tm2.pinBlock(cardsim.TestPIN, panMagOnly)
	if got := tm2.sendPIN(100, b2, k2).Text(39); got != "00" {
		t.Errorf("next KSN after restart: %s, want 00", got)
	}
}

// countingModule counts the PIN blocks the security module verifies.
type countingModule struct {
	acquirer.SecurityModule
	mu   sync.Mutex
	pins int
}

func (m *countingModule) VerifyPIN(card *acquirer.Card, ksn, block []byte) error {
	m.mu.Lock()
	m.pins++
	m.mu.Unlock()
	return m.SecurityModule.VerifyPIN(card, ksn, block)
}

// TestKSNReplayNotDeciphered checks that the security module does not
// see the PIN block of a KSN the host has committed already.
func TestKSNReplayNotDeciphered(t *testing.T) {
	var hsm *countingModule
	h := startHost(t, func(c *acquirer.Config) {
		sm, err := acquirer.NewSoftwareModule(c.Keys, c.Terminals, c.Rand)
		if err != nil {
			t.Fatal(err)
		}
		hsm = &countingModule{SecurityModule: sm}
		c.SecurityModule = hsm
	})
	tm := newTerminal(t, h, "TERM0001")
	b, k := tm.pinBlock(cardsim.TestPIN, panMagOnly)
	if got := tm.sendPIN(100, b, k).Text(39); got != "00" {
		t.Fatalf("first PIN: %s", got)
	}
	if got := tm.sendPIN(100, b, k).Text(39); got != "63" {
		t.Errorf("replayed KSN: %s, want 63", got)
	}
	if hsm.pins != 1 {
		t.Errorf("security module verified %d PIN blocks, want 1: the replay reached it", hsm.pins)
	}
}
