package acquirer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// authorization answers an 0100: the amount is held on the account.
func (h *Host) authorization(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, resp := h.begin(ctx, req)
	if resp != nil {
		return resp
	}
	a, err := iso8583.ReadAuthorizationRequest(req)
	if err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return r.record(KindRefused, iso8583.FormatError)
	}
	return r.authorize(KindAuthorization, &a.Transaction)
}

// financial answers an 0200: the amount moves.
func (h *Host) financial(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, resp := h.begin(ctx, req)
	if resp != nil {
		return resp
	}
	f, err := iso8583.ReadFinancialRequest(req)
	if err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return r.record(KindRefused, iso8583.FormatError)
	}
	return r.authorize(KindFinancial, &f.Transaction)
}

// Transaction types, the first two digits of the processing code.
const (
	typePurchase = "00"
	typeCash     = "01"
	typeRefund   = "20"
	typeBalance  = "31"
)

// auth is the state of an authorization or financial request after the
// checks that need no store: PIN and cryptogram are verified by the
// security module before the store transaction, whose outcome they do not
// depend on, so the transaction stays short.
type auth struct {
	*request
	kind    string
	t       *iso8583.Transaction
	pan     string
	expiry  string
	card    *Card
	pinErr  error // nil when no PIN block or the PIN matched
	hasPIN  bool
	chip    map[tlv.Tag][]byte
	cvn     issuer.CVN
	arqcErr error
	atc     int // -1 without chip data
	digest  string
	pinPad  string // the PIN pad of the KSN in field 53 (see pinPadOf); "" without a PIN block
	counter int64  // the KSN's transaction counter
	fresh   bool   // the store took counter as the PIN pad's last
}

func (r *request) authorize(kind string, t *iso8583.Transaction) *iso8583.Message {
	a := &auth{request: r, kind: kind, t: t, atc: -1}
	a.pan, a.expiry = cardOf(t)
	if a.logging() {
		a.log = a.log.With("pan", iso8583.MaskPAN(a.pan), "amount", t.Amount)
	}
	a.digest = digest(a.pan, t.ProcessingCode, strconv.FormatInt(t.Amount, 10), t.Currency)
	switch a.txType() {
	case typePurchase, typeCash, typeRefund, typeBalance:
	default:
		return a.decline(iso8583.InvalidTransaction)
	}
	if t.Amount < 0 || a.pan == "" {
		return a.decline(iso8583.FormatError)
	}
	if a.t.PINBlock != nil {
		a.pinPad, a.counter = pinPadOf(a.t.SecurityControl)
		if a.pinPad != "" && a.h.pinPads.used(a.pinPad, a.counter) {
			// Refused before the security module sees the PIN block; a
			// resend of an answered request still gets its answer.
			a.log.Warn("acquirer: DUKPT KSN replayed", "pinpad", a.pinPad, "counter", a.counter)
			return a.decline(iso8583.SecurityViolation)
		}
	}
	a.card = a.h.cards[a.pan]
	if a.card != nil {
		a.verifyPIN()
		if resp := a.verifyARQC(); resp != nil {
			return resp
		}
	}
	resp := a.updateOnce(a.decide)
	if a.fresh && resp != nil && resp.Text(39) != string(iso8583.SystemMalfunction) {
		// Committed (update answers 96 when the store fails).
		a.h.pinPads.committed(a.pinPad, a.counter)
	}
	return resp
}

func (a *auth) txType() string { return txType(a.t.ProcessingCode) }

// reversalDigest returns the digest the reversal of the request carries
// (see Host.reversal).
func (a *auth) reversalDigest() string {
	return digest(a.pan, a.t.ProcessingCode, strconv.FormatInt(a.t.Amount, 10))
}

// txType returns the transaction type of a processing code, or "" for one
// too short (which field validation prevents for messages from the wire).
func txType(processing string) string {
	if len(processing) < 2 {
		return ""
	}
	return processing[:2]
}

// decline answers without touching the store: for requests refused before
// the card is looked up (format errors), which move nothing.
func (a *auth) decline(code iso8583.ResponseCode) *iso8583.Message {
	return a.update(func(tx Tx) (*iso8583.Message, error) {
		if e, err := tx.Lookup(a.requestKey()); err == nil {
			return a.duplicate(tx, e, a.digest)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		resp := a.respond(code, nil)
		e := &Entry{Kind: a.kind, MaskedPAN: iso8583.MaskPAN(a.pan), Processing: a.t.ProcessingCode,
			Amount: a.t.Amount, Currency: a.t.Currency, Digest: a.digest}
		return resp, a.journal(tx, e, resp)
	})
}

// verifyPIN deciphers and verifies the PIN block (field 52) under the
// DUKPT key of the KSN in field 53.
func (a *auth) verifyPIN() {
	if a.t.PINBlock == nil {
		return
	}
	a.hasPIN = true
	a.pinErr = a.h.hsm.VerifyPIN(a.card, a.t.SecurityControl, a.t.PINBlock)
}

// verifyARQC parses field 55 and verifies the ARQC. Malformed chip data
// is a format error (30).
func (a *auth) verifyARQC() *iso8583.Message {
	if a.t.ICC == nil {
		return nil
	}
	data, err := issuer.ParseField55(a.t.ICC)
	if err != nil {
		a.log.Warn("acquirer: malformed field 55", "err", err)
		return a.decline(iso8583.FormatError)
	}
	a.chip = data
	if atc := data[issuer.TagATC]; len(atc) == 2 {
		a.atc = int(atc[0])<<8 | int(atc[1])
	}
	if a.card.IMK == "" {
		a.arqcErr = fmt.Errorf("%w: card has no chip keys", ErrCryptogram)
		return nil
	}
	a.card = withICCPSN(a.card, data)
	a.cvn, a.arqcErr = a.h.hsm.VerifyARQC(a.card, data)
	if a.atc < 0 && a.arqcErr == nil {
		a.arqcErr = fmt.Errorf("%w: no ATC", ErrCryptogram)
	}
	return nil
}

// decide runs the checks that need the card's state and the balance, in
// order, applies the outcome and journals the response, all in one store
// transaction; with lookup, it first answers a duplicate as before.
func (a *auth) decide(tx Tx, lookup bool) (*iso8583.Message, error) {
	a.fresh = false
	if lookup {
		if e, err := tx.Lookup(a.requestKey()); err == nil {
			return a.duplicate(tx, e, a.digest)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	e := &Entry{Kind: a.kind, MaskedPAN: iso8583.MaskPAN(a.pan), Processing: a.t.ProcessingCode,
		Amount: a.t.Amount, Currency: a.t.Currency, Digest: a.digest}
	var err error
	if e.Batch, err = tx.Batch(a.terminal.ID); err != nil {
		return nil, err
	}
	if a.pinPad != "" {
		// Before anything uses the outcome of the PIN verification: a
		// PIN block captured with its KSN is refused under any STAN,
		// also when the cache of authorize did not know the counter.
		fresh, err := tx.AdvanceKSN(a.pinPad, a.counter)
		if err != nil {
			return nil, err
		}
		if !fresh {
			a.log.Warn("acquirer: DUKPT KSN replayed", "pinpad", a.pinPad, "counter", a.counter)
			resp := a.respond(iso8583.SecurityViolation, nil)
			return resp, a.journal(tx, e, resp)
		}
		a.fresh = true
	}
	// A reversal that came before this request (the terminal gave up
	// waiting, or the two overtook each other in the host) restored
	// nothing: this request moves nothing either.
	orphans, err := tx.Orphans(a.terminal.ID, a.t.STAN, e.Batch)
	if err != nil {
		return nil, err
	}
	if len(orphans) > 0 && slices.Contains(orphans, a.reversalDigest()) {
		a.log.Warn("acquirer: request after its own reversal, declined")
		resp := a.respond(iso8583.DoNotHonour, nil)
		return resp, a.journal(tx, e, resp)
	}
	if a.card == nil {
		a.log.Info("acquirer: unknown card")
		resp := a.respond(iso8583.InvalidCardNumber, nil)
		return resp, a.journal(tx, e, resp)
	}
	e.Account = a.card.Account
	st, err := tx.CardState(a.pan)
	if err != nil {
		return nil, err
	}
	was := st
	code, err := a.check(tx, &st)
	if err != nil {
		return nil, err
	}
	if a.chip != nil && a.arqcErr == nil && a.atc > st.LastATC {
		st.LastATC = a.atc // a verified ATC is used, whatever the outcome
	}
	var balance int64 = -1
	if code.Approved() {
		amount := a.t.Amount
		switch a.txType() {
		case typePurchase, typeCash:
			e.Debit, e.Applied = true, -amount
		case typeRefund:
			e.Applied = amount
		}
		if e.Applied != 0 {
			if err := tx.AddBalance(a.card.Account, e.Applied); err != nil {
				return nil, err
			}
		}
		if a.txType() == typeBalance {
			if balance, err = tx.Balance(a.card.Account); err != nil {
				return nil, err
			}
		}
		seq, err := tx.NextSequence()
		if err != nil {
			return nil, err
		}
		e.RRN = rrn(a.h.now(), seq)
		if e.AuthCode, err = a.h.authCode(); err != nil {
			return nil, err
		}
	}
	f55, err := a.issuerData(code, &st)
	if err != nil {
		return nil, err
	}
	if st != was {
		if err := tx.SetCardState(st); err != nil {
			return nil, err
		}
	}
	resp := a.respond(code, func(r *iso8583.Response) {
		r.RRN, r.AuthCode, r.ICC = e.RRN, e.AuthCode, f55
		if balance >= 0 {
			// Field 54 is not in the typed response; the balance goes in
			// field 48 as "available balance" in minor units.
			r.Additional = fmt.Sprintf("BAL%012d", balance)
		}
	})
	if resp == nil {
		return nil, errors.New("acquirer: cannot build response")
	}
	if err := a.journal(tx, e, resp); err != nil {
		return nil, err
	}
	if a.verbose {
		a.log.Info("acquirer: decided", "code", string(code), "kind", a.kind)
	}
	return resp, nil
}

// check runs the card, PIN, cryptogram and amount checks in order and
// returns the first failing code, or 00. It updates the PIN try counter
// in st.
func (a *auth) check(tx Tx, st *CardState) (iso8583.ResponseCode, error) {
	switch st.Status {
	case StatusLost:
		return iso8583.LostCard, nil
	case StatusStolen:
		return iso8583.StolenCard, nil
	case StatusBlocked:
		return iso8583.RestrictedCard, nil
	}
	now := a.h.now().UTC().Format("0601")
	if expired(a.card.Expiry, now) || a.expiry != "" && expired(a.expiry, now) {
		return iso8583.ExpiredCard, nil
	}
	if a.hasPIN {
		limit := a.card.PINTryLimit
		if limit == 0 {
			limit = a.h.limits.PINTryLimit
		}
		if st.PINTries >= limit {
			return iso8583.PINTriesExceeded, nil
		}
		if a.pinErr != nil {
			st.PINTries++
			a.log.Info("acquirer: wrong PIN", "tries", st.PINTries, "reason", a.pinErr)
			if st.PINTries >= limit {
				return iso8583.PINTriesExceeded, nil
			}
			return iso8583.IncorrectPIN, nil
		}
		st.PINTries = 0
	}
	if a.chip != nil {
		if a.arqcErr != nil {
			a.log.Warn("acquirer: cryptogram refused", "err", a.arqcErr)
			return iso8583.DoNotHonour, nil
		}
		if a.atc <= st.LastATC {
			a.log.Warn("acquirer: ATC replayed", "atc", a.atc, "last", st.LastATC)
			return iso8583.SuspectedFraud, nil
		}
	}
	if a.txType() == typePurchase || a.txType() == typeCash {
		max := a.card.MaxAmount
		if max == 0 {
			max = a.h.limits.MaxAmount
		}
		if max > 0 && a.t.Amount > max {
			return iso8583.ExceedsAmountLimit, nil
		}
		b, err := tx.Balance(a.card.Account)
		if err != nil {
			return "", err
		}
		if b < a.t.Amount {
			return iso8583.InsufficientFunds, nil
		}
	}
	return iso8583.Approved, nil
}

// expired reports whether a YYMM expiry date is before the month now.
func expired(expiry, now string) bool { return len(expiry) == 4 && expiry < now }

// issuerData returns field 55 of the response: the issuer authentication
// data (91) when the ARQC verified, and the card's pending issuer script
// (72) with an approval.
func (a *auth) issuerData(code iso8583.ResponseCode, st *CardState) ([]byte, error) {
	if a.chip == nil || a.arqcErr != nil {
		return nil, nil
	}
	v, err := a.h.hsm.IssuerAuthentication(a.card, a.cvn, a.chip, code)
	if err != nil {
		return nil, err
	}
	f55, err := tlv.AppendTLV(nil, issuer.TagIssuerAuthData, v)
	if err != nil {
		return nil, err
	}
	if code.Approved() && st.Script == "unblock" {
		s, err := a.h.hsm.UnblockScript(a.card, a.cvn, a.chip)
		if err != nil {
			return nil, err
		}
		if s != nil {
			f55 = append(f55, s...)
			st.Script = ""
		}
	}
	return f55, nil
}

// withICCPSN returns card with the PAN sequence number the card sent in
// field 55 (5F34) when the seed does not set one; card itself otherwise.
func withICCPSN(card *Card, data map[tlv.Tag][]byte) *Card {
	if card.PSN != "" {
		return card
	}
	psn := data[0x5F34]
	if len(psn) != 1 {
		return card
	}
	c := *card
	c.PSN = fmt.Sprintf("%02X", psn[0])
	return &c
}
