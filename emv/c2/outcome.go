package c2

import (
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// outcome turns the card's cryptogram into the outcome: TC approved, ARQC
// online request, AAC declined (Book C-2 S9 and S910).
func (s *state) outcome() *entrypoint.Outcome {
	s.tr.Begin("C-2 outcome")
	o := &entrypoint.Outcome{CVM: s.cvm}
	switch s.genac.CID.Type() {
	case emv.TC:
		o.Type = entrypoint.Approved
		if s.cvm == entrypoint.Signature {
			o.Receipt = true
			o.UIRequest = &entrypoint.UIRequest{Message: entrypoint.MsgApprovedSign, Status: entrypoint.StatusCardRead}
		}
	case emv.ARQC:
		o.Type = entrypoint.OnlineRequest
		if s.cvm == entrypoint.OnlinePIN {
			o.UIRequest = &entrypoint.UIRequest{Message: entrypoint.MsgEnterPIN, Status: entrypoint.StatusCardRead}
		}
	default:
		o.Type, o.CVM = entrypoint.Declined, entrypoint.CVMNA
		if s.deviceCVMRequired() {
			s.tr.Note("POS cardholder interaction information %X: see phone", s.card[0xDF4B])
			o.Type, o.Start, o.Err = entrypoint.EndApplication, entrypoint.StartB, ErrDeviceCVM
			o.UIRequest = &entrypoint.UIRequest{Message: entrypoint.MsgSeePhone, Status: entrypoint.StatusNotReady, HoldTime: 13}
		}
	}
	return s.finish(o)
}

// deviceCVMRequired reports whether the POS cardholder interaction
// information (DF4B) of an AAC asks for an action on the device: byte 2
// bits 2-1 or byte 3 bits 4-1 (Book C-2 S910, the mask 00030F).
func (s *state) deviceCVMRequired() bool {
	v := s.card[0xDF4B]
	return len(v) == 3 && (v[1]&0x03 != 0 || v[2]&0x0F != 0)
}

// finish adds the data record once the card has returned a cryptogram.
func (s *state) finish(o *entrypoint.Outcome) *entrypoint.Outcome {
	if _, ok := s.card[0x9F27]; !ok {
		return o
	}
	tags := s.k.DataRecord
	if tags == nil {
		tags = DefaultDataRecord
	}
	o.SetDataRecord(tags, s.term, s.card)
	return o
}
