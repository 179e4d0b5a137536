package acquirer

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/posflow/posflow/iso8583"
)

// Totals as the host counts them for a batch, in the terms of fields 74 to
// 77 and 86 to 89, as a terminal counts its batch:
//
//   - debits (76, 88): every approved purchase or cash advance, online
//     (0200) or offline (0220), and every completion of a
//     pre-authorization (0220 naming an 0100) for its final amount,
//     including those reversed later;
//   - debit reversals (77, 89): the reversals of those that restored money;
//   - credits (74, 86) and credit reversals (75, 87): the same for refunds.
//
// Authorizations (0100) hold money but are not settled, so they are not
// counted.
func batchTotals(entries []Entry, originals map[int64]Entry) iso8583.Totals {
	var t iso8583.Totals
	for _, e := range entries {
		switch e.Kind {
		case KindFinancial, KindAdvice:
			if !iso8583.ResponseCode(e.Code).Approved() || !e.settled() {
				continue
			}
			if e.Debit {
				t.DebitsNumber++
				t.DebitsAmount += e.Amount
			} else {
				t.CreditsNumber++
				t.CreditsAmount += e.Amount
			}
		case KindReversal:
			o, ok := originals[e.Original]
			if e.Original == 0 || !ok || o.Kind == KindAuthorization {
				continue
			}
			if e.Debit {
				t.DebitsReversalNumber++
				t.DebitsReversalAmount += e.Amount
			} else {
				t.CreditsReversalNumber++
				t.CreditsReversalAmount += e.Amount
			}
		}
	}
	return t
}

// settled reports whether e, an approved 0200 or 0220, settled money: it
// moved some, or it completed a pre-authorization (whose balance change is
// the hold less the final amount, zero when they are equal).
func (e *Entry) settled() bool { return e.Applied != 0 || e.Kind == KindAdvice && e.Original != 0 }

// uploadTotals counts the transactions a terminal uploaded (0320) after an
// out-of-balance reconciliation, each once.
func uploadTotals(entries []Entry) iso8583.Totals {
	var t iso8583.Totals
	seen := make(map[string]bool)
	for _, e := range entries {
		// A transaction uploaded twice counts once: a terminal that
		// starts its settlement over uploads everything again, under new
		// STANs. The digest holds the card, type, amount and RRN.
		if e.Kind != KindUpload || seen[e.Digest] {
			continue
		}
		seen[e.Digest] = true
		switch txType(e.Processing) {
		case typePurchase, typeCash:
			t.DebitsNumber++
			t.DebitsAmount += e.Amount
		case typeRefund:
			t.CreditsNumber++
			t.CreditsAmount += e.Amount
		}
	}
	return t
}

func sameTotals(a, b iso8583.Totals) bool {
	a.Net, b.Net = nil, nil
	return a == b
}

// reconciliation answers an 0500 (or 0501): the terminal's batch totals
// against the journal. In balance, the batch closes: 00 with field 66 = 1.
// Out of balance, the batch stays open: 95 with field 66 = 2, and the
// terminal uploads its transactions (0320) and sends the 0500 again. The
// host then closes the batch with 00 if the uploaded transactions add up
// to the terminal's totals (its own journal stays the record of what
// moved; the difference is logged and kept in Settlement.Balanced), and
// answers 95 again otherwise.
func (h *Host) reconciliation(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, resp := h.begin(ctx, req)
	if resp != nil {
		return resp
	}
	rec, err := iso8583.ReadReconciliation(req)
	if err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return r.record(KindRefused, iso8583.FormatError)
	}
	tt := rec.Totals
	dig := digest("", fmt.Sprint(tt.CreditsNumber, tt.CreditsReversalNumber, tt.DebitsNumber, tt.DebitsReversalNumber,
		tt.CreditsAmount, tt.CreditsReversalAmount, tt.DebitsAmount, tt.DebitsReversalAmount))
	return r.update(func(tx Tx) (*iso8583.Message, error) {
		if e, err := tx.Lookup(r.requestKey()); err == nil {
			return r.duplicate(tx, e, dig)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		batch, err := tx.Batch(r.terminal.ID)
		if err != nil {
			return nil, err
		}
		all, err := tx.Entries(r.terminal.ID, 0)
		if err != nil {
			return nil, err
		}
		byID := make(map[int64]Entry, len(all))
		var entries []Entry
		for _, e := range all {
			byID[e.ID] = e
			if e.Batch == batch {
				entries = append(entries, e)
			}
		}
		journal := batchTotals(entries, byID)
		uploaded, reconciled := false, false
		for _, e := range entries {
			switch e.Kind {
			case KindUpload:
				uploaded = true
			case KindReconcile:
				reconciled = true
			}
		}
		code, settle, balanced := iso8583.ReconcileError, "2", false
		switch {
		case sameTotals(journal, tt):
			code, settle, balanced = iso8583.Approved, "1", !uploaded
		case uploaded && reconciled && sameTotals(uploadTotals(entries), tt):
			code, settle = iso8583.Approved, "2"
			r.log.Warn("acquirer: batch closed after upload, out of balance with the journal",
				"journal_debits", journal.DebitsNumber, "terminal_debits", tt.DebitsNumber)
		}
		resp := r.respond(code, func(resp *iso8583.Response) { resp.SettlementCode = settle })
		e := &Entry{Kind: KindReconcile, Amount: tt.DebitsAmount - tt.DebitsReversalAmount, Digest: dig, Batch: batch}
		if err := r.journal(tx, e, resp); err != nil {
			return nil, err
		}
		if code.Approved() {
			s := Settlement{Terminal: r.terminal.ID, Merchant: r.terminal.Merchant, Batch: batch,
				Time: h.now().UTC(), Balanced: balanced}
			if err := tx.CloseBatch(r.terminal.ID, s); err != nil {
				return nil, err
			}
		}
		r.log.Info("acquirer: reconciliation", "code", string(code), "batch", batch,
			"debits", journal.DebitsNumber, "debit_amount", journal.DebitsAmount)
		return resp, nil
	})
}

// batchUpload answers an 0320 (or 0321): one transaction of a batch the
// terminal uploads after an out-of-balance reconciliation. It is journaled
// in the open batch and answered 00; it moves no money.
func (h *Host) batchUpload(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, resp := h.begin(ctx, req)
	if resp != nil {
		return resp
	}
	up, err := iso8583.ReadBatchUpload(req)
	if err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return r.record(KindRefused, iso8583.FormatError)
	}
	dig := digest(up.PAN, up.ProcessingCode, strconv.FormatInt(up.Amount, 10), up.RRN)
	return r.update(func(tx Tx) (*iso8583.Message, error) {
		if e, err := tx.Lookup(r.requestKey()); err == nil {
			return r.duplicate(tx, e, dig)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		e := &Entry{Kind: KindUpload, MaskedPAN: iso8583.MaskPAN(up.PAN), Processing: up.ProcessingCode,
			Amount: up.Amount, Currency: up.Currency, Digest: dig, RRN: up.RRN}
		var err error
		if e.Batch, err = tx.Batch(r.terminal.ID); err != nil {
			return nil, err
		}
		if c := h.cards[up.PAN]; c != nil {
			e.Account = c.Account
		}
		resp := r.respond(iso8583.Approved, nil)
		return resp, r.journal(tx, e, resp)
	})
}
