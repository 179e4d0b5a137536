package entrypoint

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/posflow/posflow/emv"
)

type candidate struct {
	entry DirectoryEntry
	pre   preprocessed
	order int
}

// defaultKernel is Book B Table 3-6: the kernel of a directory entry
// without a kernel identifier, by RID.
func defaultKernel(aid []byte) (KernelID, bool) {
	if len(aid) < 5 {
		return 0, false
	}
	switch string(aid[:5]) {
	case "\xA0\x00\x00\x00\x04":
		return Kernel2, true
	case "\xA0\x00\x00\x00\x03":
		return Kernel3, true
	case "\xA0\x00\x00\x00\x25":
		return Kernel4, true
	case "\xA0\x00\x00\x00\x65":
		return Kernel5, true
	case "\xA0\x00\x00\x01\x52":
		return Kernel6, true
	case "\xA0\x00\x00\x03\x33":
		return Kernel7, true
	}
	return 0, false
}

// RequestedKernel returns the kernel a directory entry asks for (Book B
// 3.3.2.5): the short kernel identifier of 9F2A for an international or
// domestic identifier, the RID's default when 9F2A is absent or its short
// identifier is 0. ok is false when the entry cannot be used.
func RequestedKernel(e *DirectoryEntry) (id KernelID, ok bool) {
	if len(e.KernelID) == 0 {
		return defaultKernel(e.ADFName)
	}
	k := e.KernelID
	switch k[0] >> 6 {
	case 0, 1: // international: one byte is enough
	default: // domestic (EMVCo format or proprietary): 3 to 8 bytes
		if len(k) < 3 || len(k) > 8 {
			return 0, false
		}
	}
	if k[0]&0x3F == 0 {
		return defaultKernel(e.ADFName)
	}
	return KernelID(k[0] & 0x3F), true
}

// combinationSelection builds the candidate list of Book B 3.3.2.5: for
// each directory entry with a usable ADF name and each allowed combination
// whose AID the ADF name begins with and whose kernel the entry asks for,
// one candidate; then sorted by priority.
func (s *state) combinationSelection(entries []DirectoryEntry) []candidate {
	var list []candidate
	for i := range entries {
		e := &entries[i]
		if len(e.ADFName) < 5 || len(e.ADFName) > 16 {
			s.note("entry %d skipped: ADF name not 5 to 16 bytes", i+1)
			continue
		}
		k, ok := RequestedKernel(e)
		if !ok {
			s.note("entry %d (%X) skipped: no kernel", i+1, e.ADFName)
			continue
		}
		matched := false
		for _, p := range s.allowed {
			if p.comb.Kernel != k || !bytes.HasPrefix(e.ADFName, p.comb.AID) {
				continue
			}
			list = append(list, candidate{entry: *e, pre: p, order: len(list)})
			matched = true
			s.note("candidate %X kernel %d priority %X", e.ADFName, k, e.Priority&0x0F)
			break
		}
		if !matched {
			s.note("entry %d (%X) skipped: no combination for kernel %d", i+1, e.ADFName, k)
		}
	}
	slices.SortStableFunc(list, func(a, b candidate) int {
		return int(rank(a.entry.Priority)) - int(rank(b.entry.Priority))
	})
	return list
}

// rank orders priorities 1 (highest) to 15, then none (0).
func rank(p byte) byte {
	p &= 0x0F
	if p == 0 {
		return 16
	}
	return p
}

// finalSelection is Book B 3.3.3: SELECT of the highest-priority
// candidate's ADF name, with the extended selection data when the
// combination supports them. A candidate whose SELECT fails is removed and
// the next is tried.
func (s *state) finalSelection() (candidate, emv.FCI, *Outcome) {
	s.begin("final selection")
	for len(s.candidates) > 0 {
		c := s.candidates[0]
		s.candidates = s.candidates[1:]
		name := c.entry.ADFName
		if c.pre.comb.ExtendedSelection && len(c.entry.ExtendedSelection) > 0 {
			name = append(slices.Clip(bytes.Clone(name)), c.entry.ExtendedSelection...)
		}
		r, err := s.tr.Exchange(s.card, emv.Select(name, false))
		if err != nil {
			return c, emv.FCI{}, &Outcome{Type: TryAgain, Start: StartB, Err: err}
		}
		if r.SW != emv.SWSuccess {
			s.note("%X: %v, next candidate", name, r.SW)
			continue
		}
		fci, err := emv.ParseFCI(r.Data)
		if err != nil {
			s.note("%X: %v, next candidate", name, err)
			continue
		}
		return c, fci, nil
	}
	return candidate{}, emv.FCI{}, &Outcome{Type: EndApplication, Err: fmt.Errorf("%w: every candidate failed final selection", ErrNoCandidate)}
}
