package cardsim

import (
	"bytes"

	"github.com/posflow/posflow/emv"
)

// selectFile answers SELECT by DF name (EMV 4.4 Book 1 section 11.3, Book 3
// section 6.5.12): the PSE or PPSE, or an application by its whole AID or
// by a prefix of at least 5 bytes (partial selection), the first
// occurrence with P2 = 00 and the next with P2 = 02. A blocked card answers
// 6A81 to every SELECT; a blocked application is selected with its FCI and
// 6283. Every SELECT ends the transaction in progress.
func (c *Card) selectFile(cm command) ([]byte, emv.StatusWord) {
	if cm.p1 != 0x04 || (cm.p2 != 0x00 && cm.p2 != 0x02) {
		return nil, swWrongP1P2
	}
	if c.blocked {
		return nil, emv.SWFunctionNotSupported
	}
	name := cm.data
	if len(name) == 0 || len(name) > 16 {
		return nil, emv.SWWrongLength
	}
	next := cm.p2 == 0x02
	from := 0
	if next {
		from = c.t.partialIdx + 1
	}
	partialIdx := c.t.partialIdx
	c.endTransaction()
	c.t = txn{app: -1, partialIdx: partialIdx}
	switch {
	case !next && c.profile.PSE && bytes.Equal(name, PSEName):
		c.t.dir = 1
		return c.pseFCI(), emv.SWSuccess
	case !next && c.profile.PPSE && bytes.Equal(name, PPSEName):
		c.t.dir = 2
		return c.ppseFCI(), emv.SWSuccess
	}
	if len(name) < 5 {
		return nil, emv.SWFileNotFound
	}
	for i := from; i < len(c.apps); i++ {
		if !bytes.HasPrefix(c.apps[i].def.AID, name) {
			continue
		}
		c.t.app, c.t.partialIdx, c.last = i, i, i
		if c.state[i].blocked {
			return c.apps[i].fci, emv.SWFileDeactivated
		}
		return c.apps[i].fci, emv.SWSuccess
	}
	c.t.partialIdx = -1
	return nil, emv.SWFileNotFound
}

// pseFCI is the FCI of the PSE: the SFI of its directory and the language
// preference of the first application.
func (c *Card) pseFCI() []byte {
	var prop []byte
	prop = appendTLV(prop, 0x88, []byte{sfiPSE})
	if l := c.apps[0].def.Language; l != "" {
		prop = appendTLV(prop, 0x5F2D, []byte(l))
	}
	fci := appendTLV(nil, 0x84, PSEName)
	fci = appendTLV(fci, 0xA5, prop)
	return appendTLV(nil, 0x6F, fci)
}

// ppseFCI is the FCI of the PPSE, which lists the applications itself.
func (c *Card) ppseFCI() []byte {
	var dir []byte
	for _, a := range c.apps {
		dir = append(dir, a.dirEntry...)
	}
	fci := appendTLV(nil, 0x84, PPSEName)
	fci = appendTLV(fci, 0xA5, appendTLV(nil, 0xBF0C, dir))
	return appendTLV(nil, 0x6F, fci)
}

// endTransaction records what an unfinished transaction leaves behind: an
// ARQC that no second GENERATE AC followed means the last online
// transaction was not completed.
func (c *Card) endTransaction() {
	if c.t.app >= 0 && c.t.genac == 1 && c.t.firstCID.Type() == emv.ARQC {
		c.state[c.t.app].lastNotCompleted = true
	}
}
