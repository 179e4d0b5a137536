package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/posflow/posflow/examples/terminal/scenario"
)

// settlementReport prints the host's view of the day from its journal.
func settlementReport(ctx context.Context, w io.Writer, world *scenario.World) error {
	rows, err := world.Host.Journal(ctx, scenario.TerminalID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n  host journal of %s: %d rows\n", scenario.TerminalID, len(rows))
	for _, e := range rows {
		fmt.Fprintf(w, "    %-14s %-16s %10d  code %-2s  auth %-6s  rrn %-12s", e.Kind, e.MaskedPAN, e.Amount, e.Code, e.AuthCode, e.RRN)
		if e.Reversed != 0 {
			fmt.Fprintf(w, "  reversed")
		}
		fmt.Fprintln(w)
	}
	rep, err := world.Host.Report(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n  settlement report of the host (fee at the merchant discount rate):\n\n")
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		return err
	}
	for _, l := range strings.SplitAfter(b.String(), "\n") {
		if l != "" {
			fmt.Fprint(w, "  "+l)
		}
	}
	return nil
}
