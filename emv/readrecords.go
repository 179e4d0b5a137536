package emv

import (
	"fmt"

	"github.com/posflow/posflow/tlv"
)

// readApplicationData reads the records the AFL names (Book 3 10.2),
// keeps their data objects, collects the static data to be authenticated
// (10.3) and checks that the mandatory data are present.
//
// Records of SFI 1 to 10 must be one template 70 with nothing after it;
// its primitive objects are kept, and for offline data authentication the
// template's value is used. Records of SFI 11 to 30 are used whole for
// offline data authentication, tag and length included; if they are a
// template 70 their objects are kept too. A record for offline data
// authentication of SFI 11 to 30 that is not a template 70 makes offline
// data authentication fail, as Book 3 10.3 requires.
func (k *kernel) readApplicationData() error {
	k.begin(StepReadData)
	k.staticData = k.staticData[:0]
	for _, e := range k.afl {
		for rec := int(e.First); rec <= int(e.Last); rec++ {
			r, err := k.exchange(ReadRecord(e.SFI, byte(rec)), nil)
			if err != nil {
				return err
			}
			if !r.SW.OK() {
				return k.fail(fmt.Errorf("READ RECORD %d of SFI %d: %w", rec, e.SFI, r.SW))
			}
			forODA := rec-int(e.First) < int(e.ODA)
			if err := k.keepRecord(e.SFI, byte(rec), r.Data, forODA); err != nil {
				return err
			}
		}
	}
	for _, t := range []tlv.Tag{0x5F24, 0x5A, 0x8C, 0x8D} {
		if _, ok := k.icc[t]; !ok {
			return k.failf(ErrMissingData, "tag %X", uint32(t))
		}
	}
	if _, err := ParseDOL(k.icc[0x8C]); err != nil {
		return k.failf(ErrCardData, "CDOL1: %v", err)
	}
	if _, err := ParseDOL(k.icc[0x8D]); err != nil {
		return k.failf(ErrCardData, "CDOL2: %v", err)
	}
	if v := k.icc[0x5F24]; len(v) != 3 {
		return k.failf(ErrCardData, "expiration date (5F24) of %d bytes", len(v))
	}
	if v := k.icc[0x5A]; len(v) == 0 || len(v) > 10 {
		return k.failf(ErrCardData, "PAN (5A) of %d bytes", len(v))
	}
	return nil
}

func (k *kernel) keepRecord(sfi, rec byte, data []byte, forODA bool) error {
	c := tlv.NewCursor(data)
	is70 := c.Next() && c.Tag() == 0x70
	var obj tlv.Object
	if is70 {
		obj = c.Object()
		if c.Next() || c.Err() != nil {
			is70 = false
		}
	}
	if sfi <= 10 && !is70 {
		return k.failf(ErrCardData, "record %d of SFI %d is not one template 70", rec, sfi)
	}
	if forODA {
		switch {
		case sfi <= 10:
			k.staticData = append(k.staticData, obj.Value...)
		case is70:
			k.staticData = append(k.staticData, data...)
		default:
			k.odaRecordError = true
			k.note("record %d of SFI %d for offline data authentication is not a template 70", rec, sfi)
		}
	}
	if !is70 {
		return nil
	}
	in := obj.Children()
	for in.Next() {
		o := in.Object()
		if o.Constructed() {
			continue
		}
		if err := k.keepICC(o.Tag, o.Value); err != nil {
			return err
		}
	}
	if err := in.Err(); err != nil {
		return k.failf(ErrCardData, "record %d of SFI %d: %v", rec, sfi, err)
	}
	return nil
}
