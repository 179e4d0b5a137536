package acquirer

import (
	"sync"

	"github.com/posflow/posflow/dukpt"
)

// pinPadOf returns the PIN pad (the hex of its key serial number with the
// transaction counter cleared: 20 digits for TDES, 24 for AES) and the
// transaction counter of a DUKPT KSN from field 53, or "" for a KSN of
// neither length, whose PIN block cannot be deciphered anyway.
func pinPadOf(ksn []byte) (string, int64) {
	switch len(ksn) {
	case 10:
		k, err := dukpt.ParseKSN(ksn)
		if err != nil {
			return "", 0
		}
		return k.Initial().String(), int64(k.Counter())
	case 12:
		k, err := dukpt.ParseAESKSN(ksn)
		if err != nil {
			return "", 0
		}
		return k.Initial().String(), int64(k.Counter())
	}
	return "", 0
}

// pinPadCacheSize bounds the PIN pads a pinPadCache remembers.
const pinPadCacheSize = 4096

// A pinPadCache remembers the last DUKPT counter committed per PIN pad, so
// that a replayed KSN is refused before the security module deciphers its
// PIN block. The counter that counts is the store's (Tx.AdvanceKSN, in the
// request's transaction); the cache only lags it (empty after a restart,
// emptied when full, filled after a commit), so it refuses nothing the
// store would accept. Its zero value is empty and ready.
type pinPadCache struct {
	mu   sync.Mutex
	last map[string]int64
}

// used reports whether counter is not above the last one committed for
// the PIN pad, as far as the cache knows.
func (c *pinPadCache) used(pad string, counter int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	last, ok := c.last[pad]
	return ok && counter <= last
}

// committed records counter, committed as the PIN pad's last.
func (c *pinPadCache) committed(pad string, counter int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil || len(c.last) >= pinPadCacheSize {
		c.last = make(map[string]int64)
	}
	if counter > c.last[pad] {
		c.last[pad] = counter
	}
}
