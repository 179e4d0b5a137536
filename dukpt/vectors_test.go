package dukpt

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hexBytes is a byte string written in hexadecimal in the JSON vectors.
type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(s)
	*h = v
	return err
}

func (h hexBytes) String() string { return strings.ToUpper(hex.EncodeToString(h)) }

// tdesVectors is testdata/tdes_x9_24_1_a4.json.
type tdesVectors struct {
	BDK           hexBytes `json:"bdk"`
	IKSN          hexBytes `json:"iksn"`
	IK            hexBytes `json:"ik"`
	PIN           string   `json:"pin"`
	PAN           string   `json:"pan"`
	ClearPINBlock hexBytes `json:"clear_pin_block"`
	DataASCII     string   `json:"data_ascii"`
	Sequences     []struct {
		Name      string       `json:"name"`
		Reference string       `json:"reference"`
		Vectors   []tdesVector `json:"vectors"`
	} `json:"sequences"`
}

type tdesVector struct {
	KSN            hexBytes `json:"ksn"`
	TransactionKey hexBytes `json:"transaction_key"`
	PINBlock       hexBytes `json:"pin_block"`
	MACRequest     hexBytes `json:"mac_request"`
	MACResponse    hexBytes `json:"mac_response"`
	DataRequest    hexBytes `json:"data_request"`
	DataResponse   hexBytes `json:"data_response"`
}

// all returns the vectors of every sequence.
func (v *tdesVectors) all() []tdesVector {
	var out []tdesVector
	for _, s := range v.Sequences {
		out = append(out, s.Vectors...)
	}
	return out
}

// tdesExtra is testdata/tdes_moov_extra.json.
type tdesExtra struct {
	Vectors []tdesVector `json:"vectors"`
}

// aesVectors is testdata/aes128_x9_24_3.json or aes256_x9_24_3.json.
type aesVectors struct {
	BDK  hexBytes `json:"bdk"`
	IKID hexBytes `json:"ikid"`
	IK   hexBytes `json:"ik"`
	ISO4 struct {
		PIN      string   `json:"pin"`
		PAN      string   `json:"pan"`
		PINField hexBytes `json:"pin_field"`
		PANField hexBytes `json:"pan_field"`
	} `json:"iso4"`
	Vectors []struct {
		KSN            hexBytes `json:"ksn"`
		TransactionKey hexBytes `json:"transaction_key"`
		WorkingKeys    []struct {
			Usage string   `json:"usage"`
			Type  string   `json:"type"`
			Key   hexBytes `json:"key"`
		} `json:"working_keys"`
		PINBlock hexBytes `json:"pin_block"`
	} `json:"vectors"`
	Counters []struct {
		KSN            hexBytes `json:"ksn"`
		TransactionKey hexBytes `json:"transaction_key"`
		DeviceValid    bool     `json:"device_valid"`
	} `json:"counters"`
	UpdateKeys []struct {
		Type      string   `json:"type"`
		Key       hexBytes `json:"key"`
		Reference string   `json:"reference"`
	} `json:"update_keys"`
}

func loadJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func loadTDES(t testing.TB) *tdesVectors {
	v := new(tdesVectors)
	loadJSON(t, "tdes_x9_24_1_a4.json", v)
	return v
}

func loadAES(t testing.TB, name string) *aesVectors {
	v := new(aesVectors)
	loadJSON(t, name, v)
	return v
}

func usageByName(t testing.TB, s string) Usage {
	for u := PINEncryption; u <= KeyEncryption; u++ {
		if u.String() == s {
			return u
		}
	}
	t.Fatalf("unknown usage %q", s)
	return 0
}

func keyTypeByName(t testing.TB, s string) KeyType {
	for k := TDES2; k <= HMAC256; k++ {
		if k.String() == s {
			return k
		}
	}
	t.Fatalf("unknown key type %q", s)
	return 0
}
