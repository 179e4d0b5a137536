package pos

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/iso8583"
)

// An Entry is one approved purchase in the terminal's batch.
type Entry struct {
	STAN        string
	PAN         string // in clear for the batch upload: never print it (String masks it)
	Amount      uint64
	EntryMode   string
	RRN         string
	AuthCode    string
	Transmitted string
	Time        time.Time
	// Offline is set for a chip approval without the host; Advice once
	// its 0220 is queued. Reversed is set for a purchase the terminal
	// reversed (0400): the host may have approved it, so it counts among
	// the debits and among the debit reversals, as the host counts it.
	Offline, Advice, Reversed bool

	expiry, psn string
	icc         []byte
}

// String describes the entry with the PAN masked.
func (e Entry) String() string {
	return fmt.Sprintf("STAN %s %s %d RRN %s offline=%t", e.STAN, emv.MaskPAN(e.PAN), e.Amount, e.RRN, e.Offline)
}

// A Batch is the terminal's approved purchases since the last
// settlement.
type Batch struct {
	Entries []Entry
}

// Totals returns the batch totals of an 0500: purchases are debits, and
// reversed purchases are debits and debit reversals.
func (b Batch) Totals() iso8583.Totals {
	var tot iso8583.Totals
	for _, e := range b.Entries {
		tot.DebitsNumber++
		tot.DebitsAmount += int64(e.Amount)
		if e.Reversed {
			tot.DebitsReversalNumber++
			tot.DebitsReversalAmount += int64(e.Amount)
		}
	}
	return tot
}

// Net returns the amount the batch settles: debits less their reversals.
func (b Batch) Net() int64 {
	t := b.Totals()
	return t.DebitsAmount - t.DebitsReversalAmount
}

// A Settlement is the result of the end-of-day reconciliation.
type Settlement struct {
	Totals iso8583.Totals
	// Code is the host's answer to the last 0500. Closed tells that the
	// host closed the batch; InBalance that it found the terminal's totals
	// equal to its journal's (field 66 = 1), rather than closing it on the
	// uploaded transactions (66 = 2).
	Code              iso8583.ResponseCode
	Closed, InBalance bool
	// Uploaded is the number of 0320 batch uploads sent after an
	// out-of-balance answer.
	Uploaded int
	// Forwarded is the number of advices and reversals sent first.
	Forwarded int
}

// ErrPending is returned by Settle when reversals or advices could not be
// forwarded: the batch cannot be closed before the host has them.
var ErrPending = errors.New("pos: store-and-forward messages still pending")

// Settle closes the batch: it forwards the queued advices and reversals,
// sends the 0500 with the batch totals, and, when the host answers out of
// balance (95), uploads every transaction (0320) and sends the 0500 again.
// The batch is emptied when the host accepts it.
func (t *Terminal) Settle(ctx context.Context) (*Settlement, error) {
	s := &Settlement{Forwarded: t.client.Pending()}
	if s.Forwarded > 0 {
		t.step("forwarding %d stored message(s) before settlement", s.Forwarded)
		if err := t.flush(ctx); err != nil || t.client.Pending() > 0 {
			return nil, fmt.Errorf("%w: %d: %v", ErrPending, t.client.Pending(), err)
		}
	}
	b := t.Batch()
	s.Totals = b.Totals()
	resp, err := t.reconcile(ctx, s.Totals)
	if err != nil {
		return nil, err
	}
	if resp.Code == iso8583.ReconcileError {
		t.step("host: out of balance (95): uploading %d transaction(s)", len(b.Entries))
		// Reversed purchases are not uploaded: an 0320 has no way to say
		// "reversed", and the host would count it as a sale. The second
		// 0500 carries the totals of what was uploaded.
		var up Batch
		for _, e := range b.Entries {
			if e.Reversed {
				continue
			}
			if err := t.upload(ctx, e); err != nil {
				return nil, err
			}
			up.Entries = append(up.Entries, e)
			s.Uploaded++
		}
		if resp, err = t.reconcile(ctx, up.Totals()); err != nil {
			return nil, err
		}
	}
	s.Code, s.Closed = resp.Code, resp.Code.Approved()
	s.InBalance = s.Closed && resp.SettlementCode == "1"
	if s.Closed {
		t.mu.Lock()
		t.batch.Entries = nil
		t.mu.Unlock()
		t.splits.reset()
		t.step("batch closed: %d purchase(s), %d reversed, net %s", s.Totals.DebitsNumber, s.Totals.DebitsReversalNumber, t.FormatAmount(uint64(b.Net())))
	}
	return s, nil
}

func (t *Terminal) reconcile(ctx context.Context, tot iso8583.Totals) (*iso8583.Response, error) {
	m, err := (&iso8583.Reconciliation{
		Transmitted: iso8583.TransmissionTime(t.cfg.now()),
		STAN:        t.nextSTAN(),
		TerminalID:  t.cfg.TerminalID,
		MerchantID:  t.cfg.Merchant.ID,
		Currency:    t.cfg.Currency,
		Totals:      tot,
	}).Message()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()
	resp, err := t.send(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("pos: reconciliation: %w", err)
	}
	t.step("settlement: 0500 sent (%d debits %s, %d reversals %s) → 0510 %s %s, field 66 %q",
		tot.DebitsNumber, t.FormatAmount(uint64(tot.DebitsAmount)), tot.DebitsReversalNumber, t.FormatAmount(uint64(tot.DebitsReversalAmount)),
		string(resp.Code), resp.Code.Meaning(), resp.SettlementCode)
	return resp, nil
}

func (t *Terminal) upload(ctx context.Context, e Entry) error {
	a := t.baseTransaction(e.Amount, t.nextSTAN(), t.cfg.now())
	a.PAN, a.RRN, a.AuthCode, a.EntryMode = e.PAN, e.RRN, e.AuthCode, e.EntryMode
	if a.RRN == "" {
		a.RRN = fmt.Sprintf("%06s%06s", t.cfg.TerminalID[2:], e.STAN)
	}
	u := &iso8583.BatchUpload{Transaction: a}
	if len(e.Transmitted) == 10 {
		u.Original = &iso8583.OriginalData{MTI: iso8583.MTIFinancialRequest, STAN: e.STAN, Transmitted: e.Transmitted}
	}
	m, err := u.Message()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()
	resp, err := t.send(ctx, m)
	if err != nil {
		return fmt.Errorf("pos: batch upload: %w", err)
	}
	return resp.Code.Err()
}

// splitLog is the terminal's transaction log for the split-sales check of
// the floor limit (emv.TransactionLog): approved amounts per PAN since the
// last settlement.
type splitLog struct {
	mu     *sync.Mutex
	amount map[string]uint64
}

func newSplitLog() splitLog { return splitLog{mu: new(sync.Mutex), amount: map[string]uint64{}} }

func (l splitLog) add(pan string, amount uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.amount[pan] += amount
}

func (l splitLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.amount)
}

// Amount implements emv.TransactionLog; the currency is always the
// terminal's.
func (l splitLog) Amount(pan []byte, _ [2]byte) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.amount[digits(pan)]
}
