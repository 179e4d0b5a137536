package emv

import (
	"testing"

	"github.com/posflow/posflow/emv/oda"
)

func TestOfflineDataAuthentication(t *testing.T) {
	const sdaAIP, ddaAIP, cdaAIP = 0x5C, 0x7C, 0x7D
	tests := []struct {
		name    string
		aip     byte
		method  odaMethod
		edit    func(*fakeCard, *Config)
		set     []Bit
		clear   []Bit
		outcome Outcome
	}{
		{"SDA", sdaAIP, odaSDA, nil, []Bit{TVRSDASelected}, []Bit{TVRSDAFailed, TVROfflineDataAuthNotPerformed}, ApprovedOnline},
		{"SDA with a bad signature", sdaAIP, odaSDA, func(c *fakeCard, _ *Config) {
			c.p.badSSAD = true
			c.personalise()
		}, []Bit{TVRSDASelected, TVRSDAFailed}, nil, ApprovedOnline},
		{"DDA", ddaAIP, odaDDA, nil, nil, []Bit{TVRDDAFailed, TVRSDASelected}, ApprovedOnline},
		{"DDA with the default DDOL", ddaAIP, odaDDA, func(c *fakeCard, _ *Config) {
			c.p.ddol = nil
			c.personalise()
		}, nil, []Bit{TVRDDAFailed}, ApprovedOnline},
		{"DDA without DDOL and default DDOL", ddaAIP, odaDDA, func(c *fakeCard, cfg *Config) {
			c.p.ddol = nil
			c.personalise()
			cfg.Applications[0].DefaultDDOL = nil
		}, []Bit{TVRDDAFailed, TVRICCDataMissing}, nil, ApprovedOnline},
		{"DDA without the CA key", ddaAIP, odaDDA, func(_ *fakeCard, cfg *Config) {
			cfg.CAPKs = new(oda.Store)
		}, []Bit{TVRDDAFailed}, []Bit{TVRICCDataMissing}, ApprovedOnline},
		{"DDA without ICC certificate", ddaAIP, odaDDA, func(c *fakeCard, _ *Config) {
			c.records[[2]byte{2, 1}] = dropTag(c.records[[2]byte{2, 1}], 0x9F46)
		}, []Bit{TVRDDAFailed, TVRICCDataMissing}, nil, ApprovedOnline},
		{"DDA with a revoked issuer certificate", ddaAIP, odaDDA, func(_ *fakeCard, cfg *Config) {
			cfg.Revoked = new(oda.RevocationList)
			cfg.Revoked.Add(oda.Revocation{RID: testRID, Index: 0xE1, Serial: [3]byte{0, 0, 1}})
		}, []Bit{TVRDDAFailed}, nil, ApprovedOnline},
		{"CDA on both GENERATE ACs", cdaAIP, odaCDA, nil, nil, []Bit{TVRCDAFailed}, ApprovedOnline},
		{"CDA with a bad signature: no online, AAC", cdaAIP, odaCDA, func(c *fakeCard, _ *Config) {
			c.cdaCorrupt = true
		}, []Bit{TVRCDAFailed}, nil, DeclinedOffline},
		{"CDA response with 9F26 too", cdaAIP, odaCDA, func(c *fakeCard, _ *Config) {
			c.cda9F26 = 1
		}, nil, []Bit{TVRCDAFailed}, ApprovedOnline},
		{"CDA response with a 9F26 other than the signed one", cdaAIP, odaCDA, func(c *fakeCard, _ *Config) {
			c.cda9F26 = 2
		}, []Bit{TVRCDAFailed}, nil, DeclinedOffline},
		{"terminal without ODA", ddaAIP, odaNone, func(_ *fakeCard, cfg *Config) {
			cfg.Terminal.Capabilities[2] = 0
		}, []Bit{TVROfflineDataAuthNotPerformed}, nil, ApprovedOnline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t, func(p *profile) {
				p.aip[0] = tt.aip
				p.oda = tt.method
				if tt.method == odaNone {
					p.oda = odaDDA
				}
			})
			cfg := testConfig(t)
			if tt.edit != nil {
				tt.edit(fc, cfg)
			}
			res := run(t, fc, cfg, testTxn(10000))
			if res.Outcome != tt.outcome {
				dumpTrace(t, res)
				t.Fatalf("outcome %v (%v), want %v", res.Outcome, res.Err, tt.outcome)
			}
			for _, b := range tt.set {
				if !res.TVR.Has(b) {
					t.Errorf("TVR %v lacks %s", res.TVR, tvrNames[b])
				}
			}
			for _, b := range tt.clear {
				if res.TVR.Has(b) {
					t.Errorf("TVR %v has %s", res.TVR, tvrNames[b])
				}
			}
			if tt.method != odaNone && !res.TSI.Has(TSIOfflineDataAuthPerformed) {
				t.Errorf("TSI %v", res.TSI)
			}
			if tt.method == odaCDA && tt.outcome == ApprovedOnline {
				if fc.genacs != 2 || len(res.Cryptogram) != 8 {
					t.Errorf("%d GENERATE ACs, cryptogram %X", fc.genacs, res.Cryptogram)
				}
				if _, ok := res.Value(0x9F4C); !ok {
					t.Error("ICC dynamic number not kept")
				}
			}
			if tt.method == odaSDA && !res.TVR.Has(TVRSDAFailed) {
				if v, _ := res.Value(0x9F45); hexUpper(v) != "DAC0" {
					t.Errorf("data authentication code %X", v)
				}
			}
		})
	}
}
