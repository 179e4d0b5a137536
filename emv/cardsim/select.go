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
		c.t.dir = PSEName
		if c.profile.PSEBlocked {
			return c.dirFCI(PSEName), emv.SWFileDeactivated
		}
		return c.dirFCI(PSEName), emv.SWSuccess
	case !next && c.profile.PPSE && bytes.Equal(name, PPSEName):
		return c.ppseFCI(), emv.SWSuccess
	case !next && c.profile.PSE && c.isDDF(name):
		c.t.dir = bytes.Clone(name)
		return c.dirFCI(name), emv.SWSuccess
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

// isDDF reports whether name is the DDF of an application.
func (c *Card) isDDF(name []byte) bool {
	for _, a := range c.apps {
		if a.def.DDF != nil && bytes.Equal(a.def.DDF, name) {
			return true
		}
	}
	return false
}

// dirFCI is the FCI of the PSE or of a DDF: the SFI of its directory and,
// for the PSE, the language preference of the first application.
func (c *Card) dirFCI(name []byte) []byte {
	var prop []byte
	prop = appendTLV(prop, 0x88, []byte{sfiPSE})
	if l := c.apps[0].def.Language; l != "" && bytes.Equal(name, PSEName) {
		prop = appendTLV(prop, 0x5F2D, []byte(l))
	}
	fci := appendTLV(nil, 0x84, name)
	fci = appendTLV(fci, 0xA5, prop)
	return appendTLV(nil, 0x6F, fci)
}

// ppseFCI is the FCI of the PPSE, which lists the applications itself.
func (c *Card) ppseFCI() []byte {
	var dir []byte
	for _, a := range c.apps {
		dir = append(dir, a.dirEntry...)
	}
	// The PPSE lists every application, also those under a DDF.
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

// directory returns the entries of the directory of the PSE or of a DDF,
// one a record, in the order of the applications: an application directly
// under it, or (in the PSE) the entry with the DDF name (9D) of a DDF, at
// the place of the first application under it (Book 1 section 12.2.3).
func (c *Card) directory(name []byte) [][]byte {
	var out [][]byte
	pse := bytes.Equal(name, PSEName)
	var ddfs [][]byte
	for _, a := range c.apps {
		switch {
		case pse && a.def.DDF == nil, !pse && bytes.Equal(a.def.DDF, name):
			out = append(out, a.dirEntry)
		case pse:
			seen := false
			for _, d := range ddfs {
				seen = seen || bytes.Equal(d, a.def.DDF)
			}
			if !seen {
				ddfs = append(ddfs, a.def.DDF)
				out = append(out, appendTLV(nil, 0x61, appendTLV(nil, 0x9D, a.def.DDF)))
			}
		}
	}
	return out
}
