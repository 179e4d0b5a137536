package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// A bitField is one of the EMV bit fields the emv package names.
type bitField struct {
	names []string // names on the command line, the tag first
	title string
	tag   tlv.Tag
	size  int
	str   func([]byte) string // the emv package's String of a value of size bytes
}

var bitFields = []bitField{
	{[]string{"95", "tvr"}, "Terminal Verification Results", 0x95, 5, func(b []byte) string { return emv.TVR(b).String() }},
	{[]string{"9b", "tsi"}, "Transaction Status Information", 0x9B, 2, func(b []byte) string { return emv.TSI(b).String() }},
	{[]string{"82", "aip"}, "Application Interchange Profile", 0x82, 2, func(b []byte) string { return emv.AIP(b).String() }},
	{[]string{"9f07", "auc"}, "Application Usage Control", 0x9F07, 2, func(b []byte) string { return emv.AUC(b).String() }},
	{[]string{"9f33", "capabilities", "termcap"}, "Terminal Capabilities", 0x9F33, 3, func(b []byte) string { return emv.TerminalCapabilities(b).String() }},
}

// bitName returns the emv package's name of bit i (0 is byte 1 b8) of f,
// by asking it to describe a value with only that bit set.
func bitName(f bitField, i int) string {
	v := make([]byte, f.size)
	v[i/8] = 0x80 >> (i % 8)
	_, name, _ := strings.Cut(f.str(v), ": ")
	if name == "RFU bit set" {
		return "RFU"
	}
	return name
}

// setBits returns the names of the bits set in v.
func setBits(f bitField, v []byte) []string {
	names := []string{}
	for i := range f.size * 8 {
		if v[i/8]&(0x80>>(i%8)) != 0 {
			names = append(names, bitName(f, i))
		}
	}
	return names
}

// annotate returns the lines that decode the value v of tag t, or nil for
// a tag that is not decoded. aid selects the issuer application data
// format.
func annotate(t tlv.Tag, v []byte, aid []byte) []string {
	for _, f := range bitFields {
		if f.tag != t {
			continue
		}
		if len(v) != f.size {
			return []string{fmt.Sprintf("not decoded: %d bytes, want %d", len(v), f.size)}
		}
		names := setBits(f, v)
		if len(names) == 0 {
			return []string{"no bit set"}
		}
		return names
	}
	switch t {
	case 0x9F27:
		if len(v) != 1 {
			return []string{fmt.Sprintf("not decoded: %d bytes, want 1", len(v))}
		}
		return []string{emv.CID(v[0]).String()}
	case 0x9F34:
		if len(v) != 3 {
			return []string{fmt.Sprintf("not decoded: %d bytes, want 3", len(v))}
		}
		return []string{emv.CVMResults(v).String()}
	case 0x8E:
		l, err := emv.ParseCVMList(v)
		if err != nil {
			return []string{"not decoded: " + err.Error()}
		}
		out := []string{fmt.Sprintf("amount X %d, amount Y %d", l.X, l.Y)}
		for i, r := range l.Rules {
			out = append(out, fmt.Sprintf("rule %d: %s", i+1, describeRule(r)))
		}
		return out
	case 0x94:
		entries, err := emv.ParseAFL(v)
		if err != nil {
			return []string{"not decoded: " + err.Error()}
		}
		var out []string
		for _, a := range entries {
			out = append(out, fmt.Sprintf("SFI %d, records %d to %d, %d for offline data authentication", a.SFI, a.First, a.Last, a.ODA))
		}
		return out
	case 0x9F10:
		if aid == nil {
			return []string{"format not decoded: no AID (4F, 84 or 9F06) in the input to choose the scheme; try posflow emv decode iad -aid"}
		}
		iad, err := issuer.ParseIAD(aid, v)
		if err != nil {
			return []string{"not decoded: " + err.Error()}
		}
		return describeIAD(iad)
	}
	return nil
}

func describeIAD(iad issuer.IssuerApplicationData) []string {
	out := []string{
		fmt.Sprintf("cryptogram version %s (%02X)", iad.CVN, iad.CVN.Code()),
		fmt.Sprintf("derivation key index %02X", iad.DKI),
		"card verification results " + upperHex(iad.CVR),
	}
	if iad.Counters != nil {
		out = append(out, "counters "+upperHex(iad.Counters))
	}
	return out
}

// conditions names the CVM condition codes of EMV 4.4 Book 3 Annex C3;
// emv.CVMCondition has no String method.
var conditions = map[emv.CVMCondition]string{
	emv.CondAlways:               "always",
	emv.CondUnattendedCash:       "if unattended cash",
	emv.CondNotCashNorCashback:   "if not unattended cash, not manual cash and not purchase with cashback",
	emv.CondTerminalSupportsCVM:  "if terminal supports the CVM",
	emv.CondManualCash:           "if manual cash",
	emv.CondPurchaseWithCashback: "if purchase with cashback",
	emv.CondAppCurrencyUnderX:    "if transaction is in the application currency and under X",
	emv.CondAppCurrencyOverX:     "if transaction is in the application currency and over X",
	emv.CondAppCurrencyUnderY:    "if transaction is in the application currency and under Y",
	emv.CondAppCurrencyOverY:     "if transaction is in the application currency and over Y",
}

func describeRule(r emv.CVRule) string {
	cond, ok := conditions[r.Condition]
	if !ok {
		cond = fmt.Sprintf("condition %02X (RFU or proprietary)", byte(r.Condition))
	}
	s := r.Code.String() + ", " + cond
	if r.ApplySucceeding {
		s += "; if unsuccessful, apply the next rule"
	} else {
		s += "; if unsuccessful, fail cardholder verification"
	}
	return s
}

var emvDecodeCmd = &command{
	group: "emv", name: "decode",
	args:    "[-aid AID] [-json] OBJECT HEX",
	summary: "decode one EMV object (TVR, TSI, AIP, AUC, CID, CVM list, ...) bit by bit",
	doc: `
Decodes one EMV data object bit by bit. OBJECT is its name or tag:

  tvr (95), tsi (9B), aip (82), auc (9F07), capabilities (9F33)
  cid (9F27), cvm (8E, CVM list), cvmresults (9F34), afl (94)
  iad (9F10, issuer application data; needs -aid for the scheme)

The bit fields list every bit, set or not, as "byte.bit value meaning".`,
	example: []string{"emv", "decode", "tvr", "0000008000"},
	source:  "the TVR of field 55 of a Visa purchase, Chuckks/Iso8583Lib IsoFileTest.kt, see tlv/testdata/README.md",
	setup: func(fs *flag.FlagSet) func(*env) (any, error) {
		aidFlag := fs.String("aid", "", "application identifier (4F) whose scheme gives the format of iad, e.g. A0000000031010")
		return func(e *env) (any, error) {
			if len(e.args) == 0 {
				return nil, usageError("OBJECT is required")
			}
			name := strings.ToLower(e.args[0])
			e.args = e.args[1:]
			v, err := e.operandHex()
			if err != nil {
				return nil, err
			}
			for _, f := range bitFields {
				for _, n := range f.names {
					if n == name {
						return decodeBitField(f, v)
					}
				}
			}
			o := obj{}
			switch name {
			case "cid", "9f27":
				if len(v) != 1 {
					return nil, fmt.Errorf("CID: %d bytes, want 1", len(v))
				}
				c := emv.CID(v[0])
				o = o.add("object", "9F27 Cryptogram Information Data").add("value", upperHex(v)).
					add("meaning", c.String()).add("cryptogram type", (c.Type()).String()).
					add("advice required", c.AdviceRequired()).add("reason code", c.Reason())
			case "cvmresults", "9f34":
				if len(v) != 3 {
					return nil, fmt.Errorf("CVM results: %d bytes, want 3", len(v))
				}
				r := emv.CVMResults(v)
				o = o.add("object", "9F34 CVM Results").add("value", upperHex(v)).add("meaning", r.String()).
					add("method", r.Code().String())
			case "cvm", "cvmlist", "8e":
				l, err := emv.ParseCVMList(v)
				if err != nil {
					return nil, err
				}
				rules := []string{}
				for i, r := range l.Rules {
					rules = append(rules, fmt.Sprintf("%d. %02X%02X %s", i+1, v[8+2*i], v[9+2*i], describeRule(r)))
				}
				o = o.add("object", "8E Cardholder Verification Method (CVM) List").add("value", upperHex(v)).
					add("amount X", int(l.X)).add("amount Y", int(l.Y)).add("rules", rules)
			case "afl", "94":
				entries, err := emv.ParseAFL(v)
				if err != nil {
					return nil, err
				}
				list := []obj{}
				for _, a := range entries {
					list = append(list, obj{{"SFI", int(a.SFI)}, {"first record", int(a.First)}, {"last record", int(a.Last)}, {"records for ODA", int(a.ODA)}})
				}
				o = o.add("object", "94 Application File Locator (AFL)").add("value", upperHex(v)).add("entries", list)
			case "iad", "9f10":
				aid, err := hexFlag("aid", *aidFlag, true)
				if err != nil {
					return nil, err
				}
				iad, err := issuer.ParseIAD(aid, v)
				if err != nil {
					return nil, err
				}
				o = o.add("object", "9F10 Issuer Application Data").add("value", upperHex(v)).
					add("cryptogram version", iad.CVN.String()).add("CVN byte", fmt.Sprintf("%02X", iad.CVN.Code())).
					add("derivation key index", fmt.Sprintf("%02X", iad.DKI)).add("card verification results", upperHex(iad.CVR))
				if iad.Counters != nil {
					o = o.add("counters", upperHex(iad.Counters))
				}
			default:
				return nil, usageError(fmt.Sprintf("unknown object %q", name))
			}
			return o, nil
		}
	},
}

// decodeBitField lists every bit of v.
func decodeBitField(f bitField, v []byte) (obj, error) {
	if len(v) != f.size {
		return nil, fmt.Errorf("%s: %d bytes, want %d", strings.ToUpper(f.names[1]), len(v), f.size)
	}
	bits := []string{}
	for i := range f.size * 8 {
		set := 0
		if v[i/8]&(0x80>>(i%8)) != 0 {
			set = 1
		}
		bits = append(bits, fmt.Sprintf("%d.b%d %d %s", i/8+1, 8-i%8, set, bitName(f, i)))
	}
	return obj{
		{"object", fmt.Sprintf("%s %s", f.tag, f.title)},
		{"value", upperHex(v)},
		{"set", setBits(f, v)},
		{"bits", bits},
	}, nil
}
