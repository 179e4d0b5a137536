package testvec

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestHex(t *testing.T) {
	var v struct{ K Hex }
	if err := json.Unmarshal([]byte(`{"K": "0A 1b"}`), &v); err != nil || !bytes.Equal(v.K, []byte{0x0A, 0x1B}) || v.K.String() != "0A1B" {
		t.Errorf("Hex = %X, %v", v.K, err)
	}
	if err := json.Unmarshal([]byte(`{"K": "0G"}`), &v); err == nil {
		t.Error("bad hex accepted")
	}
	if err := json.Unmarshal([]byte(`{"K": 12}`), &v); err == nil {
		t.Error("number accepted")
	}
	if !bytes.Equal(MustHex("DE AD"), []byte{0xDE, 0xAD}) {
		t.Error("MustHex")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustHex of bad hex did not panic")
		}
	}()
	MustHex("XY")
}
