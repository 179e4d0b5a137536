package c2

import (
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// terminalActionAnalysis is Book 3 10.7 as Book C-2 applies it: denial
// codes first, then online codes on a terminal that can go online, default
// codes on one that cannot. It decides the reference control parameter of
// GENERATE AC, with CDA asked for a TC or an ARQC when both sides support
// it.
func (s *state) terminalActionAnalysis() *entrypoint.Outcome {
	s.tr.Begin("C-2 terminal action analysis")
	iac := func(t uint32, absent byte) emv.TVR {
		v, ok := s.card[tagOf(t)]
		if !ok || len(v) != 5 {
			return emv.TVR{absent, absent, absent, absent, absent}
		}
		return emv.TVR(v)
	}
	match := func(tac, iac emv.TVR) bool {
		for i := range s.tvr {
			if s.tvr[i]&(tac[i]|iac[i]) != 0 {
				return true
			}
		}
		return false
	}
	switch {
	case match(s.k.TACDenial, iac(0x9F0E, 0x00)):
		s.p1 = emv.RequestAAC
	case !s.k.Terminal.OfflineOnly() && match(s.k.TACOnline, iac(0x9F0F, 0xFF)):
		s.p1 = emv.RequestARQC
	case s.k.Terminal.OfflineOnly() && match(s.k.TACDefault, iac(0x9F0D, 0xFF)):
		s.p1 = emv.RequestAAC
	default:
		s.p1 = emv.RequestTC
	}
	if s.p1 != emv.RequestAAC && s.aip.Has(emv.AIPCDA) && s.k.Security&0x08 != 0 {
		s.cda = true
		s.p1 |= emv.RequestCDA
	} else {
		s.tvr.Set(emv.TVROfflineDataAuthNotPerformed)
	}
	s.tr.Note("TVR %X, GENERATE AC P1 %02X", s.tvr[:], s.p1)
	return nil
}

func tagOf(t uint32) tlv.Tag { return tlv.Tag(t) }
