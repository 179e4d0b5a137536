package acquirer

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/posflow/posflow/iso8583"
)

// unableToLocate is response code 25 of ISO 8583:1987, "unable to locate
// record on file", which package iso8583 does not name: the completion of
// a pre-authorization that the host does not hold.
const unableToLocate iso8583.ResponseCode = "25"

// heldBy returns the request key of the 0100 that field 90 (the original
// data elements: MTI, STAN and transmission date and time of the original)
// of an 0220 names, or nil when field 90 names no 0100 (the advice is then
// an offline approval). A field 90 out of format is an error. The terminal
// is the advice's own (field 41): a terminal completes only its own
// authorizations. Ten zeros for the date and time name an 0100 sent
// without field 7, as terminal protocols send them.
func (r *request) heldBy(v []byte) (*RequestKey, error) {
	if len(v) != 42 {
		return nil, fmt.Errorf("acquirer: field 90: want 42 digits, have %d", len(v))
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return nil, errors.New("acquirer: field 90: not numeric")
		}
	}
	if iso8583.MTI(v[0:4]) != iso8583.MTIAuthorizationRequest {
		return nil, nil
	}
	k := &RequestKey{Terminal: r.req.Text(41), MTI: string(iso8583.MTIAuthorizationRequest),
		STAN: string(v[4:10]), Transmitted: string(v[10:20])}
	if k.Transmitted == "0000000000" {
		k.Transmitted = ""
	}
	return k, nil
}

// complete applies the completion adv of the pre-authorization held under
// key, in the transaction of the advice's journal row e, and returns the
// response code. The hold is released and the final amount debited in one
// balance change (e.Applied, the hold less the final amount), and the 0100
// is marked released by e once e is journaled, so a completion applies
// once:
//
//   - no approved 0100 under key holding money for the same card, currency
//     and transaction type, or one whose auth code differs from field 38
//     when the advice carries it: 25, nothing moves;
//   - a hold already completed: 00, nothing moves (a completion sent again
//     under another STAN or time);
//   - a hold released by a reversal: 25, nothing moves;
//   - a final amount above the hold: 13, nothing moves and the hold stays
//     until a reversal releases it or a completion within it;
//   - otherwise 00: the final amount (at most the hold) is settled.
func (r *request) complete(tx Tx, e *Entry, adv *iso8583.FinancialAdvice, key RequestKey) (iso8583.ResponseCode, error) {
	orig, err := tx.Lookup(key)
	if errors.Is(err, ErrNotFound) {
		r.log.Info("acquirer: completion of no authorization", "original stan", key.STAN)
		return unableToLocate, nil
	}
	if err != nil {
		return "", err
	}
	switch {
	case orig.Kind != KindAuthorization || !iso8583.ResponseCode(orig.Code).Approved() || !orig.Debit || orig.Applied >= 0,
		digest(adv.PAN, orig.Processing, strconv.FormatInt(orig.Amount, 10), orig.Currency) != orig.Digest,
		orig.Currency != "" && orig.Currency != adv.Currency,
		txType(orig.Processing) != txType(adv.ProcessingCode),
		adv.AuthCode != "" && adv.AuthCode != orig.AuthCode:
		r.log.Info("acquirer: completion of no hold of this card", "original", orig.ID)
		return unableToLocate, nil
	case orig.Reversed != 0:
		by, err := tx.Entry(orig.Reversed)
		if err != nil {
			return "", err
		}
		if by.Kind == KindAdvice {
			r.log.Info("acquirer: pre-authorization already completed", "original", orig.ID, "by", by.ID)
			return iso8583.Approved, nil
		}
		r.log.Info("acquirer: completion of a reversed pre-authorization", "original", orig.ID)
		return unableToLocate, nil
	case adv.Amount > -orig.Applied:
		r.log.Info("acquirer: completion above the hold", "hold", -orig.Applied)
		return iso8583.InvalidAmount, nil
	}
	e.Original, e.Account, e.Debit = orig.ID, orig.Account, true
	e.Applied = -orig.Applied - adv.Amount
	if e.Applied != 0 {
		if err := tx.AddBalance(orig.Account, e.Applied); err != nil {
			return "", err
		}
	}
	return iso8583.Approved, nil
}
