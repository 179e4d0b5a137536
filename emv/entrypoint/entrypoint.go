package entrypoint

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/oda"
)

// Errors an Outcome may carry in Err.
var (
	// ErrNoCombination: pre-processing allowed no combination (every
	// one over its reader contactless transaction limit, or zero amount
	// not allowed).
	ErrNoCombination = errors.New("entrypoint: contactless not allowed for this transaction")
	// ErrNoPPSE: the card has no PPSE, or its FCI is malformed.
	ErrNoPPSE = errors.New("entrypoint: no PPSE")
	// ErrNoCandidate: no directory entry matches a combination, or every
	// matching application failed final selection.
	ErrNoCandidate = errors.New("entrypoint: no matching application")
	// ErrCancelled: the context was cancelled.
	ErrCancelled = errors.New("entrypoint: cancelled")
)

// A Kernel runs a transaction once Entry Point has selected its
// application (Book B 3.4).
type Kernel interface {
	Activate(ctx context.Context, a *Activation) *Outcome
}

// An Activation is what Entry Point hands to a kernel: the card, the
// selected combination and its pre-processing indicators, the FCI of the
// final selection, the transaction and the shared terminal resources.
type Activation struct {
	Card        *emv.Transport
	Combination *Combination
	Indicators  Indicators
	// FCI is the response to the final SELECT; its slices alias
	// FCI.Raw.
	FCI         emv.FCI
	Transaction emv.Transaction

	CAPKs   *oda.Store
	Revoked *oda.RevocationList
	Rand    io.Reader
	Now     time.Time

	// OnlineResponse is the issuer's response to the online request of
	// the first tap when Entry Point was restarted for issuer update
	// processing (Restart); nil on a first tap.
	OnlineResponse *emv.OnlineResponse

	// Trace records the kernel's steps; it may be nil.
	Trace *Tracer
}

// Process runs Entry Point for one tap of card: pre-processing, PPSE,
// combination selection, kernel activation and outcome processing. It
// always returns an outcome; a context cancelled before the kernel is
// activated ends the application.
func Process(ctx context.Context, card emv.Card, cfg *Config, txn emv.Transaction) *Outcome {
	return process(ctx, card, cfg, txn, nil)
}

// Restart runs Entry Point again at Start B for the second tap that an
// Online Request outcome with Start B asked for (Book B 3.5.1.3, Book C-3
// issuer update processing): the same transaction, the card selected again
// through the PPSE, and the kernel activated with the issuer's response.
func Restart(ctx context.Context, card emv.Card, cfg *Config, txn emv.Transaction, online *emv.OnlineResponse) *Outcome {
	return process(ctx, card, cfg, txn, online)
}

func process(ctx context.Context, card emv.Card, cfg *Config, txn emv.Transaction, online *emv.OnlineResponse) *Outcome {
	s := &state{ctx: ctx, cfg: cfg, txn: txn, card: &emv.Transport{Card: card}, online: online}
	if !cfg.NoTrace {
		s.tr = &Tracer{events: &s.trace}
	}
	return s.outcomeProcessing(s.run())
}

type state struct {
	ctx  context.Context
	cfg  *Config
	txn  emv.Transaction
	card *emv.Transport
	tr   *Tracer

	online     *emv.OnlineResponse
	allowed    []preprocessed
	candidates []candidate
	trace      []Event
}

func (s *state) run() *Outcome {
	if o := s.preProcessing(); o != nil {
		return o
	}
	if o := s.ppse(); o != nil {
		return o
	}
	for {
		if err := s.ctx.Err(); err != nil {
			return &Outcome{Type: EndApplication, Err: errors.Join(ErrCancelled, err)}
		}
		c, fci, o := s.finalSelection()
		if o != nil {
			return o
		}
		o = s.activate(c, fci)
		if o.Type != SelectNext {
			return o
		}
		s.note("select next")
	}
}

func (s *state) rand() io.Reader {
	if s.cfg.Rand != nil {
		return s.cfg.Rand
	}
	return rand.Reader
}

func (s *state) now() time.Time {
	if s.cfg.Time != nil {
		return s.cfg.Time()
	}
	return time.Now()
}
