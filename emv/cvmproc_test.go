package emv

import (
	"slices"
	"testing"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/pinblock"
)

// cvmCase runs cardholder verification alone against the fake card with
// the CVM list X = 10.00, Y = 100.00 and the given rules.
type cvmCase struct {
	name   string
	rules  string
	amount uint64
	edit   func(k *kernel, fc *fakeCard, cfg *Config)
	want   string // 9F34
	tvr    []Bit
}

func runCVM(t *testing.T, tt cvmCase) (*kernel, *fakeCard) {
	t.Helper()
	fc := newFakeCard(t)
	cfg := testConfig(t)
	k := newKernel(t, fc, cfg)
	k.app = &cfg.Applications[0]
	k.aip = AIP{0x7C, 0x00}
	k.icc[0x8E] = mustHexT("000003E8 00002710" + tt.rules)
	k.icc[0x9F42] = []byte{0x09, 0x78}
	k.icc[0x5A] = testPAN
	if tt.amount != 0 {
		k.txn.Amount = tt.amount
	}
	if tt.edit != nil {
		tt.edit(k, fc, cfg)
	}
	if err := k.cardholderVerification(); err != nil {
		t.Fatal(err)
	}
	if got := hexUpper(k.cvm[:]); got != tt.want {
		t.Errorf("CVM results %s, want %s", got, tt.want)
	}
	var want TVR
	for _, b := range tt.tvr {
		want.Set(b)
	}
	if k.tvr != want {
		t.Errorf("TVR %v, want %v", k.tvr, want)
	}
	return k, fc
}

func cash(k *kernel, _ *fakeCard, _ *Config) { k.txn.Type = Cash }

func unattendedCash(k *kernel, _ *fakeCard, cfg *Config) {
	k.txn.Type = Cash
	cfg.Terminal.Type = 0x25
}

func cashback(k *kernel, _ *fakeCard, _ *Config) {
	k.txn.Type = PurchaseWithCashback
	k.txn.Cashback = 50
}

// Each condition of Book 3 Annex C3, satisfied (the PIN rule applies) and
// not satisfied (the next rule, no CVM required, applies).
func TestCVMConditions(t *testing.T) {
	tests := []cvmCase{
		{"00 always", "0100", 0, nil, "010002", nil},
		{"01 unattended cash: satisfied", "0101 1F00", 0, unattendedCash, "010102", nil},
		{"01 unattended cash: attended", "0101 1F00", 0, cash, "1F0002", nil},
		{"02 not cash or cashback: purchase", "0102 1F00", 0, nil, "010202", nil},
		{"02 not cash or cashback: cash", "0102 1F00", 0, cash, "1F0002", nil},
		{"02 not cash or cashback: cashback", "0102 1F00", 0, cashback, "1F0002", nil},
		{"03 terminal supports: signature", "1E03 1F00", 0, nil, "1E0300", nil},
		{"03 terminal supports: no signature capability", "1E03 1F00", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.Terminal.Capabilities[1] &^= 0x20
		}, "1F0002", nil},
		{"04 manual cash: attended cash", "0104 1F00", 0, cash, "010402", nil},
		{"04 manual cash: purchase", "0104 1F00", 0, nil, "1F0002", nil},
		{"04 manual cash: unattended cash", "0104 1F00", 0, unattendedCash, "1F0002", nil},
		{"05 cashback: satisfied", "0105 1F00", 0, cashback, "010502", nil},
		{"05 cashback: purchase", "0105 1F00", 0, nil, "1F0002", nil},
		{"06 under X: 5.00", "0106 1F00", 500, nil, "010602", nil},
		{"06 under X: 20.00", "0106 1F00", 2000, nil, "1F0002", nil},
		{"06 under X: other currency", "0106 1F00", 500, func(k *kernel, _ *fakeCard, _ *Config) {
			k.icc[0x9F42] = []byte{0x08, 0x40}
		}, "1F0002", nil},
		{"07 over X: 20.00", "0107 1F00", 2000, nil, "010702", nil},
		{"07 over X: 5.00", "0107 1F00", 500, nil, "1F0002", nil},
		{"07 over X: no application currency", "0107 1F00", 2000, func(k *kernel, _ *fakeCard, _ *Config) {
			delete(k.icc, 0x9F42)
		}, "1F0002", nil},
		{"08 under Y: 50.00", "0108 1F00", 5000, nil, "010802", nil},
		{"08 under Y: 200.00", "0108 1F00", 20000, nil, "1F0002", nil},
		{"09 over Y: 200.00", "0109 1F00", 20000, nil, "010902", nil},
		{"09 over Y: 50.00", "0109 1F00", 5000, nil, "1F0002", nil},
		{"unknown condition 0A skipped", "010A 1F00", 0, nil, "1F0002", nil},
		{"no condition satisfied", "0104 0105", 0, nil, "3F0001", []Bit{TVRCardholderVerificationFailed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runCVM(t, tt) })
	}
}

func TestCVMMethods(t *testing.T) {
	tests := []cvmCase{
		{"no CVM required", "1F00", 0, nil, "1F0002", nil},
		{"fail CVM", "0000", 0, nil, "000001", []Bit{TVRCardholderVerificationFailed}},
		{"signature", "1E00", 0, nil, "1E0000", nil},
		{"plaintext PIN and signature", "0300", 0, nil, "030000", nil},
		{"plaintext PIN, wrong then right", "0100", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad.(*testPINPad).pins = []string{"9999"}
		}, "010002", nil},
		{"plaintext PIN blocked after three wrong", "0100 1E00", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad.(*testPINPad).pin = "9999"
		}, "010001", []Bit{TVRPINTryLimitExceeded, TVRCardholderVerificationFailed}},
		{"plaintext PIN blocked, apply succeeding", "4100 1E00", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad.(*testPINPad).pin = "9999"
		}, "1E0000", []Bit{TVRPINTryLimitExceeded}},
		{"PIN try limit already exceeded", "4100 1F00", 0, func(_ *kernel, fc *fakeCard, _ *Config) {
			fc.pinTries = 0
		}, "1F0002", []Bit{TVRPINTryLimitExceeded}},
		{"PIN bypassed, apply succeeding", "4103 1E03", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad.(*testPINPad).err = ErrPINBypass
		}, "1E0300", []Bit{TVRPINNotEntered}},
		{"PIN bypassed, fail", "0103 1E03", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad.(*testPINPad).err = ErrPINBypass
		}, "010301", []Bit{TVRPINNotEntered, TVRCardholderVerificationFailed}},
		{"PIN pad not working", "4100 1E00", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad.(*testPINPad).err = ErrPINPadUnavailable
		}, "1E0000", []Bit{TVRPINPadNotPresent}},
		{"no PIN pad", "4100 1E00", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad = nil
		}, "1E0000", []Bit{TVRPINPadNotPresent}},
		{"plaintext PIN not supported by the terminal", "0100 1F00", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.Terminal.Capabilities[1] &^= 0x80
		}, "010001", []Bit{TVRCardholderVerificationFailed}},
		{"unrecognised CVM, apply succeeding", "4800 1F00", 0, nil, "1F0002", []Bit{TVRUnrecognisedCVM}},
		{"unrecognised CVM", "0800 1F00", 0, nil, "080001", []Bit{TVRUnrecognisedCVM, TVRCardholderVerificationFailed}},
		{"online PIN bypassed, apply succeeding", "4203 1E03", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
			cfg.PINPad.(*testPINPad).err = ErrPINBypass
		}, "1E0300", []Bit{TVRPINNotEntered}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runCVM(t, tt) })
	}
}

func TestCVMWrongPINPrompts(t *testing.T) {
	k, _ := runCVM(t, cvmCase{"", "0100", 0, func(_ *kernel, _ *fakeCard, cfg *Config) {
		cfg.PINPad.(*testPINPad).pins = []string{"9999", "8888"}
	}, "010002", nil})
	var tries []int
	for _, p := range k.cfg.PINPad.(*testPINPad).prompts {
		tries = append(tries, p.TriesLeft)
	}
	if !slices.Equal(tries, []int{3, 2, 1}) {
		t.Errorf("tries shown %v, want [3 2 1]", tries)
	}
}

// The online PIN block comes back enciphered under the PIN pad's DUKPT
// key, and the host can decipher it.
func TestCVMOnlinePIN(t *testing.T) {
	k, _ := runCVM(t, cvmCase{"", "0200", 0, nil, "020000", []Bit{TVROnlinePINEntered}})
	p := k.res.OnlinePIN
	if p == nil {
		t.Fatal("no online PIN")
	}
	ksn, err := dukpt.ParseKSN(p.KSN)
	if err != nil {
		t.Fatal(err)
	}
	ik, err := dukpt.TDESInitialKey(testBDK, p.KSN)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := dukpt.TDESTransactionKey(ik, p.KSN)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := dukpt.NewTDESTransaction(ksn, tk)
	if err != nil {
		t.Fatal(err)
	}
	pin, err := tx.DecryptPIN(pinblock.ISO0, p.Block, panDigits(testPAN))
	if err != nil || pin != testPIN {
		t.Errorf("host deciphers %q, %v", pin, err)
	}
	if s := p.String(); s != "online PIN block (8 bytes)" {
		t.Errorf("String() = %q", s)
	}
}

// Enciphered offline PIN under the ICC PIN encipherment key (9F2D) and
// under the ICC key (Book 2 7).
func TestCVMEncipheredPIN(t *testing.T) {
	t.Run("PIN encipherment key", func(t *testing.T) {
		runCVM(t, cvmCase{"", "0400", 0, func(k *kernel, fc *fakeCard, _ *Config) {
			raw, priv := rawKey(t)
			fc.pinKey = raw
			cert, rem, err := oda.SignICCPINCertificate(pki(t).issuer, priv.Public(), oda.ICCCertTemplate{PAN: testPAN, Expiry: [2]byte{0x12, 0x30}})
			if err != nil {
				t.Fatal(err)
			}
			k.icc[0x9F2D], k.icc[0x9F2E], k.icc[0x9F2F] = cert, priv.Exponent, rem
			k.icc[0x5A] = fc.pan
			for _, tag := range []uint32{0x8F, 0x90, 0x92, 0x9F32} {
				k.icc[tlvTag(tag)] = recordValue(t, fc, tag)
			}
			k.icc[0x4F] = testAID
		}, "040002", nil})
	})
	t.Run("ICC key, wrong PIN then right", func(t *testing.T) {
		raw, priv := rawKey(t)
		fc := newFakeCard(t)
		fc.iccPriv, fc.pinKey = priv, raw
		fc.personalise()
		cfg := testConfig(t)
		cfg.PINPad.(*testPINPad).pins = []string{"0000"}
		fc.p.cvmList = mustHexT("00000000000000000400")
		fc.personalise()
		res := run(t, fc, cfg, testTxn(10000))
		if res.CVMResults != (CVMResults{0x04, 0x00, 0x02}) || res.Outcome != ApprovedOnline {
			dumpTrace(t, res)
			t.Errorf("CVM results %v, outcome %v", res.CVMResults, res.Outcome)
		}
	})
	t.Run("no key to encipher with", func(t *testing.T) {
		runCVM(t, cvmCase{"", "4400 1F00", 0, func(k *kernel, _ *fakeCard, cfg *Config) {
			cfg.CAPKs = nil
		}, "1F0002", nil})
	})
}

func recordValue(t *testing.T, fc *fakeCard, tag uint32) []byte {
	for _, r := range fc.records {
		c := tlvCursor(r)
		if !c.Next() {
			continue
		}
		in := c.Children()
		for in.Next() {
			if uint32(in.Tag()) == tag {
				return in.Value()
			}
		}
	}
	t.Fatalf("no tag %X in the records", tag)
	return nil
}

func TestCVMNotPerformed(t *testing.T) {
	t.Run("card without CVM", func(t *testing.T) {
		k, _ := runCVM(t, cvmCase{"", "0100", 0, func(k *kernel, _ *fakeCard, _ *Config) { k.aip = AIP{0x5C &^ 0x10} }, "3F0000", nil})
		if k.tsi.Has(TSICardholderVerification) {
			t.Error("TSI says cardholder verification was performed")
		}
	})
	t.Run("CVM list missing", func(t *testing.T) {
		k, _ := runCVM(t, cvmCase{"", "", 0, func(k *kernel, _ *fakeCard, _ *Config) { delete(k.icc, 0x8E) }, "3F0000", []Bit{TVRICCDataMissing}})
		if k.tsi.Has(TSICardholderVerification) {
			t.Error("TSI says cardholder verification was performed")
		}
	})
	t.Run("CVM list without rules", func(t *testing.T) {
		runCVM(t, cvmCase{"", "", 0, nil, "3F0000", []Bit{TVRICCDataMissing}})
	})
}
