package emv

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/pinblock"
)

// A DUKPTPINPad is a PINPad for software PIN entry: Enter collects the
// digits, offline PINs go to the card as ISO 9564-1 format 2 blocks, and
// online PINs are enciphered under the next key of a DUKPT device, TDES
// (ISO 9564-1 format 0, ANSI X9.24-1) or AES (format 4, ANSI X9.24-3).
// Set exactly one of TDES and AES. Hardware PIN pads implement PINPad
// themselves and never hand the PIN to the host; this type is for
// simulators, tests and PIN-on-glass devices that are certified to hold
// the PIN in memory.
type DUKPTPINPad struct {
	// Enter asks the cardholder for a PIN and returns its digits. It
	// returns ErrPINBypass or ErrPINPadUnavailable as PINPad does.
	Enter func(ctx context.Context, p PINPrompt) (string, error)
	TDES  *dukpt.TDESDevice
	AES   *dukpt.AESDevice
	// AESKey is the key type of the AES PIN encryption key; zero means
	// AES-128.
	AESKey dukpt.KeyType
	// Rand supplies the random digits of format 4 blocks; nil means
	// crypto/rand.Reader.
	Rand io.Reader
}

// OfflinePIN returns the PIN entered as a clear format 2 block.
func (d *DUKPTPINPad) OfflinePIN(ctx context.Context, p PINPrompt) ([]byte, error) {
	pin, err := d.Enter(ctx, p)
	if err != nil {
		return nil, err
	}
	return pinblock.Encode(pinblock.ISO2, pin, "")
}

// OnlinePIN returns the PIN entered enciphered under the device's next
// DUKPT PIN key, bound to p.PAN, with the key serial number.
func (d *DUKPTPINPad) OnlinePIN(ctx context.Context, p PINPrompt) (OnlinePIN, error) {
	if (d.TDES == nil) == (d.AES == nil) {
		return OnlinePIN{}, fmt.Errorf("%w: DUKPTPINPad needs exactly one DUKPT device", ErrPINPadUnavailable)
	}
	pin, err := d.Enter(ctx, p)
	if err != nil {
		return OnlinePIN{}, err
	}
	c := &pinblock.Config{Rand: d.Rand}
	if d.TDES != nil {
		tx, err := d.TDES.Next()
		if err != nil {
			return OnlinePIN{}, errors.Join(ErrPINPadUnavailable, err)
		}
		defer tx.Clear()
		block, err := tx.EncryptPINWith(c, pinblock.ISO0, pin, p.PAN)
		if err != nil {
			return OnlinePIN{}, err
		}
		ksn := tx.KSN()
		return OnlinePIN{Block: block, KSN: ksn[:]}, nil
	}
	tx, err := d.AES.Next()
	if err != nil {
		return OnlinePIN{}, errors.Join(ErrPINPadUnavailable, err)
	}
	defer tx.Clear()
	kt := d.AESKey
	if kt == 0 {
		kt = dukpt.AES128
	}
	block, err := tx.EncryptPINWith(c, kt, pin, p.PAN)
	if err != nil {
		return OnlinePIN{}, err
	}
	ksn := tx.KSN()
	return OnlinePIN{Block: block, KSN: ksn[:]}, nil
}
