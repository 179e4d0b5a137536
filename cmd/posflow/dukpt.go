package main

import (
	"flag"
	"fmt"
	"math/bits"
	"strings"

	"github.com/posflow/posflow/dukpt"
)

var tdesUsages = []dukpt.Usage{dukpt.PINEncryption, dukpt.MACRequest, dukpt.MACResponse, dukpt.DataRequest, dukpt.DataResponse}

var aesUsages = []dukpt.Usage{dukpt.PINEncryption, dukpt.MACRequest, dukpt.MACResponse, dukpt.MACBoth,
	dukpt.DataRequest, dukpt.DataResponse, dukpt.DataBoth, dukpt.KeyEncryption}

var keyTypes = map[string]dukpt.KeyType{
	"tdes2": dukpt.TDES2, "tdes3": dukpt.TDES3,
	"aes128": dukpt.AES128, "aes192": dukpt.AES192, "aes256": dukpt.AES256,
	"hmac128": dukpt.HMAC128, "hmac192": dukpt.HMAC192, "hmac256": dukpt.HMAC256,
}

// keyTypeKCV returns the check value of an AES DUKPT working key of type t.
func keyTypeKCV(t dukpt.KeyType, key []byte) string {
	var alg string
	switch t {
	case dukpt.TDES2, dukpt.TDES3:
		alg = "tdes"
	case dukpt.AES128, dukpt.AES192, dukpt.AES256:
		alg = "aes"
	default:
		return "none (HMAC key)"
	}
	kcv, err := kcvOf(alg, key)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return kcv
}

var dukptDeriveCmd = &command{
	group: "dukpt", name: "derive",
	args:    "(-bdk KEY | -ik KEY) [-type KEYTYPE] [-reveal] [-json] [KSN]",
	summary: "DUKPT initial, transaction and working keys, with their KCVs",
	doc: `
Derives the keys of the DUKPT transaction KSN from the base derivation key
(-bdk) or the device's initial key (-ik): the initial key, the transaction
key (for AES, the intermediate derivation key) and the working key of every
usage, each with its check value. A 10-byte KSN is TDES DUKPT (ANSI
X9.24-1:2009 Annex A), a 12-byte KSN AES DUKPT (ANSI X9.24-3-2017). For AES,
-type chooses the working keys' type: aes128, aes192, aes256, tdes2, tdes3,
hmac128, hmac192 or hmac256 (default: the AES type of the BDK). A KSN whose
counter is zero gives the initial key only. Keys are printed in clear only
with -reveal.`,
	example: []string{"dukpt", "derive", "-bdk", "0123456789ABCDEFFEDCBA9876543210", "-reveal", "FFFF9876543210E00001"},
	source:  "ANSI X9.24-1:2009 A.4.2, see dukpt/testdata/README.md",
	reveal:  true,
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		bdkFlag := fs.String("bdk", "", "base derivation key, hexadecimal")
		ikFlag := fs.String("ik", "", "initial key (IPEK) of the device, hexadecimal, instead of -bdk")
		typeFlag := fs.String("type", "", "AES DUKPT working key type")
		return func(e *env) (any, error) {
			if (*bdkFlag == "") == (*ikFlag == "") {
				return nil, usageError("give one of -bdk and -ik")
			}
			bdk, err := hexFlag("bdk", *bdkFlag, false)
			if err != nil {
				return nil, err
			}
			ik, err := hexFlag("ik", *ikFlag, false)
			if err != nil {
				return nil, err
			}
			ksnBytes, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			switch len(ksnBytes) {
			case 10:
				if *typeFlag != "" {
					return nil, usageError("-type applies to AES DUKPT only")
				}
				return deriveTDES(e.reveal, bdk, ik, ksnBytes)
			case 12:
				return deriveAES(e.reveal, bdk, ik, ksnBytes, *typeFlag)
			}
			return nil, fmt.Errorf("KSN: %d bytes, want 10 (TDES DUKPT) or 12 (AES DUKPT)", len(ksnBytes))
		}
	},
}

func deriveTDES(reveal bool, bdk, ik, ksnBytes []byte) (obj, error) {
	ksn, err := dukpt.ParseKSN(ksnBytes)
	if err != nil {
		return nil, err
	}
	o := obj{{"variant", "TDES DUKPT (ANSI X9.24-1:2009)"}, {"KSN", ksn.String()}, {"counter", int(ksn.Counter())}}
	if bdk != nil {
		if len(bdk) != 16 {
			return nil, fmt.Errorf("-bdk: %d bytes, want 16", len(bdk))
		}
		o = o.add("BDK", secret(reveal, "key", bdk)).add("BDK KCV", tdesKCV(bdk))
		if ik, err = dukpt.TDESInitialKey(bdk, ksnBytes); err != nil {
			return nil, err
		}
	} else if len(ik) != 16 {
		return nil, fmt.Errorf("-ik: %d bytes, want 16", len(ik))
	}
	o = o.add("initial key", secret(reveal, "key", ik)).add("initial key KCV", tdesKCV(ik))
	if ksn.Counter() == 0 {
		return o, nil
	}
	tk, err := dukpt.TDESTransactionKey(ik, ksnBytes)
	if err != nil {
		return nil, err
	}
	o = o.add("transaction key", secret(reveal, "key", tk)).add("transaction key KCV", tdesKCV(tk))
	list := []obj{}
	for _, u := range tdesUsages {
		wk, err := dukpt.TDESWorkingKey(ik, ksnBytes, u)
		if err != nil {
			return nil, err
		}
		list = append(list, obj{{"usage", u.String()}, {"key", secret(reveal, "key", wk)}, {"KCV", tdesKCV(wk)}})
	}
	return o.add("working keys", list), nil
}

func deriveAES(reveal bool, bdk, ik, ksnBytes []byte, typeName string) (obj, error) {
	ksn, err := dukpt.ParseAESKSN(ksnBytes)
	if err != nil {
		return nil, err
	}
	o := obj{{"variant", "AES DUKPT (ANSI X9.24-3-2017)"}, {"KSN", ksn.String()}, {"counter", int(ksn.Counter())}}
	if bdk != nil {
		kcv, err := kcvOf("aes", bdk)
		if err != nil {
			return nil, fmt.Errorf("-bdk: %v", err)
		}
		o = o.add("BDK", secret(reveal, "key", bdk)).add("BDK KCV", kcv)
		if ik, err = dukpt.AESInitialKey(bdk, ksnBytes); err != nil {
			return nil, err
		}
	}
	ikKCV, err := kcvOf("aes", ik)
	if err != nil {
		return nil, fmt.Errorf("-ik: %v", err)
	}
	o = o.add("initial key", secret(reveal, "key", ik)).add("initial key KCV", ikKCV)
	if ksn.Counter() == 0 {
		return o, nil
	}
	kt := map[int]dukpt.KeyType{16: dukpt.AES128, 24: dukpt.AES192, 32: dukpt.AES256}[len(ik)]
	if typeName != "" {
		t, ok := keyTypes[strings.ToLower(typeName)]
		if !ok {
			return nil, usageError(fmt.Sprintf("-type %q: want aes128, aes192, aes256, tdes2, tdes3, hmac128, hmac192 or hmac256", typeName))
		}
		kt = t
	}
	tk, err := dukpt.AESTransactionKey(ik, ksnBytes)
	if err != nil {
		return nil, err
	}
	tkKCV, _ := kcvOf("aes", tk)
	o = o.add("derivation key", secret(reveal, "key", tk)).add("derivation key KCV", tkKCV).add("working key type", kt.String())
	list := []obj{}
	for _, u := range aesUsages {
		wk, err := dukpt.AESWorkingKey(ik, ksnBytes, u, kt)
		if err != nil {
			return nil, err
		}
		list = append(list, obj{{"usage", u.String()}, {"key", secret(reveal, "key", wk)}, {"KCV", keyTypeKCV(kt, wk)}})
	}
	return o.add("working keys", list), nil
}

var dukptKSNCmd = &command{
	group: "dukpt", name: "ksn",
	args:    "[-json] [KSN]",
	summary: "DUKPT key serial number: counter, validity, next KSN",
	doc: `
Explains a DUKPT key serial number: a 10-byte TDES KSN (ANSI X9.24-1:2009:
59-bit initial key serial number and 21-bit counter) or a 12-byte AES KSN
(ANSI X9.24-3-2017: 4-byte BDK ID, 4-byte derivation ID and 32-bit counter).
It shows the counter, whether a device may use it (at most 10 one-bits for
TDES, 16 for AES; not zero), and the next KSN a device uses.`,
	example: []string{"dukpt", "ksn", "FFFF9876543210EFFC00"},
	source:  "ANSI X9.24-1:2009 A.4.3, the rollover sequence, see dukpt/testdata/README.md",
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		return func(e *env) (any, error) {
			b, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			validity := func(err error) string {
				if err != nil {
					return "no: " + err.Error()
				}
				return "yes"
			}
			switch len(b) {
			case 10:
				k, err := dukpt.ParseKSN(b)
				if err != nil {
					return nil, err
				}
				o := obj{{"variant", "TDES DUKPT (ANSI X9.24-1:2009)"}, {"KSN", k.String()},
					{"initial KSN", k.Initial().String()},
					{"counter", fmt.Sprintf("%d (%06X, %d one-bits)", k.Counter(), k.Counter(), bits.OnesCount32(k.Counter()))},
					{"valid for a device", validity(k.Valid())}}
				if next, err := k.Next(); err != nil {
					o = o.add("next KSN", "none: "+err.Error())
				} else {
					o = o.add("next KSN", next.String())
				}
				return o, nil
			case 12:
				k, err := dukpt.ParseAESKSN(b)
				if err != nil {
					return nil, err
				}
				id := k.InitialKeyID()
				o := obj{{"variant", "AES DUKPT (ANSI X9.24-3-2017)"}, {"KSN", k.String()},
					{"BDK ID", upperHex(id[:4])}, {"derivation ID", upperHex(id[4:])},
					{"counter", fmt.Sprintf("%d (%08X, %d one-bits)", k.Counter(), k.Counter(), bits.OnesCount32(k.Counter()))},
					{"valid for a device", validity(k.Valid())}}
				if next, err := k.Next(); err != nil {
					o = o.add("next KSN", "none: "+err.Error())
				} else {
					o = o.add("next KSN", next.String())
				}
				return o, nil
			}
			return nil, fmt.Errorf("KSN: %d bytes, want 10 (TDES DUKPT) or 12 (AES DUKPT)", len(b))
		}
	},
}
