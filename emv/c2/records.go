package c2

import (
	"fmt"

	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// readApplicationData reads the records of the active AFL (Book C-2 S4,
// S5) and checks the mandatory data: 5A, 5F24, 8C.
func (s *state) readApplicationData() *entrypoint.Outcome {
	s.tr.Begin("C-2 read application data")
	static, err := s.a.ReadRecords(s.afl, s.card)
	if err != nil {
		return endApplication(err)
	}
	s.static = static
	for _, t := range []tlv.Tag{0x5A, 0x5F24, 0x8C} {
		if _, ok := s.card[t]; !ok {
			return endApplication(fmt.Errorf("%w: tag %X", ErrMissingData, uint32(t)))
		}
	}
	return nil
}
