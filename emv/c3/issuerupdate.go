package c3

import (
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// issuerUpdate is issuer update processing (Book C-3 5.9), on the second
// tap after an online request with Start B: EXTERNAL AUTHENTICATE with the
// issuer authentication data (91), then the commands (86) of the issuer
// script templates 71 and 72 in the order received. A script stops at its
// first command answered with SW1 other than 90, 62 or 63. The outcome is
// the issuer's decision, with the issuer script results (9F5B) and the
// authorisation response code (8A) in the data record.
func (s *state) issuerUpdate(r *emv.OnlineResponse) *entrypoint.Outcome {
	s.tr.Begin("C-3 issuer update processing")
	if len(r.IssuerAuthData) > 0 {
		resp, err := s.tr.Exchange(s.a.Card, emv.ExternalAuthenticate(r.IssuerAuthData))
		if err != nil {
			return &entrypoint.Outcome{Type: entrypoint.TryAgain, Start: entrypoint.StartB, Err: err}
		}
		s.tr.Note("EXTERNAL AUTHENTICATE: %v", resp.SW)
	}
	results, err := s.scripts(r.Scripts)
	if err != nil {
		return &entrypoint.Outcome{Type: entrypoint.TryAgain, Start: entrypoint.StartB, Err: err}
	}
	o := &entrypoint.Outcome{Type: entrypoint.Declined, CVM: entrypoint.CVMNA}
	if r.Approved {
		o.Type, o.CVM = entrypoint.Approved, entrypoint.NoCVM
	}
	rc := r.ResponseCode
	if rc == ([2]byte{}) {
		rc = [2]byte{'0', '5'}
		if r.Approved {
			rc = [2]byte{'0', '0'}
		}
	}
	o.DataRecord, _ = tlv.AppendTLV(o.DataRecord, 0x8A, rc[:])
	if len(results) > 0 {
		o.DataRecord, _ = tlv.AppendTLV(o.DataRecord, 0x9F5B, results)
	}
	return o
}

// scripts sends the issuer scripts and returns their results: 5 bytes a
// script, the result (1 failed, 2 performed) and the number of the failing
// command in byte 1, the script identifier (9F18) or zeros after it.
func (s *state) scripts(templates []byte) ([]byte, error) {
	var results []byte
	c := tlv.NewCursor(templates)
	for c.Next() {
		if c.Tag() != 0x71 && c.Tag() != 0x72 {
			continue
		}
		var id [4]byte
		result := byte(0x20)
		n := 0
		in := c.Children()
		for in.Next() {
			switch in.Tag() {
			case 0x9F18:
				copy(id[:], in.Value())
			case 0x86:
				if result != 0x20 {
					continue
				}
				n++
				cmd, err := parseCommand(in.Value())
				if err != nil {
					result = 0x10 | byte(min(n, 15))
					s.tr.Note("script command %d: %v", n, err)
					continue
				}
				r, err := s.tr.Exchange(s.a.Card, cmd)
				if err != nil {
					return nil, err
				}
				if sw1 := r.SW.SW1(); sw1 != 0x90 && sw1 != 0x62 && sw1 != 0x63 {
					result = 0x10 | byte(min(n, 15))
				}
			}
		}
		if in.Err() != nil {
			result = 0x10
		}
		results = append(append(results, result), id[:]...)
	}
	if c.Err() != nil {
		s.tr.Note("issuer scripts: %v", c.Err())
	}
	return results, nil
}

// parseCommand reads a command APDU of an issuer script (86).
func parseCommand(b []byte) (emv.Command, error) {
	c, err := emv.ParseCommand(b)
	if err != nil {
		return emv.Command{}, fmt.Errorf("%w: script command: %v", entrypoint.ErrCardData, err)
	}
	return c, nil
}
