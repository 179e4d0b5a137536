package emv

import (
	"strings"
	"testing"
)

func TestTVR(t *testing.T) {
	var tvr TVR
	tvr.Set(TVROfflineDataAuthNotPerformed)
	tvr.Set(TVRExceedsFloorLimit)
	tvr.Set(TVRScriptFailedAfterFinalGenAC)
	if tvr != (TVR{0x80, 0x00, 0x00, 0x80, 0x10}) {
		t.Errorf("TVR = %X", tvr[:])
	}
	if !tvr.Has(TVRExceedsFloorLimit) || tvr.Has(TVRSDAFailed) {
		t.Error("Has")
	}
	want := "8000008010: offline data authentication was not performed; transaction exceeds floor limit; script processing failed after final GENERATE AC"
	if got := tvr.String(); got != want {
		t.Errorf("TVR.String() = %q, want %q", got, want)
	}
	if got := (TVR{0x01}).String(); got != "0100000000: RFU bit set" {
		t.Errorf("RFU bit: %q", got)
	}
	if got := (TVR{}).String(); got != "0000000000" {
		t.Errorf("zero TVR: %q", got)
	}
}

func TestBitFieldNames(t *testing.T) {
	// Every named bit of every field has a name and a distinct position.
	for _, names := range []map[Bit]string{tvrNames, tsiNames, aipNames, aucNames, capNames, addCapNames, visaCVRNames, mchipCVRNames, ccdCVRNames} {
		seen := map[string]bool{}
		for b, name := range names {
			if name == "" || seen[name] {
				t.Errorf("bit %d: empty or repeated name %q", b, name)
			}
			seen[name] = true
		}
	}
	tests := []struct {
		got, want string
	}{
		{AIP{0x19, 0x80}.String(), "1980: cardholder verification is supported; terminal risk management is to be performed; CDA supported; reserved for the EMV contactless specifications"},
		{AIP{0x5C, 0x00}.String(), "5C00: SDA supported; cardholder verification is supported; terminal risk management is to be performed; issuer authentication is supported"},
		{AUC{0xFF, 0x00}.String(), "FF00: valid for domestic cash transactions; valid for international cash transactions; valid for domestic goods; valid for international goods; valid for domestic services; valid for international services; valid at ATMs; valid at terminals other than ATMs"},
		{TerminalCapabilities{0xE0, 0xF8, 0xC8}.String(), "E0F8C8: manual key entry; magnetic stripe; IC with contacts; plaintext PIN for ICC verification; enciphered PIN for online verification; signature (paper); enciphered PIN for offline verification; no CVM required; SDA; DDA; CDA"},
		{AdditionalCapabilities{0x60, 0x00, 0xF0, 0xA0, 0x01}.String(), "6000F0A001: goods; services; numeric keys; alphabetic and special characters keys; command keys; function keys; print, attendant; display, attendant; code table 1"},
		{TSI{0xE8, 0x00}.String(), "E800: offline data authentication was performed; cardholder verification was performed; card risk management was performed; terminal risk management was performed"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got  %q\nwant %q", tt.got, tt.want)
		}
	}
	var tsi TSI
	tsi.Set(TSIScriptProcessingPerformed)
	if !tsi.Has(TSIScriptProcessingPerformed) || tsi[0] != 0x04 {
		t.Errorf("TSI = %X", tsi[:])
	}
	var caps TerminalCapabilities
	caps.Set(CapCDA)
	if !caps.Has(CapCDA) || caps[2] != 0x08 {
		t.Errorf("caps = %X", caps[:])
	}
	var aip AIP
	if aip.Has(AIPCDA) {
		t.Error("zero AIP has CDA")
	}
	auc := AUC{0x02}
	if !auc.Has(AUCATMs) {
		t.Error("AUC ATM bit")
	}
}

func TestCID(t *testing.T) {
	tests := map[CID]string{
		0x80: "ARQC",
		0x40: "TC",
		0x00: "AAC",
		0x0A: "AAC, advice required: PIN try limit exceeded",
		0x01: "AAC: service not allowed",
		0x03: "AAC: issuer authentication failed",
		0xC0: "RFU cryptogram type",
		0x07: "AAC: RFU reason",
	}
	for cid, want := range tests {
		if got := cid.String(); got != want {
			t.Errorf("CID(%02X).String() = %q, want %q", byte(cid), got, want)
		}
	}
	if CID(0x9B).Type() != ARQC || !CID(0x08).AdviceRequired() || CID(0x02).Reason() != 2 {
		t.Error("CID accessors")
	}
}

func TestCVMResults(t *testing.T) {
	r := CVMResults{0x42, 0x03, 0x02}
	if got := r.String(); got != "enciphered PIN verified online, condition 03, successful" {
		t.Errorf("String = %q", got)
	}
	if got := (CVMResults{0x3F, 0x00, 0x01}).String(); !strings.HasPrefix(got, "no CVM performed") || !strings.HasSuffix(got, "failed") {
		t.Errorf("String = %q", got)
	}
	if got := (CVMResults{0x1F, 0x00, 0x00}).String(); !strings.HasSuffix(got, "unknown") {
		t.Errorf("String = %q", got)
	}
	for c := CVMCode(0); c < 0x40; c++ {
		if c.String() == "" {
			t.Errorf("CVMCode(%d) has no name", c)
		}
	}
}
