package main

import (
	"flag"
	"fmt"

	"github.com/posflow/posflow/mac"
)

var macCmd = &command{
	group:   "mac",
	args:    "-key KEY [-alg 1|3|cmac] [-cipher des|tdes|aes] [-pad 1|2|3] [-len N] [-ascii] [-verify TAG] [-reveal] [-json] [DATA]",
	summary: "ISO/IEC 9797-1 MAC algorithm 1 or 3 (retail MAC), or CMAC",
	doc: `
Computes a MAC over DATA (hexadecimal, or text with -ascii):

  -alg 1     ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC; ANSI X9.9) with DES,
             TDES or AES (-cipher; default TDES, DES for an 8-byte key)
  -alg 3     MAC algorithm 3, the ANSI X9.19 retail MAC, with a 16-byte key
  -alg cmac  CMAC of NIST SP 800-38B (RFC 4493 for AES) with AES (default)
             or TDES

-pad chooses the ISO/IEC 9797-1 padding method of algorithms 1 and 3
(default 1, zeros); CMAC pads itself. -len keeps the leftmost N bytes.
With -verify the MAC is compared, in constant time, with TAG and a mismatch
exits with status 1. The key is printed only as its check value.`,
	example: []string{"mac", "-alg", "3", "-key", "0123456789ABCDEFFEDCBA9876543210", "-pad", "2", "1234567890ABCDEF"},
	source:  "psec and pyemv mac_iso9797_3, see mac/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		keyFlag := fs.String("key", "", "MAC key, hexadecimal (required)")
		alg := fs.String("alg", "3", "algorithm: 1, 3 or cmac")
		cipherName := fs.String("cipher", "", "block cipher of algorithm 1 and CMAC: des, tdes or aes")
		pad := fs.Int("pad", 1, "ISO/IEC 9797-1 padding method of algorithms 1 and 3: 1, 2 or 3")
		n := fs.Int("len", 0, "keep the leftmost N bytes of the MAC (default: the whole block)")
		ascii := fs.Bool("ascii", false, "DATA is text, MACed as its bytes")
		verify := fs.String("verify", "", "compare the MAC with this tag (4 bytes to a block), hexadecimal")
		return func(e *env) (any, error) {
			key, err := hexFlag("key", *keyFlag, true)
			if err != nil {
				return nil, err
			}
			var data []byte
			if *ascii {
				text, err := e.operandText()
				if err != nil {
					return nil, err
				}
				data = []byte(text)
			} else if data, err = e.operandHex(); err != nil {
				return nil, err
			}
			if *pad < 1 || *pad > 3 {
				return nil, usageError(fmt.Sprintf("-pad %d: want 1, 2 or 3", *pad))
			}
			p := mac.Padding(*pad)
			o := obj{}
			var m []byte
			var cipher string
			var verifyTag func(tag []byte) error
			switch *alg {
			case "1":
				cipher = *cipherName
				if cipher == "" {
					cipher = "tdes"
					if len(key) == 8 {
						cipher = "des"
					}
				}
				b, err := newCipher(cipher, key)
				if err != nil {
					return nil, err
				}
				m = mac.Alg1(b, data, p)
				verifyTag = func(tag []byte) error { return mac.VerifyAlg1(b, data, p, tag) }
				o = o.add("algorithm", "ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC), "+cipherTitle(cipher)).add("padding", p.String())
			case "3":
				if len(key) != 16 {
					return nil, fmt.Errorf("-key: %d bytes, want 16 (K and K')", len(key))
				}
				if m, err = mac.Alg3(key, data, p); err != nil {
					return nil, err
				}
				cipher = "tdes"
				verifyTag = func(tag []byte) error { return mac.VerifyAlg3(key, data, p, tag) }
				o = o.add("algorithm", "ISO/IEC 9797-1 MAC algorithm 3 (ANSI X9.19 retail MAC), DES").add("padding", p.String())
			case "cmac":
				cipher = *cipherName
				if cipher == "" {
					cipher = "aes"
				}
				b, err := newCipher(cipher, key)
				if err != nil {
					return nil, err
				}
				m = mac.CMAC(b, data)
				verifyTag = func(tag []byte) error { return mac.VerifyCMAC(b, data, tag) }
				o = o.add("algorithm", "CMAC (NIST SP 800-38B), "+cipherTitle(cipher))
			default:
				return nil, usageError(fmt.Sprintf("-alg %q: want 1, 3 or cmac", *alg))
			}
			kcv, err := kcvOf(cipher, key)
			if err != nil {
				return nil, err
			}
			o = o.add("key", secret(e.reveal, "key", key)).add("key KCV", kcv).add("data length", fmt.Sprintf("%d bytes", len(data)))
			if *n != 0 {
				if *n < 1 || *n > len(m) {
					return nil, usageError(fmt.Sprintf("-len %d: want 1 to %d", *n, len(m)))
				}
				m = m[:*n]
			}
			o = o.add("MAC", upperHex(m))
			if *verify != "" {
				tag, err := hexFlag("verify", *verify, true)
				if err != nil {
					return nil, err
				}
				if err := verifyTag(tag); err != nil {
					return nil, fmt.Errorf("-verify: %w", err)
				}
				o = o.add("verify", "match")
			}
			return o, nil
		}
	},
}

func cipherTitle(c string) string {
	switch c {
	case "des":
		return "DES"
	case "tdes":
		return "TDES"
	}
	return "AES"
}
