package emv

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type vectors struct {
	CVMLists []struct {
		Name  string `json:"name"`
		Hex   string `json:"hex"`
		Error bool   `json:"error"`
		X, Y  uint32
		Rules []struct {
			Code            CVMCode      `json:"code"`
			ApplySucceeding bool         `json:"apply_succeeding"`
			Condition       CVMCondition `json:"condition"`
		} `json:"rules"`
		Source string `json:"source"`
	} `json:"cvm_lists"`
	AFLs []struct {
		Name    string    `json:"name"`
		Hex     string    `json:"hex"`
		Error   bool      `json:"error"`
		Entries [][4]byte `json:"entries"`
	} `json:"afls"`
	Track2Equivalent []struct {
		Name          string `json:"name"`
		Hex           string `json:"hex"`
		PAN           string `json:"pan"`
		Expiry        string `json:"expiry"`
		ServiceCode   string `json:"service_code"`
		Discretionary string `json:"discretionary"`
	} `json:"track2_equivalent"`
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.CVMLists) == 0 || len(v.AFLs) == 0 || len(v.Track2Equivalent) == 0 {
		t.Fatal("missing vectors")
	}
	return v
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCVMListVectors(t *testing.T) {
	for _, v := range loadVectors(t).CVMLists {
		t.Run(v.Name, func(t *testing.T) {
			data := mustHex(t, v.Hex)
			got, err := ParseCVMList(data)
			if v.Error {
				if !errors.Is(err, ErrCVMList) {
					t.Fatalf("ParseCVMList(%s) = %+v, %v; want ErrCVMList", v.Hex, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCVMList(%s): %v", v.Hex, err)
			}
			want := CVMList{X: v.X, Y: v.Y}
			for _, r := range v.Rules {
				want.Rules = append(want.Rules, CVRule{Code: r.Code, ApplySucceeding: r.ApplySucceeding, Condition: r.Condition})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseCVMList(%s) (-want +got):\n%s", v.Hex, diff)
			}
			if enc := AppendCVMList(nil, got); !strings.EqualFold(hex.EncodeToString(enc), v.Hex) {
				t.Errorf("AppendCVMList = %X, want %s", enc, v.Hex)
			}
		})
	}
}

func TestAFLVectors(t *testing.T) {
	for _, v := range loadVectors(t).AFLs {
		t.Run(v.Name, func(t *testing.T) {
			got, err := ParseAFL(mustHex(t, v.Hex))
			if v.Error {
				if !errors.Is(err, ErrAFL) {
					t.Fatalf("ParseAFL(%s) = %v, %v; want ErrAFL", v.Hex, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAFL(%s): %v", v.Hex, err)
			}
			var want []AFLEntry
			for _, e := range v.Entries {
				want = append(want, AFLEntry{SFI: e[0], First: e[1], Last: e[2], ODA: e[3]})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseAFL(%s) (-want +got):\n%s", v.Hex, diff)
			}
		})
	}
}

func TestTrack2EquivalentVectors(t *testing.T) {
	for _, v := range loadVectors(t).Track2Equivalent {
		got, err := ParseTrack2Equivalent(mustHex(t, v.Hex))
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		want := Track2{PAN: v.PAN, Expiry: v.Expiry, Discretionary: v.Discretionary}
		copy(want.ServiceCode[:], v.ServiceCode)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", v.Name, diff)
		}
		if s := got.String(); strings.Contains(s, v.PAN) || strings.Contains(s, v.Discretionary) {
			t.Errorf("Track2.String() = %q shows card data", s)
		}
	}
}
