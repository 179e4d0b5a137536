package emv

import (
	"context"
	"errors"
	"testing"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/pinblock"
)

func enter(pin string) func(context.Context, PINPrompt) (string, error) {
	return func(context.Context, PINPrompt) (string, error) { return pin, nil }
}

// The DUKPT PIN pad enciphers online PINs that the host deciphers with the
// BDK, for TDES (format 0) and AES (format 4) DUKPT.
func TestDUKPTPINPad(t *testing.T) {
	pan := panDigits(testPAN)
	t.Run("TDES", func(t *testing.T) {
		ksn := dukpt.KSN{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x00}
		ik, err := dukpt.TDESInitialKey(testBDK, ksn[:])
		if err != nil {
			t.Fatal(err)
		}
		dev, err := dukpt.NewTDESDevice(ik, ksn)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := runCVM(t, cvmCase{"", "0200", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad = &DUKPTPINPad{Enter: enter(testPIN), TDES: dev}
		}, "020000", []Bit{TVROnlinePINEntered}})
		p := k.res.OnlinePIN
		got, _ := dukpt.ParseKSN(p.KSN)
		tk, err := dukpt.TDESTransactionKey(ik, p.KSN)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := dukpt.NewTDESTransaction(got, tk)
		if err != nil {
			t.Fatal(err)
		}
		if pin, err := tx.DecryptPIN(pinblock.ISO0, p.Block, pan); err != nil || pin != testPIN {
			t.Errorf("host deciphers %q, %v", pin, err)
		}
	})
	t.Run("AES", func(t *testing.T) {
		bdk := mustHexT("FEDCBA9876543210F1F1F1F1F1F1F1F1")
		iksn := dukpt.AESKSN{0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56}
		ik, err := dukpt.AESInitialKey(bdk, iksn[:])
		if err != nil {
			t.Fatal(err)
		}
		dev, err := dukpt.NewAESDevice(ik, iksn)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := runCVM(t, cvmCase{"", "0200", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad = &DUKPTPINPad{Enter: enter(testPIN), AES: dev}
		}, "020000", []Bit{TVROnlinePINEntered}})
		p := k.res.OnlinePIN
		ksn, err := dukpt.ParseAESKSN(p.KSN)
		if err != nil {
			t.Fatal(err)
		}
		dk, err := dukpt.AESTransactionKey(ik, p.KSN)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := dukpt.NewAESTransaction(ksn, dk)
		if err != nil {
			t.Fatal(err)
		}
		if pin, err := tx.DecryptPIN(dukpt.AES128, p.Block, pan); err != nil || pin != testPIN {
			t.Errorf("host deciphers %q, %v", pin, err)
		}
	})
	t.Run("offline PIN is a format 2 block", func(t *testing.T) {
		runCVM(t, cvmCase{"", "0100", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad = &DUKPTPINPad{Enter: enter(testPIN)}
		}, "010002", nil})
	})
	t.Run("no device", func(t *testing.T) {
		_, err := (&DUKPTPINPad{Enter: enter(testPIN)}).OnlinePIN(context.Background(), PINPrompt{PAN: pan})
		if !errors.Is(err, ErrPINPadUnavailable) {
			t.Errorf("OnlinePIN without device: %v", err)
		}
	})
}
