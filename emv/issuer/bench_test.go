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

// BenchmarkCVC3 computes the dynamic CVC3 of pyemv's cvv.py doctest from
// the ICC CVC3 key: one TDES key schedule and one block.
func BenchmarkCVC3(b *testing.B) {
	key, err := issuer.MasterKeyA(unhex(b, "01234567899876543210012345678998"), "5123456789012345", "00")
	if err != nil {
		b.Fatal(err)
	}
	iv, err := issuer.IVCVC3(key, unhex(b, "5123456789012345D35121010000000000000F"))
	if err != nil {
		b.Fatal(err)
	}
	un, atc := unhex(b, "00000899"), unhex(b, "005E")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := issuer.CVC3(key, iv, un, atc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCVV computes the CVV of psec's cvv.py doctest and the dCVV of
// jPOS's test: two DES key schedules and four block operations each.
func BenchmarkCVV(b *testing.B) {
	cvk := unhex(b, "0123456789ABCDEFFEDCBA9876543210")
	dk, err := issuer.MasterKeyA(unhex(b, "12345678123456781234567812345678"), "1234567890123456", "00")
	if err != nil {
		b.Fatal(err)
	}
	atc := unhex(b, "3210")
	b.Run("CVV", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := issuer.CVV(cvk, "1234567890123456", "9912", "220"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DCVV", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := issuer.DCVV(dk, "1234567890123456", "1310", "226", atc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEncipherCommandData enciphers an 8-byte PIN block, as a PIN
// change script does, with each encipherment.
func BenchmarkEncipherCommandData(b *testing.B) {
	sk := unhex(b, "E9FB384AF807B940FEDCEA613461B0C4")
	block := unhex(b, "241234FFFFFFFFFF")
	for _, bc := range []struct {
		name string
		e    issuer.Encipherment
	}{
		{"Visa", issuer.VisaEncipherment},
		{"Mastercard", issuer.MastercardEncipherment},
		{"EMV", issuer.EMVEncipherment},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := issuer.EncipherCommandData(bc.e, sk, block); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScriptPINChange builds the PIN change command of pyemv's
// Mastercard CVN 21 test: two session keys, the enciphered PIN block and
// the command MAC. The ICC master keys are derived once, by NewScript.
func BenchmarkScriptPINChange(b *testing.B) {
	s, err := issuer.NewScript(issuer.MastercardCVN21, issuer.ScriptKeys{
		SMI: unhex(b, "FEDCBA98765432100123456789ABCDEF"),
		SMC: unhex(b, "89ABCDEF0123456776543210FEDCBA98"),
	}, "1234567890123456", "00", unhex(b, "001C"), unhex(b, "C30E54BE496CF5E5"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PINChange("9999", ""); err != nil {
			b.Fatal(err)
		}
	}
}
