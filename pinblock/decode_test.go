package pinblock_test

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

type clearVector struct {
	Name   string          `json:"name"`
	Format pinblock.Format `json:"format"`
	PIN    string          `json:"pin"`
	PAN    string          `json:"pan"`
	Block  testvec.Hex     `json:"block"`
	Op     string          `json:"op"`
	Source string          `json:"source"`
}

func TestClearVectors(t *testing.T) {
	var file struct{ Vectors []clearVector }
	testvec.Load(t, "iso9564-clear.json", &file)
	if len(file.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range file.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			got, err := pinblock.Decode(v.Format, v.Block, v.PAN)
			if err != nil || got != v.PIN {
				t.Errorf("Decode(%v, %X) = %q, %v, want %q", v.Format, []byte(v.Block), got, err, v.PIN)
			}
			if v.Op != "both" {
				return
			}
			blk, err := pinblock.Encode(v.Format, v.PIN, v.PAN)
			if err != nil || !bytes.Equal(blk, v.Block) {
				t.Errorf("Encode(%v) = %X, %v, want %X", v.Format, blk, err, []byte(v.Block))
			}
		})
	}
}

func TestCheckDigitIsNotBound(t *testing.T) {
	// Formats 0 and 3 use the 12 rightmost digits excluding the check
	// digit, so PANs that differ only in the check digit give one block.
	blk, err := pinblock.Encode(pinblock.ISO0, "1234", "4012345678909")
	if err != nil {
		t.Fatal(err)
	}
	if pin, err := pinblock.Decode(pinblock.ISO0, blk, "4012345678901"); err != nil || pin != "1234" {
		t.Errorf("Decode = %q, %v", pin, err)
	}
}
