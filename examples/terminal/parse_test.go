package main

import (
	"strconv"
	"testing"
)

// FuzzParseAmount checks that parseAmount never panics and that what it
// accepts prints back to the same amount.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"25.00", "25", "0.5", "1.234", "", ".", "-1", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseAmount(s)
		if err != nil {
			return
		}
		back, err := parseAmount(strconv.FormatUint(v/100, 10) + "." + strconv.FormatUint(v%100/10, 10) + strconv.FormatUint(v%10, 10))
		if err != nil || back != v {
			t.Errorf("parseAmount(%q) = %d, which does not print back (%d, %v)", s, v, back, err)
		}
	})
}
