package main

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"flag"
	"fmt"
	"strings"

	des "github.com/posflow/posflow/internal/des"
	"github.com/posflow/posflow/keys"
)

// newCipher returns the block cipher of alg ("des", "tdes" or "aes") for
// key.
func newCipher(alg string, key []byte) (cipher.Block, error) {
	switch alg {
	case "des":
		if len(key) != 8 {
			return nil, fmt.Errorf("DES key: %d bytes, want 8", len(key))
		}
		return des.NewCipher(key)
	case "tdes":
		b, err := keys.NewTDES(key)
		if err != nil {
			return nil, fmt.Errorf("TDES key: %d bytes, want 16 or 24", len(key))
		}
		return b, nil
	case "aes":
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("AES key: %d bytes, want 16, 24 or 32", len(key))
		}
		return b, nil
	}
	return nil, usageError(fmt.Sprintf("unknown algorithm %q (want des, tdes or aes)", alg))
}

// algsFor returns the algorithms a key of n bytes can belong to, when the
// user did not say: a 16- or 24-byte key may be TDES or AES.
func algsFor(alg string, n int) []string {
	if alg != "" {
		return []string{alg}
	}
	switch n {
	case 8:
		return []string{"des"}
	case 16, 24:
		return []string{"tdes", "aes"}
	}
	return []string{"aes"}
}

// kcvOf returns the key check value of key under alg, in hexadecimal.
func kcvOf(alg string, key []byte) (string, error) {
	b, err := newCipher(alg, key)
	if err != nil {
		return "", err
	}
	return upperHex(keys.KCV(b)), nil
}

// tdesKCV returns the KCV of a double- or triple-length TDES key, for keys
// the libraries have already checked.
func tdesKCV(key []byte) string {
	s, err := kcvOf("tdes", key)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return s
}

// describeKey returns the lines that identify a key without disclosing it.
func describeKey(o obj, label string, reveal bool, key []byte, algs []string) (obj, error) {
	o = o.add(label, secret(reveal, "key", key))
	for _, alg := range algs {
		kcv, err := kcvOf(alg, key)
		if err != nil {
			return nil, err
		}
		name := "KCV"
		if len(algs) > 1 {
			name += " " + strings.ToUpper(alg)
		}
		o = o.add(name, kcv)
	}
	return o, nil
}

func parityText(key []byte) string {
	var pe *keys.ParityError
	if err := keys.CheckParity(key); errors.As(err, &pe) {
		return fmt.Sprintf("not odd (first at byte %d)", pe.Offset)
	}
	return "odd"
}

var kcvCmd = &command{
	group:   "kcv",
	args:    "[-alg des|tdes|aes] [-reveal] [-json] [KEY]",
	summary: "key check value of a DES, TDES or AES key",
	doc: `
Prints the key check value of ANSI X9.24-1:2017: for DES and TDES the
leftmost 3 bytes of the encipherment of a zero block, for AES the leftmost 5
bytes of the CMAC of a zero block. A 16- or 24-byte key can be TDES or AES;
without -alg both check values are printed. The key itself is not printed
unless -reveal.`,
	example: []string{"kcv", "0123456789ABCDEFFEDCBA9876543210"},
	source:  "pyemv tests/test_sm_hsm.py, see keys/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		alg := fs.String("alg", "", "algorithm: des, tdes or aes (default: by key length, both for 16 and 24 bytes)")
		return func(e *env) (any, error) {
			key, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			o := obj{{"length", fmt.Sprintf("%d bytes", len(key))}}
			o, err = describeKey(o, "key", e.reveal, key, algsFor(*alg, len(key)))
			if err != nil {
				return nil, err
			}
			if len(key)%8 == 0 && *alg != "aes" && len(key) <= 24 {
				o = o.add("DES parity", parityText(key))
			}
			return o, nil
		}
	},
}

var keysCombineCmd = &command{
	group: "keys", name: "combine",
	args:    "[-alg tdes|aes] [-parity=false] [-reveal] [-json] COMPONENT COMPONENT...",
	summary: "combine clear key components by XOR, with the KCV of each",
	doc: `
Forms a key from two or more clear key components by exclusive-or, as key
custodians do (ANSI X9.24-1:2017), and prints the check value of every
component and of the key, so that each custodian can confirm theirs. The
components are the operands, or the lines of standard input. For a TDES
key the result's parity is made odd (FIPS 46-3) unless -parity=false. The
key and the components are not printed unless -reveal.`,
	example: []string{"keys", "combine", "1111111111111111222222222222222F", "1032547698BADCFEDCFE98BA5476103F"},
	source:  "the components of keys/example_test.go ExampleCombine, whose key has the pyemv check value 08D7B4",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		alg := fs.String("alg", "", "algorithm of the key: tdes or aes (default tdes for 16 and 24 bytes, aes for 32)")
		parity := fs.Bool("parity", true, "make the parity of a TDES key odd")
		return func(e *env) (any, error) {
			var texts []string
			if len(e.args) == 0 || len(e.args) == 1 && e.args[0] == "-" {
				text, err := e.operandText()
				if err != nil {
					return nil, err
				}
				for _, line := range strings.Split(text, "\n") {
					if strings.TrimSpace(line) != "" {
						texts = append(texts, line)
					}
				}
			} else {
				texts = e.args
			}
			if len(texts) < keys.MinComponents {
				return nil, usageError(fmt.Sprintf("%d component given, want at least %d", len(texts), keys.MinComponents))
			}
			comps := make([][]byte, len(texts))
			for i, t := range texts {
				b, err := decodeHex(t)
				if err != nil {
					return nil, fmt.Errorf("component %d: %v", i+1, err)
				}
				comps[i] = b
			}
			key, err := keys.Combine(comps...)
			if err != nil {
				return nil, err
			}
			a := *alg
			if a == "" {
				a = "tdes"
				if len(key) == 32 {
					a = "aes"
				}
			}
			if a == "tdes" && *parity {
				keys.AdjustParity(key)
			}
			list := []obj{}
			for i, c := range comps {
				co := obj{{"component", i + 1}}
				co, err := describeKey(co, "value", e.reveal, c, []string{a})
				if err != nil {
					return nil, fmt.Errorf("component %d: %v", i+1, err)
				}
				list = append(list, co)
			}
			o := obj{{"components", list}}
			ko, err := describeKey(obj{{"algorithm", strings.ToUpper(a)}}, "key", e.reveal, key, []string{a})
			if err != nil {
				return nil, err
			}
			if a == "tdes" {
				ko = ko.add("DES parity", parityText(key))
			}
			return append(o, ko...), nil
		}
	},
}
