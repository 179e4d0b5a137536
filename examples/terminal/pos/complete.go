package pos

import (
	"context"
	"errors"
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// complete decides the outcome of x, sends the reversal or queues the
// advice it needs, records an approval in the batch and fills in the
// receipt.
func (x *txn) complete(ctx context.Context) {
	t, r := x.t, x.rcpt
	x.fillReceipt()
	switch {
	case x.res != nil && x.res.ReversalRequired:
		r.Approved = false
		r.Reason = "declined by the card after the host approved"
		x.reverse(ctx)
	case x.timedOut:
		r.Reason = "no answer from the host"
		if r.Approved {
			r.Reason = "approved by the card offline after no answer from the host"
		}
		x.forwardReversal(ctx)
	}
	// The reversal or advice is in the store-and-forward queue before
	// the purchase is in the batch (Config.BatchFile): a crash between
	// the two leaves the host with more than the batch, which the 0500
	// finds out of balance and the batch upload closes, never a batch
	// that counts a reversal the host will not get.
	if x.timedOut || r.Reversed {
		// The host may have approved what the terminal reversed: the
		// purchase and its reversal both go into the batch totals.
		e := x.entry()
		e.Reversed = true
		if err := t.keep(e); err != nil {
			t.step("reversed purchase not kept in the batch: %v", err)
		}
	}
	if r.Approved {
		e := x.entry()
		if e.Offline {
			x.queueAdvice(ctx, &e)
		}
		if err := t.keep(e); err != nil {
			x.notKept(ctx, e, err)
		} else {
			t.splits.add(e.PAN, e.Amount)
		}
	}
	t.log.Info("transaction", "stan", r.STAN, "pan", r.MaskedPAN, "amount", x.amount, "approved", r.Approved, "code", string(r.Response), "reason", r.Reason)
}

// notKept handles an approval the batch could not keep (Config.BatchFile
// failed): the terminal does not approve what it could not settle. An
// online approval is reversed and declined, and kept as reversed if the
// batch can keep that; an offline approval whose advice is queued stands,
// since the host will have the advice, and one without is declined, since
// nobody will.
func (x *txn) notKept(ctx context.Context, e Entry, err error) {
	t, r := x.t, x.rcpt
	t.step("approval not kept in the batch: %v", err)
	switch {
	case e.Offline && e.Advice:
		return
	case e.Offline:
		r.Approved, r.Reason = false, "offline approval could not be kept in the batch"
		return
	}
	r.Approved, r.Reason = false, "approval could not be kept in the batch: reversed"
	x.reverse(ctx)
	if r.Reversed {
		e.Reversed = true
		if err := t.keep(e); err != nil {
			t.step("reversed purchase not kept in the batch: %v", err)
		}
	}
}

// reverse reverses the 0200 the host approved and the card then declined.
func (x *txn) reverse(ctx context.Context) {
	t := x.t
	if x.req == nil {
		return
	}
	rev, err := iso8583.NewReversal(x.req, false)
	if err == nil {
		var m *iso8583.Message
		if m, err = rev.Message(); err == nil {
			err = t.client.Forward(m)
		}
	}
	if err != nil {
		t.step("reversal could not be queued: %v", err)
		return
	}
	t.step("reversal 0400 queued for STAN %s", rev.STAN)
	x.forwardReversal(ctx)
	x.rcpt.Reversed = true
}

// forwardReversal sends the queued reversal at once.
func (x *txn) forwardReversal(ctx context.Context) {
	t := x.t
	n := t.client.Pending()
	if err := t.flush(ctx); err != nil {
		t.setReversing(true)
		t.step("reversal kept in the store-and-forward queue (%d pending): %v", t.client.Pending(), err)
		return
	}
	if n > 1 {
		t.step("reversal acknowledged by the host (0410), with %d other stored message(s) forwarded", n-1)
	} else {
		t.step("reversal acknowledged by the host (0410)")
	}
	x.rcpt.Reversed = true
}

// queueAdvice puts the 0220 of an offline approval in the store-and-
// forward queue; it goes with the next flush, at the latest before
// settlement.
func (x *txn) queueAdvice(_ context.Context, e *Entry) {
	t := x.t
	a := t.baseTransaction(e.Amount, e.STAN, x.now)
	a.PAN, a.Expiry, a.CardSequence, a.EntryMode, a.ICC = e.PAN, e.expiry, e.psn, e.EntryMode, e.icc
	m, err := (&iso8583.FinancialAdvice{Transaction: a}).Message()
	if err == nil {
		err = t.client.Forward(m)
	}
	if err != nil {
		t.step("advice could not be queued: %v", err)
		return
	}
	e.Advice = true
	t.step("offline approval: advice 0220 queued (%d message(s) waiting)", t.client.Pending())
}

// fillReceipt copies the outcome into the receipt.
func (x *txn) fillReceipt() {
	r := x.rcpt
	if x.resp != nil {
		r.Response, r.AuthCode, r.RRN = x.resp.Code, x.resp.AuthCode, x.resp.RRN
	}
	if x.req != nil {
		r.STAN = x.req.Text(11)
	}
	switch {
	case x.tapOut != nil:
		x.fillTapReceipt()
	case x.res != nil:
		res := x.res
		r.EntryMode = "chip"
		r.AID, r.Label = fmt.Sprintf("%X", res.AID), res.Label
		if v, ok := res.Value(0x5A); ok {
			r.MaskedPAN = emv.MaskPAN(digits(v))
		}
		r.TVR = fmt.Sprintf("%X", res.TVR[:])
		r.CryptogramType = res.CID.Type().String()
		r.Cryptogram = fmt.Sprintf("%X", res.Cryptogram)
		if res.ResponseCode != [2]byte{} {
			if x.resp == nil {
				r.Response = iso8583.ResponseCode(res.ResponseCode[:])
			}
		}
		r.PINVerified = x.pinSent && x.resp != nil && x.resp.Code.Approved() || res.CVMResults.Code() == emv.CVMPlaintextPIN || res.CVMResults.Code() == emv.CVMEncipheredPINOffline
		r.Signature = res.SignatureRequired
		switch res.Outcome {
		case emv.ApprovedOnline:
			r.Approved, r.Reason = true, "approved online"
		case emv.ApprovedOffline:
			r.Approved, r.Reason = true, "approved offline by the card"
			if r.Response == "" {
				r.Response = "Y1"
			}
		case emv.DeclinedOnline:
			r.Reason = "declined online"
			if x.resp != nil {
				r.Reason = "declined by the issuer: " + x.resp.Code.Meaning()
			}
		case emv.DeclinedOffline:
			r.Reason = "declined offline by the card"
		case emv.Terminated:
			switch {
			case errors.Is(res.Err, emv.ErrCardBlocked):
				r.Reason = "card blocked: the chip refuses every application"
			case errors.Is(res.Err, emv.ErrNoApplication):
				r.Reason = "no application on the card that the terminal accepts"
			case errors.Is(res.Err, emv.ErrServiceNotAllowed):
				r.Reason = "service not allowed by the card"
			default:
				r.Reason = fmt.Sprintf("chip transaction terminated: %v", res.Err)
			}
		}
	case x.track != nil:
		r.MaskedPAN = emv.MaskPAN(x.track.PAN)
		r.EntryMode = "magnetic stripe"
		if x.mode == emv.EntryFallbackMagstripe {
			r.EntryMode = "magnetic stripe (chip fallback)"
		}
		r.PINVerified = x.pinSent && x.resp != nil && x.resp.Code.Approved()
		r.Signature = !x.pinSent
		if x.resp != nil {
			r.Approved = x.resp.Code.Approved()
			if r.Approved {
				r.Reason = "approved online"
			} else {
				r.Reason = "declined by the issuer: " + x.resp.Code.Meaning()
			}
		}
	}
	if r.Reason == "" {
		r.Reason = "not authorised"
	}
}

// entry is the batch entry of an approved x.
func (x *txn) entry() Entry {
	r := x.rcpt
	e := Entry{STAN: r.STAN, Amount: x.amount, RRN: r.RRN, AuthCode: r.AuthCode, Time: x.now}
	if x.req != nil {
		e.PAN = x.req.Text(2)
		e.EntryMode = x.req.Text(22)
		e.Transmitted = x.req.Text(7)
		if e.PAN == "" {
			e.PAN = panOf(x.req.Text(35))
		}
	}
	if res := x.res; res != nil {
		if v, ok := res.Value(0x5A); ok {
			e.PAN = digits(v)
		}
		if v, ok := res.Value(0x5F24); ok && len(v) == 3 {
			e.expiry = fmt.Sprintf("%X", v[:2])
		}
		if v, ok := res.Value(0x5F34); ok && len(v) == 1 {
			e.psn = fmt.Sprintf("%03x", v[0])
		}
		if res.Outcome == emv.ApprovedOffline {
			e.Offline = true
			e.EntryMode = string(emv.EntryChip) + "1"
			e.STAN = x.t.nextSTAN()
			e.Transmitted = ""
			r.STAN = e.STAN
		}
		e.icc, _ = res.AppendField55(nil, x.t.field55Tags(res.AID))
	}
	if out := x.tapOut; out != nil {
		e.PAN, e.expiry, e.psn, e.icc = x.tapPAN(), x.tapExpiry(), x.tapPSN(), x.tapField55()
		if out.Type == entrypoint.Approved {
			e.Offline = true
			e.EntryMode = string(emv.EntryContactlessChip) + "1"
			e.STAN = x.t.nextSTAN()
			e.Transmitted = ""
			r.STAN = e.STAN
		}
	}
	return e
}

func panOf(track2 string) string {
	for i := 0; i < len(track2); i++ {
		if track2[i] == '=' || track2[i] == 'D' {
			return track2[:i]
		}
	}
	return track2
}

// field55Tags returns the field 55 tags of the application aid.
func (t *Terminal) field55Tags(aid []byte) []tlv.Tag {
	for _, a := range t.cfg.applications() {
		if len(aid) >= len(a.AID) && string(aid[:len(a.AID)]) == string(a.AID) {
			return a.Field55
		}
	}
	return nil
}
