package cardsim

import (
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// getData answers GET DATA (EMV 4.4 Book 3 section 6.5.7) for the
// primitive data objects a terminal asks for: the ATC (9F36), the last
// online ATC register (9F13), the PIN try counter (9F17, only with an
// offline PIN), the log format (9F4F, only with a log) and the
// consecutive offline limits (9F14, 9F23). Anything else is 6A88.
func (c *Card) getData(cm command) ([]byte, emv.StatusWord) {
	a, st := c.selected()
	if a == nil {
		return nil, emv.SWConditionsNotSatisfied
	}
	if len(cm.data) != 0 {
		return nil, emv.SWWrongLength
	}
	t := tlv.Tag(cm.p1)<<8 | tlv.Tag(cm.p2)
	var v []byte
	switch t {
	case 0x9F36:
		v = []byte{byte(st.atc >> 8), byte(st.atc)}
	case 0x9F13:
		v = []byte{byte(st.lastOnline >> 8), byte(st.lastOnline)}
	case 0x9F17:
		if a.def.PIN == "" {
			return nil, emv.SWReferencedDataNotFound
		}
		v = []byte{byte(st.pinTries)}
	case 0x9F4F:
		if a.def.LogRecords == 0 {
			return nil, emv.SWReferencedDataNotFound
		}
		v = logFormat
	case 0x9F14:
		v = []byte{st.lcol}
	case 0x9F23:
		v = []byte{st.ucol}
	default:
		return nil, emv.SWReferencedDataNotFound
	}
	return appendTLV(nil, t, v), emv.SWSuccess
}
