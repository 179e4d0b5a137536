package pos

import (
	"context"
	"sync"

	"github.com/posflow/posflow/emv"
)

// ScriptedPINs returns a PIN entry that types pins in order, for
// unattended runs; once they are used up it reports emv.ErrPINBypass.
func ScriptedPINs(pins ...string) func(context.Context, emv.PINPrompt) (string, error) {
	var mu sync.Mutex
	return func(context.Context, emv.PINPrompt) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if len(pins) == 0 {
			return "", emv.ErrPINBypass
		}
		p := pins[0]
		pins = pins[1:]
		return p, nil
	}
}
