package pos

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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

// ErrSettling is returned by Pay while a settlement that failed half-way
// is unfinished: the host may have closed the batch already, so the
// terminal must finish it (Settle again) before it takes a payment.
var ErrSettling = errors.New("pos: settlement unfinished: settle before the next payment")

// settleAttempts is how many times Settle sends each message of the
// settlement (the 0500, each 0320) before it gives up; every attempt after
// the first is a repeat (0501, 0321).
const settleAttempts = 3

// settling is a settlement under way. It keeps the messages sent between
// calls of Settle, so that a settlement that failed half-way resumes where
// it stopped and repeats what got no answer with the same STAN and
// transmission time, which the host answers from its journal, rather than
// starting over with new ones, which the host would take for new requests:
// an upload counted twice, or a second 0500 for the next batch after the
// first closed this one.
type settling struct {
	batch    Batch
	first    *iso8583.Message   // the 0500 with the batch's totals
	answer   *iso8583.Response  // the host's answer to first, nil until one comes
	uploads  []*iso8583.Message // after 95: the 0320 of each purchase kept
	uploaded int                // how many of uploads the host answered
	second   *iso8583.Message   // after the uploads: the 0500 with their totals
}

// Settle closes the batch: it forwards the queued advices and reversals,
// sends the 0500 with the batch totals, and, when the host answers out of
// balance (95), uploads every transaction (0320) and sends the 0500 again.
// Each of these messages that gets no answer within the timeout is
// repeated (0501, 0321) with its STAN and transmission time, up to three
// times in all; if it still has none, Settle returns the error, and the
// next call resumes the settlement with the same message, so that the host
// applies each once. The settled purchases leave the batch when the host
// accepts it.
func (t *Terminal) Settle(ctx context.Context) (*Settlement, error) {
	s := &Settlement{Forwarded: t.client.Pending()}
	if s.Forwarded > 0 {
		t.step("forwarding %d stored message(s) before settlement", s.Forwarded)
		if err := t.flush(ctx); err != nil || t.client.Pending() > 0 {
			return nil, fmt.Errorf("%w: %d: %v", ErrPending, t.client.Pending(), err)
		}
	}
	t.mu.Lock()
	st := t.settling
	t.mu.Unlock()
	if st == nil {
		st = &settling{batch: t.Batch()}
		m, err := t.reconciliation(st.batch.Totals())
		if err != nil {
			return nil, err
		}
		st.first = m
		// On disk before the 0500 goes: a terminal that restarts
		// repeats it rather than sending a new one for a batch the host
		// may have closed.
		if err := t.cfg.BatchFile.begin(len(st.batch.Entries), m); err != nil {
			return nil, err
		}
		t.mu.Lock()
		t.settling = st
		t.mu.Unlock()
	}
	b := st.batch
	s.Totals = b.Totals()
	if st.answer == nil {
		resp, err := t.exchange(ctx, &st.first)
		if err != nil {
			return nil, fmt.Errorf("pos: reconciliation: %w", err)
		}
		st.answer = resp
		t.stepReconciled(s.Totals, resp)
	}
	resp := st.answer
	if resp.Code == iso8583.ReconcileError {
		if st.uploads == nil {
			t.step("host: out of balance (95): uploading %d transaction(s)", len(b.Entries))
			// Reversed purchases are not uploaded: an 0320 has no way
			// to say "reversed", and the host would count it as a
			// sale. The second 0500 carries the totals of what was
			// uploaded.
			st.uploads = []*iso8583.Message{}
			var up Batch
			for _, e := range b.Entries {
				if e.Reversed {
					continue
				}
				m, err := t.uploadMessage(e)
				if err != nil {
					return nil, errors.Join(err, t.endSettling(0))
				}
				st.uploads = append(st.uploads, m)
				up.Entries = append(up.Entries, e)
			}
			m, err := t.reconciliation(up.Totals())
			if err != nil {
				return nil, errors.Join(err, t.endSettling(0))
			}
			// On disk before the first 0320 goes.
			if err := t.cfg.BatchFile.upload(resp, st.uploads, m); err != nil {
				st.uploads = nil
				return nil, err
			}
			st.second = m
		}
		for st.uploaded < len(st.uploads) {
			r, err := t.exchange(ctx, &st.uploads[st.uploaded])
			if err != nil {
				return nil, fmt.Errorf("pos: batch upload: %w", err)
			}
			if err := r.Code.Err(); err != nil {
				return nil, errors.Join(fmt.Errorf("pos: batch upload: %w", err), t.endSettling(0))
			}
			// Without it, a restarted terminal sends this 0320 again,
			// as a repeat the host answers from its journal: no need to
			// stop.
			if err := t.cfg.BatchFile.uploadAnswered(st.uploaded); err != nil {
				t.step("upload answer not kept in the batch file: %v", err)
			}
			st.uploaded++
		}
		s.Uploaded = len(st.uploads)
		var err error
		if resp, err = t.exchange(ctx, &st.second); err != nil {
			return nil, fmt.Errorf("pos: reconciliation: %w", err)
		}
		up, _ := iso8583.ReadReconciliation(st.second)
		var tot iso8583.Totals
		if up != nil {
			tot = up.Totals
		}
		t.stepReconciled(tot, resp)
	}
	// The settlement has its last answer: closed, or refused and to be
	// started again.
	s.Code, s.Closed = resp.Code, resp.Code.Approved()
	// In balance is the host's verdict on the first 0500; after an
	// upload it compares the second one with the journal.
	s.InBalance = s.Closed && st.second == nil && resp.SettlementCode == "1"
	closed := 0
	if s.Closed {
		// The settled purchases are the first of the batch; a purchase
		// made since (there is none while settling) stays.
		closed = len(b.Entries)
	}
	if err := t.endSettling(closed); err != nil {
		// Still settling: the next Settle sends the last message again
		// and the host answers it from its journal.
		return nil, err
	}
	if s.Closed {
		t.splits.reset()
		t.step("batch closed: %d purchase(s), %d reversed, net %s", s.Totals.DebitsNumber, s.Totals.DebitsReversalNumber, t.FormatAmount(uint64(b.Net())))
	}
	return s, nil
}

// keep puts e in the batch: in Config.BatchFile first, then in memory.
func (t *Terminal) keep(e Entry) error {
	if err := t.cfg.BatchFile.add(e); err != nil {
		return err
	}
	t.mu.Lock()
	t.batch.Entries = append(t.batch.Entries, e)
	t.mu.Unlock()
	return nil
}

// batchFull reports whether the next purchase might not fit in the batch:
// one payment keeps up to two entries (a reversed purchase and an offline
// approval after it).
func (t *Terminal) batchFull() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.batch.Entries)+2 > MaxBatch
}

// recoverBatch takes the batch and the settlement under way from
// Config.BatchFile, when the terminal starts: the split-sales log is made
// again from the purchases, the STANs go on after the highest the file
// holds, and every message of the settlement that got no answer goes
// again as a repeat, since the process that wrote the file may have sent
// it.
func (t *Terminal) recoverBatch() {
	f := t.cfg.BatchFile
	if f == nil {
		return
	}
	t.batch = f.Batch()
	for _, e := range t.batch.Entries {
		if !e.Reversed {
			t.splits.add(e.PAN, e.Amount)
		}
		t.stanAfter(e.STAN)
	}
	s := f.settlement()
	if s == nil {
		return
	}
	st := &settling{batch: Batch{Entries: append([]Entry(nil), t.batch.Entries[:s.n]...)}}
	st.first = asRepeat(s.first)
	t.stanAfter(s.first.Text(11))
	if s.uploaded {
		st.first = s.first
		st.answer = &iso8583.Response{Code: s.code, SettlementCode: s.settlementCode}
		st.uploads = make([]*iso8583.Message, 0, len(s.uploads))
		for _, m := range s.uploads {
			st.uploads = append(st.uploads, asRepeat(m))
			t.stanAfter(m.Text(11))
		}
		st.uploaded = s.progress
		st.second = asRepeat(s.second)
		t.stanAfter(s.second.Text(11))
	}
	t.settling = st
}

// stanAfter makes the next STAN follow stan, if it is higher than the
// last one given.
func (t *Terminal) stanAfter(stan string) {
	if n, err := strconv.Atoi(stan); err == nil && n > t.stan && n <= 999999 {
		t.stan = n
	}
}

// asRepeat returns m as a repeat (0501, 0321).
func asRepeat(m *iso8583.Message) *iso8583.Message {
	if m.MTI.IsRepeat() {
		return m
	}
	return repeat(m)
}

// settlingNow reports whether a settlement is unfinished.
func (t *Terminal) settlingNow() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.settling != nil
}

// endSettling ends the settlement under way and drops the first closed
// purchases from the batch: in Config.BatchFile first, then in memory. On
// error the settlement stays under way.
func (t *Terminal) endSettling(closed int) error {
	t.mu.Lock()
	rest := append([]Entry(nil), t.batch.Entries[closed:]...)
	t.mu.Unlock()
	if err := t.cfg.BatchFile.end(rest); err != nil {
		return err
	}
	t.mu.Lock()
	t.batch.Entries = t.batch.Entries[closed:]
	t.settling = nil
	t.mu.Unlock()
	return nil
}

// reconciliation builds the 0500 with the totals tot.
func (t *Terminal) reconciliation(tot iso8583.Totals) (*iso8583.Message, error) {
	return (&iso8583.Reconciliation{
		Transmitted: iso8583.TransmissionTime(t.cfg.now()),
		STAN:        t.nextSTAN(),
		TerminalID:  t.cfg.TerminalID,
		MerchantID:  t.cfg.Merchant.ID,
		Currency:    t.cfg.Currency,
		Totals:      tot,
	}).Message()
}

func (t *Terminal) stepReconciled(tot iso8583.Totals, resp *iso8583.Response) {
	t.step("settlement: 0500 sent (%d debits %s, %d reversals %s) → 0510 %s %s, field 66 %q",
		tot.DebitsNumber, t.FormatAmount(uint64(tot.DebitsAmount)), tot.DebitsReversalNumber, t.FormatAmount(uint64(tot.DebitsReversalAmount)),
		string(resp.Code), resp.Code.Meaning(), resp.SettlementCode)
}

// uploadMessage builds the 0320 of the batch entry e.
func (t *Terminal) uploadMessage(e Entry) (*iso8583.Message, error) {
	a := t.baseTransaction(e.Amount, t.nextSTAN(), t.cfg.now())
	a.PAN, a.RRN, a.AuthCode, a.EntryMode = e.PAN, e.RRN, e.AuthCode, e.EntryMode
	if a.RRN == "" {
		a.RRN = fmt.Sprintf("%06s%06s", t.cfg.TerminalID[2:], e.STAN)
	}
	u := &iso8583.BatchUpload{Transaction: a}
	if len(e.Transmitted) == 10 {
		u.Original = &iso8583.OriginalData{MTI: iso8583.MTIFinancialRequest, STAN: e.STAN, Transmitted: e.Transmitted}
	}
	return u.Message()
}

// exchange sends *m, a message of the settlement, and returns its answer.
// When none comes within the timeout, *m becomes its repeat (0501, 0321:
// the same fields, STAN and transmission time) and is sent again, up to
// settleAttempts times in all; a message that never got an answer stays a
// repeat, for the next Settle. A message that could not be sent at all
// (no connection) is not made a repeat: the host cannot have it.
func (t *Terminal) exchange(ctx context.Context, m **iso8583.Message) (*iso8583.Response, error) {
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
		resp, err := t.send(actx, *m)
		cancel()
		var te *iso8583.TimeoutError
		if !errors.As(err, &te) {
			return resp, err
		}
		if !(*m).MTI.IsRepeat() {
			*m = repeat(*m)
		}
		if attempt >= settleAttempts || ctx.Err() != nil {
			return nil, err
		}
		t.step("no answer to %s STAN %s: repeating it as %s", string(te.Request.MTI), te.Request.Text(11), string((*m).MTI))
	}
}

// repeat returns the repeat of request m (0500 gives 0501): its fields
// without the MAC, which the client computes again over the new MTI.
func repeat(m *iso8583.Message) *iso8583.Message {
	r := iso8583.NewMessage(m.MTI.Repeat())
	for id, v := range m.All() {
		if id != 64 && id != 128 {
			r.Set(id, v)
		}
	}
	return r
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
