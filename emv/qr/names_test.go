package qr

import "testing"

func TestNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{IDPayloadFormat.Name(), "Payload Format Indicator"},
		{ID(2).Name(), "Merchant Account Information"},
		{ID(26).Name(), "Merchant Account Information Template"},
		{ID(51).Name(), "Merchant Account Information Template"},
		{ID(70).Name(), "RFU for EMVCo"},
		{ID(99).Name(), "Unreserved Template"},
		{ID(100).Name(), ""},
		{SubName(IDAdditionalData, IDTerminalLabel), "Terminal Label"},
		{SubName(IDAdditionalData, 0), ""},
		{SubName(IDAdditionalData, 10), "RFU for EMVCo"},
		{SubName(IDAdditionalData, 50), "Payment System Specific Template"},
		{SubName(IDLanguageTemplate, IDAlternateCity), "Merchant City—Alternate Language"},
		{SubName(IDLanguageTemplate, 3), "RFU for EMVCo"},
		{SubName(26, IDGUI), "Globally Unique Identifier"},
		{SubName(26, 1), ""},
		{SubName(IDAmount, 0), ""},
		{ID(7).String(), "07"},
		{ID(100).String(), "??"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("row %d: %q, want %q", i, tt.got, tt.want)
		}
	}
	// Every top-level ID from 00 to 99 has a name.
	for id := ID(0); id <= 99; id++ {
		if id.Name() == "" {
			t.Errorf("ID %s has no name", id)
		}
	}
}
