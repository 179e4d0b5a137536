// Command demo runs a card payment from start to finish: an acquirer host
// in-process on a free loopback port, a POS terminal connected to it, and
// simulated EMV cards in every state issue 8 lists — approved with chip
// and PIN, a wrong PIN, PIN tries exhausted, insufficient funds, a blocked,
// an expired and a lost card, a chip failure with magnetic-stripe
// fallback, a stripe-only card, an offline approval under the floor limit,
// a host that does not answer in time and a card that declines after the
// host approved, and contactless taps (EMV Entry Point with Kernels 3 and
// 2: offline under the floor limit, online, online PIN over the CVM limit)
// — then the end-of-day settlement. For each payment it
// prints the steps, the receipt and the outcome. It needs nothing but Go:
//
//	go run ./examples/demo
//
// Every run is the same: cards, keys, clocks and random numbers are
// seeded. With -v the terminal's and host's structured logs go to standard
// error (card data masked).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/examples/terminal/scenario"
)

func main() {
	verbose := flag.Bool("v", false, "log the terminal and host to standard error")
	noQR := flag.Bool("noqr", false, "do not draw the QR code")
	flag.Parse()
	o := options{QR: !*noQR}
	if *verbose {
		o.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	dir, err := os.MkdirTemp("", "posflow-demo-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
	o.StateDir = dir
	err = run(context.Background(), os.Stdout, o)
	os.RemoveAll(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

type options struct {
	StateDir string
	Log      *slog.Logger // nil discards the logs
	QR       bool
}

const width = 72

// run is the demo: it returns an error if a scenario ends otherwise than
// expected.
func run(ctx context.Context, w io.Writer, o options) error {
	start := time.Now()
	var steps []string
	world, err := scenario.Start(ctx, scenario.Options{
		Seed:        1,
		StateDir:    o.StateDir,
		HostLog:     withComponent(o.Log, "host"),
		TerminalLog: withComponent(o.Log, "terminal"),
		Steps:       func(s string) { steps = append(steps, s) },
	})
	if err != nil {
		return err
	}
	defer world.Close(ctx)
	term := world.Terminal
	flush := func() {
		for _, s := range steps {
			fmt.Fprintf(w, "  · %s\n", s)
		}
		steps = steps[:0]
	}

	fmt.Fprintf(w, "posflow demo: card payments from a POS terminal to an acquirer host\n\n")
	fmt.Fprintf(w, "host      acquirer on %s (in-process, SQLite journal in memory)\n", world.Link.Addr)
	ksn := world.PINPad.KSN()
	fmt.Fprintf(w, "terminal  %s at %s, %s; floor limit %s; PIN pad TDES DUKPT, next KSN %X\n",
		scenario.TerminalID, scenario.MerchantName, scenario.MerchantID, term.FormatAmount(1000), ksn[:])
	fmt.Fprintf(w, "          contactless reader: offline under %s, cardholder verified from %s, insert the card from %s\n",
		term.FormatAmount(scenario.ContactlessFloorLimit), term.FormatAmount(scenario.ContactlessCVMLimit), term.FormatAmount(scenario.ContactlessLimit))
	fmt.Fprintf(w, "          store-and-forward queue in %s (a temporary directory): reversals and advices survive a restart\n", scenario.QueueFile)
	fmt.Fprintf(w, "cards     %d simulated EMV cards (emv/cardsim, contact and contactless), issued to the host's seed with their balances\n\n", len(world.Catalogue.Cards()))

	banner(w, "start of day")
	if err := term.SignOn(ctx); err != nil {
		return err
	}
	flush()
	if o.QR {
		fmt.Fprintf(w, "\n  The terminal's \"pay by QR\" screen, the alternative to a card (EMV QR, merchant-presented, dynamic):\n\n")
		var b strings.Builder
		if err := term.ShowQR(&b, 2500); err != nil {
			return err
		}
		fmt.Fprint(w, indent(b.String(), "  "))
	}

	type row struct {
		name, outcome string
		ok            bool
	}
	var rows []row
	var advised []*scenario.Scenario
	failed := 0
	opening := map[*scenario.Scenario]int64{}
	for i, s := range world.Catalogue.Scenarios {
		fmt.Fprintln(w)
		banner(w, fmt.Sprintf("%d/%d  %s", i+1, len(world.Catalogue.Scenarios), s.Description))
		before, err := world.Balance(ctx, s.Card)
		if err != nil {
			return err
		}
		opening[s] = before
		fmt.Fprintf(w, "  card %s, account %s balance %s\n", cardName(s.Card), s.Card.Issued.Account, term.FormatAmount(uint64(before)))
		if len(s.PINs) > 0 {
			fmt.Fprintf(w, "  the cardholder will type %d PIN(s)%s\n", len(s.PINs), pinNote(s))
		}
		pending := term.Pending()
		issuerCommands := tapIssuerCommands(s.Card)
		r, err := world.Run(ctx, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		flush()
		fmt.Fprintln(w)
		fmt.Fprint(w, indent(r.String(), "      "))
		after, err := world.Balance(ctx, s.Card)
		if err != nil {
			return err
		}
		ok := r.Approved == s.Expect.Approved && (!s.Expect.Advice || term.Pending() > pending) && string(r.Response) == s.Expect.Code &&
			r.Reversed == s.Expect.Reversed && before-after == s.Expect.Debited
		if s.Card.Tap != nil && s.Expect.Code == "00" {
			fmt.Fprintf(w, "  the host verified the simulated contactless card's ARQC (%s) under cardsim.TestIMK\n", tapCVN(s.Card))
		}
		if n := tapIssuerCommands(s.Card) - issuerCommands; n > 0 {
			fmt.Fprintf(w, "  on the second tap the card received %d issuer command(s): EXTERNAL AUTHENTICATE with the ARPC, then the host's script\n", n)
		}
		if s.Expect.Advice {
			fmt.Fprintf(w, "  the host debits the account when the advice reaches it, at the latest before settlement\n")
			advised = append(advised, s)
		}
		verdict := "as expected"
		if !ok {
			verdict = fmt.Sprintf("NOT AS EXPECTED (want approved=%t code %q reversed=%t debit %d)",
				s.Expect.Approved, s.Expect.Code, s.Expect.Reversed, s.Expect.Debited)
			failed++
		}
		outcome := "DECLINED"
		if r.Approved {
			outcome = "APPROVED"
		}
		if r.Response != "" {
			outcome += " " + string(r.Response)
		}
		if r.Reversed {
			outcome += ", reversed"
		}
		fmt.Fprintf(w, "  outcome  %s: %s\n", outcome, r.Reason)
		fmt.Fprintf(w, "  balance  %s → %s  (%s)\n", term.FormatAmount(uint64(before)), term.FormatAmount(uint64(after)), verdict)
		rows = append(rows, row{s.Description, outcome, ok})
	}

	fmt.Fprintln(w)
	banner(w, "end of day")
	set, err := term.Settle(ctx)
	flush()
	if err != nil {
		return err
	}
	for _, s := range advised {
		after, err := world.Balance(ctx, s.Card)
		if err != nil {
			return err
		}
		// The account also pays what the card's later scenarios debited
		// online (the qVSDC card taps offline, then online).
		var later int64
		for _, l := range world.Catalogue.Scenarios[slices.Index(world.Catalogue.Scenarios, s)+1:] {
			if l.Card == s.Card {
				later += l.Expect.Debited
			}
		}
		ok := opening[s]-after == s.Expect.DebitedAtSettlement+later
		if !ok {
			failed++
		}
		note := ""
		if later != 0 {
			note = fmt.Sprintf(", with the later online debit of %s", term.FormatAmount(uint64(later)))
		}
		fmt.Fprintf(w, "  the offline approval's advice has reached the host: account %s %s → %s (%s%s)\n", s.Card.Issued.Account,
			term.FormatAmount(uint64(opening[s])), term.FormatAmount(uint64(after)), map[bool]string{true: "as expected", false: "NOT AS EXPECTED"}[ok], note)
	}
	fmt.Fprintf(w, "  terminal totals: %d purchases %s, %d reversed %s: %s\n", set.Totals.DebitsNumber,
		term.FormatAmount(uint64(set.Totals.DebitsAmount)), set.Totals.DebitsReversalNumber, term.FormatAmount(uint64(set.Totals.DebitsReversalAmount)),
		map[bool]string{true: "in balance with the host", false: "OUT OF BALANCE"}[set.InBalance])
	if err := settlementReport(ctx, w, world); err != nil {
		return err
	}

	fmt.Fprintln(w)
	banner(w, "summary")
	for _, r := range rows {
		mark := "ok  "
		if !r.ok {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %-54s %s\n", mark, r.name, r.outcome)
	}
	fmt.Fprintf(w, "\n%d scenarios, %d as expected, settled in balance: %t (%.1fs)\n",
		len(rows), len(rows)-failed, set.InBalance, time.Since(start).Seconds())
	if failed > 0 || !set.InBalance {
		return fmt.Errorf("%d scenario(s) ended otherwise than expected", failed)
	}
	return nil
}

func banner(w io.Writer, title string) {
	s := "── " + title + " "
	if n := width - len([]rune(s)); n > 0 {
		s += strings.Repeat("─", n)
	}
	fmt.Fprintln(w, s)
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}

func cardName(c *scenario.Card) string {
	pan := emv.MaskPAN(c.Issued.PAN)
	if c.Tap != nil {
		return fmt.Sprintf("contactless %q %s", c.TapName, pan)
	}
	if c.Chip == nil {
		return "(magnetic stripe only) " + pan
	}
	return fmt.Sprintf("%q %s", c.Chip.Profile().Name, pan)
}

// tapCVN names the cryptogram version of a simulated contactless card.
func tapCVN(c *scenario.Card) string {
	switch c.Tap.(type) {
	case *cardsim.QVSDCCard:
		return issuer.VisaCVN18.String()
	case *cardsim.MChipCard:
		return issuer.MastercardCVN16.String()
	}
	return "unknown version"
}

// tapIssuerCommands counts the EXTERNAL AUTHENTICATE and script commands
// a simulated qVSDC card has received on second taps.
func tapIssuerCommands(c *scenario.Card) int {
	if q, ok := c.Tap.(*cardsim.QVSDCCard); ok {
		return len(q.IssuerCommands)
	}
	return 0
}

func pinNote(s *scenario.Scenario) string {
	if len(s.PINs) > 1 {
		return ", the first one wrong"
	}
	if s.Expect.Code == "75" {
		return ", wrong, after two wrong PINs already counted by the issuer"
	}
	return ""
}

func withComponent(l *slog.Logger, name string) *slog.Logger {
	if l == nil {
		return nil
	}
	return l.With("component", name)
}
