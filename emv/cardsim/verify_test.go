package cardsim

import (
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/pinblock"
)

func pinBlock(t testing.TB, pin string) []byte {
	t.Helper()
	b, err := pinblock.Encode(pinblock.ISO2, pin, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encipherPIN builds the enciphered PIN data of Book 2 7.2 under key.
func encipherPIN(t testing.TB, key *oda.PublicKey, pin string, challenge []byte) []byte {
	t.Helper()
	x := make([]byte, key.Len())
	x[0] = 0x7F
	copy(x[1:], pinBlock(t, pin))
	copy(x[9:], challenge)
	for i := 17; i < len(x); i++ {
		x[i] = byte(i)
	}
	c, err := key.Recover(x)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func selected(t *testing.T, p *Profile) *term {
	t.Helper()
	x := newTerm(t, newCard(t, p, Config{}), false)
	x.start(p.Applications[0].AID)
	return x
}

func TestVerifyPlaintext(t *testing.T) {
	x := selected(t, presetProfile(t, Presets()[0], SDA))
	steps := []struct {
		pin  string
		want emv.StatusWord
		left int
	}{
		{"1111", 0x63C2, 2},
		{"1234", emv.SWSuccess, 3}, // a right PIN resets the counter
		{"0000", 0x63C2, 2},
		{"0000", 0x63C1, 1},
		{"0000", 0x63C0, 0},
		{"1234", emv.SWAuthMethodBlocked, 0},
	}
	for i, s := range steps {
		r := x.ex(emv.Verify(emv.PlaintextPIN, pinBlock(t, s.pin)))
		if r.SW != s.want {
			t.Fatalf("step %d: VERIFY = %v, want %v", i, r.SW, s.want)
		}
		if got := x.card.State().PINTriesLeft; got != s.left {
			t.Fatalf("step %d: %d tries left, want %d", i, got, s.left)
		}
	}
	if r := x.ex(emv.GetData(0x9F17)); !r.SW.OK() || r.Data[3] != 0 {
		t.Errorf("GET DATA 9F17 after blocking: %X %v", r.Data, r.SW)
	}
}

func TestVerifyMalformed(t *testing.T) {
	x := selected(t, presetProfile(t, Presets()[0], SDA))
	for _, tt := range []struct {
		name string
		cmd  emv.Command
		want emv.StatusWord
	}{
		{"block of 7 bytes", emv.Verify(emv.PlaintextPIN, make([]byte, 7)), emv.SWWrongLength},
		{"unknown qualifier", emv.Verify(0x81, pinBlock(t, "1234")), swWrongP1P2},
		{"format 0 block counts as wrong", emv.Verify(emv.PlaintextPIN, unhex("041234FFFFFFFFFF")), 0x63C2},
	} {
		if r := x.ex(tt.cmd); r.SW != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, r.SW, tt.want)
		}
	}
}

func TestPINTriesExhausted(t *testing.T) {
	p, err := PINTriesExhausted(Options{Keys: testKeys(t, Presets()[0].CVN)})
	if err != nil {
		t.Fatal(err)
	}
	x := selected(t, p)
	if r := x.ex(emv.Verify(emv.PlaintextPIN, pinBlock(t, TestPIN))); r.SW != emv.SWAuthMethodBlocked {
		t.Errorf("VERIFY with no tries left: %v, want 6983", r.SW)
	}
}

func TestVerifyEnciphered(t *testing.T) {
	for _, tt := range []struct {
		name   string
		preset Preset
		mode   ODAMode
	}{
		{"ICC PIN encipherment key (Visa)", Presets()[0], SDA},
		{"ICC PIN encipherment key (Visa CDA)", Presets()[0], CDA},
		{"ICC key (Mastercard)", Presets()[2], DDA},
		{"ICC key on an SDA card (Mastercard)", Presets()[3], SDA},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := presetProfile(t, tt.preset, tt.mode)
			x := selected(t, p)
			key := p.Applications[0].Keys.ICC.Public()
			if k := p.Applications[0].Keys.PIN; k != nil {
				key = k.Public()
			}
			ch := x.must(emv.GetChallenge())
			if len(ch) != 8 {
				t.Fatalf("GET CHALLENGE: %d bytes", len(ch))
			}
			if r := x.ex(emv.Verify(emv.EncipheredPIN, encipherPIN(t, key, "9999", ch))); r.SW != 0x63C2 {
				t.Fatalf("wrong enciphered PIN: %v, want 63C2", r.SW)
			}
			ch = x.must(emv.GetChallenge())
			// An old challenge counts as a wrong PIN.
			stale := append([]byte(nil), ch...)
			stale[0] ^= 1
			if r := x.ex(emv.Verify(emv.EncipheredPIN, encipherPIN(t, key, TestPIN, stale))); r.SW != 0x63C1 {
				t.Fatalf("enciphered PIN with the wrong challenge: %v, want 63C1", r.SW)
			}
			ch = x.must(emv.GetChallenge())
			if r := x.ex(emv.Verify(emv.EncipheredPIN, encipherPIN(t, key, TestPIN, ch))); !r.SW.OK() {
				t.Fatalf("right enciphered PIN: %v", r.SW)
			}
			// The challenge is good for one VERIFY only.
			if r := x.ex(emv.Verify(emv.EncipheredPIN, encipherPIN(t, key, TestPIN, ch))); r.SW != 0x63C2 {
				t.Fatalf("replayed enciphered PIN: %v, want 63C2", r.SW)
			}
			if st := x.card.State(); !st.PINVerified {
				t.Errorf("State().PINVerified = false")
			}
		})
	}
}

func TestVerifyCVR(t *testing.T) {
	p := presetProfile(t, Presets()[0], SDA)
	x := selected(t, p)
	x.must(emv.Verify(emv.PlaintextPIN, pinBlock(t, TestPIN)))
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestARQC, cdol1)))
	if g.iad[4]&0x06 != 0x04 {
		t.Errorf("CVR %X: want 'offline PIN performed' and not 'failed'", g.iad[4:7])
	}
}
