package c3

import (
	"context"
	"errors"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// Errors a Kernel 3 outcome may carry.
var (
	ErrNoTTQ       = errors.New("c3: PDOL does not ask for the TTQ: no qVSDC")
	ErrFormat1     = errors.New("c3: GPO response in format 1: no qVSDC")
	ErrMissingData = errors.New("c3: mandatory data object missing")
	ErrCryptogram  = errors.New("c3: unknown cryptogram type")
	ErrExpired     = errors.New("c3: application expired")
	ErrCVM         = errors.New("c3: required CVM not possible")
)

// Kernel is Kernel 3. Its fields are the terminal data objects it sends in
// the PDOL besides the transaction's.
type Kernel struct {
	// Terminal gives 9F1A, 9F35, 9F33, 9F40 and the identifiers.
	Terminal emv.Terminal
	// Data are more terminal data objects by tag (9F4E merchant name,
	// 9F7C customer exclusive data); they override the others.
	Data map[tlv.Tag][]byte
	// DataRecord lists the tags of the data record for the acquirer;
	// nil means DefaultDataRecord.
	DataRecord []tlv.Tag
}

// DefaultDataRecord is the data record of an online request or a clearing
// record when Kernel.DataRecord is nil.
var DefaultDataRecord = []tlv.Tag{
	0x9F02, 0x9F03, 0x9F26, 0x9F27, 0x82, 0x9F36, 0x9F10, 0x9F1A, 0x95, 0x5F2A,
	0x9A, 0x9C, 0x9F37, 0x9F66, 0x9F6C, 0x9F6E, 0x5F34, 0x9F33, 0x9F35, 0x9F7C,
}

// Activate runs Kernel 3 on the selected application.
func (k *Kernel) Activate(ctx context.Context, a *entrypoint.Activation) *entrypoint.Outcome {
	s := &state{k: k, a: a, tr: a.Trace, card: entrypoint.CardData{}}
	if a.OnlineResponse != nil {
		return s.issuerUpdate(a.OnlineResponse)
	}
	return s.run(ctx)
}

type state struct {
	k    *Kernel
	a    *entrypoint.Activation
	tr   *entrypoint.Tracer
	term entrypoint.CardData
	card entrypoint.CardData

	ttq      entrypoint.TTQ
	un       []byte
	pdolData []byte
	aip      emv.AIP
	afl      []emv.AFLEntry
	ctq      CTQ
	hasCTQ   bool
	cid      emv.CID
	static   []byte
	odaOK    bool
	cvm      entrypoint.CVM
}

func (s *state) run(ctx context.Context) *entrypoint.Outcome {
	steps := []func() *entrypoint.Outcome{
		s.initiateApplicationProcessing,
		s.readApplicationData,
		s.processingRestrictions,
		s.offlineDataAuthentication,
		s.cardholderVerification,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return &entrypoint.Outcome{Type: entrypoint.EndApplication, Err: errors.Join(entrypoint.ErrCancelled, err)}
		}
		if o := step(); o != nil {
			return s.finish(o)
		}
	}
	return s.outcome()
}

// value is the source of DOL data: terminal data first, then the card's.
func (s *state) value(t tlv.Tag) ([]byte, bool) {
	if v, ok := s.term[t]; ok {
		return v, true
	}
	v, ok := s.card[t]
	return v, ok
}

func endApplication(err error) *entrypoint.Outcome {
	return &entrypoint.Outcome{Type: entrypoint.EndApplication, Err: err}
}
