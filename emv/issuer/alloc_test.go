package issuer_test

import (
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

// TestAllocations pins the allocations of the issuer's per-transaction
// paths. The TDES key schedules of the issuer master key, the ICC master
// key and the session key are on the stack, and so are the DES schedules
// of MAC algorithm 3, so only what a function returns allocates.
func TestAllocations(t *testing.T) {
	data := dataMap(t, visaData)
	arqc := unhex(t, cvn18ARQC)
	tr := issuer.Trace{Data: make([]byte, 0, 65)}
	buf := make([]byte, 0, 16)
	r := make([]byte, 8)
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		{"AppendMasterKey option A", 0, func() { issuer.AppendMasterKey(buf, testIMK, testPAN, "00", issuer.OptionA) }},
		{"AppendMasterKey option B, 19 digits", 0, func() { issuer.AppendMasterKey(buf, testIMK, "8901234567890123456", "01", issuer.OptionB) }},
		{"AppendSessionKey", 0, func() { issuer.AppendSessionKey(buf, testIMK, r) }},
		{"ARPCMethod1", 1, func() { issuer.ARPCMethod1(testIMK, arqc, []byte{0x00, 0x10}) }},
		{"ARPC Mastercard CVN 16 (method 1)", 2, func() { issuer.ARPC(issuer.MastercardCVN16, testIMK, testPAN, "00", data, arqc, []byte{0x00, 0x10}) }},
		{"ARPC Visa CVN 18 (method 2)", 2, func() { issuer.ARPC(issuer.VisaCVN18, testIMK, testPAN, "00", data, arqc, make([]byte, 4)) }},
		{"VerifyCryptogramTrace Visa CVN 18", 0, func() {
			if err := issuer.VerifyCryptogramTrace(&tr, issuer.VisaCVN18, testIMK, testPAN, "00", data, arqc); err != nil {
				t.Fatal(err)
			}
		}},
		// Trace.Data grows from nil, four times for the 40 bytes; that is
		// what VerifyCryptogramTrace with a Data buffer saves.
		{"VerifyCryptogram Visa CVN 18", 4, func() {
			if err := issuer.VerifyCryptogram(issuer.VisaCVN18, testIMK, testPAN, "00", data, arqc); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(50, tt.f); got != tt.want {
			t.Errorf("%s: %v allocations, want %v", tt.name, got, tt.want)
		}
	}
}
