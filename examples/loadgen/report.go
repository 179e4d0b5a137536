package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
)

// A Report is the results of one run of the generator, with each full
// host target's throughput as a ratio of the bare transport's.
type Report struct {
	Results []*Result          `json:"results"`
	Ratio   map[string]float64 `json:"ratio_to_bare,omitempty"`
	GOGC    string             `json:"gogc,omitempty"`  // the garbage collector's target of the run, when known
	Cards   int                `json:"cards,omitempty"` // the PIN cards of the traffic, when known
}

func newReport(rs []*Result) *Report {
	r := &Report{Results: rs}
	var bare *Result
	for _, x := range rs {
		if x.Target == TargetBare {
			bare = x
		}
	}
	if bare != nil && bare.PerSecond > 0 {
		r.Ratio = map[string]float64{}
		for _, x := range rs {
			if x != bare {
				r.Ratio[x.Target] = x.PerSecond / bare.PerSecond
			}
		}
	}
	return r
}

// WriteText writes the report as a table.
func (r *Report) WriteText(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "%-7s %9s %8s %6s %6s %6s %9s %8s %8s %8s %8s  %s\n",
		"target", "terminals", "answered", "errors", "unexp", "arpc", "auth/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "codes"); err != nil {
		return err
	}
	for _, x := range r.Results {
		codes := ""
		for _, c := range slices.Sorted(maps.Keys(x.Codes)) {
			codes += fmt.Sprintf("%s:%d ", c, x.Codes[c])
		}
		if _, err := fmt.Fprintf(w, "%-7s %9d %8d %6d %6d %6d %9.0f %8.2f %8.2f %8.2f %8.2f  %s\n",
			x.Target, x.Terminals, x.Requests, x.Errors, x.Unexpected, x.ARPCs, x.PerSecond, x.P50, x.P90, x.P99, x.Max, codes); err != nil {
			return err
		}
	}
	for _, t := range slices.Sorted(maps.Keys(r.Ratio)) {
		if _, err := fmt.Fprintf(w, "%s / bare = %.1f%%\n", t, 100*r.Ratio[t]); err != nil {
			return err
		}
	}
	if r.GOGC != "" {
		if _, err := fmt.Fprintf(w, "GOGC = %s\n", r.GOGC); err != nil {
			return err
		}
	}
	if r.Cards != 0 {
		if _, err := fmt.Fprintf(w, "cards = %d\n", r.Cards); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(r)
}
