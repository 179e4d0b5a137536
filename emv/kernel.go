package emv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// Process performs one contact transaction with the card, from
// application selection to completion, in the order of EMV 4.4 Book 3
// section 10 (see the package documentation). It always returns a Result;
// the error is the Result's Err, non-nil when the transaction was
// terminated. ctx ends the transaction between two APDUs and is passed to
// the Cardholder, PINPad and Online.
//
// Process does not modify cfg: one Config may serve concurrent
// transactions on several readers if its Rand, interfaces and Time are
// safe for concurrent use.
func Process(ctx context.Context, card Card, cfg *Config, txn Transaction) (*Result, error) {
	if cfg == nil {
		cfg = new(Config)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	k := &kernel{
		ctx:  ctx,
		cfg:  cfg,
		txn:  txn,
		tr:   Transport{Card: card, T0: cfg.T0},
		icc:  make(map[tlv.Tag][]byte, 48),
		term: make(map[tlv.Tag][]byte, 32),
		res:  &Result{},
	}
	err := k.run()
	k.finish(err)
	return k.res, k.res.Err
}

// kernel is the state of one transaction. Each step of Book 3 is one
// method, called in order by run.
type kernel struct {
	ctx  context.Context
	cfg  *Config
	txn  Transaction
	tr   Transport
	step Step

	// icc holds the data objects the card returned (FCI, GPO response,
	// records, GENERATE AC), term those of the terminal. Values are
	// owned copies: the Result hands them out without aliasing the
	// card's buffers or the Config.
	icc, term map[tlv.Tag][]byte
	seen      map[tlv.Tag]bool // tags read from the GPO response and records

	candidates []Candidate
	// The PSE's issuer code table index and language preference, for the
	// candidates of its directory.
	pseCodeTable byte
	pseLanguage  string
	app          *Application // the terminal's entry for the selected AID
	selected     Candidate

	aip            AIP
	afl            []AFLEntry
	pdolData       []byte
	staticData     []byte // static data to be authenticated (Book 3 10.3)
	odaRecordError bool   // an ODA record was not a template 70
	blockedApp     bool   // an application answered SELECT with 6283

	oda       odaMethod
	iccKey    *oda.PublicKey
	issuerKey *oda.PublicKey
	cdaFailed bool

	tvr TVR
	tsi TSI
	cvm CVMResults
	// pinBypassed records a PIN bypass, for Terminal.SubsequentPINBypass.
	pinBypassed bool

	// first GENERATE AC
	cdol1Data     []byte
	genac1        genACResult
	online        *OnlineResponse
	arc           [2]byte
	unableOnline  bool
	scriptResults []byte

	res *Result
}

type odaMethod uint8

const (
	odaNone odaMethod = iota
	odaSDA
	odaDDA
	odaCDA
)

func (m odaMethod) String() string {
	return [...]string{"none", "SDA", "DDA", "CDA"}[m]
}

// errReselect asks run to go back to application selection (GPO 6985).
var errReselect = errors.New("emv: back to application selection")

func (k *kernel) run() error {
	if err := k.initialiseTerminalData(); err != nil {
		return err
	}
	for {
		if err := k.selectApplication(); err != nil {
			return err
		}
		err := k.initiateApplicationProcessing()
		if err == errReselect {
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	steps := []func() error{
		k.readApplicationData,
		k.offlineDataAuthentication,
		k.processingRestrictions,
		k.cardholderVerification,
		k.terminalRiskManagement,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	p1 := k.terminalActionAnalysis()
	if err := k.cardActionAnalysis(p1); err != nil {
		return err
	}
	if k.genac1.cid.Type() != ARQC {
		return k.completeOffline()
	}
	if k.cdaFailed && k.genac1.p1&RequestCDA != 0 {
		return k.declineAfterCDAFailure()
	}
	if err := k.onlineProcessing(); err != nil {
		return err
	}
	if err := k.issuerAuthentication(); err != nil {
		return err
	}
	if err := k.scriptProcessing(0x71); err != nil {
		return err
	}
	if err := k.completion(); err != nil {
		return err
	}
	return k.scriptProcessing(0x72)
}

// fail wraps err in a *StepError of the current step.
func (k *kernel) fail(err error) error {
	var se *StepError
	if errors.As(err, &se) {
		return err
	}
	return &StepError{Step: k.step, Err: err}
}

func (k *kernel) failf(sentinel error, format string, args ...any) error {
	return k.fail(fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...))
}

func (k *kernel) begin(s Step) {
	k.step = s
}

func (k *kernel) note(format string, args ...any) {
	if k.cfg.NoTrace {
		return
	}
	k.res.Trace = append(k.res.Trace, Event{Step: k.step, Kind: EventNote, Text: fmt.Sprintf(format, args...)})
}

// exchange sends c and records both APDUs in the trace. dol is the data
// object list c's data were built from, for masking; nil if none.
func (k *kernel) exchange(c Command, dol []byte) (Response, error) {
	if err := k.ctx.Err(); err != nil {
		return Response{}, k.fail(err)
	}
	if !k.cfg.NoTrace {
		k.res.Trace = append(k.res.Trace, Event{Step: k.step, Kind: EventCommand, Text: traceCommand(c, dol)})
	}
	r, err := k.tr.Exchange(c)
	if err != nil {
		return Response{}, k.fail(err)
	}
	if !k.cfg.NoTrace {
		k.res.Trace = append(k.res.Trace, Event{Step: k.step, Kind: EventResponse, Text: traceResponse(c.INS, r)})
	}
	return r, nil
}

func (k *kernel) now() time.Time {
	if k.cfg.Time != nil {
		return k.cfg.Time()
	}
	return time.Now()
}

func (k *kernel) rand() io.Reader {
	if k.cfg.Rand != nil {
		return k.cfg.Rand
	}
	return rand.Reader
}

// value returns a data object for a DOL or field 55: the terminal's
// dynamic data first (TVR, TSI, CVM results, ARC), then the terminal's
// other data, then the card's.
func (k *kernel) value(t tlv.Tag) ([]byte, bool) {
	switch t {
	case 0x95:
		return k.tvr[:], true
	case 0x9B:
		return k.tsi[:], true
	case 0x9F34:
		return k.cvm[:], true
	}
	if v, ok := k.term[t]; ok {
		return v, true
	}
	v, ok := k.icc[t]
	return v, ok
}

// appendDOL appends the data dol asks for.
func (k *kernel) appendDOL(dst, dol []byte) ([]byte, error) {
	return AppendDOLData(dst, dol, k.value)
}

// bcd appends the n-digit BCD encoding of v in size bytes.
func bcd(v uint64, size int) []byte {
	b := make([]byte, size)
	for i := size - 1; i >= 0; i-- {
		b[i] = byte(v%10) | byte(v/10%10)<<4
		v /= 100
	}
	return b
}

// initialiseTerminalData sets the terminal data objects of the
// transaction: amounts, dates, unpredictable number and the terminal's
// configuration.
func (k *kernel) initialiseTerminalData() error {
	k.begin(StepSelection)
	t := &k.cfg.Terminal
	now := k.now()
	k.term[0x9F02] = bcd(k.txn.Amount, 6)
	k.term[0x9F03] = bcd(k.txn.Cashback, 6)
	k.term[0x81] = binary.BigEndian.AppendUint32(nil, uint32(min(k.txn.Amount, 0xFFFFFFFF)))
	k.term[0x9F04] = binary.BigEndian.AppendUint32(nil, uint32(min(k.txn.Cashback, 0xFFFFFFFF)))
	k.term[0x5F2A] = bytes.Clone(k.txn.Currency[:])
	k.term[0x5F36] = []byte{k.txn.CurrencyExponent}
	k.term[0x9C] = []byte{byte(k.txn.Type)}
	k.term[0x9F41] = bcd(uint64(k.txn.Sequence), 4)
	y, m, d := now.Date()
	k.term[0x9A] = []byte{byte(y%100/10<<4 | y%10), byte(int(m)/10<<4 | int(m)%10), byte(d/10<<4 | d%10)}
	hh, mm, ss := now.Clock()
	k.term[0x9F21] = []byte{byte(hh/10<<4 | hh%10), byte(mm/10<<4 | mm%10), byte(ss/10<<4 | ss%10)}
	un := make([]byte, 4)
	if _, err := io.ReadFull(k.rand(), un); err != nil {
		return k.fail(fmt.Errorf("emv: unpredictable number: %w", err))
	}
	k.term[0x9F37] = un
	k.term[0x9F1A] = bytes.Clone(t.CountryCode[:])
	k.term[0x9F33] = bytes.Clone(t.Capabilities[:])
	k.term[0x9F40] = bytes.Clone(t.AdditionalCapabilities[:])
	k.term[0x9F35] = []byte{t.Type}
	k.term[0x9F39] = []byte{0x05}
	k.term[0x9F15] = bytes.Clone(t.MerchantCategory[:])
	for tag, s := range map[tlv.Tag]string{0x9F1E: t.IFDSerial, 0x9F1C: t.TerminalID, 0x9F16: t.MerchantID} {
		if s != "" {
			k.term[tag] = []byte(s)
		}
	}
	if len(t.AcquirerID) > 0 {
		k.term[0x9F01] = bytes.Clone(t.AcquirerID)
	}
	return nil
}

// setAppTerminalData sets the terminal data that depend on the selected
// application.
func (k *kernel) setAppTerminalData() {
	a := k.app
	k.term[0x9F06] = bytes.Clone(a.AID)
	k.term[0x9F09] = bytes.Clone(a.Version[:])
	k.term[0x9F1B] = binary.BigEndian.AppendUint32(nil, uint32(min(a.FloorLimit, 0xFFFFFFFF)))
}
