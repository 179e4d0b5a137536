package emv

import (
	"errors"
	"fmt"
	"strings"

	"github.com/posflow/posflow/tlv"
)

// Outcome is how a transaction ended.
type Outcome uint8

// The outcomes.
const (
	Terminated      Outcome = iota // ended before a decision; Result.Err says why
	ApprovedOffline                // TC at the first GENERATE AC, or after unable to go online (ARC Y1, Y3)
	ApprovedOnline                 // issuer approved, TC at the second GENERATE AC
	DeclinedOffline                // AAC without the issuer (ARC Z1, Z3), or a failed CDA
	DeclinedOnline                 // issuer declined, or the card declined at the second GENERATE AC
)

func (o Outcome) String() string {
	switch o {
	case Terminated:
		return "terminated"
	case ApprovedOffline:
		return "approved offline"
	case ApprovedOnline:
		return "approved online"
	case DeclinedOffline:
		return "declined offline"
	case DeclinedOnline:
		return "declined online"
	}
	return "outcome " + itoa(int(o))
}

// Errors that terminate a transaction, wrapped in a *StepError. A status
// word the kernel did not expect is wrapped as a StatusWord.
var (
	ErrCardBlocked   = errors.New("emv: card blocked")
	ErrNoApplication = errors.New("emv: no mutually supported application")
	ErrCancelled     = errors.New("emv: cancelled")
	ErrCardData      = errors.New("emv: malformed card data")
	ErrMissingData   = errors.New("emv: mandatory card data missing")
	ErrRedundantData = errors.New("emv: redundant card data")
	// ErrServiceNotAllowed: the card answered the first GENERATE AC with
	// an AAC whose reason is "service not allowed".
	ErrServiceNotAllowed = errors.New("emv: service not allowed by the card")
)

// A StepError reports why a transaction was terminated and at which step.
// It never holds card data.
type StepError struct {
	Step Step
	Err  error
}

func (e *StepError) Error() string {
	return "emv: " + e.Step.String() + ": " + strings.TrimPrefix(e.Err.Error(), "emv: ")
}
func (e *StepError) Unwrap() error { return e.Err }

// A Result is the outcome of a transaction and everything the terminal
// needs afterwards: the receipt, field 55 of the financial message or
// advice, the reversal decision.
type Result struct {
	Outcome Outcome
	// Err is the reason for a Terminated outcome, a *StepError.
	Err error
	// FallbackAllowed tells that the chip failed before the card and the
	// terminal agreed on an application for reasons other than a blocked
	// card, application or a cancellation, so that the terminal may read
	// the magnetic stripe (MagstripeEntryMode with chipFailed set).
	FallbackAllowed bool

	AID   []byte
	Label string
	// DisplayName is what the terminal shows for the application: its
	// preferred name (9F12) when the terminal supports the card's issuer
	// code table (9F11), else its label (Book 1 12.4). Language is the
	// language chosen for the cardholder (SelectLanguage); "" when the
	// terminal declares no languages.
	DisplayName string
	Language    string

	TVR        TVR
	TSI        TSI
	CVMResults CVMResults
	// CID and Cryptogram are those of the last GENERATE AC.
	CID        CID
	Cryptogram []byte
	// ResponseCode is the authorisation response code (8A): the issuer's,
	// or Y1, Z1, Y3, Z3 when the terminal decided.
	ResponseCode [2]byte

	SignatureRequired bool
	OnlinePIN         *OnlinePIN
	AdviceRequired    bool
	// ReversalRequired is set when the card declined at the second
	// GENERATE AC a transaction the issuer had approved.
	ReversalRequired bool
	// ScriptResults is the issuer script results (9F5B), 5 bytes a script.
	ScriptResults []byte

	// Trace is the structured, masked record of the transaction.
	Trace []Event

	data map[tlv.Tag][]byte
}

// Value returns a data object of the transaction as it stood at the end:
// the card's and the terminal's.
func (r *Result) Value(t tlv.Tag) ([]byte, bool) {
	v, ok := r.data[t]
	return v, ok
}

// AppendField55 appends to dst the data objects of tags, in that order,
// each that the transaction has: the ICC system related data of ISO 8583
// field 55. nil tags means DefaultField55Tags.
func (r *Result) AppendField55(dst []byte, tags []tlv.Tag) ([]byte, error) {
	if tags == nil {
		tags = DefaultField55Tags
	}
	return AppendField55(dst, tags, r.Value)
}

// String summarises the result without card data.
func (r *Result) String() string {
	s := fmt.Sprintf("%v: TVR %X TSI %X CVM %X", r.Outcome, r.TVR, r.TSI, r.CVMResults)
	if r.Outcome == Terminated && r.Err != nil {
		s += ": " + r.Err.Error()
	}
	return s
}

// DefaultField55Tags are the data objects of field 55 that acquirers ask
// for in an authorisation or financial request (the EMV minimum plus the
// usual options), in the usual order. The issuer script results (9F5B)
// exist only after scripts, for the financial advice or reversal.
var DefaultField55Tags = []tlv.Tag{
	0x82, 0x84, 0x95, 0x9A, 0x9C, 0x5F2A, 0x5F34, 0x9F02, 0x9F03, 0x9F09,
	0x9F10, 0x9F1A, 0x9F1E, 0x9F26, 0x9F27, 0x9F33, 0x9F34, 0x9F35, 0x9F36,
	0x9F37, 0x9F41, 0x9F5B,
}

// AppendField55 appends the data objects of tags that value knows, in the
// order of tags, as BER-TLV.
func AppendField55(dst []byte, tags []tlv.Tag, value func(tlv.Tag) ([]byte, bool)) ([]byte, error) {
	for _, t := range tags {
		v, ok := value(t)
		if !ok {
			continue
		}
		var err error
		if dst, err = tlv.AppendTLV(dst, t, v); err != nil {
			return dst, fmt.Errorf("emv: field 55: %w", err)
		}
	}
	return dst, nil
}

// finish fills the Result at the end of a transaction.
func (k *kernel) finish(err error) {
	r := k.res
	if err != nil {
		var se *StepError
		if !errors.As(err, &se) {
			se = &StepError{Step: k.step, Err: err}
		}
		r.Err = se
		r.Outcome = Terminated
		// No fallback when the card is blocked, when the cardholder or the
		// terminal cancelled, or when no application is left because the
		// card blocked one: the chip worked and said no.
		blocked := errors.Is(err, ErrNoApplication) && k.blockedApp
		r.FallbackAllowed = k.step <= StepInitiate && !blocked &&
			!errors.Is(err, ErrCardBlocked) && !errors.Is(err, ErrCancelled) && k.ctx.Err() == nil
		k.note("terminated: %v", se)
	}
	if k.app != nil {
		r.AID = k.icc[0x84]
		r.Label = string(k.icc[0x50])
	}
	k.term[0x95] = k.tvr[:]
	k.term[0x9B] = k.tsi[:]
	k.term[0x9F34] = k.cvm[:]
	r.TVR, r.TSI, r.CVMResults = k.tvr, k.tsi, k.cvm
	if v := k.icc[0x9F27]; len(v) == 1 {
		r.CID = CID(v[0])
	}
	r.Cryptogram = k.icc[0x9F26]
	r.ResponseCode = k.arc
	r.data = make(map[tlv.Tag][]byte, len(k.icc)+len(k.term))
	for t, v := range k.icc {
		r.data[t] = v
	}
	for t, v := range k.term {
		r.data[t] = v
	}
}
