package entrypoint

import (
	"errors"
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// PPSE is the name of the Proximity Payment System Environment,
// "2PAY.SYS.DDF01" (Book B 3.3.2).
var PPSE = []byte("2PAY.SYS.DDF01")

// ErrPPSE is wrapped by the errors of ParsePPSE.
var ErrPPSE = errors.New("entrypoint: malformed PPSE")

// A DirectoryEntry is one entry (61) of the FCI issuer discretionary data
// of the PPSE (Book B Table 3-3). Its slices alias the FCI.
type DirectoryEntry struct {
	// Raw is the whole template 61 as received.
	Raw []byte
	// ADFName is 4F; Label 50; Priority 87 (0 when absent).
	ADFName  []byte
	Label    []byte
	Priority byte
	// KernelID is the kernel identifier 9F2A as received, nil when absent.
	KernelID []byte
	// ExtendedSelection is 9F29, nil when absent.
	ExtendedSelection []byte
}

// ParsePPSE parses the response to SELECT of the PPSE: the FCI template 6F
// with a DF name (84), a proprietary template (A5) and in it the FCI issuer
// discretionary data (BF0C), whose directory entries (61) it returns in the
// card's order. The FCI must be well formed (emv.ParseFCI, strict BER-TLV);
// the directory entries are returned as they are: combination selection
// skips those it cannot use (Book B 3.3.2.5).
func ParsePPSE(b []byte) ([]DirectoryEntry, error) {
	fci, err := emv.ParseFCI(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPPSE, err)
	}
	if fci.Discretionary == nil {
		return nil, fmt.Errorf("%w: no FCI issuer discretionary data (BF0C)", ErrPPSE)
	}
	var entries []DirectoryEntry
	c := tlv.NewCursor(fci.Discretionary)
	for c.Next() {
		if c.Tag() != 0x61 {
			continue
		}
		e := DirectoryEntry{Raw: c.Object().Raw}
		in := c.Children()
		for in.Next() {
			switch v := in.Value(); in.Tag() {
			case 0x4F:
				e.ADFName = v
			case 0x50:
				e.Label = v
			case 0x87:
				if len(v) != 1 {
					return nil, fmt.Errorf("%w: directory entry %d: priority (87) not 1 byte", ErrPPSE, len(entries)+1)
				}
				e.Priority = v[0]
			case 0x9F2A:
				e.KernelID = v
			case 0x9F29:
				e.ExtendedSelection = v
			}
		}
		if err := in.Err(); err != nil {
			return nil, fmt.Errorf("%w: directory entry %d: %w", ErrPPSE, len(entries)+1, err)
		}
		entries = append(entries, e)
	}
	if err := c.Err(); err != nil {
		return nil, fmt.Errorf("%w: BF0C: %w", ErrPPSE, err)
	}
	return entries, nil
}

// ppse is Start B after protocol activation: SELECT of the PPSE
// (3.3.2.2) and combination selection (3.3.2.5). Without a PPSE, or with no
// matching entry, the tap ends: End Application.
func (s *state) ppse() *Outcome {
	s.begin("PPSE")
	r, err := s.tr.Exchange(s.card, emv.Select(PPSE, false))
	if err != nil {
		return &Outcome{Type: TryAgain, Start: StartB, Err: err}
	}
	if r.SW != emv.SWSuccess {
		return &Outcome{Type: EndApplication, Err: fmt.Errorf("%w: %w", ErrNoPPSE, r.SW)}
	}
	entries, err := ParsePPSE(r.Data)
	if err != nil {
		return &Outcome{Type: EndApplication, Err: fmt.Errorf("%w: %w", ErrNoPPSE, err)}
	}
	s.begin("combination selection")
	s.candidates = s.combinationSelection(entries)
	if len(s.candidates) == 0 {
		return &Outcome{Type: EndApplication, Err: ErrNoCandidate}
	}
	return nil
}
