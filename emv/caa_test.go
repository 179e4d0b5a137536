package emv

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/tlv"
)

func TestParseGenerateACResponse(t *testing.T) {
	good := []struct{ name, in, cid, ac string }{
		{"format 1", "8012800011948A0C6ABBAFE4AD0606010A03A000", "80", "948A0C6ABBAFE4AD"},
		{"format 1 without IAD", "800B4000111122334455667788", "40", "1122334455667788"},
		{"format 2", "77149F2701409F360200119F26081122334455667788", "40", "1122334455667788"},
		{"format 2 with SDAD only (CDA)", "77109F2701809F360200119F4B0401020304", "80", ""},
	}
	for _, tt := range good {
		t.Run(tt.name, func(t *testing.T) {
			g, err := ParseGenerateACResponse(mustHexT(tt.in))
			if err != nil {
				t.Fatalf("ParseGenerateACResponse(%s): %v", tt.in, err)
			}
			if hexUpper([]byte{byte(g.CID)}) != tt.cid || hexUpper(g.AC) != tt.ac {
				t.Errorf("CID %02X AC %X, want %s %s", byte(g.CID), g.AC, tt.cid, tt.ac)
			}
		})
	}
	h := mustHexT
	cid, atc, ac := tlvb(0x9F27, h("40")), tlvb(0x9F36, h("0011")), tlvb(0x9F26, h("1122334455667788"))
	bad := []struct {
		name string
		in   []byte
		why  string // in the error
	}{
		{"empty", nil, "empty"},
		{"format 1 too short", tlvb(0x80, h("40001111223344556677")), "format 1 of 10 bytes"},
		{"format 1 IAD over 32 bytes", tlvb(0x80, cat(h("4000111122334455667788"), make([]byte, 33))), "format 1 of 44 bytes"},
		{"format 2 without CID", tlvb(0x77, cat(atc, ac)), "missing"},
		{"format 2 without cryptogram", tlvb(0x77, cat(cid, atc)), "missing"},
		{"format 2 CID twice", tlvb(0x77, cat(cid, cid, atc, ac)), "9F27 twice"},
		{"format 2 short cryptogram", tlvb(0x77, cat(cid, atc, tlvb(0x9F26, h("AABB")))), "cryptogram of 2 bytes"},
		{"format 2 constructed object", tlvb(0x77, cat(cid, atc, ac, tlvb(0xA5, nil))), "constructed"},
		{"RFU cryptogram type", tlvb(0x80, h("C000111122334455667788")), "RFU"},
		{"data after the template", cat(tlvb(0x80, h("4000111122334455667788")), h("90")), "after the template"},
		{"unknown template", tlvb(0x70, h("4000111122334455667788")), "template 70"},
		{"truncated", h("800B40001111"), "truncated"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseGenerateACResponse(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("ParseGenerateACResponse(%X) = %v, want an error about %q", tt.in, err, tt.why)
			}
		})
	}
}

func cidp(c CID) *CID { return &c }

func TestCardActionAnalysis(t *testing.T) {
	tests := []struct {
		name    string
		amount  uint64
		edit    func(*fakeCard, *Config)
		outcome Outcome
		arc     string
		err     error
	}{
		{"TC asked, TC given: approved offline", 100, nil, ApprovedOffline, "Y1", nil},
		{"TC asked, AAC given: declined offline", 100, func(c *fakeCard, _ *Config) { c.declineFirst = true }, DeclinedOffline, "Z1", nil},
		{"TC asked, ARQC given: online", 100, func(c *fakeCard, _ *Config) { c.onlineFirst = true }, ApprovedOnline, "00", nil},
		{"ARQC asked, AAC given: declined offline", 10000, func(c *fakeCard, _ *Config) { c.declineFirst = true }, DeclinedOffline, "Z1", nil},
		{"ARQC asked, TC given: terminated", 10000, func(c *fakeCard, _ *Config) { c.firstCID = cidp(TC) }, Terminated, "", ErrCardData},
		{"AAC asked, ARQC given: terminated", 100, func(c *fakeCard, cfg *Config) {
			c.firstCID = cidp(ARQC)
			cfg.Exceptions = panList{testPAN}
			cfg.Applications[0].TACDenial = TVR{0x10} // card on exception file
		}, Terminated, "", ErrCardData},
		{"AAC for service not allowed: terminated", 100, func(c *fakeCard, _ *Config) { c.firstCID = cidp(AAC | 0x01) }, Terminated, "", ErrServiceNotAllowed},
		{"GENERATE AC refused: terminated", 100, func(c *fakeCard, _ *Config) { c.genacSW = SWConditionsNotSatisfied }, Terminated, "", SWConditionsNotSatisfied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t)
			cfg := testConfig(t)
			if tt.edit != nil {
				tt.edit(fc, cfg)
			}
			res := run(t, fc, cfg, testTxn(tt.amount))
			if res.Outcome != tt.outcome || !errors.Is(res.Err, tt.err) {
				dumpTrace(t, res)
				t.Fatalf("outcome %v (%v), want %v (%v)", res.Outcome, res.Err, tt.outcome, tt.err)
			}
			if tt.err == nil && string(res.ResponseCode[:]) != tt.arc {
				t.Errorf("ARC %q, want %q", res.ResponseCode[:], tt.arc)
			}
			if tt.err == nil && !res.TSI.Has(TSICardRiskManagement) {
				t.Errorf("TSI %v", res.TSI)
			}
		})
	}
	t.Run("advice asked for", func(t *testing.T) {
		fc := newFakeCard(t)
		fc.firstCID = cidp(AAC | 0x08 | 0x02)
		res := run(t, fc, testConfig(t), testTxn(100))
		if res.Outcome != DeclinedOffline || !res.AdviceRequired {
			t.Errorf("outcome %v advice %v", res.Outcome, res.AdviceRequired)
		}
	})
}

func FuzzParseGenerateACResponse(f *testing.F) {
	f.Add(mustHexT("8012800011948A0C6ABBAFE4AD0606010A03A000"))
	f.Add(mustHexT("77149F2701409F360200119F26081122334455667788"))
	f.Add(mustHexT("77109F2701809F360200119F4B0401020304"))
	f.Fuzz(func(t *testing.T, in []byte) {
		g, err := ParseGenerateACResponse(in)
		if err != nil {
			return
		}
		if g.AC != nil && len(g.AC) != 8 {
			t.Fatalf("cryptogram of %d bytes", len(g.AC))
		}
		if g.Format2 {
			cid, err := tlv.FindPath(in, 0x77, 0x9F27)
			if err != nil || len(cid.Value) != 1 || CID(cid.Value[0]) != g.CID {
				t.Fatalf("CID %v, tlv %X (%v)", g.CID, cid.Value, err)
			}
		} else {
			v, err := tlv.FindPath(in, 0x80)
			if err != nil || CID(v.Value[0]) != g.CID || !bytes.Equal(v.Value[3:11], g.AC) {
				t.Fatalf("format 1 %X, CID %v AC %X", v.Value, g.CID, g.AC)
			}
		}
		end := len(bytes.TrimRight(in, "\x00"))
		for i := range end {
			if _, err := ParseGenerateACResponse(in[:i]); err == nil {
				t.Fatalf("strict prefix %X of %X accepted", in[:i], in)
			}
		}
	})
}

// The TC hash value (98) in a CDOL is SHA-1 over the TDOL data: the
// card's TDOL (97), else the default TDOL, which sets the TVR bit (Book 3
// 10.8, 5.4).
func TestTCHashValue(t *testing.T) {
	cdol1 := "9F02069F03069F1A0295055F2A029A039C019F37049F35019814"
	tests := []struct {
		name        string
		cardTDOL    string
		defaultTDOL string
		tdolData    func(res *Result) []byte
		defaultUsed bool
	}{
		{"card TDOL", "9F02065F2A02", "9F3704", func(res *Result) []byte {
			a, _ := res.Value(0x9F02)
			c, _ := res.Value(0x5F2A)
			return cat(a, c)
		}, false},
		{"default TDOL", "", "9F3704", func(res *Result) []byte {
			un, _ := res.Value(0x9F37)
			return un
		}, true},
		{"no TDOL: hash of nothing", "", "", func(*Result) []byte { return nil }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t, func(p *profile) {
				p.cdol1 = mustHexT(cdol1)
				if tt.cardTDOL != "" {
					p.extra = tlvb(0x97, mustHexT(tt.cardTDOL))
				}
			})
			cfg := testConfig(t)
			cfg.Applications[0].DefaultTDOL = mustHexT(tt.defaultTDOL)
			res := run(t, fc, cfg, testTxn(10000))
			if res.Outcome != ApprovedOnline {
				t.Fatalf("outcome %v: %v", res.Outcome, res.Err)
			}
			sent := fc.cardData(fc.p.cdol1, fc.cdol1Data)[0x98]
			want := sha1.Sum(tt.tdolData(res))
			if !bytes.Equal(sent, want[:]) {
				t.Errorf("98 sent %X, want %X", sent, want)
			}
			if res.TVR.Has(TVRDefaultTDOLUsed) != tt.defaultUsed {
				t.Errorf("TVR %v", res.TVR)
			}
		})
	}
}
