package emv

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/posflow/posflow/tlv"
)

var (
	visaCredit = mustHexT("A0000000031010")
	visaDebit  = mustHexT("A0000000032010")
	mcCredit   = mustHexT("A0000000041010")
)

func newKernel(t *testing.T, c Card, cfg *Config) *kernel {
	t.Helper()
	k := &kernel{ctx: context.Background(), cfg: cfg, txn: testTxn(100), tr: Transport{Card: c}, icc: map[tlv.Tag][]byte{}, term: map[tlv.Tag][]byte{}, res: &Result{}}
	if err := k.initialiseTerminalData(); err != nil {
		t.Fatal(err)
	}
	return k
}

func selConfig(apps ...Application) *Config {
	return &Config{Applications: apps, Terminal: Terminal{Type: 0x22}}
}

func fciHex(aid []byte, a5 ...[]byte) string {
	return hexUpper(tlvb(0x6F, cat(tlvb(0x84, aid), tlvb(0xA5, cat(a5...))))) + "9000"
}

func pseFCI(sfi byte) string {
	return fciHex(pseName, tlvb(0x88, []byte{sfi}))
}

func dirEntry(aid []byte, label string, prio byte) []byte {
	e := cat(tlvb(0x4F, aid), tlvb(0x50, []byte(label)))
	if prio != 0 {
		e = append(e, tlvb(0x87, []byte{prio})...)
	}
	return tlvb(0x61, e)
}

func record(entries ...[]byte) string { return hexUpper(tlvb(0x70, cat(entries...))) + "9000" }

func selectCmd(aid []byte, next bool) string {
	p2 := "00"
	if next {
		p2 = "02"
	}
	return "00A404" + p2 + hexUpper([]byte{byte(len(aid))}) + hexUpper(aid) + "00"
}

const selectPSE = "00A404000E315041592E5359532E444446303100"

func aids(cs []Candidate) []string {
	var s []string
	for _, c := range cs {
		s = append(s, hexUpper(c.AID))
	}
	return s
}

// The candidate list scenarios of Book 3 12.3, after the cases of
// openemv/emv-utils tests/emv_build_candidate_list_test.c.
func TestBuildCandidateList(t *testing.T) {
	visa := Application{AID: visaCredit}
	visaPartial := Application{AID: visaCredit[:5], PartialSelection: true}
	mc := Application{AID: mcCredit}
	tests := []struct {
		name  string
		apps  []Application
		steps []string
		want  []string
		err   error
	}{
		{"PSE absent: list of AIDs", []Application{visa, mc}, []string{
			selectPSE, "6A82",
			selectCmd(visaCredit, false), fciHex(visaCredit), selectCmd(mcCredit, false), "6A82"},
			[]string{"A0000000031010"}, nil},
		{"PSE blocked: list of AIDs", []Application{visa}, []string{
			selectPSE, "6283",
			selectCmd(visaCredit, false), fciHex(visaCredit)},
			[]string{"A0000000031010"}, nil},
		{"card blocked at PSE", []Application{visa}, []string{selectPSE, "6A81"}, nil, ErrCardBlocked},
		{"card blocked at first AID", []Application{visa}, []string{
			selectPSE, "6A82", selectCmd(visaCredit, false), "6A81"}, nil, ErrCardBlocked},
		{"PSE: entries sorted by priority, unknown AIDs skipped", []Application{visa, mc, {AID: visaDebit}}, []string{
			selectPSE, pseFCI(1),
			"00B2010C00", record(dirEntry(visaCredit, "VISA", 0x02), dirEntry(mustHexT("A0000000999090"), "X", 0x01)),
			"00B2020C00", record(dirEntry(mcCredit, "MC", 0x01), dirEntry(visaDebit, "DEBIT", 0)),
			"00B2030C00", "6A83"},
			[]string{"A0000000041010", "A0000000031010", "A0000000032010"}, nil},
		{"PSE with DDF", []Application{visa, mc}, []string{
			selectPSE, pseFCI(1),
			"00B2010C00", record(dirEntry(visaCredit, "VISA", 0), tlvb(0x61, tlvb(0x9D, mustHexT("D2760000011122")))),
			selectCmd(mustHexT("D2760000011122"), false), fciHex(mustHexT("D2760000011122"), tlvb(0x88, []byte{2})),
			"00B2011400", record(dirEntry(mcCredit, "MC", 0)),
			"00B2021400", "6A83",
			"00B2020C00", "6A83"},
			[]string{"A0000000031010", "A0000000041010"}, nil},
		{"PSE without matching entries: list of AIDs", []Application{mc}, []string{
			selectPSE, pseFCI(1),
			"00B2010C00", record(dirEntry(visaCredit, "VISA", 0)),
			"00B2020C00", "6A83",
			selectCmd(mcCredit, false), fciHex(mcCredit)},
			[]string{"A0000000041010"}, nil},
		{"partial AIDs with SELECT next", []Application{visaPartial}, []string{
			selectPSE, "6A82",
			selectCmd(visaCredit[:5], false), fciHex(visaCredit, tlvb(0x87, []byte{2})),
			selectCmd(visaCredit[:5], true), fciHex(visaDebit, tlvb(0x87, []byte{1})),
			selectCmd(visaCredit[:5], true), "6A82"},
			[]string{"A0000000032010", "A0000000031010"}, nil},
		{"partial match refused without ASI", []Application{{AID: visaCredit[:5]}}, []string{
			selectPSE, "6A82",
			selectCmd(visaCredit[:5], false), fciHex(visaCredit)},
			nil, ErrNoApplication},
		{"blocked application (6283) left out", []Application{visaPartial}, []string{
			selectPSE, "6A82",
			selectCmd(visaCredit[:5], false), fciHex(visaCredit)[:len(fciHex(visaCredit))-4] + "6283",
			selectCmd(visaCredit[:5], true), fciHex(visaDebit),
			selectCmd(visaCredit[:5], true), "6A82"},
			[]string{"A0000000032010"}, nil},
		{"no application", []Application{visa}, []string{
			selectPSE, "6A82", selectCmd(visaCredit, false), "6A82"}, nil, ErrNoApplication},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := card(t, tt.steps...)
			k := newKernel(t, c, selConfig(tt.apps...))
			err := k.buildCandidateList()
			if !errors.Is(err, tt.err) {
				t.Fatalf("buildCandidateList: %v, want %v", err, tt.err)
			}
			if got := aids(k.candidates); tt.err == nil && !slices.Equal(got, tt.want) {
				t.Errorf("candidates %v, want %v", got, tt.want)
			}
			c.done()
		})
	}
}

type chooser struct {
	pick  int
	err   error
	shown [][]Candidate
}

func (c *chooser) ChooseApplication(ctx context.Context, cs []Candidate) (int, error) {
	c.shown = append(c.shown, cs)
	return c.pick, c.err
}

func TestFinalSelection(t *testing.T) {
	visa, mc := Application{AID: visaCredit}, Application{AID: mcCredit}
	two := []string{selectPSE, pseFCI(1),
		"00B2010C00", record(dirEntry(visaCredit, "VISA", 0x01), dirEntry(mcCredit, "MC", 0x02)),
		"00B2020C00", "6A83"}
	confirm := []string{selectPSE, pseFCI(1),
		"00B2010C00", record(dirEntry(visaCredit, "VISA", 0x81)),
		"00B2020C00", "6A83"}
	t.Run("highest priority without cardholder", func(t *testing.T) {
		c := card(t, append(two, selectCmd(visaCredit, false), fciHex(visaCredit))...)
		k := newKernel(t, c, selConfig(visa, mc))
		if err := k.selectApplication(); err != nil {
			t.Fatal(err)
		}
		if hexUpper(k.selected.AID) != "A0000000031010" {
			t.Errorf("selected %X", k.selected.AID)
		}
		c.done()
	})
	t.Run("cardholder chooses the second", func(t *testing.T) {
		c := card(t, append(two, selectCmd(mcCredit, false), fciHex(mcCredit))...)
		cfg := selConfig(visa, mc)
		ch := &chooser{pick: 1}
		cfg.Cardholder = ch
		k := newKernel(t, c, cfg)
		if err := k.selectApplication(); err != nil {
			t.Fatal(err)
		}
		if hexUpper(k.selected.AID) != "A0000000041010" || len(ch.shown) != 1 || len(ch.shown[0]) != 2 {
			t.Errorf("selected %X after showing %v", k.selected.AID, ch.shown)
		}
		c.done()
	})
	t.Run("cardholder cancels", func(t *testing.T) {
		c := card(t, two...)
		cfg := selConfig(visa, mc)
		cfg.Cardholder = &chooser{err: ErrCancelled}
		k := newKernel(t, c, cfg)
		if err := k.selectApplication(); !errors.Is(err, ErrCancelled) {
			t.Fatalf("selectApplication: %v, want ErrCancelled", err)
		}
	})
	t.Run("confirmation required, terminal cannot ask", func(t *testing.T) {
		c := card(t, confirm...)
		k := newKernel(t, c, selConfig(visa))
		if err := k.selectApplication(); !errors.Is(err, ErrNoApplication) {
			t.Fatalf("selectApplication: %v, want ErrNoApplication", err)
		}
	})
	t.Run("confirmation required and given", func(t *testing.T) {
		c := card(t, append(confirm, selectCmd(visaCredit, false), fciHex(visaCredit))...)
		cfg := selConfig(visa)
		ch := &chooser{}
		cfg.Cardholder = ch
		cfg.Terminal.ConfirmationSupported = true
		k := newKernel(t, c, cfg)
		if err := k.selectApplication(); err != nil {
			t.Fatal(err)
		}
		if len(ch.shown) != 1 {
			t.Errorf("cardholder asked %d times, want once", len(ch.shown))
		}
	})
	t.Run("final SELECT fails: next candidate", func(t *testing.T) {
		c := card(t, append(two, selectCmd(visaCredit, false), "6A82", selectCmd(mcCredit, false), fciHex(mcCredit))...)
		k := newKernel(t, c, selConfig(visa, mc))
		if err := k.selectApplication(); err != nil {
			t.Fatal(err)
		}
		if hexUpper(k.selected.AID) != "A0000000041010" {
			t.Errorf("selected %X", k.selected.AID)
		}
		c.done()
	})
}

// GET PROCESSING OPTIONS answered 6985 sends the kernel back to the
// candidate list without the application (Book 3 10.1).
func TestReselectionAfterGPO6985(t *testing.T) {
	visa, mc := Application{AID: visaCredit}, Application{AID: mcCredit}
	c := card(t, selectPSE, pseFCI(1),
		"00B2010C00", record(dirEntry(visaCredit, "VISA", 0x01), dirEntry(mcCredit, "MC", 0x02)),
		"00B2020C00", "6A83",
		selectCmd(visaCredit, false), fciHex(visaCredit),
		"80A80000028300"+"00", "6985",
		selectCmd(mcCredit, false), fciHex(mcCredit),
		"80A80000028300"+"00", "6D00",
	)
	res, err := Process(context.Background(), c, selConfig(visa, mc), testTxn(100))
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepInitiate || !errors.Is(err, StatusWord(0x6D00)) {
		t.Fatalf("Process: %v, want termination at GPO with 6D00", err)
	}
	if hexUpper(res.AID) != "A0000000041010" {
		t.Errorf("AID %X, want the second application", res.AID)
	}
	if !res.FallbackAllowed {
		t.Error("GPO failure should allow fallback")
	}
	c.done()
}

func FuzzParseFCI(f *testing.F) {
	f.Add(mustHexT(strings.TrimSuffix(fciHex(visaCredit, tlvb(0x50, []byte("VISA")), tlvb(0x87, []byte{1}), tlvb(0x9F38, mustHexT("9F6604"))), "9000")))
	f.Add(mustHexT(strings.TrimSuffix(pseFCI(1), "9000")))
	f.Add(mustHexT("6F0A8405A000000003A50100"))
	f.Fuzz(func(t *testing.T, in []byte) {
		fci, err := ParseFCI(in)
		if err != nil {
			return
		}
		// Independent reading with tlv.FindPath.
		name, err := tlv.FindPath(in, 0x6F, 0x84)
		if err != nil || !bytes.Equal(name.Value, fci.DFName) {
			t.Fatalf("DF name %X, tlv.FindPath %X (%v)", fci.DFName, name.Value, err)
		}
		if _, err := tlv.FindPath(in, 0x6F, 0xA5); err != nil {
			t.Fatalf("FCI accepted without A5: %v", err)
		}
		if !bytes.Equal(fci.Raw, in[bytes.Index(in, fci.Raw):][:len(fci.Raw)]) {
			t.Fatal("Raw is not a part of the input")
		}
		end := len(bytes.TrimRight(in, "\x00"))
		for i := range end {
			if _, err := ParseFCI(in[:i]); err == nil {
				t.Fatalf("strict prefix %X of %X accepted", in[:i], in)
			}
		}
	})
}

// A directory record that cannot be read abandons the whole PSE, also
// after a DDF, and the list of AIDs is used instead.
func TestPSEAbandoned(t *testing.T) {
	visa, mc := Application{AID: visaCredit}, Application{AID: mcCredit}
	c := card(t, selectPSE, pseFCI(1),
		"00B2010C00", record(tlvb(0x61, tlvb(0x9D, mustHexT("D2760000011122"))), dirEntry(visaCredit, "VISA", 0)),
		selectCmd(mustHexT("D2760000011122"), false), fciHex(mustHexT("D2760000011122"), tlvb(0x88, []byte{2})),
		"00B2011400", "6F00",
		selectCmd(visaCredit, false), "6A82",
		selectCmd(mcCredit, false), fciHex(mcCredit))
	k := newKernel(t, c, selConfig(visa, mc))
	if err := k.buildCandidateList(); err != nil {
		t.Fatal(err)
	}
	if got := aids(k.candidates); !slices.Equal(got, []string{"A0000000041010"}) {
		t.Errorf("candidates %v", got)
	}
	c.done()
}
