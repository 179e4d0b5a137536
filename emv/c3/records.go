package c3

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// ErrPANMismatch: the PAN of the track 2 equivalent data (57) differs from
// the application PAN (5A).
var ErrPANMismatch = errors.New("c3: PAN of track 2 equivalent data differs from the application PAN")

// readApplicationData reads the records of the AFL, if the card sent one
// (Book C-3 5.4); the records flagged for ODA make the static data. The
// PAN of 57 must be that of 5A when both are present (Annex A).
func (s *state) readApplicationData() *entrypoint.Outcome {
	if len(s.afl) == 0 {
		return nil
	}
	s.tr.Begin("C-3 read application data")
	static, err := s.a.ReadRecords(s.afl, s.card)
	if err != nil {
		return endApplication(err)
	}
	s.static = static
	if pan, ok := s.card[0x5A]; ok {
		t2, err := emv.ParseTrack2Equivalent(s.card[0x57])
		if err != nil {
			return endApplication(fmt.Errorf("%w: track 2 equivalent data: %w", entrypoint.ErrCardData, err))
		}
		p := strings.TrimRight(fmt.Sprintf("%X", pan), "F")
		if subtle.ConstantTimeCompare([]byte(p), []byte(t2.PAN)) != 1 {
			return endApplication(ErrPANMismatch)
		}
	}
	return nil
}
