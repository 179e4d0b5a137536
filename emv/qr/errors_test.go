package qr

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// obj writes one data object: ID, length in characters, value.
func obj(id, v string) string {
	n := utf8.RuneCountInString(v)
	return id + string(rune('0'+n/10)) + string(rune('0'+n%10)) + v
}

// withCRC appends the CRC object to body.
func withCRC(body string) string {
	body += "6304"
	return body + hex4(CRCString(body))
}

// A valid static payload in parts, so that rows can leave one out or
// change one.
var (
	pfi      = obj("00", "01")
	poi      = obj("01", "11")
	account  = obj("26", obj("00", "BR.GOV.BCB.PIX")+obj("01", "fulano@example.com"))
	mcc      = obj("52", "5812")
	currency = obj("53", "986")
	country  = obj("58", "BR")
	name     = obj("59", "FULANO DE TAL")
	city     = obj("60", "BRASILIA")
	rest     = mcc + currency + country + name + city
)

func TestMPMErrors(t *testing.T) {
	valid := withCRC(pfi + poi + account + rest)
	if _, err := ParseMPM(valid); err != nil {
		t.Fatalf("ParseMPM(base) = %v", err)
	}
	tests := []struct {
		name string
		in   string
		err  error
		path string
		why  string
	}{
		{"wrong CRC", valid[:len(valid)-1] + string(valid[len(valid)-1]^1), ErrCRC, "", "last CRC digit changed"},
		{"lower-case CRC", valid[:len(valid)-4] + strings.ToLower(valid[len(valid)-4:]), ErrFormat, "63", "the CRC is written in upper case"},
		{"CRC of 5 digits", pfi + poi + account + rest + "63050A13A", ErrFormat, "63", "the CRC is 4 hexadecimal digits"},
		{"CRC not hexadecimal", pfi + poi + account + rest + "6304XYZW", ErrFormat, "63", "X is not a hexadecimal digit"},
		{"no CRC", pfi + poi + account + rest, ErrMissing, "63", "63 is mandatory"},
		{"empty", "", ErrMissing, "00", "nothing to parse"},
		{"truncated ID", pfi + "6", ErrTruncated, "", "one digit of an ID"},
		{"truncated length", pfi + "630", ErrTruncated, "63", "one digit of a length"},
		{"truncated value", pfi + "5204581", ErrTruncated, "52", "length 4, 3 characters left"},
		{"non-numeric ID", "A00201", ErrID, "", "IDs are two digits"},
		{"non-numeric length", "00A201", ErrLength, "00", "lengths are two digits"},
		{"length 00", "0000" + poi, ErrLength, "00", "lengths run from 01"},
		{"invalid UTF-8", pfi + "5902\xff\xfe", ErrUTF8, "59", "values are UTF-8 text"},
		{"00 not first", withCRC(poi + pfi + account + rest), ErrOrder, "00", "the payload format indicator comes first"},
		{"CRC not last", withCRC(pfi+poi+account+mcc+currency+country+name) + city, ErrOrder, "63", "60 after the CRC"},
		{"duplicated ID", withCRC(pfi + poi + account + rest + mcc), ErrDuplicate, "52", "52 twice"},
		{"duplicated sub-ID", withCRC(pfi + poi + account + rest + obj("62", obj("05", "A")+obj("05", "B"))), ErrDuplicate, "62.05", "62.05 twice"},
		{"template overflow", withCRC(pfi + poi + account + rest + "62070509***"), ErrTruncated, "62.05", "62.05 claims 9 characters of the 3 left in 62"},
		{"nested template overflow", withCRC(pfi + poi + account + rest + obj("62", "50060003AB")), ErrTruncated, "62.50.00", "62.50.00 claims 3 characters of the 2 left in 62.50"},
		{"payload format 02", withCRC(obj("00", "02") + poi + account + rest), ErrFormat, "00", `want "01"`},
		{"point of initiation 13", withCRC(pfi + obj("01", "13") + account + rest), ErrFormat, "01", "11 or 12 only"},
		{"no merchant account", withCRC(pfi + poi + rest), ErrMissing, "02-51", "one of 02-51 is mandatory"},
		{"account template without GUI", withCRC(pfi + poi + obj("26", obj("01", "key")) + rest), ErrMissing, "26.00", "templates 26-51 carry a GUI"},
		{"unreserved template without GUI", withCRC(pfi + poi + account + rest + obj("80", obj("01", "x"))), ErrMissing, "80.00", "templates 80-99 carry a GUI"},
		{"payment system template without GUI", withCRC(pfi + poi + account + rest + obj("62", obj("50", obj("01", "x")))), ErrMissing, "62.50.00", "templates 62.50-99 carry a GUI"},
		{"MCC not numeric", withCRC(pfi + poi + account + obj("52", "58A2") + currency + country + name + city), ErrFormat, "52", "4 digits"},
		{"MCC of 3 digits", withCRC(pfi + poi + account + obj("52", "581") + currency + country + name + city), ErrFormat, "52", "4 digits"},
		{"currency alphabetic", withCRC(pfi + poi + account + mcc + obj("53", "BRL") + country + name + city), ErrFormat, "53", "numeric code"},
		{"no currency", withCRC(pfi + poi + account + mcc + country + name + city), ErrMissing, "53", "53 is mandatory"},
		{"no MCC", withCRC(pfi + poi + account + currency + country + name + city), ErrMissing, "52", "52 is mandatory"},
		{"no country", withCRC(pfi + poi + account + mcc + currency + name + city), ErrMissing, "58", "58 is mandatory"},
		{"no name", withCRC(pfi + poi + account + mcc + currency + country + city), ErrMissing, "59", "59 is mandatory"},
		{"no city", withCRC(pfi + poi + account + mcc + currency + country + name), ErrMissing, "60", "60 is mandatory"},
		{"country lower case", withCRC(pfi + poi + account + mcc + currency + obj("58", "br") + name + city), ErrFormat, "58", "ISO 3166-1 alpha-2 is upper case"},
		{"name of 26", withCRC(pfi + poi + account + mcc + currency + country + obj("59", strings.Repeat("N", 26)) + city), ErrFormat, "59", "25 characters at most"},
		{"city of 16", withCRC(pfi + poi + account + mcc + currency + country + name + obj("60", strings.Repeat("C", 16))), ErrFormat, "60", "15 characters at most"},
		{"postal code of 11", withCRC(pfi + poi + account + rest + obj("61", "70074900123")), ErrFormat, "61", "10 characters at most"},
		{"amount with comma", withCRC(pfi + poi + account + rest + obj("54", "1,000.00")), ErrFormat, "54", "no grouping separator"},
		{"amount with two dots", withCRC(pfi + poi + account + rest + obj("54", "1.2.3")), ErrFormat, "54", "one decimal mark"},
		{"amount starting with dot", withCRC(pfi + poi + account + rest + obj("54", ".50")), ErrFormat, "54", "begins with a digit"},
		{"negative amount", withCRC(pfi + poi + account + rest + obj("54", "-1.00")), ErrFormat, "54", "no sign"},
		{"amount with exponent", withCRC(pfi + poi + account + rest + obj("54", "1e5")), ErrFormat, "54", "digits only"},
		{"amount with space", withCRC(pfi + poi + account + rest + obj("54", "10.00 ")), ErrFormat, "54", "digits only"},
		{"amount of 14", withCRC(pfi + poi + account + rest + obj("54", "12345678901.23")), ErrFormat, "54", "13 characters at most"},
		{"tip indicator 04", withCRC(pfi + poi + account + rest + obj("55", "04")), ErrFormat, "55", "01, 02 or 03"},
		{"fixed fee missing", withCRC(pfi + poi + account + rest + obj("55", "02")), ErrMissing, "56", "55 = 02 calls for 56"},
		{"fixed fee without indicator", withCRC(pfi + poi + account + rest + obj("56", "1.00")), ErrUnexpected, "56", "56 only with 55 = 02"},
		{"fixed fee with tip prompt", withCRC(pfi + poi + account + rest + obj("55", "01") + obj("56", "1.00")), ErrUnexpected, "56", "56 only with 55 = 02"},
		{"percentage missing", withCRC(pfi + poi + account + rest + obj("55", "03")), ErrMissing, "57", "55 = 03 calls for 57"},
		{"percentage without indicator", withCRC(pfi + poi + account + rest + obj("57", "3")), ErrUnexpected, "57", "57 only with 55 = 03"},
		{"percentage 100", withCRC(pfi + poi + account + rest + obj("55", "03") + obj("57", "100")), ErrFormat, "57", "at most 99.99"},
		{"percentage 0", withCRC(pfi + poi + account + rest + obj("55", "03") + obj("57", "0.00")), ErrFormat, "57", "at least 0.01"},
		{"percentage 3 decimals", withCRC(pfi + poi + account + rest + obj("55", "03") + obj("57", "1.005")), ErrFormat, "57", "two decimals"},
		{"fixed fee format", withCRC(pfi + poi + account + rest + obj("55", "02") + obj("56", "1..")), ErrFormat, "56", "an amount"},
		{"bill number of 26", withCRC(pfi + poi + account + rest + obj("62", obj("01", strings.Repeat("B", 26)))), ErrFormat, "62.01", "25 characters at most"},
		{"consumer data request repeated", withCRC(pfi + poi + account + rest + obj("62", obj("09", "AA"))), ErrFormat, "62.09", "A, M, E once each"},
		{"consumer data request letter", withCRC(pfi + poi + account + rest + obj("62", obj("09", "X"))), ErrFormat, "62.09", "A, M, E only"},
		{"language template without name", withCRC(pfi + poi + account + rest + obj("64", obj("00", "ZH"))), ErrMissing, "64.01", "64.01 is mandatory"},
		{"language template without language", withCRC(pfi + poi + account + rest + obj("64", obj("01", "X"))), ErrMissing, "64.00", "64.00 is mandatory"},
		{"language of 3", withCRC(pfi + poi + account + rest + obj("64", obj("00", "ZHO")+obj("01", "X"))), ErrFormat, "64.00", "ISO 639-1 alpha-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMPM(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("ParseMPM(%q) = %v, %v, want %v (%s)", tt.in, m, err, tt.err, tt.why)
			}
			if m != nil {
				t.Errorf("ParseMPM returned an MPM with the error")
			}
			var oe *ObjectError
			var ce *CRCError
			switch {
			case errors.As(err, &oe):
				if oe.Path != tt.path {
					t.Errorf("Path = %q, want %q (%v)", oe.Path, tt.path, err)
				}
			case errors.As(err, &ce):
				if ce.Got == ce.Want {
					t.Errorf("CRCError with equal CRCs: %v", err)
				}
			default:
				t.Errorf("error %T is neither *ObjectError nor *CRCError", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "qr: ") {
				t.Errorf("message %q does not begin with the package name", msg)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	_, err := ParseMPM(withCRC(pfi + poi + account + rest + obj("54", ".50")))
	want := "qr: ID 54: invalid value: want an amount of up to 13 characters, digits and one optional '.'"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = ParseMPM(pfi + "5204581")
	if want := "qr: offset 6: ID 52: truncated data object"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	v := loadMPMVectors(t)[0].Payload
	_, err = ParseMPM(v[:len(v)-4] + "A13B")
	if want := "qr: offset 252: ID 63: CRC mismatch: payload carries A13B, computed A13A"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestLenient(t *testing.T) {
	lenient := Options{Lenient: true}
	// Without 52, 59 and 60 (as PromptPay) and with a lower-case CRC.
	body := pfi + poi + account + currency + country + "6304"
	in := body + strings.ToLower(hex4(CRCString(body)))
	m, err := lenient.ParseMPM(in)
	if err != nil {
		t.Fatalf("lenient ParseMPM(%q) = %v", in, err)
	}
	if _, err := ParseMPM(in); err == nil {
		t.Error("strict ParseMPM accepted it")
	}
	// Lenient still checks the formats of what is present.
	if _, err := lenient.ParseMPM(withCRC(pfi + poi + obj("54", "1,00"))); !errors.Is(err, ErrFormat) {
		t.Errorf("lenient ParseMPM with a bad amount = %v, want ErrFormat", err)
	}
	want := body + strings.ToUpper(in[len(in)-4:])
	if got, err := lenient.AppendMPM(nil, m); err != nil || string(got) != want {
		t.Errorf("lenient AppendMPM = %s, %v, want %s", got, err, want)
	}
}
