package cardsim

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// fixtureDir holds the contactless transcripts of MohamedHassanNasr/emv
// (commit cfa823a25e9fac6a5b42c99e1b8a7297b88848dd, mock/), shared outside
// the repository; see its README.
const fixtureDir = "../../../shared/fixtures/contactless"

// TestMastercardProfileMatchesFixture compares the Mastercard profile with
// the M/Chip test card of mock-msc-online.json: the same CDOL1 and CDOL2,
// and issuer application data of the same layout, whose CVR after a first
// GENERATE AC for an ARQC with CDA has the same bits as ours.
func TestMastercardProfileMatchesFixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixtureDir, "mock-msc-online.json"))
	if err != nil {
		t.Skipf("fixture not available: %v", err)
	}
	var f struct {
		APDUs []struct{ Cmd, Resp string } `json:"apdus"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	found := map[tlv.Tag][]byte{}
	for _, e := range f.APDUs {
		r, err := hex.DecodeString(e.Resp)
		if err != nil || len(r) < 2 {
			t.Fatalf("fixture response %q", e.Resp)
		}
		for _, tag := range []tlv.Tag{0x8C, 0x8D, 0x9F10, 0x9F27} {
			if o, err := tlv.Find(r[:len(r)-2], tag); err == nil {
				found[tag] = o.Value
			}
		}
	}
	prof := presetProfile(t, Presets()[2], CDA)
	a := &prof.Applications[0]
	if !bytes.Equal(found[0x8C], a.CDOL1) || !bytes.Equal(found[0x8D], a.CDOL2) {
		t.Errorf("fixture CDOL1 %X, CDOL2 %X; profile %X, %X", found[0x8C], found[0x8D], a.CDOL1, a.CDOL2)
	}
	fix, err := issuer.ParseIAD(a.AID, found[0x9F10])
	if err != nil || fix.CVN != issuer.MastercardCVN16 {
		t.Fatalf("fixture IAD: %v, %v", fix.CVN, err)
	}
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.start(a.AID)
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestARQC|emv.RequestCDA, cdol1)))
	ours, err := issuer.ParseIAD(a.AID, g.iad)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.iad) != len(found[0x9F10]) || ours.CVR[0] != fix.CVR[0] || ours.CVR[1] != fix.CVR[1] || emv.CID(found[0x9F27][0]) != g.cid {
		t.Errorf("IAD %X (CID %v), fixture %X (CID %X): want the same layout and cryptogram bits", g.iad, g.cid, found[0x9F10], found[0x9F27])
	}
}
