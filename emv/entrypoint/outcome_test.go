package entrypoint

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/tlv"
)

// The data record takes each tag from the first source that holds it, in
// the order of the tag list, and leaves out tags no source holds.
func TestSetDataRecord(t *testing.T) {
	card := map[tlv.Tag][]byte{0x9F26: {0xAA}, 0x9F36: {0x00, 0x01}}
	term := map[tlv.Tag][]byte{0x9F36: {0xFF, 0xFF}, 0x9F02: {0x12}}
	var o Outcome
	o.SetDataRecord([]tlv.Tag{0x9F02, 0x9F26, 0x9F36, 0x5A}, card, term)
	want := []byte{0x9F, 0x02, 0x01, 0x12, 0x9F, 0x26, 0x01, 0xAA, 0x9F, 0x36, 0x02, 0x00, 0x01}
	if !bytes.Equal(o.DataRecord, want) {
		t.Errorf("card first: %X, want %X", o.DataRecord, want)
	}
	o.SetDataRecord([]tlv.Tag{0x9F36}, term, card)
	if v, ok := o.Value(0x9F36); !ok || !bytes.Equal(v, []byte{0xFF, 0xFF}) {
		t.Errorf("terminal first: 9F36 = %X, %v", v, ok)
	}
}
