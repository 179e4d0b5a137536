package oda

import (
	"testing"
)

// TestAllocations pins the allocations of the terminal-side paths:
// recovery allocates the recovered block and the parsed structure (the
// math/big temporaries are pooled); Verify the modulus, the exponent and
// the key; the transaction data hash and the static data builder nothing.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	v := loadVector(t, "emv-utils-visa94.json")
	ca := v.capk(t)
	chk := Checks{PAN: v.PAN, Date: v.date(t, "issuer_valid")}
	ic, err := RecoverIssuerCertificate(ca, v.IssuerCert)
	if err != nil {
		t.Fatal(err)
	}
	icc, err := NewPublicKey(v.ICC.Modulus, v.ICC.Exponent)
	if err != nil {
		t.Fatal(err)
	}
	p := testPKIs(t)[0]
	d, _ := cdaResponse(t, p.ICC, 0x40, nil)
	picc := p.ICC.Public()
	record := []byte{0x70, 0x03, 0x5F, 0x34, 0x00}
	buf := make([]byte, 0, 16)
	tests := []struct {
		name string
		want float64
		f    func()
	}{
		{"RecoverIssuerCertificate", 2, func() { RecoverIssuerCertificate(ca, v.IssuerCert) }},
		{"IssuerCertificate.Verify", 5, func() { ic.Verify(nil, v.IssuerExponent, chk) }},
		{"VerifyDDA", 2, func() { VerifyDDA(icc, v.SDAD, v.DDOLData) }},
		{"VerifyCDA", 2, func() { VerifyCDA(picc, d) }},
		{"TransactionDataHash", 0, func() { TransactionDataHash(d.PDOLData, d.CDOL1Data, nil, d.Response) }},
		{"AppendStaticData", 0, func() { AppendStaticData(buf[:0], 1, record) }},
	}
	for _, tt := range tests {
		got := testing.AllocsPerRun(50, tt.f)
		if got != tt.want {
			t.Errorf("%s: %v allocations, want %v", tt.name, got, tt.want)
		}
	}
}
