package acquirer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// aesTerminal is a test POS whose PIN pad uses AES DUKPT (ANSI
// X9.24-3-2017): ISO 9564-1 format 4 PIN blocks of 16 bytes, a 12-byte KSN
// in field 53, sent with the layout of SpecASCII.VariablePINData.
type aesTerminal struct {
	*terminal
	aes *dukpt.AESDevice
}

func newAESTerminal(t *testing.T, h *testHost, id string, spec *iso8583.Spec) *aesTerminal {
	t.Helper()
	tm := &terminal{t: t, id: id}
	tm.client = newClient(t, h, id, spec)
	return &aesTerminal{terminal: tm, aes: newAESPINPad(t)}
}

// newAESPINPad returns an AES DUKPT PIN pad under testAESBDK.
func newAESPINPad(t *testing.T) *dukpt.AESDevice {
	t.Helper()
	iksn := dukpt.AESKSN{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56}
	ik, err := dukpt.AESInitialKey(testAESBDK, iksn[:])
	if err != nil {
		t.Fatal(err)
	}
	dev, err := dukpt.NewAESDevice(ik, iksn)
	if err != nil {
		t.Fatal(err)
	}
	return dev
}

// newClient returns a client for terminal id, signing with its MAC key,
// with spec; it is closed when the test ends.
func newClient(t *testing.T, h *testHost, id string, spec *iso8583.Spec) *iso8583.Client {
	mk, err := iso8583.RetailMAC(testMACKey[id])
	if err != nil {
		t.Fatal(err)
	}
	c := iso8583.NewClient(iso8583.ClientConfig{Addr: h.addr, Spec: spec, MAC: mk,
		Time: func() time.Time { return testNow }, RetryInterval: time.Hour, Rand: newRand(3)})
	t.Cleanup(func() { c.Close() })
	return c
}

// purchase sends an 0200 of amount for the magnetic stripe card with the
// PIN enciphered by the PIN pad's next AES DUKPT key; damage flips a bit
// of the block, half sends its first 8 bytes only, ksn replaces the KSN
// when not nil.
func (a *aesTerminal) purchase(pin string, amount int64, damage, half bool, ksn []byte) (*iso8583.Message, []byte, error) {
	tx, err := a.aes.Next()
	if err != nil {
		a.t.Fatal(err)
	}
	defer tx.Clear()
	block, err := tx.EncryptPIN(dukpt.AES128, pin, panMagOnly)
	if err != nil {
		a.t.Fatal(err)
	}
	if damage {
		block[5] ^= 0x01
	}
	if half {
		block = block[:8]
	}
	if ksn == nil {
		k := tx.KSN()
		ksn = k[:]
	}
	stan, tt := a.next()
	m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: amount, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "021", TerminalID: a.id,
		MerchantID: "000000000000001", Currency: "978", PINBlock: block, SecurityControl: ksn}}).Message()
	if err != nil {
		a.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := a.client.Send(ctx, m)
	return resp, ksn, err
}

// TestAESDUKPTPINOverTheWire sends ISO 9564-1 format 4 PIN blocks from an
// AES DUKPT PIN pad in field 52 to a host that reads field 52 as b..16
// (iso8583.SpecASCII.VariablePINData), and checks that the host verifies
// them: the right PIN approves and debits, a wrong or damaged block is
// declined 55, a replayed KSN 63; a TDES PIN pad's 8-byte block on the same
// host still verifies.
func TestAESDUKPTPINOverTheWire(t *testing.T) {
	h := startHost(t, func(c *acquirer.Config) {
		c.Spec = iso8583.SpecASCII.VariablePINData()
		c.Limits.PINTryLimit = 10 // the wrong PINs below are not to block the card
	})
	a := newAESTerminal(t, h, "TERM0001", iso8583.SpecASCII.VariablePINData())
	before := balance(t, h, "other")

	resp, ksn, err := a.purchase(cardsim.TestPIN, 700, false, false, nil)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(ksn) != 12 {
		t.Fatalf("KSN of %d bytes, want the 12 of AES DUKPT", len(ksn))
	}
	if got := resp.Text(39); got != "00" {
		t.Fatalf("right PIN in a 16-byte block: response code %s, want 00", got)
	}
	if got := balance(t, h, "other"); got != before-700 {
		t.Errorf("balance %d, want %d", got, before-700)
	}
	for _, tc := range []struct {
		name   string
		pin    string
		damage bool
		half   bool
		replay bool
		want   string
	}{
		{"wrong PIN", "0917", false, false, false, "55"},
		{"damaged block (counts as a wrong PIN)", cardsim.TestPIN, true, false, false, "55"},
		{"8-byte block with an AES KSN (counts as a wrong PIN)", cardsim.TestPIN, false, true, false, "55"},
		{"replayed KSN", cardsim.TestPIN, false, false, true, "63"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var k []byte
			if tc.replay {
				k = ksn
			}
			resp, _, err := a.purchase(tc.pin, 100, tc.damage, tc.half, k)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got := resp.Text(39); got != tc.want {
				t.Errorf("response code %s, want %s", got, tc.want)
			}
		})
	}
	if got := balance(t, h, "other"); got != before-700 {
		t.Errorf("balance after the declines %d, want %d", got, before-700)
	}

	// A TDES PIN pad (ISO format 0, 8 bytes) on the same host and layout.
	tdes := newTerminal(t, h, "TERM0002")
	tdes.client.Close()
	tdes.client = newClient(t, h, "TERM0002", iso8583.SpecASCII.VariablePINData())
	_, resp = tdes.financial(purchase{pan: panMagOnly, amount: 300, pin: cardsim.TestPIN})
	if got := resp.Text(39); got != "00" {
		t.Errorf("TDES PIN block on the b..16 layout: response code %s, want 00", got)
	}
}

// TestAESPINBlockNeedsVariableLayout checks that a client with the 1987
// layout refuses to send a 16-byte PIN block, naming field 52, before
// anything is written (no reversal is queued).
func TestAESPINBlockNeedsVariableLayout(t *testing.T) {
	h := startHost(t, nil)
	a := newAESTerminal(t, h, "TERM0001", iso8583.SpecASCII)
	_, _, err := a.purchase(cardsim.TestPIN, 100, false, false, nil)
	var fe *iso8583.FieldError
	if !errors.As(err, &fe) || fe.Field != 52 || !errors.Is(err, iso8583.ErrInvalidField) {
		t.Fatalf("Send of a 16-byte PIN block with SpecASCII = %v, want a field 52 error", err)
	}
	var te *iso8583.TimeoutError
	if errors.As(err, &te) || a.client.Pending() != 0 {
		t.Errorf("a request that was never written left a reversal (%d pending)", a.client.Pending())
	}
}
