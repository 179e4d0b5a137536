package emv

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

type panList [][]byte

func (l panList) Contains(pan, psn []byte) bool {
	for _, p := range l {
		if bytes.Equal(p, pan) {
			return true
		}
	}
	return false
}

type logAmount uint64

func (l logAmount) Amount(pan []byte, currency [2]byte) uint64 { return uint64(l) }

// fixedRand returns the two-byte draws given, so that the number drawn
// from 1 to 99 is v%99+1.
type fixedRand struct{ b []byte }

func (r *fixedRand) Read(p []byte) (int, error) {
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

func draw(n int) *fixedRand { return &fixedRand{b: []byte{0, byte(n - 1)}} }

// The cases of Book 3 10.6, after openemv/emv-utils
// tests/emv_terminal_risk_management_test.c.
func TestTerminalRiskManagement(t *testing.T) {
	tests := []struct {
		name   string
		amount uint64
		edit   func(k *kernel, fc *fakeCard, cfg *Config)
		want   []Bit
	}{
		{"under the floor limit", 4999, nil, nil},
		{"at the floor limit", 5000, nil, []Bit{TVRExceedsFloorLimit}},
		{"split sale: the log makes it exceed", 3000, func(_ *kernel, _ *fakeCard, cfg *Config) { cfg.Log = logAmount(2500) }, []Bit{TVRExceedsFloorLimit}},
		{"split sale: log and amount under", 2000, func(_ *kernel, _ *fakeCard, cfg *Config) { cfg.Log = logAmount(2500) }, nil},
		{"random selection below the threshold: selected", 100, func(k *kernel, _ *fakeCard, cfg *Config) {
			cfg.Applications[0].Threshold, cfg.Applications[0].TargetPercent, cfg.Applications[0].MaxTargetPercent = 1000, 20, 80
			cfg.Rand = draw(20)
		}, []Bit{TVRRandomlySelectedOnline}},
		{"random selection below the threshold: not selected", 100, func(k *kernel, _ *fakeCard, cfg *Config) {
			cfg.Applications[0].Threshold, cfg.Applications[0].TargetPercent, cfg.Applications[0].MaxTargetPercent = 1000, 20, 80
			cfg.Rand = draw(21)
		}, nil},
		{"biased selection between threshold and floor limit", 3000, func(k *kernel, _ *fakeCard, cfg *Config) {
			// 20 + (80-20)*(3000-1000)/(5000-1000) = 50
			cfg.Applications[0].Threshold, cfg.Applications[0].TargetPercent, cfg.Applications[0].MaxTargetPercent = 1000, 20, 80
			cfg.Rand = draw(50)
		}, []Bit{TVRRandomlySelectedOnline}},
		{"biased selection between threshold and floor limit: not selected", 3000, func(k *kernel, _ *fakeCard, cfg *Config) {
			cfg.Applications[0].Threshold, cfg.Applications[0].TargetPercent, cfg.Applications[0].MaxTargetPercent = 1000, 20, 80
			cfg.Rand = draw(51)
		}, nil},
		{"lower consecutive offline limit exceeded", 100, func(_ *kernel, fc *fakeCard, _ *Config) {
			fc.atc, fc.lastOnlineATC = 20, 16
		}, []Bit{TVRLowerConsecutiveLimitExceeded}},
		{"upper consecutive offline limit exceeded", 100, func(_ *kernel, fc *fakeCard, _ *Config) {
			fc.atc, fc.lastOnlineATC = 30, 16
		}, []Bit{TVRLowerConsecutiveLimitExceeded, TVRUpperConsecutiveLimitExceeded}},
		{"velocity checking not possible", 100, func(_ *kernel, fc *fakeCard, _ *Config) {
			fc.noGetData = true
		}, []Bit{TVRLowerConsecutiveLimitExceeded, TVRUpperConsecutiveLimitExceeded}},
		{"new card", 100, func(_ *kernel, fc *fakeCard, _ *Config) {
			fc.atc, fc.lastOnlineATC = 1, 0
		}, []Bit{TVRNewCard}},
		{"new card with no ATC", 100, func(_ *kernel, fc *fakeCard, _ *Config) {
			fc.atc, fc.lastOnlineATC = 0, 0
		}, []Bit{TVRNewCard, TVRLowerConsecutiveLimitExceeded, TVRUpperConsecutiveLimitExceeded}},
		{"no consecutive offline limits: no GET DATA", 100, func(k *kernel, fc *fakeCard, _ *Config) {
			delete(k.icc, 0x9F14)
			fc.noGetData = true
		}, nil},
		{"card on the exception file", 100, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.Exceptions = panList{testPAN}
		}, []Bit{TVRCardOnExceptionFile}},
		{"merchant forced online", 100, func(k *kernel, _ *fakeCard, _ *Config) { k.txn.ForceOnline = true }, []Bit{TVRMerchantForcedOnline}},
		{"AIP without TRM: exception file only", 9000, func(k *kernel, _ *fakeCard, cfg *Config) {
			k.aip = AIP{0x7C &^ 0x08}
			cfg.Exceptions = panList{testPAN}
		}, []Bit{TVRCardOnExceptionFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t)
			cfg := testConfig(t)
			cfg.Rand = rand.NewChaCha8([32]byte{})
			k := newKernel(t, fc, cfg)
			k.app = &cfg.Applications[0]
			k.aip = AIP{0x7C}
			k.txn.Amount = tt.amount
			k.icc[0x5A] = testPAN
			k.icc[0x9F14], k.icc[0x9F23] = []byte{3}, []byte{10}
			if tt.edit != nil {
				tt.edit(k, fc, cfg)
			}
			if err := k.terminalRiskManagement(); err != nil {
				t.Fatal(err)
			}
			var want TVR
			for _, b := range tt.want {
				want.Set(b)
			}
			if k.tvr != want {
				t.Errorf("TVR %v, want %v", k.tvr, want)
			}
			if k.aip.Has(AIPTerminalRiskManagement) != k.tsi.Has(TSITerminalRiskManagement) {
				t.Errorf("TSI %v with AIP %v", k.tsi, k.aip)
			}
		})
	}
}
