package pos

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// A Receipt is what the terminal prints for the merchant and the
// cardholder. It holds the PAN masked only, and never a PIN, key or track
// data.
type Receipt struct {
	Merchant   Merchant
	TerminalID string
	Time       time.Time
	STAN       string

	MaskedPAN string
	EntryMode string // "chip", "magnetic stripe", "magnetic stripe (chip fallback)"
	AID       string // hexadecimal, chip only
	Label     string // application label, chip only

	Amount       uint64
	CurrencyCode string
	Exponent     int

	Approved bool
	// Response is the host's response code, or the terminal's Y1, Z1,
	// Y3, Z3 when the transaction was decided without the host.
	Response iso8583.ResponseCode
	AuthCode string
	RRN      string
	// CryptogramType and Cryptogram are the card's last application
	// cryptogram: the TC of an approval.
	CryptogramType string
	Cryptogram     string
	TVR            string

	PINVerified bool
	Signature   bool
	Reversed    bool
	// Reason says in words why the transaction ended as it did.
	Reason string
}

func (t *Terminal) newReceipt(now time.Time, amount uint64) *Receipt {
	return &Receipt{
		Merchant: t.cfg.Merchant, TerminalID: t.cfg.TerminalID, Time: now,
		Amount: amount, CurrencyCode: t.cfg.CurrencyCode, Exponent: t.cfg.Exponent,
	}
}

// receiptWidth is the width of the paper roll in characters.
const receiptWidth = 40

// WriteTo prints the receipt as a 40-column slip.
func (r *Receipt) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	line := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	center := func(s string) {
		if pad := (receiptWidth - len(s)) / 2; pad > 0 {
			s = strings.Repeat(" ", pad) + s
		}
		line(s)
	}
	pair := func(k, v string) {
		if v == "" {
			return
		}
		gap := receiptWidth - len(k) - len(v)
		if gap < 1 {
			gap = 1
		}
		line(k + strings.Repeat(" ", gap) + v)
	}
	rule := strings.Repeat("-", receiptWidth)
	line(rule)
	center(r.Merchant.Name)
	center(strings.TrimSpace(r.Merchant.City + " " + r.Merchant.Country))
	pair("MERCHANT", r.Merchant.ID)
	pair("TERMINAL", r.TerminalID)
	pair("DATE", r.Time.Format("2006-01-02"))
	pair("TIME", r.Time.Format("15:04:05"))
	pair("STAN", r.STAN)
	line(rule)
	pair("CARD", r.MaskedPAN)
	pair("ENTRY", r.EntryMode)
	pair("APP", r.Label)
	pair("AID", r.AID)
	center("PURCHASE")
	pair("AMOUNT", formatAmount(r.CurrencyCode, r.Exponent, r.Amount))
	line(rule)
	if r.Approved {
		center("APPROVED")
	} else {
		center("DECLINED")
	}
	if r.Reason != "" && !r.Approved {
		for _, l := range wrap(strings.ToUpper(r.Reason), receiptWidth) {
			center(l)
		}
	}
	if r.Response != "" {
		pair("RESPONSE", fmt.Sprintf("%s %s", string(r.Response), responseText(r.Response)))
	}
	pair("AUTH CODE", r.AuthCode)
	pair("RRN", r.RRN)
	if r.Cryptogram != "" {
		pair(r.CryptogramType, r.Cryptogram)
	}
	pair("TVR", r.TVR)
	if r.Reversed {
		center("TRANSACTION REVERSED")
	}
	switch {
	case r.Approved && r.PINVerified:
		center("PIN VERIFIED")
	case r.Approved && r.Signature:
		line("")
		line("SIGNATURE ______________________________")
	}
	line(rule)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// String returns the printed receipt.
func (r *Receipt) String() string {
	var b strings.Builder
	r.WriteTo(&b)
	return b.String()
}

// wrap breaks s into lines of at most width characters at spaces.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// responseText names the response codes of the host and of the kernel.
func responseText(c iso8583.ResponseCode) string {
	switch string(c) {
	case "Y1":
		return "offline approved"
	case "Z1":
		return "offline declined"
	case "Y3":
		return "approved, host unreachable"
	case "Z3":
		return "declined, host unreachable"
	}
	if m := c.Meaning(); m != "unknown" {
		return m
	}
	return ""
}
