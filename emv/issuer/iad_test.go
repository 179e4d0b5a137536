package issuer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

const (
	aidVisa       = "A0000000031010"
	aidMastercard = "A0000000041010"
	aidMaestro    = "A0000000043060"
	aidInterac    = "A0000002771010"
)

func TestDetectCVN(t *testing.T) {
	visa2 := "1F22" + "01" + strings.Repeat("00", 29) // format 2, CVN '22', DKI 01, 32 bytes
	tests := []struct {
		name string
		aid  string
		iad  string
		want issuer.CVN
		err  error
	}{
		{"Visa format 0 CVN 10 (pyemv CVR)", aidVisa, "06010A03A06010", issuer.VisaCVN10, nil},
		{"Visa format 0 CVN 10 with issuer discretionary data", aidVisa, "06010A03A060100F00000000000000000000000000000000", issuer.VisaCVN10, nil},
		{"Visa format 1 CVN 18 (pyemv)", aidVisa, "06011203A0B800", issuer.VisaCVN18, nil},
		{"Visa format 1 CVN 18 (Daniel-Hu qVSDC mock: 9F10 06011103900000 is CVN 17)", aidVisa, "06011103900000", 0, issuer.ErrIAD},
		{"Visa format 2 CVN 22", aidVisa, visa2, issuer.VisaCVN22, nil},
		{"Visa format 2 of 31 bytes", aidVisa, visa2[:62], 0, issuer.ErrIAD},
		{"Visa format 2 with option ID 10", aidVisa, "1F2201" + "0000000000" + "10" + strings.Repeat("00", 23), 0, issuer.ErrIAD},
		{"Visa format 4 CVN 44", aidVisa, "1F44" + strings.Repeat("00", 30), 0, issuer.ErrIAD},
		{"Visa format 0 with CVR length 4", aidVisa, "06010A04A0601000", 0, issuer.ErrIAD},
		{"Visa format 0 of 6 bytes", aidVisa, "06010A03A060", 0, issuer.ErrIAD},
		{"Visa IAD with the M/Chip layout", aidVisa, "0110A00003220000000000000000000000FF", 0, issuer.ErrIAD},
		{"Mastercard CVN 16 (pyemv)", aidMastercard, "0110A00003220000000000000000000000FF", issuer.MastercardCVN16, nil},
		{"Mastercard CVN 17 (pyemv)", aidMastercard, "0111A00003220000000000000000000322FF", issuer.MastercardCVN17, nil},
		{"Mastercard CVN 20", aidMastercard, "0114A00003220000000000000000000000FF", issuer.MastercardCVN20, nil},
		{"Mastercard CVN 21 (pyemv)", aidMastercard, "0115A00003220000000000000000000322FF", issuer.MastercardCVN21, nil},
		{"Maestro CVN 16 (same RID)", aidMaestro, "0110A00003220000000000000000000000FF", issuer.MastercardCVN16, nil},
		{"M/Chip Advance of 20 bytes", aidMastercard, "0115A00003220000000000000000000322FF0000", issuer.MastercardCVN21, nil},
		{"M/Chip of 19 bytes", aidMastercard, "0110A00003220000000000000000000000FF00", 0, issuer.ErrIAD},
		{"M/Chip CVN 12 (RFU session key bit)", aidMastercard, "0112A00003220000000000000000000000FF", 0, issuer.ErrIAD},
		{"proxmark CDA fixture M/Chip 9F10 (CVN 10)", aidMastercard, "0010904001220000000000000000000000FF", issuer.MastercardCVN16, nil},
		{"Mastercard with a Visa IAD", aidMastercard, "06011203A0B800", 0, issuer.ErrIAD},
		{"Interac CVN 133 (pyemv)", aidInterac, "1501850440B100000000B00000000000000000000000", issuer.InteracCVN133, nil},
		{"Interac with a wrong length byte", aidInterac, "1601850440B100000000B00000000000000000000000", 0, issuer.ErrIAD},
		{"Interac CVR length past the end", aidInterac, "040185050000", 0, issuer.ErrIAD},
		{"Interac CVN 134", aidInterac, "1501860440B100000000B00000000000000000000000", 0, issuer.ErrIAD},
		{"Amex AID: no version known", "A00000002501", "06011203A0B800", 0, issuer.ErrScheme},
		{"AID of 4 bytes", "A0000000", "06011203A0B800", 0, issuer.ErrScheme},
		{"AID of 17 bytes", "A0000000031010" + strings.Repeat("00", 10), "06011203A0B800", 0, issuer.ErrScheme},
		{"empty IAD", aidVisa, "", 0, issuer.ErrIAD},
		{"IAD of 33 bytes", aidVisa, "1F22" + strings.Repeat("00", 31), 0, issuer.ErrIAD},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := issuer.DetectCVN(unhex(t, tc.aid), unhex(t, tc.iad))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("DetectCVN(%s, %s) = %v, %v; want error %v", tc.aid, tc.iad, got, err, tc.err)
				}
				if got != 0 {
					t.Errorf("DetectCVN returned %v with an error", got)
				}
				if !strings.HasPrefix(err.Error(), "issuer: ") {
					t.Errorf("message %q", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("DetectCVN(%s, %s) = %v, %v; want %v", tc.aid, tc.iad, got, err, tc.want)
			}
			d, err := issuer.ParseIAD(unhex(t, tc.aid), unhex(t, tc.iad))
			if err != nil {
				t.Fatal(err)
			}
			if d.CVN.Code() == 0 || len(d.CVR) == 0 || upperHex(d.Raw) != tc.iad {
				t.Errorf("ParseIAD = %+v", d)
			}
			if (d.CVN == issuer.MastercardCVN17 || d.CVN == issuer.MastercardCVN21) != (d.Counters != nil) {
				t.Errorf("counters = %X for %v", d.Counters, d.CVN)
			}
		})
	}
}

func TestCVNMethods(t *testing.T) {
	tests := []struct {
		cvn    issuer.CVN
		name   string
		code   byte
		option issuer.Option
		arpc   int
	}{
		{issuer.VisaCVN10, "Visa CVN 10", 0x0A, issuer.OptionA, 1},
		{issuer.VisaCVN18, "Visa CVN 18", 0x12, issuer.OptionB, 2},
		{issuer.VisaCVN22, "Visa CVN 22", 0x22, issuer.OptionB, 2},
		{issuer.MastercardCVN16, "Mastercard CVN 16", 0x10, issuer.OptionA, 1},
		{issuer.MastercardCVN17, "Mastercard CVN 17", 0x11, issuer.OptionA, 1},
		{issuer.MastercardCVN20, "Mastercard CVN 20", 0x14, issuer.OptionA, 1},
		{issuer.MastercardCVN21, "Mastercard CVN 21", 0x15, issuer.OptionA, 1},
		{issuer.InteracCVN133, "Interac CVN 133", 0x85, issuer.OptionA, 1},
		{0, "CVN(0)", 0, 0, 0},
		{9, "CVN(9)", 0, 0, 0},
	}
	for _, tc := range tests {
		if got := tc.cvn.String(); got != tc.name {
			t.Errorf("CVN(%d).String() = %q, want %q", tc.cvn, got, tc.name)
		}
		if got := tc.cvn.Code(); got != tc.code {
			t.Errorf("%v.Code() = %02X, want %02X", tc.cvn, got, tc.code)
		}
		if got := tc.cvn.Option(); got != tc.option {
			t.Errorf("%v.Option() = %v, want %v", tc.cvn, got, tc.option)
		}
		if got := tc.cvn.ARPCMethod(); got != tc.arpc {
			t.Errorf("%v.ARPCMethod() = %d, want %d", tc.cvn, got, tc.arpc)
		}
	}
}

// TestParseIADAllocs pins the read path: parsing a recognised 9F10 does
// not allocate.
func TestParseIADAllocs(t *testing.T) {
	aid, iad := unhex(t, aidMastercard), unhex(t, "0115A00003220000000000000000000322FF")
	if n := testing.AllocsPerRun(100, func() {
		if _, err := issuer.ParseIAD(aid, iad); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("ParseIAD allocates %v times", n)
	}
}
