package issuer_test

import (
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
)

// TestScriptARQCIncrement checks the ARQC increment of successive commands
// for the versions whose secure messaging key is derived from the ARQC,
// and its absence for Visa CVN 10 and 18. No published vector covers a
// second command; the test pins the rule: command n of a script equals
// command 0 of a script started at ARQC + n.
func TestScriptARQCIncrement(t *testing.T) {
	keys := issuer.ScriptKeys{SMI: testIMK, SMC: testIMK, AC: testIMK}
	atc := []byte{0x00, 0x1C}
	arqc := unhex(t, "12345678FFFFFFFF") // the increment carries
	for cvn := issuer.VisaCVN10; cvn <= issuer.InteracCVN133; cvn++ {
		t.Run(cvn.String(), func(t *testing.T) {
			s, err := issuer.NewScript(cvn, keys, testPAN, "00", atc, arqc)
			if err != nil {
				t.Fatal(err)
			}
			first, err := s.ApplicationBlock()
			if err != nil {
				t.Fatal(err)
			}
			second, err := s.ApplicationUnblock()
			if err != nil {
				t.Fatal(err)
			}
			next := append([]byte(nil), arqc...)
			increments := cvn != issuer.VisaCVN10 && cvn != issuer.VisaCVN18
			if increments {
				binary.BigEndian.PutUint64(next, binary.BigEndian.Uint64(arqc)+1)
			}
			s2, _ := issuer.NewScript(cvn, keys, testPAN, "00", atc, next)
			want, _ := s2.ApplicationUnblock()
			if !bytes.Equal(second, want) {
				t.Errorf("second command %X, want %X (increment %v)", second, want, increments)
			}
			if !bytes.Equal(first[:5], []byte{0x84, 0x1E, 0x00, 0x00, 0x08}) || len(first) != 13 {
				t.Errorf("APPLICATION BLOCK = %X", first)
			}
			if c, _ := s.CardBlock(); !bytes.Equal(c[:4], []byte{0x84, 0x16, 0, 0}) {
				t.Errorf("CARD BLOCK = %X", c)
			}
			if c, _ := s.PINUnblock(); !bytes.Equal(c[:4], []byte{0x84, 0x24, 0, 0}) {
				t.Errorf("PIN UNBLOCK = %X", c)
			}
		})
	}
}

func TestScriptErrors(t *testing.T) {
	atc, arqc := []byte{0, 1}, make([]byte, 8)
	if _, err := issuer.NewScript(issuer.VisaCVN18, issuer.ScriptKeys{SMI: testIMK[:8]}, testPAN, "", atc, arqc); !errors.Is(err, issuer.ErrKeySize) {
		t.Errorf("8-byte SMI: %v", err)
	}
	if _, err := issuer.NewScript(issuer.VisaCVN18, issuer.ScriptKeys{SMI: testIMK}, testPAN, "", atc[:1], arqc); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("1-byte ATC: %v", err)
	}
	if _, err := issuer.NewScript(issuer.CVN(0), issuer.ScriptKeys{SMI: testIMK}, testPAN, "", atc, arqc); !errors.Is(err, issuer.ErrCVN) {
		t.Errorf("CVN 0: %v", err)
	}
	s, err := issuer.NewScript(issuer.MastercardCVN16, issuer.ScriptKeys{SMI: testIMK}, testPAN, "", atc, arqc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PINChange("1234", ""); !errors.Is(err, issuer.ErrKeySize) {
		t.Errorf("PIN change without SMC key: %v", err)
	}
	s, _ = issuer.NewScript(issuer.MastercardCVN16, issuer.ScriptKeys{SMI: testIMK, SMC: testIMK}, testPAN, "", atc, arqc)
	if _, err := s.PINChange("1234", "5678"); !errors.Is(err, issuer.ErrUnsupported) {
		t.Errorf("Mastercard PIN change with current PIN: %v", err)
	}
	for _, pin := range []string{"123", "1234567890123", "12a4", ""} {
		if _, err := s.PINChange(pin, ""); !errors.Is(err, issuer.ErrPIN) {
			t.Errorf("PIN %q: %v", pin, err)
		}
	}
	v, _ := issuer.NewScript(issuer.VisaCVN10, issuer.ScriptKeys{SMI: testIMK, SMC: testIMK}, testPAN, "", atc, arqc)
	if _, err := v.PINChange("1234", ""); !errors.Is(err, issuer.ErrKeySize) {
		t.Errorf("VIS PIN block without the AC key: %v", err)
	}
	if _, err := s.Command(0x84, 0xDA, 0x9F, 0x58, make([]byte, 248), false); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("248 bytes of data: %v", err)
	}
	if s.String() == "" || bytes.Contains([]byte(s.String()), []byte(testPAN)) {
		t.Errorf("String = %q", s.String())
	}
}

// TestVISPINBlock checks the doctest of pyemv sm.format_vis_pin_block and
// the blocks of tests/test_sm_hsm.py.
func TestVISPINBlock(t *testing.T) {
	got, err := issuer.VISPINBlock(testIMK, "1234", "")
	if err != nil || upperHex(got) != "041234FF76543210" {
		t.Errorf("VISPINBlock = %X, %v; want 041234FF76543210", got, err)
	}
	mk, err := issuer.MasterKeyA(unhex(t, "FEDCBA98765432100123456789ABCDEF"), "1234567890123456", "01")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ pin, cur, want string }{
		{"9999", "", "049999FFC4B001F1"},
		{"9999", "8888", "8C1199FFC4B001F1"},
		{"999999999999", "888888888888", "841111112A5E67F1"},
	} {
		got, err := issuer.VISPINBlock(mk, tc.pin, tc.cur)
		if err != nil || upperHex(got) != tc.want {
			t.Errorf("VISPINBlock(%d-digit PIN, current %v) = %X, %v; want %s", len(tc.pin), tc.cur != "", got, err, tc.want)
		}
	}
}

// TestEncipherCommandData checks the three encipherments against pyemv:
// the sm.py doctests (EMV, Mastercard) and tests/test_sm_hsm.py (Visa).
func TestEncipherCommandData(t *testing.T) {
	tests := []struct {
		name string
		e    issuer.Encipherment
		key  string
		data string
		want string
	}{
		{"sm.py doctest Mastercard", issuer.MastercardEncipherment, "0123456789ABCDEFFEDCBA9876543210", "241234FFFFFFFFFF", "9859240AE52820C3"},
		{"sm.py doctest EMV", issuer.EMVEncipherment, "0123456789ABCDEFFEDCBA9876543210", "249999FFFFFFFFFF", "5A862D1381CCB94822CFDD706A376178"},
	}
	for _, tc := range tests {
		got, err := issuer.EncipherCommandData(tc.e, unhex(t, tc.key), unhex(t, tc.data))
		if err != nil || upperHex(got) != tc.want {
			t.Errorf("%s: %X, %v; want %s", tc.name, got, err, tc.want)
		}
	}
	if _, err := issuer.EncipherCommandData(issuer.Encipherment(9), testIMK, []byte{1}); !errors.Is(err, issuer.ErrUnsupported) {
		t.Errorf("unknown encipherment: %v", err)
	}
}

// TestEncipherCommandDataLengths checks every data length the function
// accepts, 0 to 238 bytes, with each encipherment against crypto/des and
// crypto/cipher's CBC, following the rules of the Encipherment constants;
// the published vectors are all of one PIN block. The data is left as it
// was.
func TestEncipherCommandDataLengths(t *testing.T) {
	sk := unhex(t, "0123456789ABCDEFFEDCBA9876543210")
	ref, err := des.NewTripleDESCipher(append(append([]byte(nil), sk...), sk[:8]...))
	if err != nil {
		t.Fatal(err)
	}
	pad := func(b []byte) []byte { // ISO/IEC 9797-1 padding method 2
		b = append(b, 0x80)
		for len(b)%8 != 0 {
			b = append(b, 0)
		}
		return b
	}
	for _, e := range []issuer.Encipherment{issuer.VisaEncipherment, issuer.MastercardEncipherment, issuer.EMVEncipherment} {
		for n := 0; n <= 238; n++ {
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(i*37 + n)
			}
			orig := bytes.Clone(data)
			var want []byte
			switch e {
			case issuer.VisaEncipherment: // L ‖ data, padded, ECB
				want = pad(append([]byte{byte(n)}, data...))
				for i := 0; i < len(want); i += 8 {
					ref.Encrypt(want[i:i+8], want[i:i+8])
				}
			default: // data, padded unless a whole nonzero number of blocks for Mastercard, CBC
				want = bytes.Clone(data)
				if e == issuer.EMVEncipherment || n == 0 || n%8 != 0 {
					want = pad(want)
				}
				cipher.NewCBCEncrypter(ref, make([]byte, 8)).CryptBlocks(want, want)
			}
			got, err := issuer.EncipherCommandData(e, sk, data)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("EncipherCommandData(%v, %d bytes) = %X, %v; want %X", e, n, got, err, want)
			}
			if !bytes.Equal(data, orig) {
				t.Fatalf("EncipherCommandData(%v, %d bytes) changed its input", e, n)
			}
		}
	}
	if _, err := issuer.EncipherCommandData(issuer.EMVEncipherment, sk, make([]byte, 239)); !errors.Is(err, issuer.ErrLength) {
		t.Errorf("EncipherCommandData(239 bytes) = %v, want ErrLength", err)
	}
}

// TestCommandMAC checks the sm.py doctest of generate_command_mac.
func TestCommandMAC(t *testing.T) {
	got, err := issuer.CommandMAC(testIMK, unhex(t, "8424000008"+"FFFF"+"1234567890123456"))
	if err != nil || upperHex(got) != "E07B8DF1B4184282" {
		t.Errorf("CommandMAC = %X, %v; want E07B8DF1B4184282", got, err)
	}
}

func TestScriptDataCommands(t *testing.T) {
	s, err := issuer.NewScript(issuer.MastercardCVN21, issuer.ScriptKeys{SMI: testIMK, SMC: testIMK}, testPAN, "00", []byte{0, 1}, make([]byte, 8))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.PutData(0x9F58, []byte{0x03}, false)
	if err != nil || !bytes.Equal(c[:6], []byte{0x04, 0xDA, 0x9F, 0x58, 0x09, 0x03}) || len(c) != 14 {
		t.Errorf("PUT DATA = %X, %v", c, err)
	}
	c, err = s.UpdateRecord(1, 2, make([]byte, 5), true)
	if err != nil || !bytes.Equal(c[:5], []byte{0x04, 0xDC, 0x02, 0x0C, 0x10}) || len(c) != 5+8+8 {
		t.Errorf("UPDATE RECORD = %X, %v", c, err)
	}
	for _, bad := range []func() ([]byte, error){
		func() ([]byte, error) { return s.PutData(0x9F5801, nil, false) },
		func() ([]byte, error) { return s.PutData(0, nil, false) },
		func() ([]byte, error) { return s.UpdateRecord(31, 1, nil, false) },
		func() ([]byte, error) { return s.UpdateRecord(1, 0, nil, false) },
	} {
		if _, err := bad(); !errors.Is(err, issuer.ErrCardData) {
			t.Errorf("bad data command: %v", err)
		}
	}
}

// TestScriptClear checks that a cleared script builds no command, as if it
// had never been given its keys, and still describes itself.
func TestScriptClear(t *testing.T) {
	atc, arqc := []byte{0x00, 0x01}, []byte{1, 2, 3, 4, 5, 6, 7, 8}
	keys := issuer.ScriptKeys{SMI: testIMK, SMC: testIMK, AC: testIMK}
	s, err := issuer.NewScript(issuer.VisaCVN18, keys, testPAN, "00", atc, arqc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplicationUnblock(); err != nil {
		t.Fatal(err)
	}
	s.Clear()
	for name, f := range map[string]func() ([]byte, error){
		"ApplicationUnblock": s.ApplicationUnblock,
		"PINChange":          func() ([]byte, error) { return s.PINChange("1234", "") },
		"PutData":            func() ([]byte, error) { return s.PutData(0x9F14, []byte{3}, true) },
	} {
		if cmd, err := f(); !errors.Is(err, issuer.ErrKeySize) || cmd != nil {
			t.Errorf("%s after Clear = %X, %v; want ErrKeySize", name, cmd, err)
		}
	}
	if got := s.String(); got != "issuer script for Visa CVN 18 (1 commands built)" {
		t.Errorf("String after Clear = %q", got)
	}
}
