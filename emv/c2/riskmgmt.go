package c2

import (
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// terminalRiskManagement is the floor limit check of Book C-2 7.8: over
// the reader contactless floor limit (the Entry Point indicator), the
// TVR says so.
func (s *state) terminalRiskManagement() *entrypoint.Outcome {
	s.tr.Begin("C-2 terminal risk management")
	if s.a.Indicators.FloorLimitExceeded {
		s.tvr.Set(emv.TVRExceedsFloorLimit)
		s.tr.Note("floor limit exceeded")
	}
	return nil
}
