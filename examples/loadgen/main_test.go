package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"github.com/posflow/posflow/examples/host/acquirer"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
)

var long = flag.Bool("loadgen.long", false, "run the load test with 200 terminals and 20000 requests")

// TestShortRun runs a small load against each target and checks that
// every request was answered with the code the traffic expects, and every
// chip request of the full host with the ARPC it expects.
func TestShortRun(t *testing.T) {
	terminals, requests := 8, 240
	switch {
	case *long:
		terminals, requests = 200, 20000
	case !testing.Short():
		terminals, requests = 20, 1000
	}
	r, err := run(context.Background(), terminals, requests, DefaultCards, 1, []string{TargetBare, TargetMemory, TargetFile}, Options{Duration: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The same traffic as run's, to count its chip requests.
	tr, err := Prepare(terminals, requests/terminals, DefaultCards, 1)
	if err != nil {
		t.Fatal(err)
	}
	chip := chipRequests(tr)
	for _, x := range r.Results {
		if x.Requests != requests || x.Errors != 0 || x.Unexpected != 0 {
			t.Errorf("%s: %d answered, %d errors, %d unexpected codes (%v), want %d, 0, 0",
				x.Target, x.Requests, x.Errors, x.Unexpected, x.Codes, requests)
		}
		if x.Target != TargetBare && (x.Codes["51"] == 0 || x.Codes["61"] == 0) {
			t.Errorf("%s: codes %v, want declines 51 and 61 in the mix", x.Target, x.Codes)
		}
		if x.Target != TargetBare && (chip == 0 || x.ARPCs != chip) {
			t.Errorf("%s: %d ARPCs verified, want one for each of the %d chip requests", x.Target, x.ARPCs, chip)
		}
		if !(x.P50 <= x.P90 && x.P90 <= x.P99 && x.P99 <= x.Max) {
			t.Errorf("%s: percentiles out of order: %v %v %v %v", x.Target, x.P50, x.P90, x.P99, x.Max)
		}
	}
	if len(r.Ratio) != 2 {
		t.Errorf("ratios %v, want memory and file", r.Ratio)
	}
	var text, js bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "file / bare") {
		t.Errorf("text report without the ratio:\n%s", text.String())
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Results) != 3 {
		t.Errorf("JSON report does not read back: %v", err)
	}
}

// TestPrepareMix checks the traffic: reversals only follow an approved
// purchase not reversed yet, and the kinds are all present.
func TestPrepareMix(t *testing.T) {
	tr, err := Prepare(3, 200, DefaultCards, 7)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, s := range tr.Scripts {
		open := false // an approved purchase not reversed yet
		for _, rq := range s {
			kinds[rq.kind]++
			switch rq.kind {
			case "reversal":
				if !open {
					t.Fatalf("reversal without an approved purchase before it")
				}
				open = false
			case "purchase", "chip":
				open = true
			}
		}
	}
	for _, k := range []string{"purchase", "chip", "decline", "reversal"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in %v", k, kinds)
		}
	}
	if _, err := Prepare(0, 1, DefaultCards, 1); err == nil {
		t.Error("Prepare(0 terminals) succeeded")
	}
	if _, err := Prepare(1, 1, 0, 1); err == nil {
		t.Error("Prepare(0 cards) succeeded")
	}
}

// TestSetGC checks the order in which the run's garbage collector target
// is chosen: -gogc, then GOGC, then the host command's.
func TestSetGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "")
	if got := setGC(0); got != strconv.Itoa(acquirer.GCPercent) {
		t.Errorf("setGC(0) without GOGC = %s, want %d", got, acquirer.GCPercent)
	}
	if got, now := setGC(150), debug.SetGCPercent(150); got != "150" || now != 150 {
		t.Errorf("setGC(150) = %s, collector at %d; want 150", got, now)
	}
	t.Setenv("GOGC", "off")
	if got := setGC(0); got != "off" {
		t.Errorf("setGC(0) with GOGC=off = %s, want off", got)
	}
}
