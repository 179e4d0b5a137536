// Command terminal is a POS terminal that runs the payment scenarios of
// package scenario against an acquirer host over ISO 8583 (SpecASCII,
// 2-byte length framing, ANSI X9.19 MAC):
//
//	terminal -list
//	terminal -seed > seed.json                # the host's seed for these cards
//	terminal -host 127.0.0.1:8583             # every scenario, then settlement
//	terminal -host 127.0.0.1:8583 -scenario wrong-pin -pin tty
//	terminal -qr 25.00                        # the "pay by QR" screen
//
// The cards are simulated (emv/cardsim, contact and contactless; the
// contactless ones Visa CVN 18 and Mastercard CVN 16 under
// the same cardsim.TestIMK, so the host approves their online taps) and
// personalised afresh on every run, with the same counters: run against a host with a fresh database,
// or its ATC replay check refuses them. With -pin tty the PIN is read from
// the terminal with echo off; otherwise each scenario's cardholder types
// its scripted PINs. The PIN pad's DUKPT state is kept in -state, so keys
// are never reused across runs, and so is the store-and-forward queue
// (saf.queue): reversals and advices the host has not acknowledged when
// the terminal stops are sent after the next sign-on; and so is the batch
// (pos.batch): the purchases kept since the last settlement, and a
// settlement under way, which the next run settles or resumes. A queue or
// batch file that cannot be read stops the terminal; it may hold reversals
// owed to cardholders or purchases owed to merchants, so it is for the
// operator to inspect, not to overwrite.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/terminal/pos"
	"github.com/posflow/posflow/examples/terminal/scenario"
)

func main() {
	var (
		host    = flag.String("host", acquirer.DefaultAddr, "acquirer host `address`")
		name    = flag.String("scenario", "all", "scenario to run (see -list), or all")
		list    = flag.Bool("list", false, "list the scenarios and exit")
		seed    = flag.Bool("seed", false, "print the host's JSON seed for the scenario cards and exit")
		pinFrom = flag.String("pin", "script", "where PINs come from: script or tty (hidden)")
		state   = flag.String("state", "terminal-state", "`directory` of the PIN pad's DUKPT state and the store-and-forward queue")
		qrAmt   = flag.String("qr", "", "show the pay-by-QR screen for `amount` (25.00) and exit")
		verbose = flag.Bool("v", false, "log messages (card data masked) to standard error")
		settle  = flag.Bool("settle", true, "settle after the scenarios")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *host, *name, *list, *seed, *pinFrom, *state, *qrAmt, *verbose, *settle); err != nil {
		fmt.Fprintln(os.Stderr, "terminal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, host, name string, list, seed bool, pinFrom, state, qrAmt string, verbose, settle bool) error {
	cat, err := scenario.New(1)
	if err != nil {
		return err
	}
	switch {
	case list:
		for _, s := range cat.Scenarios {
			fmt.Printf("%-20s %s\n", s.Name, s.Description)
		}
		return nil
	case seed:
		cfg, err := cat.HostConfig()
		if err != nil {
			return err
		}
		cfg.Addr = host
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cfg)
	}
	var scenarios []*scenario.Scenario
	if name == "all" {
		scenarios = cat.Scenarios
	} else if s := cat.Lookup(name); s != nil {
		scenarios = []*scenario.Scenario{s}
	} else {
		return fmt.Errorf("no scenario %q (see -list)", name)
	}
	if err := os.MkdirAll(state, 0o700); err != nil {
		return err
	}
	o := scenario.Options{
		Seed:     1,
		StateDir: state,
		Time:     time.Now,
		Steps:    func(s string) { fmt.Println("  · " + s) },
	}
	if verbose {
		o.TerminalLog = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	link := &scenario.Link{Addr: host}
	term, pad, err := scenario.Connect(cat, link, o)
	if err != nil {
		return err
	}
	defer term.Close()
	fmt.Printf("terminal %s, PIN pad state in %s, store-and-forward queue in %s (%d waiting)\n", scenario.TerminalID,
		filepath.Join(state, "pinpad.state"), filepath.Join(state, scenario.QueueFile), term.Pending())

	if qrAmt != "" {
		minor, err := parseAmount(qrAmt)
		if err != nil {
			return err
		}
		return term.ShowQR(os.Stdout, minor)
	}

	if err := term.SignOn(ctx); err != nil {
		return err
	}
	if n := term.Pending(); n > 0 {
		sent, err := term.Forward(ctx)
		fmt.Printf("forwarded %d of %d reversal(s) and advice(s) left by the last run\n", sent, n)
		if err != nil {
			fmt.Printf("  the rest stay queued: %v\n", err)
		}
	}
	for _, s := range scenarios {
		fmt.Printf("\n== %s: %s (%s)\n", s.Name, s.Description, term.FormatAmount(s.Amount))
		switch pinFrom {
		case "tty":
			pad.Enter = readPIN
		case "script":
			pad.Enter = pos.ScriptedPINs(s.PINs...)
		default:
			return fmt.Errorf("-pin %q: want script or tty", pinFrom)
		}
		r, err := scenario.Pay(ctx, term, link, s, 2*time.Second)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		fmt.Print(r)
	}
	if settle {
		fmt.Println("\n== settlement")
		st, err := term.Settle(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("batch closed: %t, in balance: %t (code %s, %d uploads)\n", st.Closed, st.InBalance, string(st.Code), st.Uploaded)
	}
	return nil
}

// parseAmount reads "25.00" as 2500 minor units.
func parseAmount(s string) (uint64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		return 0, fmt.Errorf("amount %q: no units", s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q: at most two decimals", s)
	}
	frac += strings.Repeat("0", 2-len(frac))
	v, err := strconv.ParseUint(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	return v, nil
}
