package cardsim

import (
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
)

// toARQC runs a transaction up to the first GENERATE AC (ARQC) and
// returns the issuer's script builder for it.
func toARQC(t *testing.T, p Preset) (*term, *issuer.Script) {
	t.Helper()
	prof := presetProfile(t, p, SDA)
	a := &prof.Applications[0]
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.start(a.AID)
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestARQC, cdol1)))
	s, err := issuer.NewScript(p.CVN, issuer.ScriptKeys{SMI: TestIMKSMI, SMC: TestIMKSMC, AC: TestIMK}, a.PAN, a.PSN, g.atc, g.ac)
	if err != nil {
		t.Fatal(err)
	}
	return x, s
}

func (x *term) script(b []byte, err error) emv.StatusWord {
	x.t.Helper()
	if err != nil {
		x.t.Fatal(err)
	}
	r, err := x.card.Transmit(b)
	if err != nil {
		x.t.Fatal(err)
	}
	resp, _ := emv.ParseResponse(r)
	return resp.SW
}

func TestScriptBlockUnblock(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			x, s := toARQC(t, p)
			if sw := x.script(s.ApplicationBlock()); !sw.OK() {
				t.Fatalf("APPLICATION BLOCK: %v", sw)
			}
			if !x.card.State().ApplicationBlocked {
				t.Fatal("application not blocked")
			}
			if sw := x.script(s.ApplicationUnblock()); !sw.OK() {
				t.Fatalf("APPLICATION UNBLOCK (second command, ARQC+1 where the version counts): %v", sw)
			}
			if sw := x.script(s.ApplicationBlock()); !sw.OK() {
				t.Fatalf("APPLICATION BLOCK again: %v", sw)
			}
			// The second GENERATE AC declines; the next SELECT says 6283.
			cdol2, _ := emv.AppendDOLData(nil, x.data[0x8D], x.value)
			g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestTC, cdol2)))
			if g.cid.Type() != emv.AAC {
				t.Errorf("second GENERATE AC of a blocked application: %v, want AAC", g.cid)
			}
			if r := x.ex(emv.Select(x.card.apps[0].def.AID, false)); r.SW != emv.SWFileDeactivated {
				t.Errorf("SELECT after APPLICATION BLOCK: %v, want 6283", r.SW)
			}
			if st := x.card.State(); st.ScriptCommands != 0 {
				t.Errorf("script count %d after SELECT, want 0", st.ScriptCommands)
			}
		})
	}
}

func TestScriptBadMAC(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			x, s := toARQC(t, p)
			cmd, err := s.ApplicationBlock()
			if err != nil {
				t.Fatal(err)
			}
			cmd[len(cmd)-1] ^= 1
			if sw := x.script(cmd, nil); sw != swSMDataIncorrect {
				t.Fatalf("APPLICATION BLOCK with a wrong MAC: %v, want 6988", sw)
			}
			st := x.card.State()
			if st.ApplicationBlocked || !st.ScriptFailed {
				t.Errorf("after a wrong MAC: blocked %v, script failed %v", st.ApplicationBlocked, st.ScriptFailed)
			}
			cdol2, _ := emv.AppendDOLData(nil, x.data[0x8D], x.value)
			g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestAAC, cdol2)))
			failed := g.iad[6]&0x08 != 0
			if p.CVN >= issuer.MastercardCVN16 {
				failed = g.iad[6]&0x01 != 0
			}
			if !failed {
				t.Errorf("IAD %X: script failure not in the CVR", g.iad)
			}
		})
	}
}

func TestScriptPIN(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			x, s := toARQC(t, p)
			for range 3 {
				x.ex(emv.Verify(emv.PlaintextPIN, pinBlock(t, "0000")))
			}
			if x.card.State().PINTriesLeft != 0 {
				t.Fatal("PIN not blocked")
			}
			if sw := x.script(s.PINUnblock()); !sw.OK() {
				t.Fatalf("PIN UNBLOCK: %v", sw)
			}
			if n := x.card.State().PINTriesLeft; n != 3 {
				t.Fatalf("%d tries after PIN UNBLOCK, want 3", n)
			}
			if sw := x.script(s.PINChange("4321", "")); !sw.OK() {
				t.Fatalf("PIN CHANGE: %v", sw)
			}
			if r := x.ex(emv.Verify(emv.PlaintextPIN, pinBlock(t, "4321"))); !r.SW.OK() {
				t.Fatalf("VERIFY with the new PIN: %v", r.SW)
			}
			if p.CVN.ARPCMethod() == 2 || p.CVN == issuer.VisaCVN10 {
				if sw := x.script(s.PINChange("5678", "4321")); !sw.OK() {
					t.Fatalf("PIN CHANGE with the current PIN: %v", sw)
				}
				if r := x.ex(emv.Verify(emv.PlaintextPIN, pinBlock(t, "5678"))); !r.SW.OK() {
					t.Fatalf("VERIFY with the PIN changed again: %v", r.SW)
				}
			}
		})
	}
}

func TestScriptPutDataAndCardBlock(t *testing.T) {
	x, s := toARQC(t, Presets()[2])
	if sw := x.script(s.Command(0x04, 0xDA, 0x9F, 0x14, []byte{9}, false)); !sw.OK() {
		t.Fatalf("PUT DATA 9F14: %v", sw)
	}
	if r := x.must(emv.GetData(0x9F14)); r[3] != 9 {
		t.Errorf("GET DATA 9F14 after PUT DATA: %X", r)
	}
	if sw := x.script(s.Command(0x04, 0xDA, 0x5F, 0x20, []byte{9}, false)); sw != emv.SWReferencedDataNotFound {
		t.Errorf("PUT DATA of 5F20: %v, want 6A88", sw)
	}
	if sw := x.script(s.CardBlock()); !sw.OK() {
		t.Fatalf("CARD BLOCK: %v", sw)
	}
	if r := x.ex(emv.Select(PSEName, false)); r.SW != emv.SWFunctionNotSupported {
		t.Errorf("SELECT after CARD BLOCK: %v, want 6A81", r.SW)
	}
}

func TestScriptWithoutCryptogram(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	x := newTerm(t, newCard(t, prof, Config{}), false)
	x.start(prof.Applications[0].AID)
	if sw := x.script(append(unhex("841E000008"), make([]byte, 8)...), nil); sw != swSecurityStatus {
		t.Errorf("script command before GENERATE AC: %v, want 6982", sw)
	}
}
