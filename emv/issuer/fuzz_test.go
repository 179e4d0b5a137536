package issuer_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// FuzzParseIAD feeds arbitrary AIDs and issuer application data to the
// CVN detection. It checks that nothing panics, that every error matches
// a sentinel, that ParseIAD and DetectCVN agree, that the fields alias the
// input, and that the cryptogram data builder accepts whatever the parser
// accepts (the parser never names a version whose data cannot be built).
func FuzzParseIAD(f *testing.F) {
	for _, s := range []struct{ aid, iad string }{
		{aidVisa, "06010A03A06010"},
		{aidVisa, "06011203A0B800"},
		{aidVisa, "1F2201" + "00000000000000000000000000000000000000000000000000000000"},
		{aidMastercard, "0110A00003220000000000000000000000FF"},
		{aidMastercard, "0115A00003220000000000000000000322FF"},
		{aidInterac, "1501850440B100000000B00000000000000000000000"},
		{"A00000002501", "06011203A0B800"},
	} {
		f.Add(unhex(f, s.aid), unhex(f, s.iad))
	}
	base := dataMap(f, visaData)
	f.Fuzz(func(t *testing.T, aid, iad []byte) {
		d, err := issuer.ParseIAD(aid, iad)
		cvn, err2 := issuer.DetectCVN(aid, iad)
		if (err == nil) != (err2 == nil) || cvn != d.CVN {
			t.Fatalf("ParseIAD = %v, %v; DetectCVN = %v, %v", d.CVN, err, cvn, err2)
		}
		if err != nil {
			if !errors.Is(err, issuer.ErrIAD) && !errors.Is(err, issuer.ErrScheme) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			if d.CVN != 0 {
				t.Fatalf("CVN %v with error", d.CVN)
			}
			return
		}
		if d.CVN.Code() == 0 || !bytes.Equal(d.Raw, iad) || !bytes.Contains(iad, d.CVR) {
			t.Fatalf("ParseIAD(%X) = %+v", iad, d)
		}
		if bytes.IndexByte(iad, d.CVN.Code()) < 0 {
			t.Fatalf("CVN code %02X not in %X", d.CVN.Code(), iad)
		}
		data := make(map[tlv.Tag][]byte, len(base))
		for k, v := range base {
			data[k] = v
		}
		data[issuer.TagIssuerAppData] = iad
		if _, err := issuer.CryptogramData(d.CVN, data); err != nil {
			t.Fatalf("CryptogramData(%v, %X) = %v after ParseIAD accepted it", d.CVN, iad, err)
		}
	})
}

// FuzzParseField55 checks the field 55 reader: no panic, errors match
// ErrField55, a parsed field re-encodes to objects that parse to the same
// map, and Verify on the result does not panic and never verifies random
// data under the test key.
func FuzzParseField55(f *testing.F) {
	var f55 []byte
	for _, o := range []struct {
		tag tlv.Tag
		v   string
	}{
		{0x9F26, "7A788EA6B8A3E733"}, {0x9F10, "06011203A0B800"}, {0x9F37, "52BF4585"},
		{0x9F36, "001C"}, {0x95, "8000048000"}, {0x9A, "191105"}, {0x9C, "01"}, {0x9F02, "000000004000"},
		{0x5F2A, "0124"}, {0x82, "1800"}, {0x9F1A, "0124"}, {0x9F03, "000000000000"}, {0x4F, aidVisa},
	} {
		f55, _ = tlv.AppendTLV(f55, o.tag, unhex(f, o.v))
	}
	f.Add(f55)
	f.Add([]byte{0x9F, 0x26, 0x08})
	f.Add([]byte{0x70, 0x03, 0x9F, 0x36, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := issuer.ParseField55(b)
		if err != nil {
			if !errors.Is(err, issuer.ErrField55) {
				t.Fatalf("error %v does not match ErrField55", err)
			}
			return
		}
		var re []byte
		for tag, v := range m {
			if re, err = tlv.AppendTLV(re, tag, v); err != nil {
				t.Fatalf("re-encode %X: %v", uint32(tag), err)
			}
		}
		m2, err := issuer.ParseField55(re)
		if err != nil || len(m2) != len(m) {
			t.Fatalf("round trip: %v, %d objects, want %d", err, len(m2), len(m))
		}
		for tag, v := range m {
			if !bytes.Equal(m2[tag], v) {
				t.Fatalf("round trip of %X: %X, want %X", uint32(tag), m2[tag], v)
			}
		}
		cvn, err := issuer.Verify(testIMK, testPAN, "00", m)
		if err == nil && !bytes.Equal(b, f55) {
			// Only the seed carries a genuine cryptogram; anything else
			// verifying would mean a forgery (or a fuzzer miracle).
			if ac := m[issuer.TagApplicationCryptogram]; !bytes.Equal(ac, unhex(t, "7A788EA6B8A3E733")) {
				t.Fatalf("random field 55 verified as %v", cvn)
			}
		}
	})
}

// FuzzCryptogramData builds the cryptogram data of every version from
// arbitrary field 55 and checks that it never panics, that errors match
// the sentinels, and that a success has the length the version defines.
func FuzzCryptogramData(f *testing.F) {
	f.Add(uint8(2), []byte{0x9F, 0x10, 0x07, 0x06, 0x01, 0x12, 0x03, 0xA0, 0xB8, 0x00})
	f.Add(uint8(5), []byte{0x9F, 0x36, 0x02, 0x00, 0x1C})
	f.Fuzz(func(t *testing.T, c uint8, b []byte) {
		cvn := issuer.CVN(c % 10)
		data, err := issuer.ParseField55(b)
		if err != nil {
			return
		}
		// Fill the common list so the fuzzer reaches the 9F10 handling.
		for tag, v := range dataMap(t, visaData) {
			if _, ok := data[tag]; !ok && tag != issuer.TagIssuerAppData {
				data[tag] = v
			}
		}
		d, err := issuer.CryptogramData(cvn, data)
		if err != nil {
			if !errors.Is(err, issuer.ErrCVN) && !errors.Is(err, issuer.ErrMissingData) &&
				!errors.Is(err, issuer.ErrDataLength) && !errors.Is(err, issuer.ErrIAD) {
				t.Fatalf("error %v matches no sentinel", err)
			}
			return
		}
		iad := data[issuer.TagIssuerAppData]
		want := 33
		switch cvn {
		case issuer.VisaCVN10:
			want += 4
		case issuer.MastercardCVN16, issuer.MastercardCVN20:
			want += 6
		case issuer.MastercardCVN17, issuer.MastercardCVN21:
			want += 14
		default:
			want += len(iad)
		}
		if len(d) != want {
			t.Fatalf("%v: %d bytes of data, want %d", cvn, len(d), want)
		}
		if _, err := issuer.Cryptogram(cvn, testIMK, testPAN, "00", data); err != nil {
			t.Fatalf("Cryptogram failed after CryptogramData succeeded: %v", err)
		}
	})
}
