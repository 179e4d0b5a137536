package cardsim_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
)

func TestQVSDCCryptogramVerifies(t *testing.T) {
	const pan = "4761739001010903"
	for _, tt := range []struct {
		name    string
		limit   uint64
		decline bool
	}{{"ARQC", 0, false}, {"TC", 5000, false}, {"AAC", 0, true}} {
		t.Run(tt.name, func(t *testing.T) {
			card, _, err := cardsim.NewQVSDC(cardsim.QVSDCProfile{
				Rand: rand.NewChaCha8([32]byte{1}), PAN: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x09, 0x03},
				Expiry: [3]byte{0x30, 0x12, 0x31}, OfflineLimit: tt.limit, Decline: tt.decline,
			})
			if err != nil {
				t.Fatal(err)
			}
			gpo := append([]byte{0x80, 0xA8, 0, 0, 35, 0x83, 33, 0x26, 0, 0, 0}, terminalData...)
			r, err := card.Transmit(append(gpo, 0))
			if err != nil {
				t.Fatal(err)
			}
			m := withTerminal(response(t, r), cardsim.QVSDCAID)
			cvn, err := issuer.Verify(cardsim.TestIMK, pan, cardsim.QVSDCPSN, m)
			if err != nil || cvn != issuer.VisaCVN18 {
				t.Fatalf("Verify = %v, %v; want Visa CVN 18", cvn, err)
			}
			// Another IMK does not verify it.
			other := bytes.Clone(cardsim.TestIMK)
			other[0] ^= 0x02
			if _, err := issuer.Verify(other, pan, cardsim.QVSDCPSN, m); !errors.Is(err, issuer.ErrMismatch) {
				t.Errorf("Verify under another IMK = %v, want ErrMismatch", err)
			}
		})
	}
}
