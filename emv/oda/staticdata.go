package oda

import "github.com/posflow/posflow/tlv"

// Tags of the static data to be authenticated.
const (
	tagRecordTemplate tlv.Tag = 0x70
	tagAIP            tlv.Tag = 0x82
)

// AppendStaticData appends to dst the part of a READ RECORD response that
// offline data authentication covers (EMV 4.4 Book 3 10.3): for a short
// file identifier of 1 to 10, the value of the record template 70 exactly
// as received, padding included; for 11 to 30, the whole record. record is
// the response data field without SW1 SW2. A record of SFI 1 to 10 that
// is not a single template 70 makes ODA fail: ErrStaticData.
func AppendStaticData(dst []byte, sfi int, record []byte) ([]byte, error) {
	switch {
	case sfi >= 1 && sfi <= 10:
		c := lenient.NewCursor(record)
		if !c.Next() || c.Tag() != tagRecordTemplate {
			return dst, fail(ItemStaticData, ErrStaticData, "record is not a template 70")
		}
		v := c.Value()
		if c.Next() || c.Err() != nil {
			return dst, fail(ItemStaticData, ErrStaticData, "data after template 70")
		}
		return append(dst, v...), nil
	case sfi >= 11 && sfi <= 30:
		return append(dst, record...), nil
	}
	return dst, fail(ItemStaticData, ErrStaticData, "short file identifier out of range")
}

// AppendSDATagList appends to dst the values the static data
// authentication tag list (9F4A) names, after the records (Book 3 10.3):
// the list may name only the AIP (82), whose value aip must be 2 bytes.
// An empty list appends nothing; any other tag makes ODA fail:
// ErrStaticData.
func AppendSDATagList(dst, sdaTagList, aip []byte) ([]byte, error) {
	switch {
	case len(sdaTagList) == 0:
		return dst, nil
	case len(sdaTagList) == 1 && tlv.Tag(sdaTagList[0]) == tagAIP:
		if len(aip) != 2 {
			return dst, fail(ItemStaticData, ErrStaticData, "AIP must be 2 bytes")
		}
		return append(dst, aip...), nil
	}
	return dst, fail(ItemStaticData, ErrStaticData, "static data authentication tag list names a tag other than 82")
}
