package emv

import "testing"

// Book 3 10.7: the TVR against the issuer and terminal action codes, with
// and without IACs, for the three kinds of terminal.
func TestTerminalActionAnalysis(t *testing.T) {
	noIACs := map[uint32]string{}
	iacs := map[uint32]string{0x9F0E: "0000000000", 0x9F0F: "0000008000", 0x9F0D: "0000000800"}
	tests := []struct {
		name     string
		termType byte
		iacs     map[uint32]string
		tvr      []Bit
		cda      bool
		want     byte
	}{
		{"clean TVR: TC", 0x22, iacs, nil, false, RequestTC},
		{"IAC denial", 0x22, map[uint32]string{0x9F0E: "0000200000"}, []Bit{TVRPINTryLimitExceeded}, false, RequestAAC},
		{"TAC denial", 0x22, iacs, []Bit{TVRServiceNotAllowed}, false, RequestAAC},
		{"IAC online", 0x22, iacs, []Bit{TVRExceedsFloorLimit}, false, RequestARQC},
		{"TAC online", 0x22, iacs, []Bit{TVRRandomlySelectedOnline}, false, RequestARQC},
		{"no IACs, clean TVR: TC", 0x22, noIACs, nil, false, RequestTC},
		{"no IACs: any bit goes online", 0x22, noIACs, []Bit{TVRNewCard}, false, RequestARQC},
		{"no IACs: no default denial", 0x22, noIACs, []Bit{TVRCardOnExceptionFile}, false, RequestARQC},
		{"online-only terminal, clean TVR: ARQC", 0x21, iacs, nil, false, RequestARQC},
		{"online-only terminal, denial: AAC", 0x21, iacs, []Bit{TVRServiceNotAllowed}, false, RequestAAC},
		{"offline-only terminal, clean TVR: TC", 0x23, iacs, nil, false, RequestTC},
		{"offline-only terminal, IAC default: AAC", 0x23, iacs, []Bit{TVRMerchantForcedOnline}, false, RequestAAC},
		{"offline-only terminal, online bit only: TC", 0x23, iacs, []Bit{TVRExceedsFloorLimit}, false, RequestTC},
		{"offline-only terminal, no IACs, any bit: AAC", 0x23, noIACs, []Bit{TVRNewCard}, false, RequestAAC},
		{"CDA asked for with ARQC", 0x22, iacs, []Bit{TVRExceedsFloorLimit}, true, RequestARQC | RequestCDA},
		{"CDA asked for with TC", 0x22, iacs, nil, true, RequestTC | RequestCDA},
		{"CDA not asked for with AAC", 0x22, iacs, []Bit{TVRServiceNotAllowed}, true, RequestAAC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Terminal.Type = tt.termType
			cfg.Applications[0].TACDenial = TVR{0x00, 0x10, 0x00, 0x00, 0x00}
			cfg.Applications[0].TACOnline = TVR{0x00, 0x00, 0x00, 0x10, 0x00}
			cfg.Applications[0].TACDefault = TVR{}
			k := newKernel(t, newFakeCard(t), cfg)
			k.app = &cfg.Applications[0]
			for tag, v := range tt.iacs {
				k.icc[tlvTag(tag)] = mustHexT(v)
			}
			for _, b := range tt.tvr {
				k.tvr.Set(b)
			}
			if tt.cda {
				k.oda = odaCDA
			}
			if got := k.terminalActionAnalysis(); got != tt.want {
				t.Errorf("P1 %02X, want %02X", got, tt.want)
			}
		})
	}
}

func TestDefaultActionAnalysis(t *testing.T) {
	cfg := testConfig(t)
	cfg.Applications[0].TACDefault = TVR{}
	k := newKernel(t, newFakeCard(t), cfg)
	k.app = &cfg.Applications[0]
	if !k.defaultActionAnalysis() {
		t.Error("clean TVR without IACs declined")
	}
	k.tvr.Set(TVRExceedsFloorLimit)
	if k.defaultActionAnalysis() {
		t.Error("without IAC default, any TVR bit must decline")
	}
	k.icc[0x9F0D] = mustHexT("0000000000")
	if !k.defaultActionAnalysis() {
		t.Error("IAC default 00 and TAC default 00 declined")
	}
}
