package pos

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv"
)

func openTestPad(t *testing.T, path string) *PINPad {
	t.Helper()
	ik, err := dukpt.TDESInitialKey(testBDK, testIKSN[:])
	if err != nil {
		t.Fatal(err)
	}
	p, err := OpenPINPad(path, ik, testIKSN)
	if err != nil {
		t.Fatal(err)
	}
	p.Enter = func(context.Context, emv.PINPrompt) (string, error) { return "4321", nil }
	return p
}

// TestPINPadRestart checks that a PIN pad restarted from its state file
// never uses a DUKPT key twice, including after a "crash" right after a key
// was taken, and that the host deciphers every block.
func TestPINPadRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pinpad.state")
	host, err := dukpt.NewTDESHost(testBDK, dukpt.HostConfig{})
	if err != nil {
		t.Fatal(err)
	}
	const pan = "4761739001010119"
	seen := map[dukpt.KSN]bool{}
	ctx := context.Background()
	for restart := range 4 {
		p := openTestPad(t, path)
		if restart > 0 && seen[p.KSN()] {
			t.Fatalf("restart %d: next KSN %X already used", restart, p.KSN())
		}
		for range 3 {
			op, err := p.OnlinePIN(ctx, emv.PINPrompt{PAN: pan, TriesLeft: -1})
			if err != nil {
				t.Fatal(err)
			}
			ksn, err := dukpt.ParseKSN(op.KSN)
			if err != nil {
				t.Fatal(err)
			}
			if seen[ksn] {
				t.Fatalf("restart %d: KSN %X used twice", restart, ksn)
			}
			seen[ksn] = true
			tx, err := host.Transaction(ksn)
			if err != nil {
				t.Fatal(err)
			}
			if pin, err := tx.DecryptPIN(0, op.Block, pan); err != nil || pin != "4321" {
				t.Fatalf("host deciphers KSN %X: %v", ksn, err)
			}
			// The state on disk is already past the key just used: a
			// crash now would not reuse it.
			again := openTestPad(t, path)
			if k := again.KSN(); seen[k] {
				t.Fatalf("state file after KSN %X gives used KSN %X", ksn, k)
			}
		}
	}
	if len(seen) != 12 {
		t.Errorf("%d distinct keys, want 12", len(seen))
	}
}

// TestPINPadBadState checks that a damaged state file stops the PIN pad
// instead of starting over from the initial key.
func TestPINPadBadState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pinpad.state")
	openTestPad(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ik, _ := dukpt.TDESInitialKey(testBDK, testIKSN[:])
	if _, err := OpenPINPad(path, ik, testIKSN); !errors.Is(err, ErrPINPadState) {
		t.Errorf("OpenPINPad(damaged state) = %v, want ErrPINPadState", err)
	}
}

func TestPINPadBypass(t *testing.T) {
	p := openTestPad(t, filepath.Join(t.TempDir(), "pinpad.state"))
	p.Enter = ScriptedPINs()
	before := p.KSN()
	if _, err := p.OnlinePIN(context.Background(), emv.PINPrompt{PAN: "4761739001010119"}); !errors.Is(err, emv.ErrPINBypass) {
		t.Errorf("OnlinePIN with no PIN typed = %v, want ErrPINBypass", err)
	}
	if p.KSN() != before {
		t.Error("a bypassed PIN consumed a key")
	}
}
