package iso8583

import "testing"

func TestMTI(t *testing.T) {
	tests := []struct {
		mti                        MTI
		valid, req, resp, repeat   bool
		response, repeated, origin MTI
	}{
		{"0200", true, true, false, false, "0210", "0201", "0200"},
		{"0201", true, true, false, true, "0210", "0201", "0200"},
		{"0220", true, true, false, false, "0230", "0221", "0220"},
		{"0421", true, true, false, true, "0430", "0421", "0420"},
		{"0810", true, false, true, false, "0810", "0810", "0810"},
		{"020", false, false, false, false, "020", "020", "020"},     // three digits
		{"02A0", false, false, false, false, "02A0", "02A0", "02A0"}, // not a digit
	}
	for _, tt := range tests {
		if tt.mti.Valid() != tt.valid || tt.mti.IsRequest() != tt.req || tt.mti.IsResponse() != tt.resp || tt.mti.IsRepeat() != tt.repeat {
			t.Errorf("%q: Valid %v IsRequest %v IsResponse %v IsRepeat %v", tt.mti, tt.mti.Valid(), tt.mti.IsRequest(), tt.mti.IsResponse(), tt.mti.IsRepeat())
		}
		if tt.mti.Response() != tt.response || tt.mti.Repeat() != tt.repeated || tt.mti.Original() != tt.origin {
			t.Errorf("%q: Response %q Repeat %q Original %q, want %q %q %q", tt.mti, tt.mti.Response(), tt.mti.Repeat(), tt.mti.Original(), tt.response, tt.repeated, tt.origin)
		}
	}
	if MTIReversalAdvice.Class() != '4' || MTI("x").Class() != 0 {
		t.Error("Class")
	}
}
