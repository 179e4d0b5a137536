package acquirer_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/pinblock"
	"testing"

	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/keys"
)

func TestNetworkManagement(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	ctx := context.Background()
	// Client.Echo sends no terminal ID; the host finds the terminal by its
	// MAC key.
	if err := tm.client.Echo(ctx); err != nil {
		t.Fatalf("echo: %v", err)
	}
	for _, code := range []iso8583.NetworkCode{iso8583.SignOn, iso8583.Echo, iso8583.SignOff} {
		stan, tt := tm.next()
		m, _ := (&iso8583.NetworkRequest{Code: code, Transmitted: tt, STAN: stan, TerminalID: tm.id}).Message()
		if resp := tm.send(m); resp.Text(39) != "00" || resp.Text(70) != string(code) {
			t.Errorf("0800 %s: code %s, field 70 %s", code, resp.Text(39), resp.Text(70))
		}
	}
}

func TestKeyExchange(t *testing.T) {
	h := startHost(t, nil)
	raw := dialRaw(t, h)
	m, _ := (&iso8583.NetworkRequest{Code: iso8583.KeyChange, Transmitted: iso8583.TransmissionTime(testNow),
		STAN: "000001", TerminalID: "TERM0001"}).Message()
	resp := raw.roundTrip(sign(t, "TERM0001", m))
	old, _ := iso8583.RetailMAC(testMACKey["TERM0001"])
	if err := iso8583.Verify(resp, old); err != nil || resp.Text(39) != "00" {
		t.Fatalf("0810: code %s, MAC under the old key: %v", resp.Text(39), err)
	}
	f48, err := hex.DecodeString(resp.Text(48))
	if err != nil || len(f48) != 19 {
		t.Fatalf("field 48 is not a 16-byte key and a 3-byte KCV")
	}
	tmk, _ := keys.NewTDES(testTMK["TERM0001"])
	k := make([]byte, 16)
	tmk.Decrypt(k[:8], f48[:8])
	tmk.Decrypt(k[8:], f48[8:16])
	kb, _ := keys.NewTDES(k)
	if !keys.CheckKCV(kb, f48[16:]) {
		t.Fatalf("KCV does not match the deciphered key")
	}
	newKey, _ := iso8583.RetailMAC(k)
	// Key sync: the old key still works until the new one is used.
	if got := raw.roundTrip(sign(t, "TERM0001", purchaseMessage(t, "TERM0001", "000002", 100))).Text(39); got != "00" {
		t.Errorf("old key before first use of the new: %s", got)
	}
	m = purchaseMessage(t, "TERM0001", "000003", 100)
	b, _ := iso8583.Sign(iso8583.SpecASCII, m, newKey)
	resp = raw.roundTrip(b)
	if resp.Text(39) != "00" || iso8583.Verify(resp, newKey) != nil {
		t.Errorf("new key: code %s", resp.Text(39))
	}
	if got := raw.roundTrip(sign(t, "TERM0001", purchaseMessage(t, "TERM0001", "000004", 100))).Text(39); got != "63" {
		t.Errorf("old key after the new one was used: %s, want 63", got)
	}
	// A terminal without a master key cannot change keys.
	m, _ = (&iso8583.NetworkRequest{Code: iso8583.KeyChange, Transmitted: iso8583.TransmissionTime(testNow),
		STAN: "000005", TerminalID: "TERM0009"}).Message()
	if got := raw.roundTrip(sign(t, "TERM0009", m)).Text(39); got != "63" {
		t.Errorf("key change without TMK: %s, want 63", got)
	}
}

func TestDUKPTMAC(t *testing.T) {
	h := startHost(t, func(c *acquirer.Config) {
		c.Terminals = append(c.Terminals, acquirer.Terminal{ID: "TERM0003", Merchant: "000000000000002", MACDUKPT: true})
	})
	tm := newTerminal(t, h, "TERM0003")
	raw := dialRaw(t, h)
	for i, tc := range []struct {
		name   string
		tamper func(m *iso8583.Message)
		want   string
	}{
		{"PIN and MAC under the same DUKPT transaction", nil, "00"},
		{"MAC under another transaction's key", func(m *iso8583.Message) {
			tx, _ := tm.pinpad.Next()
			ksn := tx.KSN()
			m.Set(53, ksn[:])
		}, "63"},
		{"no KSN", func(m *iso8583.Message) { m.Unset(53); m.Unset(52) }, "63"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := tm.pinpad.Next()
			if err != nil {
				t.Fatal(err)
			}
			block, err := tx.EncryptPIN(pinblock.ISO0, cardsim.TestPIN, panMagOnly)
			if err != nil {
				t.Fatal(err)
			}
			ksn := tx.KSN()
			m := purchaseMessage(t, "TERM0003", fmt.Sprintf("%06d", i+1), 100)
			m.Set(52, block)
			m.Set(53, ksn[:])
			b, err := iso8583.Sign(iso8583.SpecASCII, m, iso8583.DUKPTMAC(tx, dukpt.MACRequest))
			if err != nil {
				t.Fatal(err)
			}
			if tc.tamper != nil {
				tc.tamper(m)
				if b, err = iso8583.Sign(iso8583.SpecASCII, m, iso8583.DUKPTMAC(tx, dukpt.MACRequest)); err != nil {
					t.Fatal(err)
				}
			}
			resp := raw.roundTrip(b)
			if got := resp.Text(39); got != tc.want {
				t.Fatalf("response code %s, want %s", got, tc.want)
			}
			if tc.want == "00" {
				if err := iso8583.Verify(resp, iso8583.DUKPTMAC(tx, dukpt.MACResponse)); err != nil {
					t.Errorf("response MAC under the DUKPT response key: %v", err)
				}
			}
		})
	}
}
