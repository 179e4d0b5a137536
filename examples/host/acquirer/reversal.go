package acquirer

import (
	"context"
	"errors"
	"strconv"

	"github.com/posflow/posflow/iso8583"
)

// reversal answers an 0400 or 0420 (and their repeats): it restores the
// amount the original authorization, purchase or advice moved, exactly
// once. The original is the latest approved request of the terminal with
// the reversal's STAN (and, when field 90 names it, transmission time). A
// reversal of a request the host never approved, or already reversed, is
// acknowledged with 00 and moves nothing (and the request, should it come
// after its reversal, is declined with 05: see Tx.Orphans); one whose amount differs from
// the original's is answered 13 (partial reversals are not supported).
//
// The reversal of an 0100 releases the hold; of a completed 0100 it moves
// nothing, since the completion released the hold. The reversal of a
// completion (an 0220 naming an 0100) undoes it: the final amount comes
// back and the hold stands again, to be completed or reversed.
func (h *Host) reversal(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, resp := h.begin(ctx, req)
	if resp != nil {
		return resp
	}
	rev, err := iso8583.ReadReversal(req)
	if err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return r.record(KindRefused, iso8583.FormatError)
	}
	if r.logging() {
		r.log = r.log.With("pan", iso8583.MaskPAN(rev.PAN), "amount", rev.Amount)
	}
	dig := digest(rev.PAN, rev.ProcessingCode, strconv.FormatInt(rev.Amount, 10))
	return r.updateOnce(func(tx Tx, lookup bool) (*iso8583.Message, error) {
		if lookup {
			if e, err := tx.Lookup(r.requestKey()); err == nil {
				return r.duplicate(tx, e, dig)
			} else if !errors.Is(err, ErrNotFound) {
				return nil, err
			}
		}
		e := &Entry{Kind: KindReversal, MaskedPAN: iso8583.MaskPAN(rev.PAN), Processing: rev.ProcessingCode,
			Amount: rev.Amount, Currency: rev.Currency, Digest: dig}
		var err error
		if e.Batch, err = tx.Batch(r.terminal.ID); err != nil {
			return nil, err
		}
		transmitted := ""
		if rev.Original != nil {
			transmitted = rev.Original.Transmitted
		}
		code := iso8583.Approved
		orig, err := tx.Original(r.terminal.ID, rev.STAN, transmitted)
		switch {
		case errors.Is(err, ErrNotFound):
			r.log.Info("acquirer: reversal of no approved transaction")
		case err != nil:
			return nil, err
		case orig.Amount != rev.Amount:
			code = iso8583.InvalidAmount
		case orig.Reversed != 0:
			r.log.Info("acquirer: already reversed")
		default:
			e.Original, e.Account, e.Debit, e.Applied = orig.ID, orig.Account, orig.Debit, -orig.Applied
			if e.Applied != 0 {
				if err := tx.AddBalance(orig.Account, e.Applied); err != nil {
					return nil, err
				}
			}
		}
		resp := r.respond(code, nil)
		if err := r.journal(tx, e, resp); err != nil {
			return nil, err
		}
		if e.Original != 0 {
			if err := tx.SetReversed(e.Original, e.ID); err != nil {
				return nil, err
			}
			if orig.Kind == KindAdvice && orig.Original != 0 {
				if err := tx.SetReversed(orig.Original, 0); err != nil {
					return nil, err
				}
			}
			if r.verbose {
				r.log.Info("acquirer: reversed", "original", e.Original, "restored", e.Applied)
			}
		}
		return resp, nil
	})
}
