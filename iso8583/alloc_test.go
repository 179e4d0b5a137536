package iso8583

import "testing"

// TestAllocations pins the allocations of the benchmark paths, so that a
// change that adds some shows up here before it shows up in the figures.
// With SpecASCII they are the message, its field list, one buffer for its
// values (one string for a typed read's text), track 2 on its own, and
// moov's hexadecimal coder for the PIN block; with SpecBCD most come from
// moov's BCD coders, which return fresh slices and build their tables on
// every call.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	req := benchPurchase()
	m, _ := req.Message()
	packed, _ := SpecASCII.Pack(m)
	packedBCD, _ := SpecBCD.Pack(m)
	in, _ := SpecASCII.Unpack(packed)
	buf := make([]byte, 0, 512)
	macKey, err := RetailMAC(mustHex("0123456789ABCDEFFEDCBA9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		max  float64
		f    func()
	}{
		{"build and pack", 6, func() {
			m, _ := req.Message()
			buf, _ = SpecASCII.AppendPack(buf[:0], m)
		}},
		{"unpack and read", 6, func() {
			m, _ := SpecASCII.Unpack(packed)
			_, _ = ReadFinancialRequest(m)
		}},
		{"respond and pack", 6, func() {
			r, _ := Respond(in, Approved)
			r.AuthCode = "A1B2C3"
			m, _ := r.Message()
			buf, _ = SpecASCII.AppendPack(buf[:0], m)
		}},
		{"respond and sign", 8, func() {
			r, _ := Respond(in, Approved)
			r.AuthCode = "A1B2C3"
			m, _ := r.Message()
			_, _ = Sign(SpecASCII, m, macKey)
		}},
		{"build and pack BCD", 104, func() {
			m, _ := req.Message()
			buf, _ = SpecBCD.AppendPack(buf[:0], m)
		}},
		{"unpack and read BCD", 95, func() {
			m, _ := SpecBCD.Unpack(packedBCD)
			_, _ = ReadFinancialRequest(m)
		}},
	} {
		if n := testing.AllocsPerRun(100, tt.f); n > tt.max {
			t.Errorf("%s: %.0f allocations, want at most %.0f", tt.name, n, tt.max)
		}
	}
}
