package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNoSecretsWithoutReveal runs every command that takes a key, a PIN or
// card data on vectors whose secrets are known, and checks that none of
// them appears in the output (standard output and standard error, in text
// and in JSON) unless -reveal is given. Each row also runs with -reveal and
// checks that at least one secret then appears, so that a row whose
// secrets could never show up does not pass silently.
func TestNoSecretsWithoutReveal(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		stdin   string
		secrets []string // keys, PINs, PANs, clear PIN blocks; PINs must be distinctive
	}{
		{"tlv decode record", []string{"tlv", "decode", record}, "",
			[]string{"4761739001010119", "D22122011758928889", "455850495245442F43415244", "EXPIRED/CARD"}},
		{"tlv decode record from stdin", []string{"tlv", "decode"}, record,
			[]string{"4761739001010119"}},
		{"iso8583 decode", []string{"iso8583", "decode", "-spec", "bcd", isoExampleBCD}, "",
			[]string{"4012345678909", "1B9C1845EB993A7A"}},
		{"iso8583 encode", []string{"iso8583", "encode", "-spec", "bcd"}, isoJSON,
			[]string{"4012345678909", "1B9C1845EB993A7A"}},
		{"pinblock encode clear", []string{"pinblock", "encode", "-format", "0", "-pin", "92389", "-pan", "4000001234562"}, "",
			[]string{"92389", "4000001234562", "0592789FFFEDCBA9"}},
		{"pinblock encode clear format 2", []string{"pinblock", "encode", "-format", "2", "-pin", "92389"}, "",
			[]string{"92389"}},
		{"pinblock encode format 4 fields", []string{"pinblock", "encode", "-format", "4", "-pin", "92389", "-pan", "4111111111111111"}, "",
			[]string{"92389", "4111111111111111"}},
		{"pinblock encode enciphered", []string{"pinblock", "encode", "-format", "0", "-pin", "92389", "-pan", x924PAN, "-key", x924PINKey}, "",
			[]string{"92389", x924PAN, x924PINKey}},
		{"pinblock decode", []string{"pinblock", "decode", "-format", "0", "-pan", "4000001234562", "0592789FFFEDCBA9"}, "",
			[]string{"92389", "4000001234562"}},
		{"pinblock decode enciphered", []string{"pinblock", "decode", "-format", "4", "-pan", "4111111111111111", "-key", x9243PINKey, x9243Block}, "",
			[]string{"4111111111111111", x9243PINKey}},
		{"pinblock translate", []string{"pinblock", "translate", "-from", "4", "-from-key", x9243PINKey, "-to", "0", "-to-key", x924PINKey, "-pan", "4111111111111111", x9243Block}, "",
			[]string{"4111111111111111", x9243PINKey, x924PINKey}},
		{"dukpt derive TDES", []string{"dukpt", "derive", "-bdk", x924BDK, x924KSN1}, "",
			[]string{x924BDK, "6AC292FAA1315B4D858AB3A3D7D5933A", "042666B49184CFA368DE9628D0397BC9", x924PINKey, x924MACKey}},
		{"dukpt derive TDES from IK", []string{"dukpt", "derive", "-ik", "6AC292FAA1315B4D858AB3A3D7D5933A", x924KSN1}, "",
			[]string{"6AC292FAA1315B4D858AB3A3D7D5933A", "042666B49184CFA368DE9628D0397BC9", x924PINKey}},
		{"dukpt derive AES", []string{"dukpt", "derive", "-bdk", x9243BDK, x9243KSN1}, "",
			[]string{x9243BDK, "1273671EA26AC29AFA4D1084127652A1", "4F21B565BAD9835E112B6465635EAE44", x9243PINKey, "A2DC23DE6FDE0824A2BC321E08E4B8B7"}},
		{"emv mk", []string{"emv", "mk", "-imk", pyemvIMK, "-pan", "12345678901234567", "-psn", "01", "-option", "b"}, "",
			[]string{pyemvIMK, "12345678901234567", "AD406D7F6D7570916D75E5DCAB8CF737"}},
		{"emv sk", []string{"emv", "sk", "-mk", "946DC1A8C78A624519BC4645CB073737", "-r", "1234567890123456"}, "",
			[]string{"946DC1A8C78A624519BC4645CB073737"}},
		{"emv arqc", []string{"emv", "arqc", "-imk", pyemvIMK, "-pan", pyemvPAN, pyemvVisa10}, "",
			[]string{pyemvIMK, pyemvPAN}},
		{"emv arpc", []string{"emv", "arpc", "-imk", pyemvIMK, "-pan", pyemvPAN, "-arc", "3030", pyemvVisa10}, "",
			[]string{pyemvIMK, pyemvPAN}},
		{"emv verify", []string{"emv", "verify", "-imk", pyemvIMK, "-pan", pyemvPAN, pyemvVisa10}, "",
			[]string{pyemvIMK, pyemvPAN}},
		{"emv verify failing", []string{"emv", "verify", "-imk", pyemvIMK, "-pan", pyemvPAN, "-psn", "01", pyemvVisa10}, "",
			[]string{pyemvIMK, pyemvPAN}},
		{"mac", []string{"mac", "-alg", "3", "-key", x924MACKey, "-ascii", "4012345678909D987"}, "",
			[]string{x924MACKey}},
		{"kcv", []string{"kcv", x924BDK}, "",
			[]string{x924BDK}},
		{"kcv from stdin", []string{"kcv"}, x924BDK,
			[]string{x924BDK}},
		{"qr decode consumer-presented", []string{"qr", "decode", qrCPM}, "",
			[]string{"1234567890123458", "CARDHOLDER/EMV", "434152444"}},
		{"keys combine", []string{"keys", "combine", "1111111111111111222222222222222F", "1032547698BADCFEDCFE98BA5476103F"}, "",
			[]string{"1111111111111111222222222222222F", "1032547698BADCFEDCFE98BA5476103F", x924BDK}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, extra := range [][]string{nil, {"-json"}} {
				args := append(append([]string(nil), tt.args...), extra...)
				_, out, errOut := runCLI(t, tt.stdin, args...)
				all := strings.ToUpper(out + errOut)
				for _, s := range tt.secrets {
					if strings.Contains(all, strings.ToUpper(s)) {
						t.Errorf("posflow %s prints %s without -reveal:\n%s%s", strings.Join(args, " "), s, out, errOut)
					}
				}
			}
			args := append(append([]string(nil), tt.args...), "-reveal")
			_, out, errOut := runCLI(t, tt.stdin, args...)
			all := strings.ToUpper(out + errOut)
			found := false
			for _, s := range tt.secrets {
				found = found || strings.Contains(all, strings.ToUpper(s))
			}
			if !found {
				t.Errorf("posflow %s shows none of its secrets even with -reveal:\n%s%s", strings.Join(args, " "), out, errOut)
			}
		})
	}
}

// TestExitStatus checks the three exit statuses and that an error is one
// line naming the problem.
func TestExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string // in standard error
	}{
		{"help", []string{"help"}, 0, ""},
		{"command help", []string{"pinblock", "encode", "-h"}, 0, ""},
		{"no group", []string{"pinblock"}, 2, "usage: posflow pinblock encode"},
		{"unknown subcommand", []string{"dukpt", "frob"}, 2, "usage: posflow dukpt derive"},
		{"unknown flag", []string{"kcv", "-nope", x924BDK}, 2, "flag provided but not defined: -nope"},
		{"missing required flag", []string{"emv", "arqc", "-pan", pyemvPAN, pyemvVisa10}, 2, "-imk is required"},
		{"both bdk and ik", []string{"dukpt", "derive", "-bdk", x924BDK, "-ik", x924BDK, x924KSN1}, 2, "give one of -bdk and -ik"},
		{"operand where none is taken", []string{"emv", "mk", "-imk", pyemvIMK, "-pan", pyemvPAN, "extra"}, 2, "unexpected operand"},
		{"bad format", []string{"pinblock", "decode", "-format", "7", "041274EDCBA9876F"}, 2, "-format 7: want 0 to 4"},
		{"bad hex", []string{"dukpt", "ksn", "FFFF98765432X0E00001"}, 1, "invalid hex digit 'X' at position 12"},
		{"bad key hex names the flag", []string{"mac", "-key", "0123456789ABCDEFFEDCBA98765432Z0", "00"}, 1, "-key: invalid hex digit 'Z' at position 30"},
		{"bad key length", []string{"emv", "mk", "-imk", "0123", "-pan", pyemvPAN}, 1, "-imk: 2 bytes, want 16"},
		{"tlv offset", []string{"tlv", "decode", "8A0230309F0206000000"}, 1, "offset 4: tag 9F02: truncated input"},
		{"pin block position", []string{"pinblock", "decode", "-format", "0", "-pan", "4000001234992", "0592789FFFEDCBA9"}, 1, "position 14"},
		{"field 55 offset", []string{"emv", "arqc", "-imk", pyemvIMK, "-pan", pyemvPAN, "9F0206000000"}, 1, "offset 0"},
		{"cryptogram mismatch", []string{"emv", "verify", "-imk", pyemvIMK, "-pan", pyemvPAN, "-psn", "01", pyemvVisa10}, 1, "cryptogram does not verify"},
		{"empty stdin", []string{"kcv"}, 1, "no input"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: posflow %s: exit %d, stderr %q; want exit %d and %q", tt.name, strings.Join(tt.args, " "), code, errOut, tt.code, tt.want)
		}
		if code == 1 && strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: want one line on standard error, got %q", tt.name, errOut)
		}
	}
}

// TestJSONEveryCommand runs the worked example of every command with -json
// and checks that standard output is one well-formed JSON value.
func TestJSONEveryCommand(t *testing.T) {
	for _, c := range commands {
		if len(c.example) == 0 {
			t.Errorf("%s has no worked example", c.path())
			continue
		}
		args := append(append([]string(nil), c.example...), "-json")
		code, out, errOut := runCLI(t, "", args...)
		if code != 0 || !json.Valid([]byte(out)) {
			t.Errorf("posflow %s: exit %d, stderr %q, output not JSON:\n%s", strings.Join(args, " "), code, errOut, out)
		}
	}
}
