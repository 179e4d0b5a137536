package acquirer

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// A Report is the settlement report of the closed batches, one line per
// merchant.
type Report struct {
	Lines []ReportLine
	// Total sums the lines.
	Total ReportLine
}

// A ReportLine is one merchant's settlement: what the acquirer owes it.
type ReportLine struct {
	Merchant     string
	Name         string
	Batches      int
	Sales        int   // approved purchases and cash advances not reversed
	SalesAmount  int64 // minor units
	Refunds      int   // approved refunds not reversed
	RefundAmount int64
	Reversals    int   // reversed transactions, informative
	Gross        int64 // SalesAmount - RefundAmount
	FeeRate      int64 // basis points
	Fee          int64 // Gross * FeeRate / 10000, rounded half away from zero
	Net          int64 // Gross - Fee
}

// fee returns gross × rate / 10000 rounded half away from zero, in integer
// arithmetic.
func fee(gross, rate int64) int64 {
	n := gross * rate
	if n < 0 {
		return -((-n + 5000) / 10000)
	}
	return (n + 5000) / 10000
}

// Report returns the settlement report of every closed batch: per
// merchant, the sales and refunds the host's journal holds for them (not
// the terminal's totals), the gross, the fee at the merchant discount rate
// and the net.
func (h *Host) Report(ctx context.Context) (*Report, error) {
	lines := map[string]*ReportLine{}
	err := h.store.View(ctx, func(tx Tx) error {
		ss, err := tx.Settlements()
		if err != nil {
			return err
		}
		for _, s := range ss {
			l := lines[s.Merchant]
			if l == nil {
				l = &ReportLine{Merchant: s.Merchant, FeeRate: h.feeRate}
				if m := h.merchants[s.Merchant]; m != nil {
					l.Name = m.Name
					if m.FeeRate != 0 {
						l.FeeRate = m.FeeRate
					}
				}
				lines[s.Merchant] = l
			}
			l.Batches++
			es, err := tx.Entries(s.Terminal, s.Batch)
			if err != nil {
				return err
			}
			for _, e := range es {
				if e.Kind != KindFinancial && e.Kind != KindAdvice || !e.settled() {
					continue
				}
				if e.Reversed != 0 {
					l.Reversals++
					continue
				}
				if e.Debit {
					l.Sales++
					l.SalesAmount += e.Amount
				} else {
					l.Refunds++
					l.RefundAmount += e.Amount
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Report{Total: ReportLine{Merchant: "TOTAL"}}
	for _, l := range lines {
		l.Gross = l.SalesAmount - l.RefundAmount
		l.Fee = fee(l.Gross, l.FeeRate)
		l.Net = l.Gross - l.Fee
		r.Lines = append(r.Lines, *l)
	}
	sort.Slice(r.Lines, func(i, j int) bool { return r.Lines[i].Merchant < r.Lines[j].Merchant })
	for _, l := range r.Lines {
		t := &r.Total
		t.Batches += l.Batches
		t.Sales += l.Sales
		t.SalesAmount += l.SalesAmount
		t.Refunds += l.Refunds
		t.RefundAmount += l.RefundAmount
		t.Reversals += l.Reversals
		t.Gross += l.Gross
		t.Fee += l.Fee
		t.Net += l.Net
	}
	return r, nil
}

// amount formats minor units with two decimals.
func amount(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// WriteText writes the report as a table for people.
func (r *Report) WriteText(w io.Writer) error {
	const row = "%-15s %-20s %7s %5s %12s %7s %10s %4s %12s %6s %10s %12s\n"
	if _, err := fmt.Fprintf(w, row, "MERCHANT", "NAME", "BATCHES", "SALES", "AMOUNT", "REFUNDS", "AMOUNT",
		"REV", "GROSS", "RATE", "FEE", "NET"); err != nil {
		return err
	}
	for _, l := range append(r.Lines, r.Total) {
		rate := ""
		if l.Merchant != "TOTAL" {
			rate = fmt.Sprintf("%d.%02d%%", l.FeeRate/100, l.FeeRate%100)
		}
		if _, err := fmt.Fprintf(w, row, l.Merchant, truncate(l.Name, 20), strconv.Itoa(l.Batches), strconv.Itoa(l.Sales),
			amount(l.SalesAmount), strconv.Itoa(l.Refunds), amount(l.RefundAmount), strconv.Itoa(l.Reversals),
			amount(l.Gross), rate, amount(l.Fee), amount(l.Net)); err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// WriteCSV writes the report as CSV with a header row; amounts are in
// minor units and the rate in basis points.
func (r *Report) WriteCSV(w io.Writer) error {
	c := csv.NewWriter(w)
	c.Write([]string{"merchant", "name", "batches", "sales", "sales_amount", "refunds", "refund_amount",
		"reversals", "gross", "fee_rate_bps", "fee", "net"})
	for _, l := range append(r.Lines, r.Total) {
		c.Write([]string{l.Merchant, l.Name, strconv.Itoa(l.Batches), strconv.Itoa(l.Sales),
			strconv.FormatInt(l.SalesAmount, 10), strconv.Itoa(l.Refunds), strconv.FormatInt(l.RefundAmount, 10),
			strconv.Itoa(l.Reversals), strconv.FormatInt(l.Gross, 10), strconv.FormatInt(l.FeeRate, 10),
			strconv.FormatInt(l.Fee, 10), strconv.FormatInt(l.Net, 10)})
	}
	c.Flush()
	return c.Error()
}
