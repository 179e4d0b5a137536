package entrypoint_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/emv/entrypoint"
)

func TestParsePPSE(t *testing.T) {
	three := ppseFCI(entry(mc, 1, ""), entry(maestro, 3, "02"), entry(other, 9, ""))
	got, err := entrypoint.ParsePPSE(three)
	if err != nil {
		t.Fatalf("ParsePPSE(%x) = %v", three, err)
	}
	if len(got) != 3 {
		t.Fatalf("%d entries, want 3", len(got))
	}
	if !bytes.Equal(got[1].ADFName, h(maestro)) || got[1].Priority != 3 || !bytes.Equal(got[1].KernelID, []byte{2}) {
		t.Errorf("entry 2 = %+v", got[1])
	}
	if got[0].KernelID != nil || got[2].Priority != 9 {
		t.Errorf("entries 1 and 3 = %+v %+v", got[0], got[2])
	}
	if !bytes.Equal(got[0].Raw, entry(mc, 1, "")) {
		t.Errorf("entry 1 Raw = %x", got[0].Raw)
	}

	bad := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"not an FCI", tlvOf(0x70, tlvOf(0x4F, h(mc)))},
		{"no BF0C", tlvOf(0x6F, tlvOf(0x84, entrypoint.PPSE), tlvOf(0xA5, tlvOf(0x88, []byte{1})))},
		{"priority of two bytes", ppseFCI(tlvOf(0x61, tlvOf(0x4F, h(mc)), tlvOf(0x87, []byte{1, 2})))},
		{"truncated entry", ppseFCI(append(tlvOf(0x61, tlvOf(0x4F, h(mc)))[:2], 0x4F))},
		{"trailing data", append(ppseFCI(entry(mc, 1, "")), 0x01)},
		{"strict prefix", three[:len(three)-1]},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := entrypoint.ParsePPSE(tt.in); !errors.Is(err, entrypoint.ErrPPSE) {
				t.Errorf("ParsePPSE(%x) = %v, want ErrPPSE", tt.in, err)
			}
		})
	}
}

func TestRequestedKernel(t *testing.T) {
	tests := []struct {
		name   string
		aid    string
		kernel string
		want   entrypoint.KernelID
		ok     bool
	}{
		{"Visa default", visa, "", entrypoint.Kernel3, true},
		{"Mastercard default", mc, "", entrypoint.Kernel2, true},
		{"unknown RID without 9F2A", other, "", 0, false},
		{"international identifier", other, "03", entrypoint.Kernel3, true},
		{"international 00: RID default", mc, "00", entrypoint.Kernel2, true},
		{"domestic EMVCo format of 3 bytes", other, "830102", entrypoint.KernelID(3), true},
		{"domestic of 1 byte is malformed", other, "83", 0, false},
		{"proprietary of 9 bytes is malformed", other, "C10102030405060708", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &entrypoint.DirectoryEntry{ADFName: h(tt.aid)}
			if tt.kernel != "" {
				e.KernelID = h(tt.kernel)
			}
			got, ok := entrypoint.RequestedKernel(e)
			if got != tt.want || ok != tt.ok {
				t.Errorf("RequestedKernel(%s, %s) = %d, %v, want %d, %v", tt.aid, tt.kernel, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParsePPSE(f *testing.F) {
	f.Add(ppseFCI(entry(mc, 1, ""), entry(maestro, 3, "02"), entry(other, 9, "")))
	f.Add(ppseFCI(tlvOf(0x61, tlvOf(0x4F, h(mc)), tlvOf(0x9F29, h("0102")))))
	f.Add(ppseFCI())
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := entrypoint.ParsePPSE(b)
		if err != nil {
			return
		}
		// Every entry is a sub-slice of the input, and parsing the
		// whole again gives the same entries.
		for _, e := range entries {
			if !bytes.Contains(b, e.Raw) {
				t.Fatalf("entry %x not in the input", e.Raw)
			}
			entrypoint.RequestedKernel(&e)
		}
		again, err := entrypoint.ParsePPSE(bytes.Clone(b))
		if err != nil || len(again) != len(entries) {
			t.Fatalf("second parse: %v, %d entries, want %d", err, len(again), len(entries))
		}
		// A strict prefix of a valid FCI is never valid.
		for i := range b {
			if _, err := entrypoint.ParsePPSE(b[:i]); err == nil && !allPadding(b[i:]) {
				t.Fatalf("prefix %x of %x parses", b[:i], b)
			}
		}
	})
}

// allPadding tells whether b is only the 00 padding BER-TLV allows after
// the last object.
func allPadding(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
