package issuer_test

import (
	"errors"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

func TestCVC3AndCVVVectors(t *testing.T) {
	var f struct {
		CVC3 []struct {
			Name       string `json:"name"`
			IMK        string `json:"imk"`
			PAN        string `json:"pan"`
			PSN        string `json:"psn"`
			MKKCV      string `json:"mk_kcv"`
			TrackHex   string `json:"track_hex"`
			TrackASCII string `json:"track_ascii"`
			ATC        string `json:"atc"`
			UN         string `json:"un"`
			CVC3       string `json:"cvc3"`
		} `json:"cvc3"`
		CVV []struct {
			Name        string `json:"name"`
			CVK         string `json:"cvk"`
			PAN         string `json:"pan"`
			Expiry      string `json:"expiry"`
			ServiceCode string `json:"service_code"`
			CVV         string `json:"cvv"`
		} `json:"cvv"`
	}
	load(t, "cvc3_cvv.json", &f)
	for _, c := range f.CVC3 {
		t.Run(c.Name, func(t *testing.T) {
			key, err := issuer.MasterKeyA(unhex(t, c.IMK), c.PAN, c.PSN)
			if err != nil {
				t.Fatal(err)
			}
			if !kcvPrefix(t, key, c.MKKCV) {
				t.Errorf("ICC CVC3 key KCV = %s, want %s", kcvOf(t, key), c.MKKCV)
			}
			track := []byte(c.TrackASCII)
			if c.TrackHex != "" {
				track = unhex(t, c.TrackHex)
			}
			iv, err := issuer.IVCVC3(key, track)
			if err != nil {
				t.Fatal(err)
			}
			got, err := issuer.CVC3(key, iv, unhex(t, c.UN), unhex(t, c.ATC))
			if err != nil {
				t.Fatal(err)
			}
			if got[5-len(c.CVC3):] != c.CVC3 {
				t.Errorf("CVC3 = %s, want ...%s", got, c.CVC3)
			}
			if err := issuer.VerifyCVC3(key, iv, unhex(t, c.UN), unhex(t, c.ATC), c.CVC3); err != nil {
				t.Errorf("VerifyCVC3: %v", err)
			}
		})
	}
	for _, c := range f.CVV {
		t.Run(c.Name, func(t *testing.T) {
			got, err := issuer.CVV(unhex(t, c.CVK), c.PAN, c.Expiry, c.ServiceCode)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.CVV {
				t.Errorf("CVV = %s, want %s", got, c.CVV)
			}
			if err := issuer.VerifyCVV(unhex(t, c.CVK), c.PAN, c.Expiry, c.ServiceCode, c.CVV); err != nil {
				t.Errorf("VerifyCVV: %v", err)
			}
			if err := issuer.VerifyCVV(unhex(t, c.CVK), c.PAN, c.Expiry, c.ServiceCode, "000"); !errors.Is(err, issuer.ErrMismatch) {
				t.Errorf("VerifyCVV(wrong value) = %v, want ErrMismatch", err)
			}
		})
	}
}

// TestCVV2AndICVV checks that CVV2 and iCVV are the CVV with service
// codes 000 and 999 (self-consistency: no published CVV2/iCVV value pairs
// a key with both).
func TestCVV2AndICVV(t *testing.T) {
	cvk := unhex(t, "0123456789ABCDEFFEDCBA9876543210")
	for _, tc := range []struct {
		f    func([]byte, string, string) (string, error)
		code string
	}{{issuer.CVV2, "000"}, {issuer.ICVV, "999"}} {
		got, err := tc.f(cvk, "1234567890123456", "9912")
		if err != nil {
			t.Fatal(err)
		}
		want, _ := issuer.CVV(cvk, "1234567890123456", "9912", tc.code)
		if got != want {
			t.Errorf("service code %s: %s != CVV %s", tc.code, got, want)
		}
	}
}
