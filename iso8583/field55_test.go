package iso8583

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/posflow/posflow/tlv"
)

// testICC is a 150-byte field 55 of an ARQC request: the 21 data objects of
// ARQCTags with self-built values (labelled as such in testdata/README.md).
var testICC = mustHex("" +
	"9F2608C2A4B3F1E0D7C6B5" + "9F270180" +
	"9F1015" + "0110A0000122000000000000000000000000FF00DE" +
	"9F37041A2B3C4D" + "9F36020001" + "95050000000000" + "9A03260821" + "9C0100" +
	"9F0206000000002599" + "5F2A020840" + "82021980" + "9F1A020840" + "9F0306000000000000" +
	"9F3303E0F8C8" + "9F34031E0300" + "9F350122" + "9F1E083132333435363738" +
	"8407A0000000031010" + "9F0902008C" + "9F410400000001" + "5F340101")

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestTestICCSize(t *testing.T) {
	if len(testICC) != 150 {
		t.Fatalf("len(testICC) = %d, want 150", len(testICC))
	}
	if err := tlv.Validate(testICC); err != nil {
		t.Fatal(err)
	}
}

func TestBuildICC(t *testing.T) {
	// The kernel holds more objects than the request needs, in its own
	// order, with a PAN that must not be copied.
	kernel := append(mustHex("5A0847617390010101195F24032912319F02060000000025999F2608C2A4B3F1E0D7C6B5"), mustHex("9F2701809F360200019F0206000000000099")...)
	got, err := BuildICC(kernel, []tlv.Tag{0x9F26, 0x9F27, 0x9F02, 0x9F36, 0x9F37})
	if err != nil {
		t.Fatal(err)
	}
	// 9F02 takes the first occurrence, 9F37 is absent and left out.
	want := mustHex("9F2608C2A4B3F1E0D7C6B5" + "9F270180" + "9F0206000000002599" + "9F36020001")
	if !bytes.Equal(got, want) {
		t.Errorf("BuildICC = %X, want %X", got, want)
	}
	if _, err := BuildICC(mustHex("9F2608C2"), ARQCTags); err == nil {
		t.Error("BuildICC(truncated kernel data) succeeded")
	}
}

func TestReadIssuerResponse(t *testing.T) {
	f55, err := tlv.Encode(
		tlv.TLV{Tag: 0x91, Value: mustHex("11223344556677883030")},
		tlv.TLV{Tag: 0x72, Children: []tlv.TLV{{Tag: 0x9F18, Value: mustHex("00000001")}, {Tag: 0x86, Value: mustHex("8424000008AABBCCDDEEFF0011")}}},
		tlv.TLV{Tag: 0x8A, Value: []byte("00")},
		tlv.TLV{Tag: 0x71, Children: []tlv.TLV{{Tag: 0x86, Value: mustHex("8418000000")}}},
		tlv.TLV{Tag: 0x72, Children: []tlv.TLV{{Tag: 0x86, Value: mustHex("841E000000")}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ReadIssuerResponse(f55)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.AuthenticationData, mustHex("11223344556677883030")) || string(r.ResponseCode) != "00" {
		t.Errorf("ReadIssuerResponse: 91 = %X, 8A = %q", r.AuthenticationData, r.ResponseCode)
	}
	if len(r.Scripts71) != 1 || len(r.Scripts72) != 2 || r.Scripts72[0][0] != 0x72 || r.Scripts71[0][0] != 0x71 {
		t.Errorf("ReadIssuerResponse: scripts 71 %d, 72 %d, want 1 and 2 whole templates in order", len(r.Scripts71), len(r.Scripts72))
	}
	if _, err := ReadIssuerResponse(f55[:len(f55)-1]); err == nil {
		t.Error("ReadIssuerResponse(truncated) succeeded")
	}
}
