package emv

import "testing"

// The cases of Book 3 10.4, after openemv/emv-utils
// tests/emv_processing_restrictions_test.c.
func TestProcessingRestrictions(t *testing.T) {
	tests := []struct {
		name string
		icc  map[uint32]string
		txn  func(*Transaction)
		atm  bool
		want []Bit
	}{
		{"all allowed", nil, nil, false, nil},
		{"different application versions", map[uint32]string{0x9F08: "0096"}, nil, false, []Bit{TVRDifferentAppVersions}},
		{"no card version: no check", map[uint32]string{0x9F08: ""}, nil, false, nil},
		{"not yet effective", map[uint32]string{0x5F25: "261127"}, nil, false, []Bit{TVRApplicationNotYetEffective}},
		{"effective today", map[uint32]string{0x5F25: "261126"}, nil, false, nil},
		{"expired", map[uint32]string{0x5F24: "261125"}, nil, false, []Bit{TVRExpiredApplication}},
		{"expires today", map[uint32]string{0x5F24: "261126"}, nil, false, nil},
		{"expiry in 2049 is not past", map[uint32]string{0x5F24: "491231"}, nil, false, nil},
		{"expiry in 1999 is past", map[uint32]string{0x5F24: "991231"}, nil, false, []Bit{TVRExpiredApplication}},
		{"no cashback bits needed without cashback", map[uint32]string{0x9F07: "FF00"}, nil, false, nil},
		{"AUC without non-ATM", map[uint32]string{0x9F07: "FE00"}, nil, false, []Bit{TVRServiceNotAllowed}},
		{"AUC without ATM at an ATM", map[uint32]string{0x9F07: "FD00"}, func(x *Transaction) { x.Type = Cash }, true, []Bit{TVRServiceNotAllowed}},
		{"domestic goods refused", map[uint32]string{0x9F07: "DF00"}, nil, false, []Bit{TVRServiceNotAllowed}},
		{"international goods refused, domestic card", map[uint32]string{0x9F07: "EF00"}, nil, false, nil},
		{"international goods refused, foreign card", map[uint32]string{0x9F07: "EF00", 0x5F28: "0840"}, nil, false, []Bit{TVRServiceNotAllowed}},
		{"domestic services refused", map[uint32]string{0x9F07: "F700"}, func(x *Transaction) { x.Services = true }, false, []Bit{TVRServiceNotAllowed}},
		{"international services refused", map[uint32]string{0x9F07: "FB00", 0x5F28: "0840"}, func(x *Transaction) { x.Services = true }, false, []Bit{TVRServiceNotAllowed}},
		{"domestic cash refused", map[uint32]string{0x9F07: "7F00"}, func(x *Transaction) { x.Type = Cash }, false, []Bit{TVRServiceNotAllowed}},
		{"international cash refused", map[uint32]string{0x9F07: "BF00", 0x5F28: "0840"}, func(x *Transaction) { x.Type = Cash }, false, []Bit{TVRServiceNotAllowed}},
		{"domestic cashback refused", map[uint32]string{0x9F07: "FF40"}, func(x *Transaction) { x.Type = PurchaseWithCashback; x.Cashback = 100 }, false, []Bit{TVRServiceNotAllowed}},
		{"international cashback refused", map[uint32]string{0x9F07: "FF80", 0x5F28: "0840"}, func(x *Transaction) { x.Type = PurchaseWithCashback; x.Cashback = 100 }, false, []Bit{TVRServiceNotAllowed}},
		{"domestic cashback allowed", map[uint32]string{0x9F07: "FF80"}, func(x *Transaction) { x.Type = PurchaseWithCashback; x.Cashback = 100 }, false, nil},
		{"no issuer country: no domestic check", map[uint32]string{0x9F07: "0100", 0x5F28: ""}, nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			if tt.atm {
				cfg.Terminal.Type = 0x14
				cfg.Terminal.AdditionalCapabilities[0] = 0x80
			}
			k := newKernel(t, newFakeCard(t), cfg)
			if tt.txn != nil {
				tt.txn(&k.txn)
			}
			k.app = &cfg.Applications[0]
			k.icc[0x9F08] = []byte{0x00, 0x8C}
			k.icc[0x5F25] = []byte{0x20, 0x01, 0x01}
			k.icc[0x5F24] = []byte{0x30, 0x12, 0x31}
			k.icc[0x5F28] = []byte{0x08, 0x26}
			k.icc[0x9F07] = []byte{0xFF, 0xC0}
			for tag, v := range tt.icc {
				if v == "" {
					delete(k.icc, tlvTag(tag))
					continue
				}
				k.icc[tlvTag(tag)] = mustHexT(v)
			}
			if err := k.processingRestrictions(); err != nil {
				t.Fatal(err)
			}
			var want TVR
			for _, b := range tt.want {
				want.Set(b)
			}
			if k.tvr != want {
				t.Errorf("TVR %v, want %v", k.tvr, want)
			}
		})
	}
}
