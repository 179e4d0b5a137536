package pinblock_test

import (
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

func TestPINVerificationVectors(t *testing.T) {
	var file struct {
		PVV []struct {
			Name string      `json:"name"`
			PVK  testvec.Hex `json:"pvk"`
			PAN  string      `json:"pan"`
			PVKI int         `json:"pvki"`
			PIN  string      `json:"pin"`
			PVV  string      `json:"pvv"`
		}
		IBM3624 []struct {
			Name           string      `json:"name"`
			PVK            testvec.Hex `json:"pvk"`
			Decimalization string      `json:"decimalization"`
			ValidationData string      `json:"validation_data"`
			PIN            string      `json:"pin"`
			NaturalPIN     string      `json:"natural_pin"`
			Offset         string      `json:"offset"`
		}
	}
	testvec.Load(t, "pin-verification.json", &file)
	for _, v := range file.PVV {
		t.Run("PVV/"+v.Name, func(t *testing.T) {
			got, err := pinblock.VisaPVV(v.PVK, v.PAN, v.PVKI, v.PIN)
			if err != nil || got != v.PVV {
				t.Errorf("VisaPVV = %q, %v, want %q", got, err, v.PVV)
			}
			if err := pinblock.VerifyVisaPVV(v.PVK, v.PAN, v.PVKI, v.PIN, v.PVV); err != nil {
				t.Errorf("VerifyVisaPVV = %v", err)
			}
			if err := pinblock.VerifyVisaPVV(v.PVK, v.PAN, v.PVKI, v.PIN+"0", v.PVV); err != nil {
				t.Errorf("VerifyVisaPVV with a longer PIN = %v (only 4 digits enter the PVV)", err)
			}
		})
	}
	for _, v := range file.IBM3624 {
		t.Run("IBM3624/"+v.Name, func(t *testing.T) {
			nat, err := pinblock.IBM3624NaturalPIN(v.PVK, v.Decimalization, v.ValidationData, len(v.NaturalPIN))
			if err != nil || nat != v.NaturalPIN {
				t.Errorf("IBM3624NaturalPIN = %q, %v, want %q", nat, err, v.NaturalPIN)
			}
			off, err := pinblock.IBM3624Offset(v.PVK, v.Decimalization, v.ValidationData, v.PIN)
			if err != nil || off != v.Offset {
				t.Errorf("IBM3624Offset = %q, %v, want %q", off, err, v.Offset)
			}
			pin, err := pinblock.IBM3624PIN(v.PVK, v.Decimalization, v.ValidationData, v.Offset)
			if err != nil || pin != v.PIN {
				t.Errorf("IBM3624PIN = %q, %v, want %q", pin, err, v.PIN)
			}
			if err := pinblock.VerifyIBM3624Offset(v.PVK, v.Decimalization, v.ValidationData, v.PIN, v.Offset); err != nil {
				t.Errorf("VerifyIBM3624Offset = %v", err)
			}
		})
	}
}

func TestPVVAllPVKI(t *testing.T) {
	seen := map[string]bool{}
	for pvki := range 10 {
		pvv, err := pinblock.VisaPVV(tdesKey, "4012345678909", pvki, "1234")
		if err != nil || len(pvv) != 4 {
			t.Fatalf("VisaPVV(pvki %d) = %q, %v", pvki, pvv, err)
		}
		seen[pvv] = true
	}
	if len(seen) < 8 {
		t.Errorf("only %d distinct PVVs over 10 PVKIs", len(seen))
	}
}
