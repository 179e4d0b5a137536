package iso8583

import "testing"

// TestAllocations pins the allocations of the benchmark paths, so that a
// change that adds some shows up here before it shows up in the figures.
// Most come from moov's encoders, which return fresh slices.
func TestAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts differ under the race detector")
	}
	req := benchPurchase()
	m, _ := req.Message()
	packed, _ := SpecASCII.Pack(m)
	buf := make([]byte, 0, 512)
	for _, tt := range []struct {
		name string
		max  float64
		f    func()
	}{
		{"build and pack", 54, func() {
			m, _ := req.Message()
			buf, _ = SpecASCII.AppendPack(buf[:0], m)
		}},
		{"unpack and read", 41, func() {
			m, _ := SpecASCII.Unpack(packed)
			_, _ = ReadFinancialRequest(m)
		}},
	} {
		if n := testing.AllocsPerRun(100, tt.f); n > tt.max {
			t.Errorf("%s: %.0f allocations, want at most %.0f", tt.name, n, tt.max)
		}
	}
}
