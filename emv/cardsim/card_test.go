package cardsim

import (
	"bytes"
	"testing"

	"github.com/posflow/posflow/emv"
)

// raw sends command bytes straight to the card.
func raw(t *testing.T, c *Card, cmd []byte) ([]byte, emv.StatusWord) {
	t.Helper()
	b, err := c.Transmit(cmd)
	if err != nil {
		t.Fatal(err)
	}
	r, err := emv.ParseResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	return r.Data, r.SW
}

func TestT0(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	aid := prof.Applications[0].AID
	card := newCard(t, prof, Config{T0: true})
	// Case 4 without Le: 61xx, then GET RESPONSE.
	sel := append([]byte{0x00, 0xA4, 0x04, 0x00, byte(len(aid))}, aid...)
	data, sw := raw(t, card, sel)
	if len(data) != 0 || sw.SW1() != 0x61 {
		t.Fatalf("SELECT over T=0: %X %v, want 61xx alone", data, sw)
	}
	n := int(sw.SW2())
	part, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, byte(n - 5)})
	if len(part) != n-5 || sw != emv.SWBytesAvailable|5 {
		t.Fatalf("GET RESPONSE of %d: %d bytes %v, want 6105", n-5, len(part), sw)
	}
	rest, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, 0x05})
	if len(rest) != 5 || !sw.OK() {
		t.Fatalf("GET RESPONSE of the rest: %d bytes %v", len(rest), sw)
	}
	if fci := append(part, rest...); !bytes.Equal(fci, card.apps[0].fci) {
		t.Fatalf("FCI over T=0 %X, want %X", fci, card.apps[0].fci)
	}
	if _, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, 0x00}); sw != emv.SWConditionsNotSatisfied {
		t.Errorf("GET RESPONSE with nothing waiting: %v, want 6985", sw)
	}
	// Case 2 with Le 00: 6Cxx, then the exact length.
	if _, sw := raw(t, card, []byte{0x80, 0xA8, 0x00, 0x00, 0x02, 0x83, 0x00}); sw.SW1() != 0x61 {
		t.Fatalf("GPO over T=0: %v, want 61xx", sw)
	}
	_, sw = raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, 0x00})
	if sw.SW1() != 0x6C {
		t.Fatalf("GET RESPONSE with Le 00 for fewer bytes: %v, want 6Cxx", sw)
	}
	if _, sw := raw(t, card, []byte{0x00, 0xC0, 0x00, 0x00, sw.SW2()}); !sw.OK() {
		t.Fatalf("GET RESPONSE with the right Le: %v", sw)
	}
	_, sw = raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, 0x00})
	if sw.SW1() != 0x6C {
		t.Fatalf("READ RECORD with Le 00 over T=0: %v, want 6Cxx", sw)
	}
	rec, sw := raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, sw.SW2()})
	if !sw.OK() || !bytes.Equal(rec, card.apps[0].records[recKey(1, 1)]) {
		t.Fatalf("READ RECORD with the right Le: %X %v", rec, sw)
	}
}

func TestT1LeShort(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	card := newCard(t, prof, Config{})
	raw(t, card, append([]byte{0x00, 0xA4, 0x04, 0x00, 7}, prof.Applications[0].AID...))
	raw(t, card, []byte{0x80, 0xA8, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00})
	if _, sw := raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, 0x04}); sw.SW1() != 0x6C {
		t.Errorf("READ RECORD with Le 4: %v, want 6Cxx", sw)
	}
	if _, sw := raw(t, card, []byte{0x00, 0xB2, 0x01, 0x0C, 0x00}); !sw.OK() {
		t.Errorf("READ RECORD with Le 00: %v", sw)
	}
}

func TestMalformedCommands(t *testing.T) {
	card := newCard(t, presetProfile(t, Presets()[0], SDA), Config{})
	for _, tt := range []struct {
		name string
		cmd  []byte
		want emv.StatusWord
	}{
		{"three bytes", []byte{0x00, 0xA4, 0x04}, emv.SWWrongLength},
		{"Lc beyond the data", []byte{0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0}, emv.SWWrongLength},
		{"Lc 00 with data (extended length)", []byte{0x00, 0xA4, 0x04, 0x00, 0x00, 0x00, 0x07}, emv.SWWrongLength},
		{"unknown class", []byte{0xF0, 0xA4, 0x04, 0x00, 0x00}, emv.SWClassNotSupported},
		{"unknown instruction", []byte{0x00, 0x12, 0x00, 0x00}, emv.SWInstructionNotSupported},
		{"SELECT by file identifier", []byte{0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00}, swWrongP1P2},
		{"GPO without a selected application", []byte{0x80, 0xA8, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00}, emv.SWConditionsNotSatisfied},
		{"INTERNAL AUTHENTICATE on an SDA card", []byte{0x00, 0x88, 0x00, 0x00, 0x04, 1, 2, 3, 4, 0x00}, emv.SWInstructionNotSupported},
	} {
		if _, sw := raw(t, card, tt.cmd); sw != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, sw, tt.want)
		}
	}
}

func TestLastOnlineNotCompleted(t *testing.T) {
	prof := presetProfile(t, Presets()[0], SDA)
	x := selected(t, prof)
	cdol1, _ := emv.AppendDOLData(nil, x.data[0x8C], x.value)
	x.must(emv.GenerateAC(emv.RequestARQC, cdol1))
	// The terminal stops: the next transaction asks for a TC and is sent
	// online.
	x.start(prof.Applications[0].AID)
	g := parseGenAC(t, x.must(emv.GenerateAC(emv.RequestTC, cdol1)))
	if g.cid.Type() != emv.ARQC || g.iad[5]&0x80 == 0 {
		t.Fatalf("after an unfinished online transaction: %v, CVR %X; want ARQC with 'last online not completed'", g.cid, g.iad[4:7])
	}
}
