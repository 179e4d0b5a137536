package dukpt

import (
	"testing"

	"github.com/posflow/posflow/internal/testvec"
)

// tdesVectors is testdata/tdes_x9_24_1_a4.json.
type tdesVectors struct {
	BDK           testvec.Hex `json:"bdk"`
	IKSN          testvec.Hex `json:"iksn"`
	IK            testvec.Hex `json:"ik"`
	PIN           string      `json:"pin"`
	PAN           string      `json:"pan"`
	ClearPINBlock testvec.Hex `json:"clear_pin_block"`
	DataASCII     string      `json:"data_ascii"`
	Sequences     []struct {
		Name      string       `json:"name"`
		Reference string       `json:"reference"`
		Vectors   []tdesVector `json:"vectors"`
	} `json:"sequences"`
}

type tdesVector struct {
	KSN            testvec.Hex `json:"ksn"`
	TransactionKey testvec.Hex `json:"transaction_key"`
	PINBlock       testvec.Hex `json:"pin_block"`
	MACRequest     testvec.Hex `json:"mac_request"`
	MACResponse    testvec.Hex `json:"mac_response"`
	DataRequest    testvec.Hex `json:"data_request"`
	DataResponse   testvec.Hex `json:"data_response"`
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
	BDK  testvec.Hex `json:"bdk"`
	IKID testvec.Hex `json:"ikid"`
	IK   testvec.Hex `json:"ik"`
	ISO4 struct {
		PIN      string      `json:"pin"`
		PAN      string      `json:"pan"`
		PINField testvec.Hex `json:"pin_field"`
		PANField testvec.Hex `json:"pan_field"`
	} `json:"iso4"`
	Vectors []struct {
		KSN            testvec.Hex `json:"ksn"`
		TransactionKey testvec.Hex `json:"transaction_key"`
		WorkingKeys    []struct {
			Usage string      `json:"usage"`
			Type  string      `json:"type"`
			Key   testvec.Hex `json:"key"`
		} `json:"working_keys"`
		PINBlock testvec.Hex `json:"pin_block"`
	} `json:"vectors"`
	Counters []struct {
		KSN            testvec.Hex `json:"ksn"`
		TransactionKey testvec.Hex `json:"transaction_key"`
		DeviceValid    bool        `json:"device_valid"`
	} `json:"counters"`
	UpdateKeys []struct {
		Type      string      `json:"type"`
		Key       testvec.Hex `json:"key"`
		Reference string      `json:"reference"`
	} `json:"update_keys"`
}

func loadTDES(t testing.TB) *tdesVectors {
	v := new(tdesVectors)
	testvec.Load(t, "tdes_x9_24_1_a4.json", v)
	return v
}

func loadAES(t testing.TB, name string) *aesVectors {
	v := new(aesVectors)
	testvec.Load(t, name, v)
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
