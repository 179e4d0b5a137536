package issuer_test

import (
	"testing"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/tlv"
)

// BenchmarkVerifyCVN18 verifies the published Visa CVN 18 ARQC from the
// issuer master key: option B master key, common session key, MAC
// algorithm 3 and the constant-time compare.
func BenchmarkVerifyCVN18(b *testing.B) {
	data := dataMap(b, visaData)
	arqc := unhex(b, cvn18ARQC)
	tr := issuer.Trace{Data: make([]byte, 0, 65)}
	b.ReportAllocs()
	for b.Loop() {
		if err := issuer.VerifyCryptogramTrace(&tr, issuer.VisaCVN18, testIMK, testPAN, "00", data, arqc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCVN18Field55 is the integrator's path: parse field 55,
// detect the version from 9F10 and the AID, verify.
func BenchmarkVerifyCVN18Field55(b *testing.B) {
	var f55 []byte
	for tag, v := range dataMap(b, visaData) {
		f55, _ = tlv.AppendTLV(f55, tag, v)
	}
	f55, _ = tlv.AppendTLV(f55, 0x9F26, unhex(b, cvn18ARQC))
	f55, _ = tlv.AppendTLV(f55, 0x4F, unhex(b, aidVisa))
	b.ReportAllocs()
	for b.Loop() {
		data, err := issuer.ParseField55(f55)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := issuer.Verify(testIMK, testPAN, "00", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAlg3Floor is the peer: the bare MAC algorithm 3 over the same
// 40 bytes under a session key, the floor under BenchmarkVerifyCVN18 (which
// adds two TDES key derivations and three key schedules).
func BenchmarkAlg3Floor(b *testing.B) {
	d, err := issuer.CryptogramData(issuer.VisaCVN18, dataMap(b, visaData))
	if err != nil {
		b.Fatal(err)
	}
	sk := unhex(b, "E9FB384AF807B940FEDCEA613461B0C4")
	out := make([]byte, 0, 8)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mac.AppendAlg3(out[:0], sk, d, mac.Method2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkARPC computes the Visa CVN 18 ARPC (method 2) and the Mastercard
// CVN 16 ARPC (method 1) from the issuer master key.
func BenchmarkARPC(b *testing.B) {
	for _, bc := range []struct {
		name string
		cvn  issuer.CVN
		data map[tlv.Tag][]byte
		code []byte
	}{
		{"VisaCVN18/method2", issuer.VisaCVN18, dataMap(b, visaData), []byte{0, 0, 0, 0}},
		{"MastercardCVN16/method1", issuer.MastercardCVN16, dataMap(b, visaData), []byte{0x00, 0x10}},
	} {
		arqc := unhex(b, cvn18ARQC)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := issuer.ARPC(bc.cvn, testIMK, testPAN, "00", bc.data, arqc, bc.code); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMasterKeyB measures option B with a 19-digit PAN (SHA-1 and
// decimalisation) against option A.
func BenchmarkMasterKeyB(b *testing.B) {
	for _, bc := range []struct {
		name string
		f    func([]byte, string, string) ([]byte, error)
	}{{"A", issuer.MasterKeyA}, {"B", issuer.MasterKeyB}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.f(testIMK, "8901234567890123456", "01"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
