package emv

import (
	"errors"
	"testing"
)

// The faults of Book 3 10.2, after openemv/emv-utils
// tests/emv_read_application_data_test.c.
func TestReadApplicationDataFaults(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *fakeCard)
		err  error
	}{
		{"record not found", func(c *fakeCard) { delete(c.records, [2]byte{2, 1}) }, SWRecordNotFound},
		{"record not a template 70", func(c *fakeCard) {
			c.records[[2]byte{2, 1}] = tlvb(0x77, c.records[[2]byte{2, 1}][3:])
		}, ErrCardData},
		{"data after the template", func(c *fakeCard) {
			c.records[[2]byte{2, 1}] = cat(c.records[[2]byte{2, 1}], []byte{0x5F, 0x20, 0x00})
		}, ErrCardData},
		{"malformed data in the template", func(c *fakeCard) {
			c.records[[2]byte{2, 1}] = tlvb(0x70, mustHexT("9F4705"))
		}, ErrCardData},
		{"redundant data object", func(c *fakeCard) {
			c.records[[2]byte{2, 1}] = cat(c.records[[2]byte{2, 1}][:0], tlvb(0x70, cat(tlvb(0x5A, testPAN))))
		}, ErrRedundantData},
		{"expiration date missing", func(c *fakeCard) { c.records[[2]byte{1, 1}] = dropTag(c.records[[2]byte{1, 1}], 0x5F24) }, ErrMissingData},
		{"PAN missing", func(c *fakeCard) { c.records[[2]byte{1, 1}] = dropTag(c.records[[2]byte{1, 1}], 0x5A) }, ErrMissingData},
		{"CDOL1 missing", func(c *fakeCard) { c.records[[2]byte{1, 1}] = dropTag(c.records[[2]byte{1, 1}], 0x8C) }, ErrMissingData},
		{"CDOL2 missing", func(c *fakeCard) { c.records[[2]byte{1, 1}] = dropTag(c.records[[2]byte{1, 1}], 0x8D) }, ErrMissingData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t)
			tt.edit(fc)
			res := run(t, fc, testConfig(t), testTxn(100))
			var se *StepError
			if !errors.As(res.Err, &se) || se.Step != StepReadData || !errors.Is(res.Err, tt.err) {
				t.Errorf("Err %v, want %v at read application data", res.Err, tt.err)
			}
			if res.FallbackAllowed {
				t.Error("fallback allowed after the application was chosen")
			}
		})
	}
}

// dropTag rebuilds a record template 70 without the primitive tag t.
func dropTag(rec []byte, t uint32) []byte {
	var out []byte
	c := tlvCursor(rec[2:])
	if rec[1] == 0x81 {
		c = tlvCursor(rec[3:])
	}
	for c.Next() {
		if uint32(c.Tag()) != t {
			out = append(out, c.Object().Raw...)
		}
	}
	return tlvb(0x70, out)
}

// A record of SFI 11 to 30 for offline data authentication goes into the
// static data whole; one that is not a template 70 fails ODA but not the
// transaction (Book 3 10.3).
func TestODARecordOutsideTemplate(t *testing.T) {
	fc := newFakeCard(t)
	fc.records[[2]byte{11, 1}] = mustHexT("DF0102AABB")
	fc.afl = append(fc.afl, 0x58, 0x01, 0x01, 0x01)
	res := run(t, fc, testConfig(t), testTxn(100))
	if res.Outcome == Terminated || !res.TVR.Has(TVRDDAFailed) {
		t.Errorf("outcome %v TVR %v, want DDA failed and a decision", res.Outcome, res.TVR)
	}
}
