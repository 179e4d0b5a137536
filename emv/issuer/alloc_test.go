package issuer_test

import (
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

// TestAllocations pins the allocations of the issuer's per-transaction
// paths. The TDES key schedules of the issuer master key, the ICC master
// key, the session key, the CVC3 key and the secure messaging keys are on
// the stack, and so are the DES schedules of the CVV and of MAC algorithm
// 3, so only what a function returns allocates, and for a script command
// the pieces it is built from.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	data := dataMap(t, visaData)
	arqc := unhex(t, cvn18ARQC)
	tr := issuer.Trace{Data: make([]byte, 0, 65)}
	buf := make([]byte, 0, 16)
	r := make([]byte, 8)
	cvk := unhex(t, "0123456789ABCDEFFEDCBA9876543210")
	cvc3Key, _ := issuer.MasterKeyA(unhex(t, "01234567899876543210012345678998"), "5123456789012345", "00")
	ivcvc3, _ := issuer.IVCVC3(cvc3Key, unhex(t, "5123456789012345D35121010000000000000F"))
	un, atc := unhex(t, "00000899"), unhex(t, "005E")
	block := unhex(t, "241234FFFFFFFFFF")
	script, err := issuer.NewScript(issuer.MastercardCVN21, issuer.ScriptKeys{SMI: testIMK, SMC: testIMK}, testPAN, "00", atc, arqc)
	if err != nil {
		t.Fatal(err)
	}
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
		// The returned string (29488, pyemv's doctest); a CVC3 below
		// 10000 allocates again for each zero it is filled with.
		{"CVC3", 1, func() { issuer.CVC3(cvc3Key, ivcvc3, un, atc) }},
		{"CVV", 1, func() { issuer.CVV(cvk, "1234567890123456", "9912", "220") }},
		{"DCVV", 1, func() { issuer.DCVV(cvk, "1234567890123456", "1310", "226", atc) }},
		{"EncipherCommandData Visa", 1, func() { issuer.EncipherCommandData(issuer.VisaEncipherment, cvk, block) }},
		{"EncipherCommandData Mastercard", 1, func() { issuer.EncipherCommandData(issuer.MastercardEncipherment, cvk, block) }},
		{"EncipherCommandData EMV", 1, func() { issuer.EncipherCommandData(issuer.EMVEncipherment, cvk, block) }},
		// The PIN block, its encipherment, the command and the MAC. The
		// 31 bytes MACed are on the stack: the compiler backs a make of
		// variable size that does not escape with a 32-byte stack buffer
		// when it fits.
		{"Script.PINChange Mastercard CVN 21", 4, func() { script.PINChange("9999", "") }},
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
