package pinblock_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/posflow/posflow/pinblock"
)

func TestFormatString(t *testing.T) {
	for f, want := range map[pinblock.Format]string{
		pinblock.ISO0: "ISO-0", pinblock.ISO4: "ISO-4", 9: "Format(9)",
	} {
		if got := f.String(); got != want {
			t.Errorf("Format(%d).String() = %q, want %q", uint8(f), got, want)
		}
	}
	if pinblock.ISO3.BlockSize() != 8 || pinblock.ISO4.BlockSize() != 16 || pinblock.Format(5).BlockSize() != 0 {
		t.Error("BlockSize mismatch")
	}
	if got := fmt.Sprint(pinblock.FormatError(7)); !strings.Contains(got, "Format(7)") {
		t.Errorf("FormatError(7) = %q", got)
	}
}
