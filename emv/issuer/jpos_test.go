package issuer_test

import (
	"testing"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/mac"
)

type jposFile struct {
	IMK         string `json:"imk"`
	PAN         string `json:"pan"`
	PSN         string `json:"psn"`
	ATC         string `json:"atc"`
	UN          string `json:"un"`
	Data        string `json:"data"`
	Cryptograms []struct {
		Name    string `json:"name"`
		Method  string `json:"method"`
		Option  string `json:"option"`
		PAN     string `json:"pan"`
		Padding int    `json:"padding"`
		AC      string `json:"ac"`
		ARC     string `json:"arc"`
		ARPC1   string `json:"arpc1"`
		CSU     string `json:"csu"`
		ARPC2   string `json:"arpc2"`
	} `json:"cryptograms"`
	CVV []struct {
		Name        string `json:"name"`
		CVK         string `json:"cvk"`
		PAN         string `json:"pan"`
		Expiry      string `json:"expiry"`
		ServiceCode string `json:"service_code"`
		CVV         string `json:"cvv"`
	} `json:"cvv"`
	DCVV []struct {
		Name        string `json:"name"`
		PAN         string `json:"pan"`
		Expiry      string `json:"expiry"`
		ServiceCode string `json:"service_code"`
		ATC         string `json:"atc"`
		DCVV        string `json:"dcvv"`
	} `json:"dcvv"`
	CVC3 []struct {
		Name   string `json:"name"`
		Track  string `json:"track"`
		IVCVC3 string `json:"ivcvc3"`
		ATC    string `json:"atc"`
		UN     string `json:"un"`
		CVC3   string `json:"cvc3"`
	} `json:"cvc3"`
}

// TestJPOSVectors checks the second independent source: jPOS's software
// HSM. Its VSDC method is the Visa CVN 10 key (ICC master key, no session
// key), MCHIP the Mastercard SKD and EMV_CSKD the EMV common session key;
// the data are generic, so the cryptograms are checked with the session
// key functions and ApplicationCryptogram.
func TestJPOSVectors(t *testing.T) {
	var f jposFile
	load(t, "jpos.json", &f)
	imk := unhex(t, f.IMK)
	atc, un, data := unhex(t, f.ATC), unhex(t, f.UN), unhex(t, f.Data)
	for _, c := range f.Cryptograms {
		t.Run(c.Name, func(t *testing.T) {
			pan := f.PAN
			if c.PAN != "" {
				pan = c.PAN
			}
			derive := issuer.MasterKeyA
			if c.Option == "B" {
				derive = issuer.MasterKeyB
			}
			mk, err := derive(imk, pan, f.PSN)
			if err != nil {
				t.Fatal(err)
			}
			var sk []byte
			switch c.Method {
			case "VSDC":
				sk = mk
			case "MCHIP":
				sk, err = issuer.MastercardSessionKey(mk, atc, un)
			case "EMV_CSKD":
				var r []byte
				if r, err = issuer.ACR(atc); err == nil {
					sk, err = issuer.SessionKey(mk, r)
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			ac, err := issuer.ApplicationCryptogram(sk, data, mac.Padding(c.Padding))
			if err != nil {
				t.Fatal(err)
			}
			if upperHex(ac) != c.AC {
				t.Errorf("cryptogram = %X, want %s", ac, c.AC)
			}
			if c.ARPC1 != "" {
				// jPOS: ICC master key for VSDC and MCHIP, session key for CSKD.
				key := mk
				if c.Method == "EMV_CSKD" {
					key = sk
				}
				a, err := issuer.ARPCMethod1(key, ac, unhex(t, c.ARC))
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(a) != c.ARPC1 {
					t.Errorf("ARPC method 1 = %X, want %s", a, c.ARPC1)
				}
			}
			if c.ARPC2 != "" {
				a, err := issuer.ARPCMethod2(sk, ac, unhex(t, c.CSU), nil)
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(a) != c.ARPC2 {
					t.Errorf("ARPC method 2 = %X, want %s", a, c.ARPC2)
				}
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
		})
	}
	for _, c := range f.DCVV {
		t.Run(c.Name, func(t *testing.T) {
			key, err := issuer.MasterKeyA(imk, c.PAN, "00")
			if err != nil {
				t.Fatal(err)
			}
			got, err := issuer.DCVV(key, c.PAN, c.Expiry, c.ServiceCode, unhex(t, c.ATC))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.DCVV {
				t.Errorf("DCVV = %s, want %s", got, c.DCVV)
			}
		})
	}
	for _, c := range f.CVC3 {
		t.Run(c.Name, func(t *testing.T) {
			key, err := issuer.MasterKeyA(imk, f.PAN, f.PSN)
			if err != nil {
				t.Fatal(err)
			}
			iv := []byte(nil)
			if c.IVCVC3 != "" {
				iv = unhex(t, c.IVCVC3)
			} else if iv, err = issuer.IVCVC3(key, unhex(t, c.Track)); err != nil {
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
}

// TestJPOSVersions reads jPOS's generic vectors as cryptogram versions
// where the bytes a version appends to the data list can equal jPOS's.
func TestJPOSVersions(t *testing.T) {
	var f struct {
		IMK      string `json:"imk"`
		PAN      string `json:"pan"`
		PSN      string `json:"psn"`
		Versions struct {
			Data map[string]string `json:"data"`
			Rows []struct {
				Name string `json:"name"`
				CVN  string `json:"cvn"`
				IAD  string `json:"iad"`
				ARQC string `json:"arqc"`
				Code string `json:"code"`
				ARPC string `json:"arpc"`
			} `json:"rows"`
		} `json:"versions"`
	}
	load(t, "jpos.json", &f)
	imk := unhex(t, f.IMK)
	for _, r := range f.Versions.Rows {
		t.Run(r.Name, func(t *testing.T) {
			cvn := cvnByName[r.CVN]
			data := dataMap(t, f.Versions.Data)
			data[issuer.TagIssuerAppData] = unhex(t, r.IAD)
			ac, err := issuer.Cryptogram(cvn, imk, f.PAN, f.PSN, data)
			if err != nil {
				t.Fatal(err)
			}
			if upperHex(ac) != r.ARQC {
				t.Errorf("Cryptogram = %X, want %s", ac, r.ARQC)
			}
			arpc, err := issuer.ARPC(cvn, imk, f.PAN, f.PSN, data, ac, unhex(t, r.Code))
			if err != nil {
				t.Fatal(err)
			}
			if upperHex(arpc) != r.ARPC {
				t.Errorf("ARPC = %X, want %s", arpc, r.ARPC)
			}
		})
	}
}
