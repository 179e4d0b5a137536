// Package testvec holds the plumbing the posflow packages' tests share for
// reading golden vectors from their testdata directories.
package testvec

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Hex is a byte string written in JSON golden files as a string of
// hexadecimal digits; spaces are ignored.
type Hex []byte

// UnmarshalJSON decodes a JSON string of hexadecimal digits.
func (h *Hex) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	*h = v
	return err
}

// String returns h in upper-case hexadecimal.
func (h Hex) String() string { return strings.ToUpper(hex.EncodeToString(h)) }

// Load reads the JSON file name from the package's testdata directory into
// v, failing the test if it cannot.
func Load(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
}

// MustHex decodes hexadecimal written in a test, ignoring spaces; it panics
// on invalid hex, a mistake in the test itself.
func MustHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic("testvec: " + err.Error())
	}
	return b
}
