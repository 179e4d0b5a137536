package c3

import (
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// outcome turns the card's decision into the outcome of Book C-3 5.8: a TC
// that passed fDDA is approved, an ARQC is an online request, an AAC a
// decline.
func (s *state) outcome() *entrypoint.Outcome {
	s.tr.Begin("C-3 outcome")
	o := &entrypoint.Outcome{CVM: s.cvm}
	switch s.cid.Type() {
	case emv.TC:
		o.Type = entrypoint.Approved
		if s.cvm == entrypoint.Signature {
			o.Receipt = true
			o.UIRequest = &entrypoint.UIRequest{Message: entrypoint.MsgApprovedSign, Status: entrypoint.StatusCardRead}
		}
	case emv.ARQC:
		o.Type = entrypoint.OnlineRequest
		// 5.8.1.2: a reader and a card that both support issuer update
		// processing ask for a second tap after the online response.
		if s.ttq.Has(entrypoint.TTQIssuerUpdate) && s.hasCTQ && s.ctq.Has(CTQIssuerUpdate) {
			o.Start = entrypoint.StartB
		}
		if s.cvm == entrypoint.OnlinePIN {
			o.UIRequest = &entrypoint.UIRequest{Message: entrypoint.MsgEnterPIN, Status: entrypoint.StatusCardRead}
		}
	default:
		o.Type, o.CVM = entrypoint.Declined, entrypoint.CVMNA
	}
	return s.finish(o)
}

// finish adds the data record to every outcome that reached the card's
// decision.
func (s *state) finish(o *entrypoint.Outcome) *entrypoint.Outcome {
	if _, ok := s.card[0x9F26]; !ok {
		return o
	}
	tags := s.k.DataRecord
	if tags == nil {
		tags = DefaultDataRecord
	}
	o.SetDataRecord(tags, s.card, s.term)
	return o
}
