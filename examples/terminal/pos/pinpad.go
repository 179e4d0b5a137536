package pos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/pinblock"
)

// ErrPINPadState is wrapped by the errors of a PIN pad whose state file
// cannot be read or written: the PIN pad then refuses to encipher, since a
// key it cannot record as used might be used again after a restart.
var ErrPINPadState = errors.New("pos: PIN pad state file")

// A PINPad is the terminal's PIN entry device: an emv.PINPad that enciphers
// online PINs as ISO 9564-1 format 0 blocks under TDES DUKPT keys (ANSI
// X9.24-1:2009) and keeps its DUKPT device in a state file.
//
// The state is written, atomically (a temporary file renamed over the old
// one), after every key is taken from the device and before that key
// enciphers anything. A PIN pad restarted from the file continues with the
// next counter, so no key is ever used twice, even across a crash.
type PINPad struct {
	// Enter collects the PIN digits: from the keyboard with echo off, from
	// a script in unattended runs. It returns emv.ErrPINBypass when the
	// cardholder declines to enter a PIN.
	Enter func(ctx context.Context, p emv.PINPrompt) (string, error)
	// Rand is the source of the random fill of PIN blocks; nil means
	// crypto/rand.
	Rand io.Reader

	mu   sync.Mutex
	path string
	dev  *dukpt.TDESDevice
}

// OpenPINPad opens the PIN pad whose DUKPT state is in the file path.
// If the file does not exist, the device is loaded with its initial key ik
// and initial key serial number iksn (counter zero) and the file is
// created; if it does, ik and iksn are ignored and the device continues
// where it stopped. The state file holds key material: it is created with
// mode 0600.
func OpenPINPad(path string, ik []byte, iksn dukpt.KSN) (*PINPad, error) {
	dev := new(dukpt.TDESDevice)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := dev.UnmarshalBinary(b); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrPINPadState, err)
		}
	case errors.Is(err, os.ErrNotExist):
		if dev, err = dukpt.NewTDESDevice(ik, iksn); err != nil {
			return nil, fmt.Errorf("pos: PIN pad initial key: %w", err)
		}
	default:
		return nil, fmt.Errorf("%w: %v", ErrPINPadState, err)
	}
	p := &PINPad{path: path, dev: dev}
	if err := p.save(); err != nil {
		return nil, err
	}
	return p, nil
}

// KSN returns the key serial number the next online PIN will carry.
func (p *PINPad) KSN() dukpt.KSN {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dev.KSN()
}

// save writes the device state to a temporary file in the same directory
// and renames it over the state file.
func (p *PINPad) save() error {
	b, err := p.dev.MarshalBinary()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPINPadState, err)
	}
	defer clear(b)
	f, err := os.CreateTemp(filepath.Dir(p.path), ".pinpad-*")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPINPadState, err)
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("%w: %v", ErrPINPadState, err)
	}
	return nil
}

// OfflinePIN returns the PIN entered as the clear format 2 block the card
// verifies.
func (p *PINPad) OfflinePIN(ctx context.Context, pr emv.PINPrompt) ([]byte, error) {
	pin, err := p.enter(ctx, pr)
	if err != nil {
		return nil, err
	}
	return pinblock.Encode(pinblock.ISO2, pin, "")
}

// OnlinePIN returns the PIN entered as a format 0 block bound to the PAN,
// enciphered under the next DUKPT PIN key, with its key serial number.
func (p *PINPad) OnlinePIN(ctx context.Context, pr emv.PINPrompt) (emv.OnlinePIN, error) {
	pin, err := p.enter(ctx, pr)
	if err != nil {
		return emv.OnlinePIN{}, err
	}
	block, ksn, err := p.encipher(pin, pr.PAN)
	if err != nil {
		return emv.OnlinePIN{}, errors.Join(emv.ErrPINPadUnavailable, err)
	}
	return emv.OnlinePIN{Block: block, KSN: ksn[:]}, nil
}

func (p *PINPad) enter(ctx context.Context, pr emv.PINPrompt) (string, error) {
	if p.Enter == nil {
		return "", emv.ErrPINPadUnavailable
	}
	return p.Enter(ctx, pr)
}

// encipher takes the next key, records the device state, and only then
// enciphers the PIN.
func (p *PINPad) encipher(pin, pan string) ([]byte, dukpt.KSN, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	tx, err := p.dev.Next()
	if err != nil {
		return nil, dukpt.KSN{}, err
	}
	defer tx.Clear()
	if err := p.save(); err != nil {
		return nil, dukpt.KSN{}, err
	}
	block, err := tx.EncryptPINWith(&pinblock.Config{Rand: p.Rand}, pinblock.ISO0, pin, pan)
	if err != nil {
		return nil, dukpt.KSN{}, err
	}
	return block, tx.KSN(), nil
}
