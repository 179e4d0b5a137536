package c3

import (
	"bytes"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// processingRestrictions checks the application expiration date (5F24) of
// an offline approval (Book C-3 5.5.1.1): an expired card, or one without
// an expiration date, goes online if the CTQ asks for it and the reader
// can, else the transaction is declined.
func (s *state) processingRestrictions() *entrypoint.Outcome {
	if s.cid.Type() != emv.TC {
		return nil
	}
	s.tr.Begin("C-3 processing restrictions")
	exp := s.card[0x5F24]
	today := s.term[0x9A]
	if len(exp) == 3 && (yy(exp) > yy(today) || (yy(exp) == yy(today) && bytes.Compare(exp[1:], today[1:]) >= 0)) {
		return nil
	}
	// An offline approval without a valid expiration date is treated as
	// expired.
	s.tr.Note("application expired, or no expiration date")
	if s.hasCTQ && s.ctq.Has(CTQOnlineIfExpired) && !s.ttq.Has(entrypoint.TTQOfflineOnly) {
		s.cid = emv.ARQC // the TC goes online
		return nil
	}
	return &entrypoint.Outcome{Type: entrypoint.Declined, Err: ErrExpired}
}

// yy is the year of a YYMMDD date: 00-49 are 2000-2049, 50-99 1950-1999.
func yy(d []byte) int {
	y := int(d[0]>>4)*10 + int(d[0]&15)
	if y < 50 {
		y += 100
	}
	return y
}
