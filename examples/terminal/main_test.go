package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/terminal/scenario"
)

// TestSeed checks that the seed the terminal prints for the host is a
// configuration the host accepts, with every scenario card.
func TestSeed(t *testing.T) {
	cat, err := scenario.New(1)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := cat.HostConfig()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(cfg); err != nil {
		t.Fatal(err)
	}
	back, err := acquirer.ParseConfig(b.Bytes())
	if err != nil {
		t.Fatalf("ParseConfig(seed) = %v", err)
	}
	if len(back.Cards) != len(cat.Cards()) || !bytes.Equal(back.Keys.BDK, scenario.BDK) {
		t.Errorf("seed round trip: %d cards, want %d; BDK kept %t", len(back.Cards), len(cat.Cards()), bytes.Equal(back.Keys.BDK, scenario.BDK))
	}
	h, err := acquirer.New(*back)
	if err != nil {
		t.Fatalf("acquirer.New(seed) = %v", err)
	}
	if err := h.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"25.00", 2500, true},
		{"25", 2500, true},
		{"0.5", 50, true},
		{"1.234", 0, false}, // three decimals
		{"abc", 0, false},   // not a number
		{"", 0, false},      // empty
		{".50", 0, false},   // no units
	} {
		got, err := parseAmount(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d, ok %t", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
