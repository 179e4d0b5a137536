package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"io"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/pinblock"
)

// random is the source of the random fill of PIN block formats 1, 3 and 4.
// Tests replace it with a deterministic reader.
var random io.Reader = rand.Reader

func pinConfig() *pinblock.Config { return &pinblock.Config{Rand: random} }

// parseFormat checks a -format flag.
func parseFormat(name string, f int) (pinblock.Format, error) {
	if f < 0 || f > 4 {
		return 0, usageError(fmt.Sprintf("-%s %d: want 0 to 4", name, f))
	}
	return pinblock.Format(f), nil
}

// pinKeyAlg is the cipher of the key of format f.
func pinKeyAlg(f pinblock.Format) string {
	if f == pinblock.ISO4 {
		return "aes"
	}
	return "tdes"
}

// needsPAN reports whether format f binds the PAN.
func needsPAN(f pinblock.Format) bool {
	return f == pinblock.ISO0 || f == pinblock.ISO3 || f == pinblock.ISO4
}

// maskedPAN returns the PAN as it may be shown: first six and last four
// digits, or in clear with -reveal.
func maskedPAN(reveal bool, pan string) string {
	if reveal {
		return pan
	}
	return emv.MaskPAN(pan)
}

const pinblockFormats = `
Formats (ISO 9564-1:2017): 0 PIN XOR PAN, 1 random fill, 2 offline PIN to
the ICC, 3 PIN XOR PAN with random fill, 4 AES, 16 bytes. Formats 0 to 3
are enciphered with a 16- or 24-byte TDES key, format 4 with an AES key.`

var pinblockEncodeCmd = &command{
	group: "pinblock", name: "encode",
	args:    "-format 0-4 -pin PIN [-pan PAN] [-key KEY] [-reveal] [-json]",
	summary: "build an ISO 9564-1 PIN block, clear or enciphered",
	doc: `
Builds the PIN block of -pin (and -pan for formats 0, 3 and 4). With -key
the block is enciphered and printed; without it the clear block (for format
4, the clear PIN and PAN fields) is secret and printed only with -reveal.
The PIN and key are never printed without -reveal; the key's check value is.` + pinblockFormats,
	example: []string{"pinblock", "encode", "-format", "0", "-pin", "1234", "-pan", "4012345678909", "-key", "042666B49184CF5C68DE9628D0397B36"},
	source:  "ANSI X9.24-1:2009 A.4, KSN FFFF9876543210E00001: PIN key and enciphered block, see pinblock/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		format := fs.Int("format", 0, "ISO 9564-1 format, 0 to 4")
		pin := fs.String("pin", "", "PIN, 4 to 12 digits (required)")
		pan := fs.String("pan", "", "primary account number (formats 0, 3 and 4)")
		keyFlag := fs.String("key", "", "PIN encryption key, hexadecimal: TDES for formats 0-3, AES for 4")
		return func(e *env) (any, error) {
			if err := e.noOperands(); err != nil {
				return nil, err
			}
			f, err := parseFormat("format", *format)
			if err != nil {
				return nil, err
			}
			if err := required("pin", *pin); err != nil {
				return nil, err
			}
			if needsPAN(f) {
				if err := required("pan", *pan); err != nil {
					return nil, err
				}
			}
			key, err := hexFlag("key", *keyFlag, false)
			if err != nil {
				return nil, err
			}
			o := obj{{"format", f.String()}, {"PIN", secretPIN(e.reveal, *pin)}}
			if needsPAN(f) {
				o = o.add("PAN", maskedPAN(e.reveal, *pan))
			}
			c := pinConfig()
			if key != nil {
				kcv, err := kcvOf(pinKeyAlg(f), key)
				if err != nil {
					return nil, fmt.Errorf("-key: %v", err)
				}
				block, err := c.Encrypt(f, key, *pin, *pan)
				if err != nil {
					return nil, err
				}
				return o.add("key", secret(e.reveal, "key", key)).add("key KCV", kcv).add("enciphered block", upperHex(block)), nil
			}
			if f == pinblock.ISO4 {
				pinField, err := c.Format4PINField(*pin)
				if err != nil {
					return nil, err
				}
				panField, err := pinblock.Format4PANField(*pan)
				if err != nil {
					return nil, err
				}
				return o.add("clear PIN field", secret(e.reveal, "PIN field", pinField)).add("clear PAN field", secret(e.reveal, "PAN field", panField)), nil
			}
			block, err := c.Encode(f, *pin, *pan)
			if err != nil {
				return nil, err
			}
			return o.add("clear block", secret(e.reveal, "PIN block", block)), nil
		}
	},
}

var pinblockDecodeCmd = &command{
	group: "pinblock", name: "decode",
	args:    "-format 0-4 [-pan PAN] [-key KEY] [-reveal] [-json] [BLOCK]",
	summary: "check a PIN block, clear or enciphered, and recover its PIN",
	doc: `
Deciphers BLOCK under -key (or takes it as a clear block without -key; for
format 4 without a key, BLOCK is the clear 16-byte PIN field) and checks
every field of the format: control, PIN length, digits and fill. A block
that does not decode exits with status 1 and says which field and position
are wrong. The PIN is printed only with -reveal; its length always.` + pinblockFormats,
	example: []string{"pinblock", "decode", "-format", "4", "-pan", "4111111111111111", "-key", "AF8CB133A78F8DC2D1359F18527593FB", "-reveal", "A912150391AB65A67E52883D81CE2D15"},
	source:  "ANSI X9.24-3-2017 supplement, AES-128 BDK, KSN 123456789012345600000001, page 31, see pinblock/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		format := fs.Int("format", 0, "ISO 9564-1 format, 0 to 4")
		pan := fs.String("pan", "", "primary account number (formats 0, 3 and 4)")
		keyFlag := fs.String("key", "", "PIN encryption key, hexadecimal: TDES for formats 0-3, AES for 4")
		return func(e *env) (any, error) {
			f, err := parseFormat("format", *format)
			if err != nil {
				return nil, err
			}
			if needsPAN(f) && !(f == pinblock.ISO4 && *keyFlag == "") {
				if err := required("pan", *pan); err != nil {
					return nil, err
				}
			}
			key, err := hexFlag("key", *keyFlag, false)
			if err != nil {
				return nil, err
			}
			block, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			o := obj{{"format", f.String()}}
			if needsPAN(f) && *pan != "" {
				o = o.add("PAN", maskedPAN(e.reveal, *pan))
			}
			var pin string
			switch {
			case key != nil:
				kcv, err := kcvOf(pinKeyAlg(f), key)
				if err != nil {
					return nil, fmt.Errorf("-key: %v", err)
				}
				o = o.add("key", secret(e.reveal, "key", key)).add("key KCV", kcv)
				if pin, err = pinblock.Decrypt(f, key, block, *pan); err != nil {
					return nil, err
				}
			case f == pinblock.ISO4:
				if pin, err = pinblock.DecodeFormat4PINField(block); err != nil {
					return nil, err
				}
			default:
				if pin, err = pinblock.Decode(f, block, *pan); err != nil {
					return nil, err
				}
			}
			return o.add("PIN length", len(pin)).add("PIN", secretPIN(e.reveal, pin)), nil
		}
	},
}

var pinblockTranslateCmd = &command{
	group: "pinblock", name: "translate",
	args:    "-from 0-4 -from-key KEY -to 0-4 -to-key KEY [-pan PAN] [-json] [BLOCK]",
	summary: "re-encipher a PIN block under another key and format",
	doc: `
Deciphers BLOCK (format -from under -from-key) and enciphers the same PIN as
format -to under -to-key, as an HSM's PIN translation does, without printing
the PIN. Translation from a format that binds the PAN (0, 3, 4) to one that
does not (1, 2) is refused, as ISO 9564-1 and PCI PIN require.` + pinblockFormats,
	example: []string{"pinblock", "translate", "-from", "4", "-from-key", "AF8CB133A78F8DC2D1359F18527593FB", "-to", "0", "-to-key", "042666B49184CF5C68DE9628D0397B36", "-pan", "4111111111111111", "A912150391AB65A67E52883D81CE2D15"},
	source:  "the X9.24-3-2017 supplement format 4 block of KSN 123456789012345600000001 into format 0 under the X9.24-1:2009 A.4 PIN key of KSN FFFF9876543210E00001",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		from := fs.Int("from", 0, "format of BLOCK, 0 to 4")
		fromKey := fs.String("from-key", "", "key BLOCK is enciphered under, hexadecimal (required)")
		to := fs.Int("to", 0, "format of the result, 0 to 4")
		toKey := fs.String("to-key", "", "key to encipher the result under, hexadecimal (required)")
		pan := fs.String("pan", "", "primary account number (when either format binds it: 0, 3, 4)")
		return func(e *env) (any, error) {
			ff, err := parseFormat("from", *from)
			if err != nil {
				return nil, err
			}
			tf, err := parseFormat("to", *to)
			if err != nil {
				return nil, err
			}
			if needsPAN(ff) || needsPAN(tf) {
				if err := required("pan", *pan); err != nil {
					return nil, err
				}
			}
			k1, err := hexFlag("from-key", *fromKey, true)
			if err != nil {
				return nil, err
			}
			k2, err := hexFlag("to-key", *toKey, true)
			if err != nil {
				return nil, err
			}
			kcv1, err := kcvOf(pinKeyAlg(ff), k1)
			if err != nil {
				return nil, fmt.Errorf("-from-key: %v", err)
			}
			kcv2, err := kcvOf(pinKeyAlg(tf), k2)
			if err != nil {
				return nil, fmt.Errorf("-to-key: %v", err)
			}
			block, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			out, err := pinConfig().Translate(ff, k1, tf, k2, block, *pan)
			if err != nil {
				return nil, err
			}
			o := obj{}
			if *pan != "" {
				o = o.add("PAN", maskedPAN(e.reveal, *pan))
			}
			return o.add("from", ff.String()).add("from key", secret(e.reveal, "key", k1)).add("from key KCV", kcv1).
				add("to", tf.String()).add("to key", secret(e.reveal, "key", k2)).add("to key KCV", kcv2).
				add("enciphered block", upperHex(out)), nil
		}
	},
}
