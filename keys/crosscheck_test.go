package keys_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/keys"
)

// TestPsecCrossCheck compares check values and parity adjustment with
// psec, an independent implementation (testdata/psec-crosscheck.json).
func TestPsecCrossCheck(t *testing.T) {
	b, err := os.ReadFile("testdata/psec-crosscheck.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		TDES []struct {
			Key            testvec.Hex
			KCV            testvec.Hex
			ParityAdjusted testvec.Hex `json:"parity_adjusted"`
		}
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.TDES) == 0 {
		t.Fatal("empty cross-check file")
	}
	for i, v := range file.TDES {
		c, err := keys.NewTDES(v.Key)
		if err != nil {
			t.Fatal(err)
		}
		if got := keys.KCV(c); !bytes.Equal(got, v.KCV) {
			t.Errorf("%d: KCV = %X, want %X", i, got, []byte(v.KCV))
		}
		adj := bytes.Clone(v.Key)
		keys.AdjustParity(adj)
		if !bytes.Equal(adj, v.ParityAdjusted) {
			t.Errorf("%d: AdjustParity = %X, want %X", i, adj, []byte(v.ParityAdjusted))
		}
	}
}
