package qr

import "testing"

func TestDetectMode(t *testing.T) {
	for _, v := range loadMPMVectors(t) {
		if m := DetectMode(v.Payload); m != MerchantPresented {
			t.Errorf("DetectMode(%s) = %v", v.Name, m)
		}
	}
	for _, v := range loadCPMVectors(t) {
		if m := DetectMode(v.Base64); m != ConsumerPresented {
			t.Errorf("DetectMode(%s) = %v", v.Name, m)
		}
	}
	if m := DetectMode(""); m != UnknownMode || m.String() != "unknown" {
		t.Errorf("DetectMode(\"\") = %v", m)
	}
}
