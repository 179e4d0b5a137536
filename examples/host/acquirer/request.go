package acquirer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"

	"github.com/posflow/posflow/iso8583"
)

// request is the state of one request as it goes through the host's
// checks, one method per step, in the order of the checks.
type request struct {
	h        *Host
	ctx      context.Context
	req      *iso8583.Message
	terminal *Terminal
	merchant *Merchant
	key      iso8583.MACKey // signs the response; nil for an unauthenticated terminal
	log      *slog.Logger
	verbose  bool // log keeps Info lines: the per-request ones are built only then

	// The response's echo of the request (iso8583.Respond), which
	// respond copies: started before a store Update (see tryUpdate).
	echo    *iso8583.Response
	echoErr error
}

// newRequest returns the request's state, with its logger carrying the
// message type, terminal and STAN.
func (h *Host) newRequest(ctx context.Context, req *iso8583.Message) *request {
	r := &request{h: h, ctx: ctx, req: req, log: h.log}
	if r.logging() {
		r.log = h.log.With("mti", string(req.MTI), "terminal", req.Text(41), "stan", req.Text(11))
		r.verbose = h.log.Enabled(ctx, slog.LevelInfo)
	}
	return r
}

// logging reports whether the host's logger keeps any line, so that a
// request does not prepare the attributes of lines no one reads (With
// and masking a PAN allocate).
func (r *request) logging() bool { return r.h.log.Enabled(r.ctx, slog.LevelError) }

// begin runs the checks every request shares: the terminal is known, the
// MAC verifies (with key sync after a key change) and the message carries
// the fields its class requires. It returns the request and nil, or nil
// and the response refusing it.
func (h *Host) begin(ctx context.Context, req *iso8583.Message) (*request, *iso8583.Message) {
	r := h.newRequest(ctx, req)
	tid := req.Text(41)
	if tid == "" && req.MTI.Class() == '8' {
		// Compatibility: an 0800 without a terminal ID (from an
		// iso8583.Client without ClientConfig.TerminalID, or a client
		// that never sends one) is answered under the key that
		// verifies its MAC.
		return r, r.echoWithoutTerminal()
	}
	// The normal path, an 0800 echo included: the terminal is field 41.
	r.terminal = h.terminals[tid]
	if r.terminal == nil {
		r.log.Warn("acquirer: unknown terminal")
		return nil, r.record(KindRefused, iso8583.NotPermittedToTerm)
	}
	r.merchant = h.merchants[r.terminal.Merchant]
	key, err := h.hsm.VerifyMAC(tid, req)
	if err != nil {
		r.key = key
		if r.key == nil {
			r.key = h.hsm.MACKey(tid)
		}
		r.log.Warn("acquirer: MAC refused", "err", err)
		return nil, r.record(KindRefused, iso8583.SecurityViolation)
	}
	r.key = key
	if err := iso8583.Validate(req); err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return nil, r.record(KindRefused, iso8583.FormatError)
	}
	return r, nil
}

// unsupported answers a request of a message type the host does not
// handle with code 12, signed for the terminal when its MAC verifies, and
// journals it.
func (h *Host) unsupported(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r := h.newRequest(ctx, req)
	tid := req.Text(41)
	if r.terminal = h.terminals[tid]; r.terminal != nil {
		if k, err := h.hsm.VerifyMAC(tid, req); err == nil {
			r.key = k
		}
	}
	r.log.Warn("acquirer: message type not supported")
	return r.record(KindRefused, iso8583.InvalidTransaction)
}

// echoWithoutTerminal answers an 0800 without field 41, the compatibility
// path for clients that do not send it: a signed one is answered under the
// key of the terminal whose MAC key verifies it (one trial per terminal,
// which is why field 41 is the normal path), and journaled without a
// terminal.
func (r *request) echoWithoutTerminal() *iso8583.Message {
	if r.req.Has(64) || r.req.Has(128) {
		for id := range r.h.terminals {
			if k, err := r.h.hsm.VerifyMAC(id, r.req); err == nil && k != nil {
				r.key = k
				r.log.Debug("acquirer: 0800 without terminal ID, terminal found by its MAC key", "found", id)
				break
			}
		}
		if r.key == nil {
			r.log.Warn("acquirer: MAC of an 0800 without terminal matches no terminal")
			return r.record(KindRefused, iso8583.SecurityViolation)
		}
	}
	if err := iso8583.Validate(r.req); err != nil {
		return r.record(KindRefused, iso8583.FormatError)
	}
	return r.record(KindNetwork, iso8583.Approved)
}

// respond builds the response with code, lets fill add fields, and signs
// it with the request's key. It returns nil only if the response cannot be
// built, which the log records.
func (r *request) respond(code iso8583.ResponseCode, fill func(*iso8583.Response)) *iso8583.Message {
	r.startResponse()
	if r.echoErr != nil {
		r.log.Error("acquirer: cannot build response", "err", r.echoErr)
		return nil
	}
	resp := new(iso8583.Response)
	*resp = *r.echo
	if resp.Original != nil {
		o := *resp.Original
		resp.Original = &o
	}
	resp.Code = code
	if resp.MTI == iso8583.MTINetworkResponse && resp.Network == "" {
		resp.Network = iso8583.NetworkCode(r.req.Text(70))
	}
	if fill != nil {
		fill(resp)
	}
	m, err := resp.Message()
	if err != nil {
		// A request odd enough to make its own echo invalid: answer
		// with the bare minimum.
		r.log.Warn("acquirer: response not valid, answering with the minimum", "err", err)
		m = iso8583.NewMessage(r.req.MTI.Response())
		for _, f := range []int{3, 4, 11, 41} {
			if v, ok := r.req.Field(f); ok {
				m.Set(f, v)
			}
		}
		m.SetString(39, string(code))
	}
	if r.key != nil {
		if _, err := iso8583.Sign(r.h.spec, m, r.key); err != nil {
			r.log.Error("acquirer: cannot sign response", "err", err)
			return nil
		}
	} else if _, err := r.h.spec.Pack(m); err != nil {
		r.log.Error("acquirer: cannot pack response", "err", err)
		return nil
	}
	if r.verbose {
		r.log.Info("acquirer: response", "code", string(code))
	}
	return m
}

// key returns the duplicate-detection key of the request.
func (r *request) requestKey() RequestKey {
	return RequestKey{Terminal: r.req.Text(41), MTI: string(r.req.MTI.Original()),
		STAN: r.req.Text(11), Transmitted: r.req.Text(7)}
}

// digest hashes the fields that identify a transaction, so that a request
// reusing the key of another (same STAN and time, other card or amount) is
// told from a resend of the same request.
func digest(pan string, fields ...string) string {
	var buf [128]byte // the usual request's PAN and fields, on the stack
	b := append(buf[:0], pan...)
	for _, f := range fields {
		b = append(append(b, 0), f...)
	}
	sum := sha256.Sum256(b)
	var out [32]byte
	hex.Encode(out[:], sum[:16])
	return string(out[:])
}

// duplicate answers a request whose key is already in the journal: with
// the original response when the request is the same, with code 94 when
// it is another request reusing the STAN.
func (r *request) duplicate(tx Tx, e *Entry, dig string) (*iso8583.Message, error) {
	if e.Digest != dig {
		r.log.Warn("acquirer: STAN reused for another request")
		resp := r.respond(iso8583.DuplicateTransmission, nil)
		return resp, r.journal(tx, &Entry{Kind: KindRefused, Digest: dig}, resp)
	}
	if r.verbose {
		r.log.Info("acquirer: duplicate, answering as before", "code", e.Code)
	}
	m, err := r.h.spec.Unpack(e.Response)
	if err != nil {
		r.log.Error("acquirer: journaled response unreadable", "err", err)
		return r.respond(iso8583.SystemMalfunction, nil), nil
	}
	return m, nil
}

// record answers with code a request that moves nothing (a refusal, or an
// 0800 without terminal) and journals the response as a row of kind, which
// duplicate detection does not consider for refusals. A store failure is
// logged; the answer is sent all the same, since it moves nothing.
func (r *request) record(kind string, code iso8583.ResponseCode) *iso8583.Message {
	resp := r.respond(code, nil)
	if resp == nil {
		return nil
	}
	err := r.h.store.Update(r.ctx, func(tx Tx) error {
		return r.journal(tx, &Entry{Kind: kind}, resp)
	})
	if err != nil {
		r.log.Error("acquirer: cannot journal the answer", "code", string(code), "err", err)
	}
	return resp
}

// update runs fn in a store transaction. If the store fails, the request
// is answered with 96 and nothing is applied or journaled.
func (r *request) update(fn func(Tx) (*iso8583.Message, error)) *iso8583.Message {
	resp, err := r.tryUpdate(fn)
	if err != nil {
		return r.storeFailed(err)
	}
	return resp
}

// startResponse starts the response: its echo of the request's fields,
// which does not depend on the outcome. The store's Updates run one at a
// time (the SQLite store's committer), so what can be done before one is
// done before it: about 2 us a request.
func (r *request) startResponse() {
	if r.echo == nil && r.echoErr == nil {
		r.echo, r.echoErr = iso8583.Respond(r.req, "")
	}
}

// tryUpdate runs fn in a store transaction and returns its response, or
// the store's error.
func (r *request) tryUpdate(fn func(Tx) (*iso8583.Message, error)) (*iso8583.Message, error) {
	r.startResponse()
	var resp *iso8583.Message
	err := r.h.store.Update(r.ctx, func(tx Tx) error {
		var err error
		resp, err = fn(tx)
		return err
	})
	return resp, err
}

// updateOnce runs fn in a store transaction, first with lookup false.
// Duplicates are rare, so fn does not look for one first: the store's
// Insert refuses a second row of a request key (ErrDuplicateKey), which
// rolls the attempt back, and the second attempt, with lookup true, looks the first
// row up and answers as before.
func (r *request) updateOnce(fn func(tx Tx, lookup bool) (*iso8583.Message, error)) *iso8583.Message {
	resp, err := r.tryUpdate(func(tx Tx) (*iso8583.Message, error) { return fn(tx, false) })
	if errors.Is(err, ErrDuplicateKey) {
		return r.update(func(tx Tx) (*iso8583.Message, error) { return fn(tx, true) })
	}
	if err != nil {
		return r.storeFailed(err)
	}
	return resp
}

// storeFailed answers 96 for a request whose store transaction failed.
func (r *request) storeFailed(err error) *iso8583.Message {
	r.log.Error("acquirer: store failed, answering 96", "err", err)
	return r.respond(iso8583.SystemMalfunction, nil)
}

// journal fills the common columns of e from the request and the signed
// response, and inserts it.
func (r *request) journal(tx Tx, e *Entry, resp *iso8583.Message) error {
	if resp == nil {
		return errors.New("acquirer: no response to journal")
	}
	e.RequestKey = r.requestKey()
	if r.terminal != nil {
		e.Merchant = r.terminal.Merchant
	}
	e.Code = resp.Text(39)
	e.AuthCode = resp.Text(38)
	if e.RRN == "" {
		e.RRN = resp.Text(37)
	}
	e.Response = resp.Raw()
	if e.Response == nil {
		b, err := r.h.spec.Pack(resp)
		if err != nil {
			return err
		}
		e.Response = b
	}
	e.Time = r.h.now().UTC()
	return tx.Insert(e)
}

// cardOf returns the PAN and expiry date (YYMM) of a transaction, from
// field 2 and 14 or from track 2.
func cardOf(t *iso8583.Transaction) (pan, expiry string) {
	pan, expiry = t.PAN, t.Expiry
	if t.Track2 != "" {
		p, rest, ok := strings.Cut(t.Track2, "=")
		if !ok {
			p, rest, _ = strings.Cut(t.Track2, "D")
		}
		if pan == "" {
			pan = p
		}
		if expiry == "" && len(rest) >= 4 {
			expiry = rest[:4]
		}
	}
	return pan, expiry
}
