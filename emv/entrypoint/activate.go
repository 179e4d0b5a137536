package entrypoint

import (
	"bytes"

	"github.com/posflow/posflow/emv"
)

// activate is Book B 3.4: the kernel of the selected combination gets
// the FCI, the pre-processing indicators and the transaction.
func (s *state) activate(c candidate, fci emv.FCI) *Outcome {
	s.begin("kernel activation")
	k := s.cfg.Kernels[c.pre.comb.Kernel]
	s.note("kernel %d for %X", c.pre.comb.Kernel, fci.DFName)
	a := &Activation{
		Card:        s.card,
		Combination: c.pre.comb,
		Indicators:  c.pre.ind,
		FCI:         fci,
		Transaction: s.txn,
		CAPKs:       s.cfg.CAPKs,
		Revoked:     s.cfg.Revoked,
		Rand:        s.rand(),
		Now:         s.now(),
		Trace:       s.tr,

		OnlineResponse: s.online,
	}
	o := k.Activate(s.ctx, a)
	if o == nil {
		o = &Outcome{Type: EndApplication}
	}
	o.Kernel = c.pre.comb.Kernel
	o.AID = bytes.Clone(fci.DFName)
	return o
}
