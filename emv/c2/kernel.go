package c2

import (
	"context"
	"errors"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// Errors a Kernel 2 outcome may carry.
var (
	// ErrMagstripeMode: the card supports only mag-stripe mode and the
	// kernel configuration does not allow it.
	ErrMagstripeMode = errors.New("c2: card supports only mag-stripe mode, which the configuration disallows")
	ErrMissingData   = errors.New("c2: mandatory data object missing")
	ErrCDA           = errors.New("c2: CDA failed")
	// ErrDeviceCVM: the card, a mobile device, declined and asks for the
	// cardholder to be verified on the device (POS cardholder interaction
	// information, DF4B): End Application with "see phone" and a restart
	// at Start B, once the cardholder has done so. This kernel does not
	// perform on-device cardholder verification itself.
	ErrDeviceCVM = errors.New("c2: the card asks for cardholder verification on the device (see phone)")
)

// Kernel is Kernel 2. Its fields are the Kernel 2 configuration data of
// Book C-2 Annex A that this kernel uses.
type Kernel struct {
	// Terminal gives 9F1A, 9F35, 9F40 and the identifiers; its
	// Capabilities are not used: 9F33 is built from the three bytes below.
	Terminal emv.Terminal
	// CardDataInput is DF8117 (9F33 byte 1); CVMRequired DF8118 and
	// NoCVMRequired DF8119 (9F33 byte 2 over and under the CVM required
	// limit); Security DF811F (9F33 byte 3, 08 for CDA).
	CardDataInput, CVMRequired, NoCVMRequired, Security byte
	// MagstripeModeNotSupported is bit 8 of the kernel configuration
	// DF811B.
	MagstripeModeNotSupported bool
	// MagstripeCVMRequired and MagstripeNoCVMRequired are DF811E and
	// DF812C, the CVM of mag-stripe mode over and under the CVM required
	// limit: bits 8-5 0000 no CVM, 0001 signature, 0010 online PIN.
	MagstripeCVMRequired, MagstripeNoCVMRequired byte
	// UDOL is the default UDOL (DF811A) for a card without one; nil
	// means 9F6A04.
	UDOL []byte
	// UnpredictableNumberNumeric makes the unpredictable number
	// (numeric), 9F6A, of mag-stripe mode from the unpredictable number
	// (9F37) and the number of its digits the card uses (nUN); nil means
	// the UN read as a big-endian integer modulo 10^nUN, in 8 BCD digits.
	// Tests replaying a transcript recorded with another rule inject it.
	UnpredictableNumberNumeric func(un []byte, nUN int) []byte
	// TAC default, denial and online: DF8120, DF8121, DF8122.
	TACDefault, TACDenial, TACOnline emv.TVR
	// Data are more terminal data objects by tag; they override the
	// others.
	Data map[tlv.Tag][]byte
	// DataRecord lists the tags of the data record; nil means
	// DefaultDataRecord.
	DataRecord []tlv.Tag
}

// DefaultDataRecord is the data record of Book C-2 Table 4-7, less the
// kernel-specific tags this kernel does not produce.
var DefaultDataRecord = []tlv.Tag{
	0x9F02, 0x9F03, 0x9F26, 0x5F24, 0x82, 0x50, 0x5A, 0x5F34, 0x9F12, 0x9F36,
	0x9F07, 0x9F09, 0x84, 0x9F27, 0x9F34, 0x9F1E, 0x9F10, 0x5F2A, 0x9F33, 0x9F35,
	0x95, 0x9A, 0x9C, 0x9F37, 0x9F1A, 0x9F53, 0x9F6E, 0x9F24,
}

// Activate runs Kernel 2 on the selected application.
func (k *Kernel) Activate(ctx context.Context, a *entrypoint.Activation) *entrypoint.Outcome {
	s := &state{k: k, a: a, tr: a.Trace, card: entrypoint.CardData{}}
	return s.run(ctx)
}

type state struct {
	k    *Kernel
	a    *entrypoint.Activation
	tr   *entrypoint.Tracer
	term entrypoint.CardData
	card entrypoint.CardData

	caps      emv.TerminalCapabilities
	tvr       emv.TVR
	cvmResult emv.CVMResults
	cvm       entrypoint.CVM
	un        []byte
	pdolData  []byte
	aip       emv.AIP
	afl       []emv.AFLEntry
	static    []byte
	cda       bool
	p1        byte
	cdolData  []byte
	genac     emv.GenerateACResponse
	magstripe bool
	nUN       int
}

func (s *state) run(ctx context.Context) *entrypoint.Outcome {
	if o := s.initiateApplicationProcessing(); o != nil {
		return s.finish(o)
	}
	steps := []func() *entrypoint.Outcome{
		s.readApplicationData,
		s.processingRestrictions,
		s.cvmSelection,
		s.terminalRiskManagement,
		s.terminalActionAnalysis,
		s.generateAC,
	}
	if s.magstripe {
		steps = []func() *entrypoint.Outcome{s.readMagstripeData, s.computeCryptographicChecksum}
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return &entrypoint.Outcome{Type: entrypoint.EndApplication, Err: errors.Join(entrypoint.ErrCancelled, err)}
		}
		if o := step(); o != nil {
			return s.finish(o)
		}
	}
	if s.magstripe {
		return s.magstripeOutcome()
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
