package pinblock_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

// TestPsecCrossCheck compares with psec, an independent implementation:
// testdata/psec-crosscheck.json holds psec's outputs for seeded random
// inputs (see testdata/psec_crosscheck.py and testdata/README.md).
func TestPsecCrossCheck(t *testing.T) {
	var file struct {
		Clear []struct {
			Format pinblock.Format
			PIN    string
			PAN    string
			Block  testvec.Hex
			Exact  bool // false when the fill is random
		}
		ISO4 []struct {
			Key   testvec.Hex
			PIN   string
			PAN   string
			Block testvec.Hex
		}
		ISO4PANField []struct {
			PAN   string
			Field testvec.Hex
		} `json:"iso4_pan_field"`
		PVV []struct {
			PVK  testvec.Hex
			PVKI int
			PIN  string
			PAN  string
			PVV  string
		}
		IBM3624 []struct {
			PVK            testvec.Hex
			Decimalization string
			ValidationData string `json:"validation_data"`
			NaturalPIN     string `json:"natural_pin"`
			PIN            string
			Offset         string
		}
	}
	testvec.Load(t, "psec-crosscheck.json", &file)
	if len(file.Clear) == 0 || len(file.ISO4) == 0 || len(file.PVV) == 0 || len(file.IBM3624) == 0 {
		t.Fatal("empty cross-check file")
	}
	for i, v := range file.Clear {
		t.Run(fmt.Sprintf("clear/%v/%d", v.Format, i), func(t *testing.T) {
			if pin, err := pinblock.Decode(v.Format, v.Block, v.PAN); err != nil || pin != v.PIN {
				t.Errorf("Decode(%X) = %q, %v, want %q", []byte(v.Block), pin, err, v.PIN)
			}
			if !v.Exact {
				return
			}
			if blk, err := pinblock.Encode(v.Format, v.PIN, v.PAN); err != nil || !bytes.Equal(blk, v.Block) {
				t.Errorf("Encode = %X, %v, want %X", blk, err, []byte(v.Block))
			}
		})
	}
	for i, v := range file.ISO4 {
		t.Run(fmt.Sprintf("iso4/%d", i), func(t *testing.T) {
			if pin, err := pinblock.Decrypt(pinblock.ISO4, v.Key, v.Block, v.PAN); err != nil || pin != v.PIN {
				t.Errorf("Decrypt(%d-byte key) = %q, %v, want %q", len(v.Key), pin, err, v.PIN)
			}
		})
	}
	for i, v := range file.ISO4PANField {
		t.Run(fmt.Sprintf("iso4-pan-field/%d", i), func(t *testing.T) {
			if f, err := pinblock.Format4PANField(v.PAN); err != nil || !bytes.Equal(f, v.Field) {
				t.Errorf("Format4PANField(%d digits) = %X, %v, want %X", len(v.PAN), f, err, []byte(v.Field))
			}
		})
	}
	for i, v := range file.PVV {
		t.Run(fmt.Sprintf("pvv/%d", i), func(t *testing.T) {
			if pvv, err := pinblock.VisaPVV(v.PVK, v.PAN, v.PVKI, v.PIN); err != nil || pvv != v.PVV {
				t.Errorf("VisaPVV = %q, %v, want %q", pvv, err, v.PVV)
			}
		})
	}
	for i, v := range file.IBM3624 {
		t.Run(fmt.Sprintf("ibm3624/%d", i), func(t *testing.T) {
			nat, err := pinblock.IBM3624NaturalPIN(v.PVK, v.Decimalization, v.ValidationData, len(v.NaturalPIN))
			if err != nil || nat != v.NaturalPIN {
				t.Errorf("IBM3624NaturalPIN = %q, %v, want %q", nat, err, v.NaturalPIN)
			}
			off, err := pinblock.IBM3624Offset(v.PVK, v.Decimalization, v.ValidationData, v.PIN)
			if err != nil || off != v.Offset {
				t.Errorf("IBM3624Offset = %q, %v, want %q", off, err, v.Offset)
			}
			if err := pinblock.VerifyIBM3624Offset(v.PVK, v.Decimalization, v.ValidationData, v.PIN, v.Offset); err != nil {
				t.Errorf("VerifyIBM3624Offset = %v", err)
			}
		})
	}
}
