package issuer_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/tlv"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func load(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// kcvPrefix reports whether the key check value of key starts with want.
func kcvPrefix(t testing.TB, key []byte, want string) bool {
	t.Helper()
	c, err := keys.NewTDES(key)
	if err != nil {
		t.Fatal(err)
	}
	return strings.HasPrefix(strings.ToUpper(hex.EncodeToString(keys.KCV(c))), want)
}

func kcvOf(t testing.TB, key []byte) string {
	t.Helper()
	c, err := keys.NewTDES(key)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ToUpper(hex.EncodeToString(keys.KCV(c)))
}

func dataMap(t testing.TB, m map[string]string) map[tlv.Tag][]byte {
	t.Helper()
	out := make(map[tlv.Tag][]byte, len(m))
	for k, v := range m {
		tag, err := tlv.ParseTag(k)
		if err != nil {
			t.Fatalf("tag %q: %v", k, err)
		}
		out[tag] = unhex(t, v)
	}
	return out
}

var cvnByName = map[string]issuer.CVN{
	"VisaCVN10":       issuer.VisaCVN10,
	"VisaCVN18":       issuer.VisaCVN18,
	"VisaCVN22":       issuer.VisaCVN22,
	"MastercardCVN16": issuer.MastercardCVN16,
	"MastercardCVN17": issuer.MastercardCVN17,
	"MastercardCVN20": issuer.MastercardCVN20,
	"MastercardCVN21": issuer.MastercardCVN21,
	"InteracCVN133":   issuer.InteracCVN133,
}

type cvnFile struct {
	Keys struct {
		IMKAC    string `json:"imk_ac"`
		IMKSMI   string `json:"imk_smi"`
		IMKSMC   string `json:"imk_smc"`
		PAN      string `json:"pan"`
		PSN      string `json:"psn"`
		MKKCVAC  string `json:"mk_kcv_ac"`
		MKKCVSMI string `json:"mk_kcv_smi"`
		MKKCVSMC string `json:"mk_kcv_smc"`
	} `json:"keys"`
	VisaData       map[string]string `json:"visa_data"`
	MastercardData map[string]string `json:"mastercard_data"`
	Versions       []struct {
		CVN          string `json:"cvn"`
		Data         string `json:"data"`
		IAD          string `json:"iad"`
		SKKCV        string `json:"sk_kcv"`
		ARQC         string `json:"arqc"`
		ARPCCode     string `json:"arpc_code"`
		ARPC         string `json:"arpc"`
		ScriptHeader string `json:"script_header"`
		ScriptMAC    string `json:"script_mac"`
		SMKCVSMI     string `json:"sm_kcv_smi"`
		SMKCVSMC     string `json:"sm_kcv_smc"`
		PINChange    []struct {
			PIN     string `json:"pin"`
			Current string `json:"current"`
			Command string `json:"command"`
		} `json:"pin_change"`
	} `json:"versions"`
}

// transaction returns the data map of a version row of pyemv_cvn.json.
func (f *cvnFile) transaction(t testing.TB, which, iad string) map[tlv.Tag][]byte {
	src := f.VisaData
	if which == "mastercard" {
		src = f.MastercardData
	}
	d := dataMap(t, src)
	d[issuer.TagIssuerAppData] = unhex(t, iad)
	return d
}

func TestCVNVectors(t *testing.T) {
	var f cvnFile
	load(t, "pyemv_cvn.json", &f)
	k := f.Keys
	imkAC, imkSMI, imkSMC := unhex(t, k.IMKAC), unhex(t, k.IMKSMI), unhex(t, k.IMKSMC)
	for _, v := range f.Versions {
		t.Run(v.CVN, func(t *testing.T) {
			cvn, ok := cvnByName[v.CVN]
			if !ok {
				t.Fatalf("unknown CVN %q", v.CVN)
			}
			data := f.transaction(t, v.Data, v.IAD)
			derive := issuer.MasterKeyA
			if cvn.Option() == issuer.OptionB {
				derive = issuer.MasterKeyB
			}
			for _, mk := range []struct{ name, imk, kcv string }{
				{"AC", k.IMKAC, k.MKKCVAC}, {"SMI", k.IMKSMI, k.MKKCVSMI}, {"SMC", k.IMKSMC, k.MKKCVSMC},
			} {
				key, err := derive(unhex(t, mk.imk), k.PAN, k.PSN)
				if err != nil {
					t.Fatal(err)
				}
				if !kcvPrefix(t, key, mk.kcv) {
					t.Errorf("ICC MK %s KCV = %s, want %s", mk.name, kcvOf(t, key), mk.kcv)
				}
			}

			arqc, err := issuer.Cryptogram(cvn, imkAC, k.PAN, k.PSN, data)
			if err != nil {
				t.Fatalf("Cryptogram: %v", err)
			}
			if got := strings.ToUpper(hex.EncodeToString(arqc)); got != v.ARQC {
				t.Errorf("Cryptogram = %s, want %s", got, v.ARQC)
			}
			if err := issuer.VerifyCryptogram(cvn, imkAC, k.PAN, k.PSN, data, unhex(t, v.ARQC)); err != nil {
				t.Errorf("VerifyCryptogram: %v", err)
			}
			_, tr, err := issuer.TraceCryptogram(cvn, imkAC, k.PAN, k.PSN, data)
			if err != nil {
				t.Fatal(err)
			}
			if !kcvPrefix(t, mustMK(t, cvn, imkAC, k.PAN, k.PSN), k.MKKCVAC) || upperHex(tr.MasterKeyKCV[:2]) != k.MKKCVAC {
				t.Errorf("trace master key KCV = %X, want %s", tr.MasterKeyKCV, k.MKKCVAC)
			}
			if got := strings.ToUpper(hex.EncodeToString(tr.SessionKeyKCV[:])); !strings.HasPrefix(got, v.SKKCV) {
				t.Errorf("session key KCV = %s, want %s", got, v.SKKCV)
			}

			arpc, err := issuer.ARPC(cvn, imkAC, k.PAN, k.PSN, data, arqc, unhex(t, v.ARPCCode))
			if err != nil {
				t.Fatalf("ARPC: %v", err)
			}
			if got := strings.ToUpper(hex.EncodeToString(arpc)); got != v.ARPC {
				t.Errorf("ARPC = %s, want %s", got, v.ARPC)
			}
			if err := issuer.VerifyARPC(cvn, imkAC, k.PAN, k.PSN, data, arqc, unhex(t, v.ARPCCode), arpc); err != nil {
				t.Errorf("VerifyARPC: %v", err)
			}
			if _, err := issuer.IssuerAuthenticationData(cvn, arpc, unhex(t, v.ARPCCode), nil); err != nil {
				t.Errorf("IssuerAuthenticationData: %v", err)
			}

			// Secure messaging session keys.
			atc := data[issuer.TagATC]
			for _, sm := range []struct{ name, imk, kcv string }{{"SMI", k.IMKSMI, v.SMKCVSMI}, {"SMC", k.IMKSMC, v.SMKCVSMC}} {
				mk, _ := derive(unhex(t, sm.imk), k.PAN, k.PSN)
				sk, err := issuer.SecureMessagingKey(cvn, mk, atc, arqc)
				if err != nil {
					t.Fatal(err)
				}
				if !kcvPrefix(t, sk, sm.kcv) {
					t.Errorf("SM %s session key KCV = %s, want %s", sm.name, kcvOf(t, sk), sm.kcv)
				}
			}

			// Script MAC of a command without data.
			hdr := unhex(t, v.ScriptHeader)
			s, err := issuer.NewScript(cvn, issuer.ScriptKeys{SMI: imkSMI, SMC: imkSMC, AC: imkAC}, k.PAN, k.PSN, atc, arqc)
			if err != nil {
				t.Fatal(err)
			}
			cmd, err := s.Command(hdr[0], hdr[1], hdr[2], hdr[3], nil, false)
			if err != nil {
				t.Fatal(err)
			}
			if want := append(hdr, unhex(t, v.ScriptMAC)...); !bytes.Equal(cmd, want) {
				t.Errorf("script command = %X, want %X", cmd, want)
			}

			for _, pc := range v.PINChange {
				s, err := issuer.NewScript(cvn, issuer.ScriptKeys{SMI: imkSMI, SMC: imkSMC, AC: imkAC}, k.PAN, k.PSN, atc, arqc)
				if err != nil {
					t.Fatal(err)
				}
				cmd, err := s.PINChange(pc.PIN, pc.Current)
				if err != nil {
					t.Fatalf("PINChange(current %v): %v", pc.Current != "", err)
				}
				if got := strings.ToUpper(hex.EncodeToString(cmd)); got != pc.Command {
					t.Errorf("PINChange(current %v) = %s, want %s", pc.Current != "", got, pc.Command)
				}
			}
		})
	}
}

type keysFile struct {
	Chains []struct {
		Name     string `json:"name"`
		IMK      string `json:"imk"`
		IMKKCV   string `json:"imk_kcv"`
		PAN      string `json:"pan"`
		PSN      string `json:"psn"`
		Option   string `json:"option"`
		MK       string `json:"mk"`
		MKKCV    string `json:"mk_kcv"`
		R        string `json:"r"`
		SKKCV    string `json:"sk_kcv"`
		Data     string `json:"data"`
		Padding  int    `json:"padding"`
		AC       string `json:"ac"`
		ARPC1Key string `json:"arpc1_key"`
		ARC      string `json:"arc"`
		ARPC1    string `json:"arpc1"`
		CSU      string `json:"csu"`
		Prop     string `json:"prop"`
		ARPC2    string `json:"arpc2"`
	} `json:"chains"`
	SessionKeys []struct {
		Name   string `json:"name"`
		MK     string `json:"mk"`
		R      string `json:"r"`
		SK     string `json:"sk"`
		ATC    string `json:"atc"`
		VisaSM string `json:"visa_sm"`
	} `json:"session_keys"`
	Cryptograms []struct {
		Name    string `json:"name"`
		SK      string `json:"sk"`
		Data    string `json:"data"`
		Padding int    `json:"padding"`
		AC      string `json:"ac"`
		ARQC    string `json:"arqc"`
		ARC     string `json:"arc"`
		ARPC1   string `json:"arpc1"`
		CSU     string `json:"csu"`
		ARPC2   string `json:"arpc2"`
	} `json:"cryptograms"`
}

func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

func TestKeyVectors(t *testing.T) {
	var f keysFile
	load(t, "pyemv_keys.json", &f)
	for _, c := range f.Chains {
		t.Run(c.Name, func(t *testing.T) {
			imk := unhex(t, c.IMK)
			if c.IMKKCV != "" && !kcvPrefix(t, imk, c.IMKKCV) {
				t.Errorf("IMK KCV = %s, want %s", kcvOf(t, imk), c.IMKKCV)
			}
			derive := issuer.MasterKeyA
			if c.Option == "B" {
				derive = issuer.MasterKeyB
			}
			mk, err := derive(imk, c.PAN, c.PSN)
			if err != nil {
				t.Fatal(err)
			}
			if c.MK != "" && upperHex(mk) != c.MK {
				t.Errorf("master key = %X, want %s", mk, c.MK)
			}
			if c.MKKCV != "" && !kcvPrefix(t, mk, c.MKKCV) {
				t.Errorf("master key KCV = %s, want %s", kcvOf(t, mk), c.MKKCV)
			}
			if err := keys.CheckParity(mk); err != nil {
				t.Errorf("master key parity: %v", err)
			}
			if c.R == "" {
				return
			}
			sk, err := issuer.SessionKey(mk, unhex(t, c.R))
			if err != nil {
				t.Fatal(err)
			}
			if !kcvPrefix(t, sk, c.SKKCV) {
				t.Errorf("session key KCV = %s, want %s", kcvOf(t, sk), c.SKKCV)
			}
			ac, err := issuer.ApplicationCryptogram(sk, unhex(t, c.Data), mac.Padding(c.Padding))
			if err != nil {
				t.Fatal(err)
			}
			if upperHex(ac) != c.AC {
				t.Errorf("cryptogram = %X, want %s", ac, c.AC)
			}
			if c.ARPC1 != "" {
				key := sk
				if c.ARPC1Key == "mk" {
					key = mk
				}
				arpc, err := issuer.ARPCMethod1(key, ac, unhex(t, c.ARC))
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(arpc) != c.ARPC1 {
					t.Errorf("ARPC method 1 = %X, want %s", arpc, c.ARPC1)
				}
			}
			if c.ARPC2 != "" {
				var prop []byte
				if c.Prop != "" {
					prop = unhex(t, c.Prop)
				}
				arpc, err := issuer.ARPCMethod2(sk, ac, unhex(t, c.CSU), prop)
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(arpc) != c.ARPC2 {
					t.Errorf("ARPC method 2 = %X, want %s", arpc, c.ARPC2)
				}
			}
		})
	}
	for _, s := range f.SessionKeys {
		t.Run(s.Name, func(t *testing.T) {
			mk := unhex(t, s.MK)
			if s.SK != "" {
				sk, err := issuer.SessionKey(mk, unhex(t, s.R))
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(sk) != s.SK {
					t.Errorf("SessionKey = %X, want %s", sk, s.SK)
				}
			}
			if s.VisaSM != "" {
				sk, err := issuer.VisaSessionKey(mk, unhex(t, s.ATC))
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(sk) != s.VisaSM {
					t.Errorf("VisaSessionKey = %X, want %s", sk, s.VisaSM)
				}
			}
		})
	}
	for _, c := range f.Cryptograms {
		t.Run(c.Name, func(t *testing.T) {
			sk := unhex(t, c.SK)
			if c.AC != "" {
				ac, err := issuer.ApplicationCryptogram(sk, unhex(t, c.Data), mac.Padding(c.Padding))
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(ac) != c.AC {
					t.Errorf("ApplicationCryptogram = %X, want %s", ac, c.AC)
				}
			}
			if c.ARPC1 != "" {
				a, err := issuer.ARPCMethod1(sk, unhex(t, c.ARQC), unhex(t, c.ARC))
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(a) != c.ARPC1 {
					t.Errorf("ARPCMethod1 = %X, want %s", a, c.ARPC1)
				}
			}
			if c.ARPC2 != "" {
				a, err := issuer.ARPCMethod2(sk, unhex(t, c.ARQC), unhex(t, c.CSU), nil)
				if err != nil {
					t.Fatal(err)
				}
				if upperHex(a) != c.ARPC2 {
					t.Errorf("ARPCMethod2 = %X, want %s", a, c.ARPC2)
				}
			}
		})
	}
}

func mustMK(t testing.TB, cvn issuer.CVN, imk []byte, pan, psn string) []byte {
	t.Helper()
	mk, err := issuer.AppendMasterKey(nil, imk, pan, psn, cvn.Option())
	if err != nil {
		t.Fatal(err)
	}
	return mk
}
