package cardsim

import (
	"github.com/posflow/posflow/emv"
)

// readRecord answers READ RECORD (EMV 4.4 Book 3 section 6.5.11): after
// SELECT of the PSE or a DDF, the directory records of SFI 1, one entry a
// record; after SELECT of an application, its records and transaction log.
// Only reading by record number (P2 b3-b1 = 100) is supported.
func (c *Card) readRecord(cm command) ([]byte, emv.StatusWord) {
	if cm.p2&0x07 != 0x04 || cm.p1 == 0 {
		return nil, swWrongP1P2
	}
	if len(cm.data) != 0 {
		return nil, emv.SWWrongLength
	}
	sfi, rec := cm.p2>>3, cm.p1
	switch {
	case c.t.dir != nil:
		dir := c.directory(c.t.dir)
		if sfi != sfiPSE || int(rec) > len(dir) {
			return nil, emv.SWRecordNotFound
		}
		return appendTLV(nil, 0x70, dir[rec-1]), emv.SWSuccess
	case c.t.app < 0:
		return nil, emv.SWConditionsNotSatisfied
	}
	a, st := c.selected()
	if sfi == sfiLog && a.def.LogRecords > 0 {
		if int(rec) > len(st.log) || rec > a.def.LogRecords {
			return nil, emv.SWRecordNotFound
		}
		// The most recent entry is record 1.
		return st.log[len(st.log)-int(rec)], emv.SWSuccess
	}
	r, ok := a.records[recKey(sfi, rec)]
	if !ok {
		if sfi == sfiTrack || sfi == a.sfiApp || sfi == sfiODA {
			return nil, emv.SWRecordNotFound
		}
		return nil, emv.SWFileNotFound
	}
	return r, emv.SWSuccess
}
