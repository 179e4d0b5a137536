package emv

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// scriptedCard answers each command with the next scripted response and
// checks that the command is the one expected.
type scriptedCard struct {
	t     *testing.T
	steps []struct{ cmd, resp string }
	i     int
}

func (c *scriptedCard) Transmit(cmd []byte) ([]byte, error) {
	if c.i >= len(c.steps) {
		c.t.Fatalf("unexpected command %X", cmd)
	}
	s := c.steps[c.i]
	c.i++
	if want := mustHex(c.t, s.cmd); !bytes.Equal(cmd, want) {
		c.t.Fatalf("command %d = %X, want %X", c.i, cmd, want)
	}
	if s.resp == "error" {
		return nil, errors.New("reader unplugged")
	}
	return mustHex(c.t, s.resp), nil
}

func (c *scriptedCard) done() {
	if c.i != len(c.steps) {
		c.t.Errorf("%d of %d commands sent", c.i, len(c.steps))
	}
}

func card(t *testing.T, steps ...string) *scriptedCard {
	c := &scriptedCard{t: t}
	for i := 0; i < len(steps); i += 2 {
		c.steps = append(c.steps, struct{ cmd, resp string }{steps[i], steps[i+1]})
	}
	return c
}

// Each case follows EMV 4.4 Book 1 section 9.3.1 (T=0) or the 6Cxx rule.
func TestTransport(t *testing.T) {
	sel := Select(mustHex(t, "A0000000041010"), false)
	tests := []struct {
		name  string
		t0    bool
		cmd   Command
		steps []string
		want  string // response data and SW
	}{
		{"T=1 passes through", false, sel,
			[]string{"00A4040007A000000004101000", "6F009000"}, "6F009000"},
		{"T=0 case 4 goes without Le; 61xx fetched", true, sel,
			[]string{"00A4040007A0000000041010", "6104", "00C0000004", "6F0284009000"}, "6F0284009000"},
		{"61xx chained", true, sel,
			[]string{"00A4040007A0000000041010", "6102", "00C0000002", "6F026102", "00C0000002", "84009000"}, "6F0284009000"},
		{"6Cxx re-sends with the given Le", false, ReadRecord(1, 1),
			[]string{"00B2010C00", "6C05", "00B2010C05", "7003AABBCC9000"}, "7003AABBCC9000"},
		{"GET RESPONSE answered 6Cxx", true, sel,
			[]string{"00A4040007A0000000041010", "6100", "00C0000000", "6C02", "00C0000002", "6F009000"}, "6F009000"},
		{"T=0 case 4 warning keeps its status with the data", true, sel,
			[]string{"00A4040007A0000000041010", "6283", "00C0000000", "6F009000"}, "6F006283"},
		{"T=0 case 4 warning whose GET RESPONSE fails", true, sel,
			[]string{"00A4040007A0000000041010", "6283", "00C0000000", "6A86"}, "6283"},
		{"error status returned as it is", true, sel,
			[]string{"00A4040007A0000000041010", "6A82"}, "6A82"},
		{"T=0 case 2 keeps Le", true, ReadRecord(1, 1),
			[]string{"00B2010C00", "70009000"}, "70009000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := card(t, tt.steps...)
			tr := Transport{Card: c, T0: tt.t0}
			resp, err := tr.Exchange(tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%X%s", resp.Data, resp.SW.String())
			if got != tt.want {
				t.Errorf("response %s, want %s", got, tt.want)
			}
			c.done()
		})
	}
}

func TestTransportErrors(t *testing.T) {
	sel := Select(mustHex(t, "A0000000041010"), false)
	c := card(t, "00A4040007A000000004101000", "error")
	if _, err := (&Transport{Card: c}).Exchange(sel); err == nil {
		t.Error("reader error not returned")
	}
	c = card(t, "00A4040007A000000004101000", "90")
	if _, err := (&Transport{Card: c}).Exchange(sel); !errors.Is(err, ErrResponse) {
		t.Errorf("one-byte response: %v, want ErrResponse", err)
	}
	// A card that answers 61xx forever is stopped.
	endless := cardFunc(func(cmd []byte) ([]byte, error) { return []byte{0x61, 0x10}, nil })
	if _, err := (&Transport{Card: endless, T0: true}).Exchange(sel); !errors.Is(err, ErrTransport) {
		t.Errorf("endless 61xx: %v, want ErrTransport", err)
	}
	// A card that sends more data than any response holds is stopped.
	big := cardFunc(func(cmd []byte) ([]byte, error) {
		return append(make([]byte, 2000), 0x61, 0x00), nil
	})
	if _, err := (&Transport{Card: big, T0: true}).Exchange(sel); !errors.Is(err, ErrTransport) {
		t.Errorf("huge response: %v, want ErrTransport", err)
	}
	if _, err := (&Transport{Card: endless}).Exchange(Command{Data: make([]byte, 300)}); !errors.Is(err, ErrCommand) {
		t.Errorf("oversized command: %v, want ErrCommand", err)
	}
}

type cardFunc func([]byte) ([]byte, error)

func (f cardFunc) Transmit(cmd []byte) ([]byte, error) { return f(cmd) }
