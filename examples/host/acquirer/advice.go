package acquirer

import (
	"context"
	"errors"
	"strconv"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/iso8583"
)

// advice answers an 0220 (or 0221): a transaction the card approved
// offline. The amount moves once, whatever the balance, since the goods
// are gone; a repeat finds the journal row and moves nothing. A
// transaction certificate in field 55 is verified and its ATC recorded,
// but a failure is only logged: the advice is still accepted. An advice
// for a card the host does not know is answered 14 and moves nothing.
//
// An advice whose field 90 names an 0100 is the completion of that
// pre-authorization (see complete).
func (h *Host) advice(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, resp := h.begin(ctx, req)
	if resp != nil {
		return resp
	}
	adv, err := iso8583.ReadFinancialAdvice(req)
	if err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return r.record(KindRefused, iso8583.FormatError)
	}
	if r.logging() {
		r.log = r.log.With("pan", iso8583.MaskPAN(adv.PAN), "amount", adv.Amount)
	}
	dig := digest(adv.PAN, adv.ProcessingCode, strconv.FormatInt(adv.Amount, 10), adv.Currency)
	var hold *RequestKey
	if v, ok := req.Field(90); ok {
		if hold, err = r.heldBy(v); err != nil {
			r.log.Warn("acquirer: invalid message", "err", err)
			return r.record(KindRefused, iso8583.FormatError)
		}
	}
	card := h.cards[adv.PAN]
	atc := -1
	if card != nil && adv.ICC != nil {
		if data, err := issuer.ParseField55(adv.ICC); err != nil {
			r.log.Warn("acquirer: advice with malformed field 55", "err", err)
		} else if _, err := h.hsm.VerifyARQC(withICCPSN(card, data), data); err != nil {
			r.log.Warn("acquirer: advice cryptogram does not verify", "err", err)
		} else if v := data[issuer.TagATC]; len(v) == 2 {
			atc = int(v[0])<<8 | int(v[1])
		}
	}
	return r.update(func(tx Tx) (*iso8583.Message, error) {
		if e, err := tx.Lookup(r.requestKey()); err == nil {
			return r.duplicate(tx, e, dig)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		e := &Entry{Kind: KindAdvice, MaskedPAN: iso8583.MaskPAN(adv.PAN), Processing: adv.ProcessingCode,
			Amount: adv.Amount, Currency: adv.Currency, Digest: dig}
		var err error
		if e.Batch, err = tx.Batch(r.terminal.ID); err != nil {
			return nil, err
		}
		code := iso8583.Approved
		switch {
		case hold != nil:
			if code, err = r.complete(tx, e, adv, *hold); err != nil {
				return nil, err
			}
		case card == nil:
			code = iso8583.InvalidCardNumber
		case txType(adv.ProcessingCode) == typePurchase || txType(adv.ProcessingCode) == typeCash:
			e.Debit, e.Applied = true, -adv.Amount
		case txType(adv.ProcessingCode) == typeRefund:
			e.Applied = adv.Amount
		default:
			code = iso8583.InvalidTransaction
		}
		if card != nil {
			if e.Account == "" {
				e.Account = card.Account
			}
			if atc >= 0 {
				st, err := tx.CardState(adv.PAN)
				if err != nil {
					return nil, err
				}
				if atc > st.LastATC {
					st.LastATC = atc
					if err := tx.SetCardState(st); err != nil {
						return nil, err
					}
				}
			}
		}
		if hold == nil && e.Applied != 0 {
			if err := tx.AddBalance(e.Account, e.Applied); err != nil {
				return nil, err
			}
		}
		resp := r.respond(code, func(resp *iso8583.Response) { resp.RRN = adv.RRN })
		if err := r.journal(tx, e, resp); err != nil {
			return nil, err
		}
		if hold != nil && e.Original != 0 {
			if err := tx.SetReversed(e.Original, e.ID); err != nil {
				return nil, err
			}
			r.log.Info("acquirer: pre-authorization completed", "original", e.Original, "released", e.Applied)
		}
		return resp, nil
	})
}
