package c3

import (
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// initiateApplicationProcessing builds the PDOL data with the TTQ and the
// unpredictable number, sends GET PROCESSING OPTIONS and reads the card's
// decision from the response (Book C-3 5.2, 5.3).
func (s *state) initiateApplicationProcessing() *entrypoint.Outcome {
	s.tr.Begin("C-3 initiate application processing")
	a := s.a
	s.term = a.TerminalData()
	t := &s.k.Terminal
	s.term[0x9F1A] = t.CountryCode[:]
	s.term[0x9F35] = []byte{t.Type}
	s.term[0x9F33] = t.Capabilities[:]
	s.term[0x9F40] = t.AdditionalCapabilities[:]
	s.term[0x95] = make([]byte, 5)
	for tag, v := range s.k.Data {
		s.term[tag] = v
	}
	if !a.Indicators.TTQPresent || !pdolHas(a.FCI.PDOL, 0x9F66) {
		return endApplication(ErrNoTTQ)
	}
	s.ttq = a.Indicators.TTQ
	s.term[0x9F66] = s.ttq[:]
	un, err := a.UnpredictableNumber()
	if err != nil {
		return endApplication(err)
	}
	s.un = un
	s.term[0x9F37] = un
	if s.pdolData, err = emv.AppendDOLData(nil, a.FCI.PDOL, s.value); err != nil {
		return endApplication(fmt.Errorf("%w: PDOL: %w", entrypoint.ErrCardData, err))
	}
	r, err := s.tr.Exchange(a.Card, emv.GetProcessingOptions(s.pdolData))
	if err != nil {
		return &entrypoint.Outcome{Type: entrypoint.TryAgain, Start: entrypoint.StartB, Err: err}
	}
	switch r.SW {
	case emv.SWSuccess:
	case 0x6984:
		return &entrypoint.Outcome{Type: entrypoint.TryAnotherInterface, AlternateInterface: true, Err: r.SW}
	case 0x6985:
		return &entrypoint.Outcome{Type: entrypoint.SelectNext, Start: entrypoint.StartC, Err: r.SW}
	case 0x6986:
		return &entrypoint.Outcome{Type: entrypoint.TryAgain, Start: entrypoint.StartB, Err: r.SW,
			UIRequest: &entrypoint.UIRequest{Message: entrypoint.MsgSeePhone, Status: entrypoint.StatusNotReady, HoldTime: 13}}
	default:
		return endApplication(r.SW)
	}
	g, err := ParseGPOResponse(r.Data)
	if err != nil {
		return endApplication(err)
	}
	if err := s.card.Store(g.Template); err != nil {
		return endApplication(err)
	}
	s.aip = g.AIP
	s.afl = g.AFL
	s.ctq, s.hasCTQ = g.CTQ, g.HasCTQ
	s.cid = g.CID
	if _, ok := s.card[0x9F27]; !ok {
		s.card[0x9F27] = []byte{byte(g.CID)} // for the data record
	}
	s.tr.Note("cryptogram %v", s.cid.Type())
	// 5.4.3.2: a TC while the reader asked for an online cryptogram goes
	// online all the same.
	if s.cid.Type() == emv.TC && s.ttq.Has(entrypoint.TTQOnlineCryptogram) {
		s.tr.Note("TC while the reader required an online cryptogram: online")
		s.cid = emv.ARQC
	}
	return nil
}

// A GPOResponse is the response of a qVSDC card to GET PROCESSING OPTIONS
// (Book C-3 5.3): template 77 with the card's decision. Its slices alias
// the response.
type GPOResponse struct {
	// Raw is the response data as received; Template the value of 77.
	Raw, Template []byte
	AIP           emv.AIP
	// AFL is the parsed AFL (94); nil when the card sent none, as a
	// qVSDC card going online may.
	AFL []emv.AFLEntry
	// CID is the cryptogram type: 9F27 when present, else from the issuer
	// application data.
	CID emv.CID
	// CTQ is 9F6C when HasCTQ.
	CTQ    CTQ
	HasCTQ bool
}

// ParseGPOResponse parses a qVSDC GPO response: one format 2 template (77),
// nothing after it, with the AIP (82), track 2 equivalent data (57), the
// issuer application data (9F10), the application cryptogram (9F26) and the
// ATC (9F36), and optionally the AFL (94), 9F27, the CTQ (9F6C) and the
// signed dynamic application data (9F4B); each at most once. A format 1
// response (80) is ErrFormat1.
func ParseGPOResponse(b []byte) (*GPOResponse, error) {
	c := tlv.NewCursor(b)
	if !c.Next() {
		if err := c.Err(); err != nil {
			return nil, fmt.Errorf("%w: GPO: %w", entrypoint.ErrCardData, err)
		}
		return nil, fmt.Errorf("%w: GPO: empty response", entrypoint.ErrCardData)
	}
	switch c.Tag() {
	case 0x77:
	case 0x80:
		return nil, ErrFormat1
	default:
		return nil, fmt.Errorf("%w: GPO: template %X", entrypoint.ErrCardData, uint32(c.Tag()))
	}
	r := &GPOResponse{Raw: b, Template: c.Value()}
	if c.Next() || c.Err() != nil {
		return nil, fmt.Errorf("%w: GPO: data after template 77", entrypoint.ErrCardData)
	}
	var seen [len(gpoTags)][]byte
	in := tlv.NewCursor(r.Template)
	for in.Next() {
		for i, t := range gpoTags {
			if in.Tag() != t {
				continue
			}
			if seen[i] != nil {
				return nil, fmt.Errorf("%w: GPO: tag %X twice", entrypoint.ErrCardData, uint32(t))
			}
			seen[i] = in.Value()
		}
	}
	if err := in.Err(); err != nil {
		return nil, fmt.Errorf("%w: GPO: %w", entrypoint.ErrCardData, err)
	}
	aip, afl, track2, iad, ac, atc, cid, ctq := seen[0], seen[1], seen[2], seen[3], seen[4], seen[5], seen[6], seen[7]
	for i, v := range [...][]byte{aip, nil, track2, iad, ac, atc} {
		if v == nil && i != 1 {
			return nil, fmt.Errorf("%w: GPO: tag %X", ErrMissingData, uint32(gpoTags[i]))
		}
	}
	if len(aip) != 2 || len(ac) != 8 || len(atc) != 2 {
		return nil, fmt.Errorf("%w: GPO: AIP, cryptogram or ATC of the wrong length", entrypoint.ErrCardData)
	}
	r.AIP = emv.AIP(aip)
	if len(afl) > 0 {
		var err error
		if r.AFL, err = emv.ParseAFL(afl); err != nil {
			return nil, fmt.Errorf("%w: GPO: %w", entrypoint.ErrCardData, err)
		}
	}
	if ctq != nil {
		if len(ctq) != 2 {
			return nil, fmt.Errorf("%w: GPO: CTQ not 2 bytes", entrypoint.ErrCardData)
		}
		r.CTQ, r.HasCTQ = CTQ(ctq), true
	}
	if cid != nil {
		if len(cid) != 1 {
			return nil, fmt.Errorf("%w: GPO: CID not 1 byte", entrypoint.ErrCardData)
		}
		r.CID = emv.CID(cid[0])
	} else {
		var err error
		if r.CID, err = cidFromIAD(iad); err != nil {
			return nil, err
		}
	}
	if r.CID.Type() == 0xC0 {
		return nil, ErrCryptogram
	}
	return r, nil
}

// gpoTags are the data objects ParseGPOResponse looks at, in the order
// it unpacks them.
var gpoTags = [...]tlv.Tag{0x82, 0x94, 0x57, 0x9F10, 0x9F26, 0x9F36, 0x9F27, 0x9F6C, 0x9F4B}

// cidFromIAD reads the cryptogram type from CVR byte 2 bits 6-5 (00 AAC,
// 01 TC, 10 ARQC) of a Visa issuer application data: byte 5 in formats
// 0, 1 and 3 (first byte 06 or 1F, CVR length 03 at byte 4).
func cidFromIAD(iad []byte) (emv.CID, error) {
	if len(iad) < 5 || (iad[0] != 0x06 && iad[0] != 0x1F) {
		return 0, fmt.Errorf("%w: no 9F27 and issuer application data of unknown format", ErrCryptogram)
	}
	switch iad[4] >> 4 & 3 {
	case 0:
		return emv.AAC, nil
	case 1:
		return emv.TC, nil
	case 2:
		return emv.ARQC, nil
	}
	return 0, ErrCryptogram
}

func pdolHas(dol []byte, t tlv.Tag) bool {
	entries, err := emv.ParseDOL(dol)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.Tag == t {
			return true
		}
	}
	return false
}
