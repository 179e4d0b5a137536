package c2

import (
	"bytes"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// processingRestrictions is procedure 7.7 of Book C-2: the application
// version is not compared (contactless readers do not hold one per
// card), the effective and expiration dates set their TVR bits.
func (s *state) processingRestrictions() *entrypoint.Outcome {
	s.tr.Begin("C-2 processing restrictions")
	today := s.term[0x9A]
	if eff, ok := s.card[0x5F25]; ok && len(eff) == 3 && dateCompare(eff, today) > 0 {
		s.tvr.Set(emv.TVRApplicationNotYetEffective)
	}
	if exp := s.card[0x5F24]; len(exp) == 3 && dateCompare(exp, today) < 0 {
		s.tvr.Set(emv.TVRExpiredApplication)
	}
	return nil
}

// dateCompare compares YYMMDD dates, 00-49 being 2000-2049.
func dateCompare(a, b []byte) int {
	ya, yb := yy(a), yy(b)
	if ya != yb {
		return ya - yb
	}
	return bytes.Compare(a[1:], b[1:])
}

func yy(d []byte) int {
	y := int(d[0]>>4)*10 + int(d[0]&15)
	if y < 50 {
		y += 100
	}
	return y
}
