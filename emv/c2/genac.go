package c2

import (
	"bytes"
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// generateAC sends GENERATE AC with the CDOL1 data (Book C-2 S9) and, with
// CDA, retrieves the ICC public key and checks the signed dynamic data:
// the cryptogram is taken from inside the signature (Book 2 6.6).
func (s *state) generateAC() *entrypoint.Outcome {
	s.tr.Begin("C-2 GENERATE AC")
	var err error
	if s.cdolData, err = emv.AppendDOLData(nil, s.card[0x8C], s.value); err != nil {
		return endApplication(fmt.Errorf("%w: CDOL1: %w", entrypoint.ErrCardData, err))
	}
	r, err := s.tr.Exchange(s.a.Card, emv.GenerateAC(s.p1, s.cdolData))
	if err != nil {
		return &entrypoint.Outcome{Type: entrypoint.TryAgain, Start: entrypoint.StartB, Err: err}
	}
	if r.SW != emv.SWSuccess {
		return endApplication(r.SW)
	}
	g, err := emv.ParseGenerateACResponse(r.Data)
	if err != nil {
		return endApplication(fmt.Errorf("%w: %w", entrypoint.ErrCardData, err))
	}
	s.genac = g
	s.card[0x9F27] = []byte{byte(g.CID)}
	s.card[0x9F36] = g.ATC[:]
	if g.IAD != nil {
		s.card[0x9F10] = g.IAD
	}
	if g.AC != nil {
		s.card[0x9F26] = g.AC
	}
	for c := tlv.NewCursor(g.Template); c.Next(); {
		if c.Tag() == 0xDF4B {
			s.card[0xDF4B] = c.Value()
		}
	}
	s.tr.Note("card returned %v", g.CID)
	if !s.cda || g.CID.Type() == emv.AAC && g.SDAD == nil {
		if g.AC == nil {
			return endApplication(fmt.Errorf("%w: application cryptogram (9F26)", ErrMissingData))
		}
		return nil
	}
	if err := s.combinedDDA(); err != nil {
		s.tvr.Set(emv.TVRCDAFailed)
		s.tr.Note("%v", err)
		return &entrypoint.Outcome{Type: entrypoint.Declined, Err: err}
	}
	s.tr.Note("CDA successful")
	return nil
}

func (s *state) combinedDDA() error {
	icc, err := s.a.ICCPublicKey(s.card, s.static)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCDA, err)
	}
	sdad, err := oda.VerifyCDA(icc, oda.CDA{UN: s.un, PDOLData: s.pdolData, CDOL1Data: s.cdolData, Response: s.genac.Raw})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCDA, err)
	}
	if s.genac.AC != nil && !bytes.Equal(s.genac.AC, sdad.AC) {
		return fmt.Errorf("%w: cryptogram 9F26 differs from the signed one", ErrCDA)
	}
	s.card[0x9F26] = sdad.AC
	s.card[0x9F4C] = sdad.IDN
	return nil
}
