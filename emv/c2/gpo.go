package c2

import (
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

// initiateApplicationProcessing builds the terminal data, the PDOL data
// with 9F33 byte 2 still zero, sends GET PROCESSING OPTIONS and reads the
// AIP and the AFL (Book C-2 S1, S3). A card without EMV mode (AIP byte 2
// bit 8) would need mag-stripe mode.
func (s *state) initiateApplicationProcessing() *entrypoint.Outcome {
	s.tr.Begin("C-2 initiate application processing")
	a, k := s.a, s.k
	s.term = a.TerminalData()
	s.term[0x9F1A] = k.Terminal.CountryCode[:]
	s.term[0x9F35] = []byte{k.Terminal.Type}
	s.term[0x9F40] = k.Terminal.AdditionalCapabilities[:]
	s.caps = emv.TerminalCapabilities{k.CardDataInput, 0, k.Security}
	s.term[0x9F33] = s.caps[:]
	s.term[0x95] = s.tvr[:]
	s.term[0x9F34] = s.cvmResult[:]
	for tag, v := range k.Data {
		s.term[tag] = v
	}
	un, err := a.UnpredictableNumber()
	if err != nil {
		return endApplication(err)
	}
	s.un = un
	s.term[0x9F37] = un
	// The transaction data the DOLs use must not change under them:
	// 9F33, 95 and 9F34 alias the state and are read when each DOL is
	// built.
	if s.pdolData, err = emv.AppendDOLData(nil, a.FCI.PDOL, s.value); err != nil {
		return endApplication(fmt.Errorf("%w: PDOL: %w", entrypoint.ErrCardData, err))
	}
	r, err := s.tr.Exchange(a.Card, emv.GetProcessingOptions(s.pdolData))
	if err != nil {
		return &entrypoint.Outcome{Type: entrypoint.TryAgain, Start: entrypoint.StartB, Err: err}
	}
	if r.SW != emv.SWSuccess {
		if r.SW == 0x6985 {
			return &entrypoint.Outcome{Type: entrypoint.SelectNext, Start: entrypoint.StartC, Err: r.SW}
		}
		return endApplication(r.SW)
	}
	g, err := emv.ParseGPOResponse(r.Data)
	if err != nil {
		return endApplication(fmt.Errorf("%w: %w", entrypoint.ErrCardData, err))
	}
	if g.Format2 {
		if err := s.card.Store(g.Template); err != nil {
			return endApplication(err)
		}
	} else {
		s.card[0x82], s.card[0x94] = g.AIP[:], g.AFL
	}
	s.aip = g.AIP
	if s.afl, err = emv.ParseAFL(g.AFL); err != nil {
		return endApplication(fmt.Errorf("%w: %w", entrypoint.ErrCardData, err))
	}
	if s.aip[1]&0x80 == 0 {
		if k.MagstripeModeNotSupported {
			return &entrypoint.Outcome{Type: entrypoint.TryAnotherInterface, AlternateInterface: true, Err: ErrMagstripeMode}
		}
		s.magstripe = true
		s.tr.Note("mag-stripe mode")
		return nil
	}
	// S3.30-S3.32: in EMV mode, the first AFL entry 08010100 is the
	// mag-stripe record; it is dropped unless mag-stripe mode is off.
	if !k.MagstripeModeNotSupported && len(g.AFL) >= 4 &&
		g.AFL[0] == 0x08 && g.AFL[1] == 0x01 && g.AFL[2] == 0x01 && g.AFL[3] == 0x00 {
		s.afl = s.afl[1:]
		s.tr.Note("first AFL entry (mag-stripe record) dropped in EMV mode")
	}
	// Relay resistance is not supported: "not performed" (TVR byte 5
	// bits 2-1 = 01).
	s.tvr[4] |= 0x01
	return nil
}
