package emv

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

type iadVector struct {
	Name     string   `json:"name"`
	AID      string   `json:"aid"`
	IAD      string   `json:"iad"`
	Error    bool     `json:"error"`
	Format   string   `json:"format"`
	CVN      string   `json:"cvn"`
	DKI      string   `json:"dki"`
	CVR      string   `json:"cvr"`
	Counters string   `json:"counters"`
	Version  string   `json:"version"`
	Has      []string `json:"has"`
	Fixture  string   `json:"fixture"`
	Source   string   `json:"source"`
}

func loadIADVectors(t testing.TB) []iadVector {
	b, err := os.ReadFile(filepath.Join("testdata", "iad.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		IADs []iadVector `json:"iads"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v.IADs
}

func mustUnhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeIAD(t *testing.T) {
	for _, v := range loadIADVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			aid, iad := mustUnhex(t, v.AID), mustUnhex(t, v.IAD)
			d, err := DecodeIAD(aid, iad)
			if v.Error {
				if !errors.Is(err, ErrIAD) || !strings.HasPrefix(err.Error(), "emv: ") {
					t.Fatalf("DecodeIAD(%s, %s) = %v, %v; want ErrIAD (%s)", v.AID, v.IAD, d, err, v.Source)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeIAD(%s, %s): %v", v.AID, v.IAD, err)
			}
			up := func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
			version := ""
			if d.Version != 0 {
				version = d.Version.String()
			}
			if d.Format.String() != v.Format || hexByte(d.CVN) != v.CVN || hexByte(d.DKI) != v.DKI ||
				up(d.CVR) != v.CVR || up(d.Counters) != v.Counters || version != v.Version || !bytes.Equal(d.Raw, iad) {
				t.Errorf("DecodeIAD(%s) = %v %s DKI %s CVR %s counters %s version %q; want %s %s DKI %s CVR %s counters %s version %q",
					v.IAD, d.Format, hexByte(d.CVN), hexByte(d.DKI), up(d.CVR), up(d.Counters), version, v.Format, v.CVN, v.DKI, v.CVR, v.Counters, v.Version)
			}
			s := d.String()
			for _, h := range v.Has {
				if !strings.Contains(s, h) {
					t.Errorf("String() = %q, missing %q", s, h)
				}
			}
			if strings.Contains(s, "RFU") {
				t.Errorf("String() = %q names an RFU bit", s)
			}
		})
	}
}

// The 9F10 values credited to the shared contactless fixtures must be in
// them, byte for byte.
func TestIADVectorsInFixtures(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "fixtures", "contactless")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared contactless fixtures not found at %s: %v", dir, err)
	}
	for _, v := range loadIADVectors(t) {
		if v.Fixture == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, v.Fixture))
		if err != nil {
			t.Fatal(err)
		}
		tlv := "9F10" + strings.ToUpper(hex.EncodeToString([]byte{byte(len(v.IAD) / 2)})) + v.IAD
		if !bytes.Contains(b, []byte(tlv)) {
			t.Errorf("%s: %s not in %s", v.Name, tlv, v.Fixture)
		}
	}
}

func TestCVRBits(t *testing.T) {
	v := VisaCVR{0x03, 0xA8, 0x40, 0x38}
	if !v.Has(VisaCVRIssuerAuthFailed) || !v.Has(VisaCVRPINTryLimitExceeded) || !v.Has(VisaCVRScriptFailed) || v.Has(VisaCVRNewCard) {
		t.Errorf("VisaCVR %v bits", v)
	}
	if v.FirstGenerateAC() != ARQC || v.ScriptCommands() != 3 {
		t.Errorf("VisaCVR %v: first %v, %d scripts", v, v.FirstGenerateAC(), v.ScriptCommands())
	}
	if c, ok := v.SecondGenerateAC(); ok || c != AAC {
		t.Errorf("VisaCVR %v: second %v %v, want not requested", v, c, ok)
	}
	m := MChipCVR{0x67, 0x70, 0x03, 0x02, 0x00, 0x00}
	if c, ok := m.SecondGenerateAC(); !ok || c != TC || m.FirstGenerateAC() != ARQC || !m.Has(MChipCVRIssuerAuthPerformed) || !m.Has(MChipCVRDomestic) {
		t.Errorf("MChipCVR %v", m)
	}
	c := CCDCVR{0x18, 0x3C, 0x00, 0x21, 0x00}
	if c.FirstGenerateAC() != TC || !c.Has(CCDCVRCDAPerformed) || c.PINTryCounter() != 3 || !c.Has(CCDCVROfflinePINFailed) || c.ScriptCommands() != 2 || !c.Has(CCDCVRUnableToGoOnline) {
		t.Errorf("CCDCVR %v", c)
	}
	if got := (CCDCVR{0x00, 0x00, 0x00, 0x00, 0x01}).String(); !strings.Contains(got, "RFU bit set") {
		t.Errorf("CCD byte 5 bit: %q", got)
	}
	f2 := IAD{Format: IADVSDC2, CVR: []byte{0x00, 0xA4, 0x00, 0x00, 0x00}}
	if got := f2.String(); !strings.Contains(got, "CDCVM successfully performed") || strings.Contains(got, "offline PIN") {
		t.Errorf("format 2 CVR: %q", got)
	}
	f0 := IAD{Format: IADVSDC0, CVR: []byte{0x03, 0xA4, 0x00, 0x00}}
	if got := f0.String(); !strings.Contains(got, "offline PIN verification performed") {
		t.Errorf("format 0 CVR: %q", got)
	}
	if _, ok := (IAD{Format: IADCCD}).VisaCVR(); ok {
		t.Error("VisaCVR of a CCD IAD")
	}
}

func TestDecodeIADDoesNotAllocate(t *testing.T) {
	aid, iad := mustUnhex(t, "A0000000041010"), mustUnhex(t, "0110A00003220000000000000000000000FF")
	if n := testing.AllocsPerRun(100, func() { _, _ = DecodeIAD(aid, iad) }); n != 0 {
		t.Errorf("DecodeIAD allocates %v times", n)
	}
}

// FuzzDecodeIAD checks that DecodeIAD never panics, that its fields are
// slices of the input at the layout's offsets, that String works, and that
// it agrees with emv/issuer.ParseIAD wherever that recognises the data.
func FuzzDecodeIAD(f *testing.F) {
	for _, v := range loadIADVectors(f) {
		f.Add(mustUnhex(f, v.AID), mustUnhex(f, v.IAD))
	}
	f.Fuzz(func(t *testing.T, aid, iad []byte) {
		d, err := DecodeIAD(aid, iad)
		p, perr := issuer.ParseIAD(aid, iad)
		if err != nil {
			if !errors.Is(err, ErrIAD) {
				t.Fatalf("error %v does not wrap ErrIAD", err)
			}
			if perr == nil && p.CVN != issuer.InteracCVN133 {
				t.Fatalf("DecodeIAD(%X, %X): %v, but issuer.ParseIAD reads %v", aid, iad, err, p.CVN)
			}
			return
		}
		_ = d.String()
		if !bytes.Equal(d.Raw, iad) || len(d.CVR) == 0 {
			t.Fatalf("DecodeIAD(%X, %X) = %+v", aid, iad, d)
		}
		if perr == nil && d.Format != IADCCD {
			if d.Version != p.CVN || d.DKI != p.DKI || !bytes.Equal(d.CVR, p.CVR) {
				t.Fatalf("DecodeIAD(%X, %X) = %v DKI %02X CVR %X, issuer.ParseIAD %v DKI %02X CVR %X", aid, iad, d.Version, d.DKI, d.CVR, p.CVN, p.DKI, p.CVR)
			}
			if p.Counters != nil && !bytes.Equal(d.Counters, p.Counters) {
				t.Fatalf("counters %X, issuer.ParseIAD %X", d.Counters, p.Counters)
			}
		}
		if d.Version != 0 && perr != nil {
			t.Fatalf("version %v without issuer.ParseIAD: %v", d.Version, perr)
		}
	})
}
