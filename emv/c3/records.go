package c3

import "github.com/posflow/posflow/emv/entrypoint"

// readApplicationData reads the records of the AFL, if the card sent one
// (Book C-3 5.4); the records flagged for ODA make the static data.
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
	return nil
}
