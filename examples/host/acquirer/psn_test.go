package acquirer

import (
	"testing"

	"github.com/posflow/posflow/tlv"
)

// Both the authorisation and the advice path take the card's PSN from
// field 55 when the seed has none, and never override a seeded one.
func TestWithICCPSN(t *testing.T) {
	seeded := &Card{PAN: "4761739001010119", PSN: "00"}
	if got := withICCPSN(seeded, map[tlv.Tag][]byte{0x5F34: {0x01}}); got != seeded {
		t.Errorf("seeded PSN overridden: %q", got.PSN)
	}
	bare := &Card{PAN: "4761739001010119"}
	got := withICCPSN(bare, map[tlv.Tag][]byte{0x5F34: {0x01}})
	if got.PSN != "01" || bare.PSN != "" {
		t.Errorf("PSN from 5F34 = %q (seed card now %q), want 01 and the seed card unchanged", got.PSN, bare.PSN)
	}
	if got := withICCPSN(bare, map[tlv.Tag][]byte{0x5F34: {0x01, 0x02}}); got != bare {
		t.Error("a malformed 5F34 was used")
	}
	if got := withICCPSN(bare, nil); got != bare {
		t.Error("a PSN was made up")
	}
}
