package cardsim

import (
	"crypto/rand"
	"io"
	"sync"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// Status words the card uses that package emv does not name.
const (
	swAuthFailed      emv.StatusWord = 0x6300 // EXTERNAL AUTHENTICATE: ARPC wrong
	swSecurityStatus  emv.StatusWord = 0x6982 // no cryptogram to bind a script command to
	swSMDataIncorrect emv.StatusWord = 0x6988 // script command MAC wrong
	swWrongP1P2       emv.StatusWord = 0x6A86
	swNoPreciseDiag   emv.StatusWord = 0x6F00
)

// Config configures a card's behaviour beyond its personalisation. The
// zero value is a T=1 card with crypto/rand randomness and no faults.
type Config struct {
	// Rand supplies GET CHALLENGE numbers and the ICC dynamic numbers of
	// DDA and CDA; nil means crypto/rand.Reader. Inject a seeded reader
	// for deterministic transcripts.
	Rand io.Reader
	// T0 makes the card behave as over T=0 (EMV 4.4 Book 1 section 9.3.1):
	// a command with data that expects data back gets 61xx and the data
	// with GET RESPONSE (a warning 62xx/63xx comes alone and the data
	// follows with GET RESPONSE); a command without data whose Le differs
	// from the length of its response gets 6Cxx. Without T0 the card
	// answers 6Cxx only to an Le shorter than its response, and returns
	// the data of a case 4 command at once.
	T0 bool
	// Faults are injected into the exchanges, in order; see Fault.
	Faults []Fault
	// FaultSeed seeds the choices faults make (which byte to corrupt, and
	// whether a fault with a probability fires).
	FaultSeed uint64
}

// appState is what an application remembers between transactions.
type appState struct {
	atc, lastOnline  uint16
	pinTries         int // tries left
	blocked          bool
	lastNotCompleted bool // an ARQC was not followed by a second GENERATE AC
	issuerAuthFailed bool // issuer authentication failed on the last online transaction
	log              [][]byte
	lcol, ucol       byte   // consecutive offline limits (PUT DATA changes them)
	pin              string // offline PIN (PIN CHANGE changes it)
}

// txn is what the card remembers within one selection: it starts again
// with every SELECT.
type txn struct {
	dir          []byte // name of the selected directory (PSE or DDF)
	app          int    // selected application, -1 for none
	partialIdx   int    // index of the last application matched by partial selection
	gpo          bool
	pdolData     []byte
	genac        int // GENERATE AC commands answered
	firstCID     emv.CID
	lastCID      emv.CID
	ac           [8]byte // last cryptogram
	arqc         [8]byte // cryptogram of the first GENERATE AC
	values       map[tlv.Tag][]byte
	cdol1Data    []byte
	challenge    []byte
	issuerAuth   IssuerAuth
	scriptCount  int
	scriptFailed bool
	pinVerified  bool
	pinFailed    bool
	pinEnc       bool
	dda          bool
	cda1, cda2   bool
	unableOnline bool
	forceCID     *emv.CID // FaultCID for this GENERATE AC
}

// A Card is a personalised simulated EMV contact card. It implements
// emv.Card. A Card is safe for concurrent use; the commands of one
// terminal are answered in order.
type Card struct {
	mu      sync.Mutex
	profile Profile
	apps    []*app
	state   []appState
	blocked bool
	t       txn
	last    int // application State reports on
	cfg     Config
	rand    io.Reader
	faults  faultState
	pending []byte // T=0: data waiting for GET RESPONSE
}

// New personalises a card from profile p. It checks the profile, derives
// the ICC master keys from the issuer master keys, builds the records and
// signs the certificates and static data the ODA mode needs.
func New(p *Profile, cfg Config) (*Card, error) {
	if p == nil || len(p.Applications) == 0 {
		return nil, &ProfileError{App: -1, Field: "Applications", Reason: "none"}
	}
	c := &Card{profile: *p, cfg: cfg, blocked: p.CardBlocked}
	c.profile.Applications = append([]Application(nil), p.Applications...)
	for i, def := range p.Applications {
		a, err := personalise(i, def)
		if err != nil {
			return nil, err
		}
		c.apps = append(c.apps, a)
		c.state = append(c.state, appState{
			atc:        def.ATC,
			lastOnline: def.LastOnline,
			pinTries:   def.pinTryLimit() - def.PINTriesUsed,
			blocked:    def.Blocked,
			lcol:       def.LCOL,
			ucol:       def.UCOL,
			pin:        def.PIN,
		})
	}
	c.rand = cfg.Rand
	if c.rand == nil {
		c.rand = rand.Reader
	}
	c.faults = newFaultState(cfg)
	c.t = txn{app: -1, partialIdx: -1}
	return c, nil
}

// Profile returns a copy of the profile the card was personalised with.
func (c *Card) Profile() Profile {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.profile
	p.Applications = append([]Application(nil), p.Applications...)
	return p
}

// StaticData returns the static data to be authenticated of application i
// as a terminal must assemble it (EMV 4.4 Book 3 section 10.3): the value
// of each record template of SFI 1 record 1 and SFI 2 records 1 and 2,
// then the AIP when the card has ODA. Tests use it to check a kernel.
func (c *Card) StaticData(i int) []byte {
	return append([]byte(nil), c.apps[i].staticData...)
}

// IssuerAuth is the outcome of issuer authentication in the current
// transaction.
type IssuerAuth uint8

// The outcomes.
const (
	IssuerAuthNotPerformed IssuerAuth = iota
	IssuerAuthPassed
	IssuerAuthFailed
)

// String names the outcome.
func (a IssuerAuth) String() string {
	switch a {
	case IssuerAuthNotPerformed:
		return "not performed"
	case IssuerAuthPassed:
		return "passed"
	case IssuerAuthFailed:
		return "failed"
	}
	return "IssuerAuth(" + itoa(int(a)) + ")"
}

// State is what a test can inspect of a card: the counters and flags of
// the application selected last (the first application before any
// selection) and the outcome of the current transaction.
type State struct {
	AID                []byte
	ATC                uint16 // 9F36
	LastOnlineATC      uint16 // 9F13
	PINTriesLeft       int    // 9F17
	ApplicationBlocked bool
	CardBlocked        bool
	// Cryptograms is the number of GENERATE AC commands answered in the
	// current transaction; LastCID and LastCryptogram describe the last.
	Cryptograms    int
	LastCID        emv.CID
	LastCryptogram [8]byte
	IssuerAuth     IssuerAuth
	ScriptCommands int  // secure messaging commands received
	ScriptFailed   bool // one of them failed
	PINVerified    bool // offline PIN verified in this transaction
	LogEntries     int
}

// State returns a snapshot of the card's state.
func (c *Card) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := &c.state[c.last]
	return State{
		AID:                append([]byte(nil), c.apps[c.last].def.AID...),
		ATC:                st.atc,
		LastOnlineATC:      st.lastOnline,
		PINTriesLeft:       st.pinTries,
		ApplicationBlocked: st.blocked,
		CardBlocked:        c.blocked,
		Cryptograms:        c.t.genac,
		LastCID:            c.t.lastCID,
		LastCryptogram:     c.t.ac,
		IssuerAuth:         c.t.issuerAuth,
		ScriptCommands:     c.t.scriptCount,
		ScriptFailed:       c.t.scriptFailed,
		PINVerified:        c.t.pinVerified,
		LogEntries:         len(st.log),
	}
}

// String describes the card without card data.
func (c *Card) String() string {
	return "cardsim: card " + c.profile.Name + " (" + itoa(len(c.apps)) + " applications)"
}

// command is a parsed command APDU.
type command struct {
	cla, ins, p1, p2 byte
	data             []byte
	le               int // 1 to 256; 0 when absent
}

// parseCommand splits a short command APDU (ISO/IEC 7816-3 cases 1 to
// 4) with emv.ParseCommand. Extended lengths are not supported, as EMV
// does not use them.
func parseCommand(b []byte) (command, bool) {
	c, err := emv.ParseCommand(b)
	if err != nil {
		return command{}, false
	}
	return command{cla: c.CLA, ins: c.INS, p1: c.P1, p2: c.P2, data: c.Data, le: c.Le}, true
}

// Transmit answers one command APDU. It always returns a response of at
// least a status word; the error is non-nil only when an injected fault
// makes the card mute.
func (c *Card) Transmit(cmd []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cm, ok := parseCommand(cmd)
	if !ok {
		c.pending = nil
		return sw(nil, emv.SWWrongLength), nil
	}
	if cm.cla == 0x00 && cm.ins == 0xC0 {
		return c.getResponse(cm), nil
	}
	c.pending = nil
	f := c.faults.match(cm.ins)
	if f != nil && f.Kind == FaultMute {
		return nil, ErrFault
	}
	if f != nil && f.Kind == FaultCID && cm.ins == 0xAE {
		cid := f.CID
		c.t.forceCID = &cid
	}
	data, status := c.dispatch(cm)
	c.t.forceCID = nil
	if f != nil {
		data, status = c.faults.apply(f, data, status)
	}
	return c.shape(cm, data, status), nil
}

// shape applies the Le and T=0 rules to a response.
func (c *Card) shape(cm command, data []byte, status emv.StatusWord) []byte {
	if len(data) == 0 {
		return sw(nil, status)
	}
	if c.cfg.T0 && len(cm.data) > 0 && cm.le == 0 {
		// Case 4 over T=0: the data waits for GET RESPONSE.
		c.pending = data
		if status.Warning() {
			return sw(nil, status)
		}
		return sw(nil, emv.SWBytesAvailable|emv.StatusWord(byte(len(data))))
	}
	if cm.le != 0 && (cm.le < len(data) || (c.cfg.T0 && cm.le != len(data))) && len(data) <= 256 {
		return sw(nil, emv.SWWrongLe|emv.StatusWord(byte(len(data))))
	}
	return sw(append([]byte(nil), data...), status)
}

// getResponse answers GET RESPONSE with the data a T=0 exchange left.
func (c *Card) getResponse(cm command) []byte {
	if len(c.pending) == 0 || cm.p1 != 0 || cm.p2 != 0 || len(cm.data) != 0 {
		c.pending = nil
		return sw(nil, emv.SWConditionsNotSatisfied)
	}
	le := cm.le
	if le == 0 {
		le = 256
	}
	if le > len(c.pending) {
		return sw(nil, emv.SWWrongLe|emv.StatusWord(byte(len(c.pending))))
	}
	out := append([]byte(nil), c.pending[:le]...)
	c.pending = c.pending[le:]
	if len(c.pending) > 0 {
		return sw(out, emv.SWBytesAvailable|emv.StatusWord(byte(len(c.pending))))
	}
	c.pending = nil
	return sw(out, emv.SWSuccess)
}

func sw(data []byte, s emv.StatusWord) []byte {
	return append(data, s.SW1(), s.SW2())
}

// dispatch runs one command and returns its response data and status.
func (c *Card) dispatch(cm command) ([]byte, emv.StatusWord) {
	switch cm.cla {
	case 0x00, 0x80, 0x84, 0x04:
	default:
		return nil, emv.SWClassNotSupported
	}
	switch {
	case cm.cla == 0x00 && cm.ins == 0xA4:
		return c.selectFile(cm)
	case cm.cla == 0x00 && cm.ins == 0xB2:
		return c.readRecord(cm)
	case cm.cla == 0x80 && cm.ins == 0xA8:
		return c.getProcessingOptions(cm)
	case cm.cla == 0x80 && cm.ins == 0xCA:
		return c.getData(cm)
	case cm.cla == 0x00 && cm.ins == 0x84:
		return c.getChallenge(cm)
	case cm.cla == 0x00 && cm.ins == 0x20:
		return c.verify(cm)
	case cm.cla == 0x00 && cm.ins == 0x88:
		return c.internalAuthenticate(cm)
	case cm.cla == 0x00 && cm.ins == 0x82:
		return c.externalAuthenticate(cm)
	case cm.cla == 0x80 && cm.ins == 0xAE:
		return c.generateAC(cm)
	case cm.cla&0x0C == 0x04:
		return c.script(cm)
	}
	return nil, emv.SWInstructionNotSupported
}

// selected returns the selected application and its state, or nil when no
// application is selected.
func (c *Card) selected() (*app, *appState) {
	if c.t.app < 0 {
		return nil, nil
	}
	return c.apps[c.t.app], &c.state[c.t.app]
}

// Clone returns a new card with the same personalisation and the same
// counters and flags as c, at the start of a transaction (nothing
// selected), with the configuration cfg. Personalisation data are shared,
// not copied or signed again, so Clone is cheap: use it to run many
// transactions from the same starting point.
func (c *Card) Clone(cfg Config) *Card {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := &Card{profile: c.profile, apps: c.apps, blocked: c.blocked, cfg: cfg, rand: cfg.Rand}
	n.state = append([]appState(nil), c.state...)
	for i := range n.state {
		n.state[i].log = append([][]byte(nil), c.state[i].log...)
	}
	if n.rand == nil {
		n.rand = rand.Reader
	}
	n.faults = newFaultState(cfg)
	n.t = txn{app: -1, partialIdx: -1}
	return n
}
