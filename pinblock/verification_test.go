package pinblock_test

import (
	"errors"
	"testing"

	"github.com/posflow/posflow/pinblock"
)

func TestPINVerificationVectors(t *testing.T) {
	var file struct {
		PVV []struct {
			Name string   `json:"name"`
			PVK  hexBytes `json:"pvk"`
			PAN  string   `json:"pan"`
			PVKI int      `json:"pvki"`
			PIN  string   `json:"pin"`
			PVV  string   `json:"pvv"`
		}
		IBM3624 []struct {
			Name           string   `json:"name"`
			PVK            hexBytes `json:"pvk"`
			Decimalization string   `json:"decimalization"`
			ValidationData string   `json:"validation_data"`
			PIN            string   `json:"pin"`
			NaturalPIN     string   `json:"natural_pin"`
			Offset         string   `json:"offset"`
		}
	}
	loadJSON(t, "pin-verification.json", &file)
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

// TestIBM3624OffsetArithmetic checks offsets against the natural PIN for
// customer-selected PINs of several lengths.
func TestIBM3624OffsetArithmetic(t *testing.T) {
	const dec, vd = "0123456789012345", "4012345678909FFF"
	nat, err := pinblock.IBM3624NaturalPIN(tdesKey, dec, vd, 12)
	if err != nil {
		t.Fatal(err)
	}
	for _, pin := range []string{"0000", "9999", "12345", "987654321098"} {
		off, err := pinblock.IBM3624Offset(tdesKey, dec, vd, pin)
		if err != nil {
			t.Fatal(err)
		}
		for i := range pin {
			if (int(nat[i]-'0')+int(off[i]-'0'))%10 != int(pin[i]-'0') {
				t.Fatalf("offset %s does not map natural %s to %s", off, nat[:len(pin)], pin)
			}
		}
		if got, err := pinblock.IBM3624PIN(tdesKey, dec, vd, off); err != nil || got != pin {
			t.Errorf("IBM3624PIN(%s) = %q, %v, want %q", off, got, err, pin)
		}
		if err := pinblock.VerifyIBM3624Offset(tdesKey, dec, vd, pin, off); err != nil {
			t.Errorf("VerifyIBM3624Offset(%s) = %v", pin, err)
		}
		// Check length shorter than the PIN: only the leftmost 4 digits.
		if err := pinblock.VerifyIBM3624Offset(tdesKey, dec, vd, pin, off[:4]); err != nil {
			t.Errorf("VerifyIBM3624Offset with check length 4 = %v", err)
		}
	}
	if err := pinblock.VerifyIBM3624Offset(tdesKey, dec, vd, "1111", "0000"); err != nil && !errors.Is(err, pinblock.ErrMismatch) {
		t.Errorf("unexpected error %v", err)
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
