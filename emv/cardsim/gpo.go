package cardsim

import (
	"bytes"

	"github.com/posflow/posflow/emv"
)

// getProcessingOptions answers GET PROCESSING OPTIONS (EMV 4.4 Book 3
// section 6.5.8). The data must be template 83 holding exactly as many
// bytes as the PDOL asks for (none without a PDOL), or the card answers
// 6700. The ATC is incremented; a card whose ATC has reached FFFF answers
// 6985 for good, as Book 3 requires. A second GET PROCESSING OPTIONS in
// the same selection is refused with 6985.
func (c *Card) getProcessingOptions(cm command) ([]byte, emv.StatusWord) {
	a, st := c.selected()
	if a == nil || c.t.gpo {
		return nil, emv.SWConditionsNotSatisfied
	}
	if cm.p1 != 0 || cm.p2 != 0 {
		return nil, swWrongP1P2
	}
	d := cm.data
	if len(d) < 2 || d[0] != 0x83 || int(d[1]) != len(d)-2 || len(d)-2 != a.pdolLen {
		return nil, emv.SWWrongLength
	}
	if st.atc == 0xFFFF {
		return nil, emv.SWConditionsNotSatisfied
	}
	st.atc++
	c.t.gpo = true
	c.t.pdolData = bytes.Clone(d[2:])
	if a.def.Format2 {
		var r []byte
		r = appendTLV(r, 0x82, a.aip[:])
		r = appendTLV(r, 0x94, a.afl)
		return appendTLV(nil, 0x77, r), emv.SWSuccess
	}
	v := append(append([]byte(nil), a.aip[:]...), a.afl...)
	return appendTLV(nil, 0x80, v), emv.SWSuccess
}
