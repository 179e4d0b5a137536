package emv

import (
	"errors"
	"fmt"
)

// An AFLEntry is one entry of the Application File Locator, tag 94 (EMV 4.4
// Book 3 section 10.2): the records First to Last of the file SFI, of which
// the first ODA take part in offline data authentication.
type AFLEntry struct {
	SFI, First, Last, ODA byte
}

// ErrAFL is wrapped by the errors of malformed AFLs.
var ErrAFL = errors.New("emv: malformed AFL")

// ParseAFL decodes and checks an AFL: four bytes an entry; SFI 1 to 30
// with bits b3-b1 of its byte zero; a first record other than 0; a last
// record not before the first; no more ODA records than records. An empty
// AFL is malformed: Book 3 makes the AFL mandatory.
func ParseAFL(v []byte) ([]AFLEntry, error) {
	if err := checkAFL(v); err != nil {
		return nil, err
	}
	out := make([]AFLEntry, 0, len(v)/4)
	for i := 0; i < len(v); i += 4 {
		out = append(out, AFLEntry{SFI: v[i] >> 3, First: v[i+1], Last: v[i+2], ODA: v[i+3]})
	}
	return out, nil
}

// checkAFL makes the checks of ParseAFL without allocating.
func checkAFL(v []byte) error {
	if len(v) == 0 || len(v)%4 != 0 {
		return fmt.Errorf("%w: length %d is not a positive multiple of 4", ErrAFL, len(v))
	}
	for i := 0; i < len(v); i += 4 {
		e := AFLEntry{SFI: v[i] >> 3, First: v[i+1], Last: v[i+2], ODA: v[i+3]}
		switch {
		case v[i]&0x07 != 0:
			return fmt.Errorf("%w: entry %d: SFI byte %02X has bits b3-b1 set", ErrAFL, i/4+1, v[i])
		case e.SFI == 0 || e.SFI > 30:
			return fmt.Errorf("%w: entry %d: SFI %d out of range 1-30", ErrAFL, i/4+1, e.SFI)
		case e.First == 0:
			return fmt.Errorf("%w: entry %d: first record 0", ErrAFL, i/4+1)
		case e.Last < e.First:
			return fmt.Errorf("%w: entry %d: last record %d before first %d", ErrAFL, i/4+1, e.Last, e.First)
		case int(e.ODA) > int(e.Last)-int(e.First)+1:
			return fmt.Errorf("%w: entry %d: %d ODA records in a range of %d", ErrAFL, i/4+1, e.ODA, int(e.Last)-int(e.First)+1)
		}
	}
	return nil
}
