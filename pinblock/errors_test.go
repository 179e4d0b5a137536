package pinblock_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/internal/testvec"
	"github.com/posflow/posflow/pinblock"
)

// badInput is one row of the adversarial table.
type badInput struct {
	name string // why the input is bad
	call func() error
	want error
	// syntax is true when the error must also be a *SyntaxError.
	syntax bool
}

func encodeErr(f pinblock.Format, pin, pan string) func() error {
	return func() error { _, err := pinblock.Encode(f, pin, pan); return err }
}

func decodeErr(f pinblock.Format, block, pan string) func() error {
	return func() error { _, err := pinblock.Decode(f, testvec.MustHex(block), pan); return err }
}

var tdesKey = testvec.MustHex("0123456789ABCDEFFEDCBA9876543210")
var aesKey = testvec.MustHex("00112233445566778899AABBCCDDEEFF")

func TestAdversarial(t *testing.T) {
	rows := []badInput{
		{"PIN of 3 digits is below the ISO 9564-1 minimum", encodeErr(pinblock.ISO0, "123", "4012345678909"), pinblock.ErrPINLength, true},
		{"PIN of 13 digits is above the maximum", encodeErr(pinblock.ISO1, "1234567890123", ""), pinblock.ErrPINLength, true},
		{"empty PIN", encodeErr(pinblock.ISO2, "", ""), pinblock.ErrPINLength, true},
		{"PIN with hex letters", encodeErr(pinblock.ISO0, "12AB", "4012345678909"), pinblock.ErrPINDigit, true},
		{"PIN with a space", encodeErr(pinblock.ISO3, "12 4", "4012345678909"), pinblock.ErrPINDigit, true},
		{"PIN with non-ASCII digit", encodeErr(pinblock.ISO2, "12３4", ""), pinblock.ErrPINDigit, true},
		{"PAN of 7 digits is too short", encodeErr(pinblock.ISO0, "1234", "1234567"), pinblock.ErrPANLength, true},
		{"empty PAN for format 3", encodeErr(pinblock.ISO3, "1234", ""), pinblock.ErrPANLength, true},
		{"PAN of 20 digits is too long", encodeErr(pinblock.ISO0, "1234", "12345678901234567890"), pinblock.ErrPANLength, true},
		{"PAN with a dash", encodeErr(pinblock.ISO0, "1234", "4012-345678909"), pinblock.ErrPANDigit, true},
		{"Encode is not defined for format 4", encodeErr(pinblock.ISO4, "1234", "4111111111111111"), pinblock.ErrFormat, false},
		{"format 5 does not exist", encodeErr(5, "1234", "4111111111111111"), pinblock.ErrFormat, false},

		{"block of 7 bytes", decodeErr(pinblock.ISO2, "241234FFFFFFFF", ""), pinblock.ErrBlockSize, true},
		{"block of 9 bytes", decodeErr(pinblock.ISO2, "241234FFFFFFFFFFFF", ""), pinblock.ErrBlockSize, true},
		{"format 2 block decoded as format 1", decodeErr(pinblock.ISO1, "241234FFFFFFFFFF", ""), pinblock.ErrControl, true},
		{"format 0 block decoded as format 3", decodeErr(pinblock.ISO3, "041274EDCBA9876F", "4012345678909"), pinblock.ErrControl, true},
		{"length nibble 3", decodeErr(pinblock.ISO2, "23123FFFFFFFFFFF", ""), pinblock.ErrPINLength, true},
		{"length nibble D (13)", decodeErr(pinblock.ISO2, "2D1234567890123F", ""), pinblock.ErrPINLength, true},
		{"length nibble F", decodeErr(pinblock.ISO1, "1F12345678901234", ""), pinblock.ErrPINLength, true},
		{"PIN nibble A", decodeErr(pinblock.ISO2, "2412A4FFFFFFFFFF", ""), pinblock.ErrPINDigit, true},
		{"format 2 fill E instead of F", decodeErr(pinblock.ISO2, "241234FFFFFFFFFE", ""), pinblock.ErrFill, true},
		{"format 2 fill 0", decodeErr(pinblock.ISO2, "2412340FFFFFFFFF", ""), pinblock.ErrFill, true},
		{"format 0 with the last fill nibble wrong", decodeErr(pinblock.ISO0, "041274EDCBA98760", "4012345678909"), pinblock.ErrFill, true},
		{"format 0 with a different PAN", decodeErr(pinblock.ISO0, "041274EDCBA9876F", "4012345678919"), pinblock.ErrFill, true},
		{"format 3 fill digit 9", decodeErr(pinblock.ISO3, "341234ABCDEFABC9", "4000000000006"), pinblock.ErrFill, true},
		{"format 0 with PAN too short", decodeErr(pinblock.ISO0, "041274EDCBA9876F", "123"), pinblock.ErrPANLength, true},
		{"Decode is not defined for format 4", decodeErr(pinblock.ISO4, "041274EDCBA9876F", "4012345678909"), pinblock.ErrFormat, false},

		{"format 4 field of 15 bytes", func() error {
			_, err := pinblock.DecodeFormat4PINField(testvec.MustHex("441234AAAAAAAAAA2F69ADDE2E9E7A"))
			return err
		}, pinblock.ErrBlockSize, true},
		{"format 4 field with pad B", func() error {
			_, err := pinblock.DecodeFormat4PINField(testvec.MustHex("441234AAAAAAAAAB2F69ADDE2E9E7ACE"))
			return err
		}, pinblock.ErrFill, true},
		{"format 4 field with pad F", func() error {
			_, err := pinblock.DecodeFormat4PINField(testvec.MustHex("441234FFFFFFFFFF2F69ADDE2E9E7ACE"))
			return err
		}, pinblock.ErrFill, true},
		{"format 4 field with control 0", func() error {
			_, err := pinblock.DecodeFormat4PINField(testvec.MustHex("041234AAAAAAAAAA2F69ADDE2E9E7ACE"))
			return err
		}, pinblock.ErrControl, true},
		{"format 4 PAN field of a 7-digit PAN", func() error {
			_, err := pinblock.Format4PANField("1234567")
			return err
		}, pinblock.ErrPANLength, true},

		{"TDES key of 8 bytes (single DES)", func() error {
			_, err := pinblock.Encrypt(pinblock.ISO0, tdesKey[:8], "1234", "4012345678909")
			return err
		}, pinblock.ErrKeySize, false},
		{"TDES key of 32 bytes", func() error {
			_, err := pinblock.Encrypt(pinblock.ISO1, append(tdesKey, tdesKey...), "1234", "")
			return err
		}, pinblock.ErrKeySize, false},
		{"AES key of 15 bytes for format 4", func() error {
			_, err := pinblock.Encrypt(pinblock.ISO4, aesKey[:15], "1234", "4111111111111111")
			return err
		}, pinblock.ErrKeySize, false},
		{"empty key for Decrypt", func() error {
			_, err := pinblock.Decrypt(pinblock.ISO4, nil, make([]byte, 16), "4111111111111111")
			return err
		}, pinblock.ErrKeySize, false},
		{"format 4 block of 8 bytes", func() error {
			_, err := pinblock.Decrypt(pinblock.ISO4, aesKey, make([]byte, 8), "4111111111111111")
			return err
		}, pinblock.ErrBlockSize, true},
		{"format 0 block of 16 bytes", func() error {
			_, err := pinblock.Decrypt(pinblock.ISO0, tdesKey, make([]byte, 16), "4012345678909")
			return err
		}, pinblock.ErrBlockSize, true},
		{"format 4 enciphered with a wrong key", func() error {
			_, err := pinblock.Decrypt(pinblock.ISO4, aesKey, testvec.MustHex("A912150391AB65A67E52883D81CE2D15"), "4111111111111111")
			return err
		}, pinblock.ErrControl, true},
		{"format 4 enciphered for another PAN", func() error {
			_, err := pinblock.Decrypt(pinblock.ISO4, testvec.MustHex("AF8CB133A78F8DC2D1359F18527593FB"), testvec.MustHex("A912150391AB65A67E52883D81CE2D15"), "4111111111111112")
			return err
		}, pinblock.ErrControl, true},
		{"format 6 for Decrypt", func() error {
			_, err := pinblock.Decrypt(6, tdesKey, make([]byte, 8), "")
			return err
		}, pinblock.ErrFormat, false},

		{"translation from format 0 to format 1 drops the PAN binding", func() error {
			blk, _ := pinblock.Encrypt(pinblock.ISO0, tdesKey, "1234", "4012345678909")
			_, err := pinblock.Translate(pinblock.ISO0, tdesKey, pinblock.ISO1, tdesKey, blk, "4012345678909")
			return err
		}, pinblock.ErrTranslation, false},
		{"translation from format 4 to format 2", func() error {
			blk, _ := pinblock.Encrypt(pinblock.ISO4, aesKey, "1234", "4012345678909")
			_, err := pinblock.Translate(pinblock.ISO4, aesKey, pinblock.ISO2, tdesKey, blk, "4012345678909")
			return err
		}, pinblock.ErrTranslation, false},
		{"translation with an AES key for format 0", func() error {
			_, err := pinblock.Translate(pinblock.ISO4, aesKey, pinblock.ISO0, aesKey[:15], make([]byte, 16), "4012345678909")
			return err
		}, pinblock.ErrKeySize, false},

		{"PVV with a 3-digit PIN", func() error {
			_, err := pinblock.VisaPVV(tdesKey, "1122334455667788", 3, "452")
			return err
		}, pinblock.ErrPINLength, true},
		{"PVV with PVKI 10", func() error {
			_, err := pinblock.VisaPVV(tdesKey, "1122334455667788", 10, "4524")
			return err
		}, pinblock.ErrPVKI, false},
		{"PVV with PVKI -1", func() error {
			_, err := pinblock.VisaPVV(tdesKey, "1122334455667788", -1, "4524")
			return err
		}, pinblock.ErrPVKI, false},
		{"PVV with an 11-digit PAN (needs 11 digits plus check digit)", func() error {
			_, err := pinblock.VisaPVV(tdesKey, "11223344556", 3, "4524")
			return err
		}, pinblock.ErrPANLength, true},
		{"PVV with a 15-byte PVK", func() error {
			_, err := pinblock.VisaPVV(tdesKey[:15], "1122334455667788", 3, "4524")
			return err
		}, pinblock.ErrKeySize, false},
		{"PVV to verify has 5 digits", func() error {
			return pinblock.VerifyVisaPVV(tdesKey, "1122334455667788", 3, "4524", "40210")
		}, pinblock.ErrOffset, true},
		{"PVV to verify has a letter", func() error {
			return pinblock.VerifyVisaPVV(tdesKey, "1122334455667788", 3, "4524", "40A1")
		}, pinblock.ErrOffset, true},
		{"wrong PIN for the PVV", func() error {
			return pinblock.VerifyVisaPVV(tdesKey, "1122334455667788", 3, "4525", "4021")
		}, pinblock.ErrMismatch, false},

		{"decimalisation table of 15 digits", func() error {
			_, err := pinblock.IBM3624Offset(tdesKey, "123456789012345", "1122334455667788", "4524")
			return err
		}, pinblock.ErrDecimalization, true},
		{"decimalisation table with a letter", func() error {
			_, err := pinblock.IBM3624Offset(tdesKey, "12345678901234A6", "1122334455667788", "4524")
			return err
		}, pinblock.ErrDecimalization, true},
		{"validation data of 15 digits", func() error {
			_, err := pinblock.IBM3624Offset(tdesKey, "1234567890123456", "112233445566778", "4524")
			return err
		}, pinblock.ErrValidationData, true},
		{"validation data with G", func() error {
			_, err := pinblock.IBM3624Offset(tdesKey, "1234567890123456", "112233445566778G", "4524")
			return err
		}, pinblock.ErrValidationData, true},
		{"IBM 3624 PIN with a letter", func() error {
			_, err := pinblock.IBM3624Offset(tdesKey, "1234567890123456", "1122334455667788", "45B4")
			return err
		}, pinblock.ErrPINDigit, true},
		{"natural PIN of length 13", func() error {
			_, err := pinblock.IBM3624NaturalPIN(tdesKey, "1234567890123456", "1122334455667788", 13)
			return err
		}, pinblock.ErrPINLength, true},
		{"offset longer than the PIN", func() error {
			return pinblock.VerifyIBM3624Offset(tdesKey, "1234567890123456", "1122334455667788", "4524", "00000")
		}, pinblock.ErrOffset, true},
		{"offset of 3 digits", func() error {
			_, err := pinblock.IBM3624PIN(tdesKey, "1234567890123456", "1122334455667788", "000")
			return err
		}, pinblock.ErrOffset, true},
		{"wrong PIN for the offset", func() error {
			return pinblock.VerifyIBM3624Offset(tdesKey, "1234567890123456", "1122334455667788", "4525", "0000")
		}, pinblock.ErrMismatch, false},
		{"IBM 3624 with a 24-byte PVK truncated to 20", func() error {
			_, err := pinblock.IBM3624NaturalPIN(append(tdesKey, tdesKey...)[:20], "1234567890123456", "1122334455667788", 4)
			return err
		}, pinblock.ErrKeySize, false},
	}
	secrets := []string{"1234", "4524", "4012345678909", "1122334455667788", "4111111111111111", "0123456789ABCDEF", "4021"}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			err := r.call()
			if !errors.Is(err, r.want) {
				t.Fatalf("err = %v, want %v", err, r.want)
			}
			var se *pinblock.SyntaxError
			if got := errors.As(err, &se); got != r.syntax {
				t.Errorf("errors.As(%v, *SyntaxError) = %v, want %v", err, got, r.syntax)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "pinblock: ") {
				t.Errorf("message %q lacks the package prefix", msg)
			}
			for _, s := range secrets {
				if strings.Contains(msg, s) {
					t.Errorf("message %q contains secret-looking %q", msg, s)
				}
			}
		})
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	_, err := pinblock.Decode(pinblock.ISO2, testvec.MustHex("241234FFFFFFFFFE"), "")
	var se *pinblock.SyntaxError
	if !errors.As(err, &se) || se.Pos != 15 || se.Field != "PIN block" {
		t.Fatalf("err = %#v, want fill error at nibble 15", err)
	}
	_, err = pinblock.Encode(pinblock.ISO1, "12x4", "")
	if !errors.As(err, &se) || se.Pos != 2 || se.Field != "PIN" {
		t.Fatalf("err = %#v, want digit error at position 2", err)
	}
}
