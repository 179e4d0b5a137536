package qr

import "testing"

func TestCRCCheckValue(t *testing.T) {
	// The check value of CRC-16/CCITT-FALSE (CRC-16/IBM-3740) in the
	// catalogue of parametrised CRC algorithms: the CRC of "123456789".
	if got := CRC([]byte("123456789")); got != 0x29B1 {
		t.Errorf("CRC(123456789) = %04X, want 29B1", got)
	}
	if got := CRCString("123456789"); got != 0x29B1 {
		t.Errorf("CRCString(123456789) = %04X, want 29B1", got)
	}
	if got := CRC(nil); got != 0xFFFF {
		t.Errorf("CRC(nil) = %04X, want FFFF", got)
	}
}
