package c3

import (
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/oda"
)

// offlineDataAuthentication performs fDDA on an offline approval (Book C-3
// 5.6): the ICC public key from the records, then the signature of the GPO
// response (9F4B) over the unpredictable number and, in version 01, the
// amount, the currency and the card authentication related data (9F69).
// On failure the CTQ decides: online, another interface, or decline.
func (s *state) offlineDataAuthentication() *entrypoint.Outcome {
	if s.cid.Type() != emv.TC {
		return nil
	}
	s.tr.Begin("C-3 fDDA")
	err := s.fdda()
	if err == nil {
		s.odaOK = true
		s.tr.Note("fDDA successful")
		return nil
	}
	s.tr.Note("fDDA failed: %v", err)
	switch {
	case s.hasCTQ && s.ctq.Has(CTQOnlineIfODAFails) && !s.ttq.Has(entrypoint.TTQOfflineOnly):
		s.cid = emv.ARQC
		return nil
	case s.hasCTQ && s.ctq.Has(CTQSwitchInterfaceIfODAFails) && s.ttq.Has(entrypoint.TTQEMVContact):
		return &entrypoint.Outcome{Type: entrypoint.TryAnotherInterface, AlternateInterface: true, Err: err}
	}
	return &entrypoint.Outcome{Type: entrypoint.Declined, Err: err}
}

func (s *state) fdda() error {
	if !s.aip.Has(emv.AIPDDA) {
		return fmt.Errorf("%w: card does not support fDDA", entrypoint.ErrODA)
	}
	sdad, ok := s.card[0x9F4B]
	if !ok {
		return fmt.Errorf("%w: no signed dynamic application data (9F4B)", entrypoint.ErrODA)
	}
	icc, err := s.a.ICCPublicKey(s.card, s.static)
	if err != nil {
		return err
	}
	d := oda.FDDA{UN: s.un, Amount: s.term[0x9F02], Currency: s.term[0x5F2A], CardAuthData: s.card[0x9F69]}
	r, err := oda.VerifyFDDA(icc, sdad, d)
	if err != nil {
		return fmt.Errorf("%w: %w", entrypoint.ErrODA, err)
	}
	s.card[0x9F4C] = r.IDN
	return nil
}
