package c2

import (
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// cvmSelection is procedure 7.5 of Book C-2. It first sets the CVM
// capability byte of 9F33 from the CVM required limit, then walks the
// CVM list when the card supports cardholder verification.
func (s *state) cvmSelection() *entrypoint.Outcome {
	s.tr.Begin("C-2 CVM selection")
	if s.a.Indicators.CVMRequiredLimitExceeded {
		s.caps[1] = s.k.CVMRequired
	} else {
		s.caps[1] = s.k.NoCVMRequired
	}
	s.tr.Note("terminal capabilities %X", s.caps[:])
	defer func() { s.tr.Note("CVM %v, CVM results %X", s.cvm, s.cvmResult[:]) }()
	if !s.aip.Has(emv.AIPCardholderVerification) {
		s.cvm, s.cvmResult = entrypoint.NoCVM, emv.CVMResults{0x3F, 0x00, 0x00}
		return nil
	}
	raw, ok := s.card[0x8E]
	list, err := emv.ParseCVMList(raw)
	if !ok || err != nil || len(list.Rules) == 0 {
		s.cvm, s.cvmResult = entrypoint.NoCVM, emv.CVMResults{0x3F, 0x00, 0x00}
		s.tvr.Set(emv.TVRICCDataMissing)
		return nil
	}
	for i, r := range list.Rules {
		if !s.conditionSatisfied(r.Condition, &list) {
			continue
		}
		if s.perform(r) {
			return nil
		}
		if !r.ApplySucceeding || i == len(list.Rules)-1 {
			break
		}
	}
	s.cvm, s.cvmResult = entrypoint.NoCVM, emv.CVMResults{0x3F, 0x00, 0x01}
	s.tvr.Set(emv.TVRCardholderVerificationFailed)
	return nil
}

// perform applies a rule whose condition holds and tells whether CVM
// selection ends with it.
func (s *state) perform(r emv.CVRule) bool {
	res := func(result byte) emv.CVMResults { return emv.CVMResults{byte(r.Code), byte(r.Condition), result} }
	switch r.Code {
	case emv.CVMFail:
		s.cvm, s.cvmResult = entrypoint.NoCVM, res(0x01)
		s.tvr.Set(emv.TVRCardholderVerificationFailed)
		return true
	case emv.CVMEncipheredPINOnline:
		if s.caps.Has(emv.CapEncipheredPINOnline) {
			s.cvm, s.cvmResult = entrypoint.OnlinePIN, res(0x00)
			s.tvr.Set(emv.TVROnlinePINEntered)
			return true
		}
	case emv.CVMSignature:
		if s.caps.Has(emv.CapSignature) {
			s.cvm, s.cvmResult = entrypoint.Signature, res(0x00)
			return true
		}
	case emv.CVMNoCVMRequired:
		if s.caps.Has(emv.CapNoCVMRequired) {
			s.cvm, s.cvmResult = entrypoint.NoCVM, res(0x02)
			return true
		}
	case emv.CVMPlaintextPIN, emv.CVMPlaintextPINAndSignature, emv.CVMEncipheredPINOffline, emv.CVMEncipheredPINOfflineAndSignature:
		// offline PIN: never in contactless
	default:
		s.tvr.Set(emv.TVRUnrecognisedCVM)
	}
	return false
}

// conditionSatisfied evaluates a CVM condition code (Book 3 Annex C3).
func (s *state) conditionSatisfied(c emv.CVMCondition, l *emv.CVMList) bool {
	txn := s.a.Transaction
	cash := txn.Type == emv.TransactionType(0x01)
	sameCurrency := func() bool {
		cur, ok := s.card[0x9F42]
		return ok && len(cur) == 2 && [2]byte(cur) == txn.Currency
	}
	switch c {
	case 0x00:
		return true
	case 0x01:
		return cash && s.k.Terminal.Unattended()
	case 0x02:
		return !cash && txn.Cashback == 0
	case 0x03:
		// "if terminal supports the CVM": the rule's CVM is checked
		// against 9F33 by perform.
		return true
	case 0x04:
		return cash && !s.k.Terminal.Unattended()
	case 0x05:
		return txn.Cashback > 0
	case 0x06:
		return sameCurrency() && txn.Amount < uint64(l.X)
	case 0x07:
		return sameCurrency() && txn.Amount > uint64(l.X)
	case 0x08:
		return sameCurrency() && txn.Amount < uint64(l.Y)
	case 0x09:
		return sameCurrency() && txn.Amount > uint64(l.Y)
	}
	return false
}
