package c3

import (
	"bytes"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// cardholderVerification chooses the CVM from the CTQ and the TTQ (Book
// C-3 5.7): online PIN, consumer device CVM, signature, or none. A CVM
// the reader required but that cannot be performed declines.
func (s *state) cardholderVerification() *entrypoint.Outcome {
	s.tr.Begin("C-3 cardholder verification")
	online := s.cid.Type() == emv.ARQC
	required := s.ttq.Has(entrypoint.TTQCVMRequired)
	switch {
	case s.hasCTQ && s.ctq.Has(CTQOnlinePINRequired) && s.ttq.Has(entrypoint.TTQOnlinePIN):
		// 5.7.1.2: online PIN takes the transaction online, a TC too.
		if !online {
			s.tr.Note("online PIN required: online")
			s.cid = emv.ARQC
		}
		s.cvm = entrypoint.OnlinePIN
	case s.hasCTQ && s.ctq.Has(CTQConsumerDeviceCVM):
		// The CTQ copy in 9F69 is signed by fDDA; without it only an
		// online cryptogram vouches for the consumer device CVM.
		switch confirmed, copied := s.cdcvmConfirmed(); {
		case copied && !confirmed:
			return s.decline("consumer device CVM: the CTQ differs from its copy in 9F69")
		case !copied && !online:
			return s.decline("consumer device CVM on an offline approval without the CTQ copy in 9F69")
		}
		s.cvm = entrypoint.ConfirmationCodeVerified
	case s.hasCTQ && s.ctq.Has(CTQSignatureRequired) && s.ttq.Has(entrypoint.TTQSignature):
		s.cvm = entrypoint.Signature
	case !s.hasCTQ && required && s.ttq.Has(entrypoint.TTQSignature):
		s.cvm = entrypoint.Signature
	case !s.hasCTQ && required && online && s.ttq.Has(entrypoint.TTQOnlinePIN):
		s.cvm = entrypoint.OnlinePIN
	case required:
		return s.decline("CVM required and none possible")
	default:
		s.cvm = entrypoint.NoCVM
	}
	s.tr.Note("CVM %v", s.cvm)
	return nil
}

// cdcvmConfirmed compares the CTQ with its copy in the card authentication
// related data (9F69 bytes 6-7, fDDA version 01), which the signature
// covers; copied is false when 9F69 holds no copy.
func (s *state) cdcvmConfirmed() (confirmed, copied bool) {
	cad := s.card[0x9F69]
	if len(cad) < 7 {
		return false, false
	}
	return bytes.Equal(cad[5:7], s.ctq[:]), true
}

func (s *state) decline(reason string) *entrypoint.Outcome {
	s.tr.Note("%s", reason)
	return &entrypoint.Outcome{Type: entrypoint.Declined, Err: ErrCVM}
}
