package emv_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/pinblock"
)

// Scenario tests of each step of the kernel against the simulated card of
// emv/cardsim: the card is personalised from a ready-made profile with
// one field changed, or answers with an injected fault, and the test
// checks what the step did. The profiles are built without offline data
// authentication unless the scenario needs it, so that most of these
// tests run in -short mode; the behavioural fake card of fakecard_test.go
// keeps testing the steps in isolation.

var (
	scenarioKeysOnce sync.Once
	scenarioKeys     map[oda.RID]*cardsim.Keys
	scenarioKeysErr  error
)

var (
	ridVisa       = oda.RID{0xA0, 0, 0, 0, 0x03}
	ridMastercard = oda.RID{0xA0, 0, 0, 0, 0x04}
)

// keysFor returns keys under rid generated once for all scenarios.
func keysFor(t testing.TB, rid oda.RID) *cardsim.Keys {
	scenarioKeysOnce.Do(func() {
		scenarioKeys = map[oda.RID]*cardsim.Keys{}
		for i, r := range []oda.RID{ridVisa, ridMastercard} {
			var k *cardsim.Keys
			if k, scenarioKeysErr = cardsim.SeededKeys(uint64(40+i), r); scenarioKeysErr != nil {
				return
			}
			scenarioKeys[r] = k
		}
	})
	if scenarioKeysErr != nil {
		t.Fatal(scenarioKeysErr)
	}
	return scenarioKeys[rid]
}

// scenario is one transaction against a simulated card.
type scenario struct {
	// profile makes the card; nil means Visa CVN 10 without ODA.
	profile func(cardsim.ODAMode, cardsim.Options) (*cardsim.Profile, error)
	mode    cardsim.ODAMode
	card    func(p *cardsim.Profile)  // edits the profile
	sim     cardsim.Config            // faults, T=0
	term    func(cfg *emv.Config)     // edits the terminal
	host    func(h *host)             // edits the issuer stub
	txn     func(tx *emv.Transaction) // edits the transaction
	amount  uint64                    // zero means 10000 (over the floor limit)
}

type outcome struct {
	res  *emv.Result
	err  error
	card *cardsim.Card
	host *host
	app  cardsim.Application
}

func (o outcome) dump(t *testing.T) {
	t.Helper()
	for _, e := range o.res.Trace {
		t.Log(e)
	}
}

// trace returns the trace as one string.
func (o outcome) trace() string {
	var sb strings.Builder
	for _, e := range o.res.Trace {
		sb.WriteString(e.String())
		sb.WriteByte('\n')
	}
	return sb.String()
}

func run1(t *testing.T, s scenario) outcome {
	t.Helper()
	if s.mode != cardsim.NoODA && testing.Short() {
		t.Skip("signs certificates")
	}
	mk := s.profile
	if mk == nil {
		mk = cardsim.VisaCVN10
	}
	keys := keysFor(t, ridVisa)
	p, err := mk(s.mode, cardsim.Options{Keys: keys})
	if err != nil || bytes.HasPrefix(p.Applications[0].AID, ridMastercard[:]) {
		keys = keysFor(t, ridMastercard)
		p, err = mk(s.mode, cardsim.Options{Keys: keys})
	}
	if err != nil {
		t.Fatal(err)
	}
	if s.card != nil {
		s.card(p)
	}
	app := p.Applications[0]
	card := newSimCard(t, p, s.sim)
	h := &host{t: t, cvn: app.CVN}
	if s.host != nil {
		s.host(h)
	}
	termApp := app
	termApp.Keys = keys
	cfg := terminal(t, termApp, h)
	if s.term != nil {
		s.term(cfg)
	}
	amount := s.amount
	if amount == 0 {
		amount = 10000
	}
	tx := txn(app, amount)
	if s.txn != nil {
		s.txn(&tx)
	}
	res, err := emv.Process(context.Background(), card, cfg, tx)
	return outcome{res: res, err: err, card: card, host: h, app: app}
}

func withFaults(f ...cardsim.Fault) cardsim.Config { return cardsim.Config{Faults: f} }

func noPSE(cfg *emv.Config) { cfg.Terminal.PSEDisabled = true }

// --- Application selection (Book 3 12) ---

func twoApps(mode cardsim.ODAMode, o cardsim.Options) (*cardsim.Profile, error) {
	return cardsim.TwoApplications(o)
}

func TestScenarioSelection(t *testing.T) {
	visaPrefix := func(cfg *emv.Config) {
		cfg.Applications[0].AID = []byte{0xA0, 0, 0, 0, 0x03}
	}
	tests := []struct {
		name   string
		s      scenario
		want   string // selected AID
		err    error
		shown  []string
		choose string
		check  func(t *testing.T, o outcome)
	}{
		{name: "PSE blocked: candidates from the list of AIDs", s: scenario{profile: twoApps, card: func(p *cardsim.Profile) { p.PSEBlocked = true }},
			choose: "a0000000032010", want: "a0000000032010", shown: []string{"a0000000032010", "a0000000031010"},
			check: func(t *testing.T, o outcome) {
				if !strings.Contains(o.trace(), "315041592E5359532E4444463031") {
					t.Error("PSE not tried")
				}
			}},
		{name: "PSE absent (6A82): candidates from the list of AIDs", s: scenario{profile: twoApps, card: func(p *cardsim.Profile) { p.PSE = false }},
			choose: "a0000000031010", want: "a0000000031010", shown: []string{"a0000000032010", "a0000000031010"}},
		{name: "PSE disabled by the terminal", s: scenario{profile: twoApps, term: noPSE},
			choose: "a0000000032010", want: "a0000000032010", shown: []string{"a0000000032010", "a0000000031010"},
			check: func(t *testing.T, o outcome) {
				if strings.Contains(o.trace(), "315041592E5359532E4444463031") {
					t.Error("PSE selected although disabled")
				}
			}},
		{name: "partial AID A000000003 finds both applications with SELECT next", s: scenario{profile: twoApps, term: func(cfg *emv.Config) { noPSE(cfg); visaPrefix(cfg) }},
			choose: "a0000000031010", want: "a0000000031010", shown: []string{"a0000000032010", "a0000000031010"},
			check: func(t *testing.T, o outcome) {
				if !strings.Contains(o.trace(), "00A40402") {
					t.Error("no SELECT next")
				}
			}},
		{name: "partial AID without partial selection finds nothing", s: scenario{profile: twoApps, term: func(cfg *emv.Config) {
			noPSE(cfg)
			visaPrefix(cfg)
			cfg.Applications[0].PartialSelection = false
		}}, err: emv.ErrNoApplication},
		{name: "priorities order the candidates (credit first when it has priority 1)", s: scenario{profile: twoApps, card: func(p *cardsim.Profile) {
			p.Applications[0].Priority, p.Applications[1].Priority = 3, 1
		}}, choose: "a0000000031010", want: "a0000000031010", shown: []string{"a0000000031010", "a0000000032010"}},
		{name: "priorities without a cardholder: highest that needs no confirmation", s: scenario{profile: twoApps},
			want: "a0000000031010"},
		{name: "confirmation required and no way to confirm: no application", s: scenario{card: func(p *cardsim.Profile) {
			p.Applications[0].ConfirmationRequired = true
		}}, err: emv.ErrNoApplication},
		{name: "confirmation required and confirmed", s: scenario{card: func(p *cardsim.Profile) {
			p.Applications[0].ConfirmationRequired = true
		}}, choose: "a0000000031010", want: "a0000000031010", shown: []string{"a0000000031010"}},
		{name: "confirmation required and refused", s: scenario{card: func(p *cardsim.Profile) {
			p.Applications[0].ConfirmationRequired = true
		}}, choose: "none", err: emv.ErrCancelled},
		{name: "blocked application (6283) is not a candidate", s: scenario{profile: twoApps, term: noPSE, card: func(p *cardsim.Profile) {
			p.Applications[0].Blocked = true
			p.Applications[0].ConfirmationRequired = false
		}}, want: "a0000000031010"},
		{name: "blocked application found at final selection: back to the choice", s: scenario{profile: twoApps, card: func(p *cardsim.Profile) {
			p.Applications[0].Blocked = true
		}}, choose: "a0000000032010,a0000000031010", want: "a0000000031010", shown: []string{"a0000000032010", "a0000000031010"}},
		{name: "PSE with a DDF: the application is found in the DDF's directory", s: scenario{profile: twoApps, card: func(p *cardsim.Profile) {
			p.Applications[1].DDF = []byte("VISA.DDF")
		}}, choose: "a0000000031010", want: "a0000000031010", shown: []string{"a0000000032010", "a0000000031010"},
			check: func(t *testing.T, o outcome) {
				if !strings.Contains(o.trace(), hex.EncodeToString([]byte("VISA.DDF"))) && !strings.Contains(o.trace(), strings.ToUpper(hex.EncodeToString([]byte("VISA.DDF")))) {
					o.dump(t)
					t.Error("DDF not selected")
				}
			}},
		{name: "card blocked (6A81)", s: scenario{card: func(p *cardsim.Profile) { p.CardBlocked = true }}, err: emv.ErrCardBlocked},
		{name: "GPO 6985 goes back to selection without the application", s: scenario{profile: twoApps,
			sim: withFaults(cardsim.Fault{Kind: cardsim.FaultStatus, INS: 0xA8, Nth: 1, SW: 0x6985})},
			choose: "a0000000032010,a0000000031010", want: "a0000000031010",
			// Credit is left alone and needs no confirmation: selected
			// without asking again.
			shown: []string{"a0000000032010", "a0000000031010"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *prefer
			if tt.choose != "" {
				p = &prefer{aids: strings.Split(tt.choose, ",")}
				ch := tt.s.term
				tt.s.term = func(cfg *emv.Config) {
					if ch != nil {
						ch(cfg)
					}
					cfg.Cardholder = p
					cfg.Terminal.ConfirmationSupported = true
				}
			}
			o := run1(t, tt.s)
			if !errors.Is(o.err, tt.err) {
				o.dump(t)
				t.Fatalf("error %v, want %v", o.err, tt.err)
			}
			if tt.err != nil {
				if o.res.Outcome != emv.Terminated {
					t.Errorf("outcome %v", o.res.Outcome)
				}
				return
			}
			if got := hex.EncodeToString(o.res.AID); got != tt.want || o.res.Outcome != emv.ApprovedOnline {
				o.dump(t)
				t.Fatalf("AID %s outcome %v, want %s approved online", got, o.res.Outcome, tt.want)
			}
			if tt.shown != nil && strings.Join(p.shown, ",") != strings.Join(tt.shown, ",") {
				t.Errorf("candidates shown last %v, want %v", p.shown, tt.shown)
			}
			if tt.check != nil {
				tt.check(t, o)
			}
		})
	}
}

// prefer chooses the first of aids on the list, and records the list
// shown last.
type prefer struct {
	aids  []string
	shown []string
}

func (p *prefer) ChooseApplication(_ context.Context, cs []emv.Candidate) (int, error) {
	p.shown = p.shown[:0]
	for _, c := range cs {
		p.shown = append(p.shown, hex.EncodeToString(c.AID))
	}
	for _, a := range p.aids {
		for i, c := range cs {
			if hex.EncodeToString(c.AID) == a {
				return i, nil
			}
		}
	}
	return 0, emv.ErrCancelled
}

// --- Initiate application processing (Book 3 10.1) ---

func TestScenarioGPOErrors(t *testing.T) {
	gpo := func(f cardsim.Fault) cardsim.Config { f.INS = 0xA8; return withFaults(f) }
	tests := []struct {
		name     string
		s        scenario
		err      error
		fallback bool
	}{
		{"GPO 6985 with a single application: no application left", scenario{sim: gpo(cardsim.Fault{Kind: cardsim.FaultStatus, SW: 0x6985})}, emv.ErrNoApplication, true},
		{"GPO 6A81 terminates with fallback allowed", scenario{sim: gpo(cardsim.Fault{Kind: cardsim.FaultStatus, SW: 0x6A81})}, emv.SWFunctionNotSupported, true},
		{"GPO 6700 terminates", scenario{sim: gpo(cardsim.Fault{Kind: cardsim.FaultStatus, SW: 0x6700})}, emv.StatusWord(0x6700), true},
		{"GPO response format 1 corrupted", scenario{sim: gpo(cardsim.Fault{Kind: cardsim.FaultCorrupt})}, emv.ErrCardData, true},
		{"GPO response format 2 corrupted", scenario{profile: cardsim.MastercardCVN16, sim: gpo(cardsim.Fault{Kind: cardsim.FaultCorrupt})}, emv.ErrCardData, true},
		{"GPO format 2 without AIP", scenario{profile: cardsim.MastercardCVN16, sim: gpo(cardsim.Fault{Kind: cardsim.FaultDrop, Tag: 0x82})}, emv.ErrMissingData, true},
		{"GPO format 2 without AFL", scenario{profile: cardsim.MastercardCVN16, sim: gpo(cardsim.Fault{Kind: cardsim.FaultDrop, Tag: 0x94})}, emv.ErrMissingData, true},
		{"GPO response neither template 80 nor 77", scenario{sim: gpo(cardsim.Fault{Kind: cardsim.FaultRetag, Tag: 0x71})}, emv.ErrCardData, true},
		{"card mute at GPO", scenario{sim: gpo(cardsim.Fault{Kind: cardsim.FaultMute})}, cardsim.ErrFault, true},
		{"PDOL data sent and checked by the card (Visa CVN 18)", scenario{profile: cardsim.VisaCVN18}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run1(t, tt.s)
			if !errors.Is(o.err, tt.err) {
				o.dump(t)
				t.Fatalf("error %v, want %v", o.err, tt.err)
			}
			if tt.err == nil {
				if o.res.Outcome != emv.ApprovedOnline {
					t.Errorf("outcome %v", o.res.Outcome)
				}
				return
			}
			var se *emv.StepError
			if !errors.As(o.err, &se) || (se.Step != emv.StepInitiate && se.Step != emv.StepSelection) {
				t.Errorf("error %v not from initiate application processing", o.err)
			}
			if o.res.FallbackAllowed != tt.fallback {
				t.Errorf("fallback allowed %v, want %v", o.res.FallbackAllowed, tt.fallback)
			}
		})
	}
}

// --- Read application data (Book 3 10.2) ---

func TestScenarioRecords(t *testing.T) {
	rr := func(f cardsim.Fault) cardsim.Config { f.INS = 0xB2; return withFaults(f) }
	app := func(edit func(a *cardsim.Application)) func(p *cardsim.Profile) {
		return func(p *cardsim.Profile) { edit(&p.Applications[0]) }
	}
	tests := []struct {
		name string
		s    scenario
		err  error
	}{
		{"READ RECORD 6A83 terminates", scenario{term: noPSE, sim: rr(cardsim.Fault{Kind: cardsim.FaultStatus, Nth: 2, SW: 0x6A83})}, emv.StatusWord(0x6A83)},
		{"record corrupted", scenario{term: noPSE, sim: rr(cardsim.Fault{Kind: cardsim.FaultCorrupt, Nth: 2})}, emv.ErrCardData},
		{"PAN (5A) missing", scenario{sim: rr(cardsim.Fault{Kind: cardsim.FaultDrop, Tag: 0x5A})}, emv.ErrMissingData},
		{"expiration date (5F24) missing", scenario{sim: rr(cardsim.Fault{Kind: cardsim.FaultDrop, Tag: 0x5F24})}, emv.ErrMissingData},
		{"CDOL1 (8C) missing", scenario{sim: rr(cardsim.Fault{Kind: cardsim.FaultDrop, Tag: 0x8C})}, emv.ErrMissingData},
		{"CDOL2 (8D) missing", scenario{sim: rr(cardsim.Fault{Kind: cardsim.FaultDrop, Tag: 0x8D})}, emv.ErrMissingData},
		{"redundant expiration date", scenario{card: app(func(a *cardsim.Application) { a.ExtraData = tlvT(0x5F24, []byte{0x30, 0x12, 0x31}) })}, emv.ErrRedundantData},
		{"AFL with SFI 0", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0x00, 0x01, 0x01, 0x00} })}, emv.ErrCardData},
		{"AFL with SFI 31", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0xF8, 0x01, 0x01, 0x00} })}, emv.ErrCardData},
		{"AFL with first record 0", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0x10, 0x00, 0x01, 0x00} })}, emv.ErrCardData},
		{"AFL with last record before first", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0x10, 0x02, 0x01, 0x00} })}, emv.ErrCardData},
		{"AFL with more ODA records than records", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0x10, 0x01, 0x02, 0x03} })}, emv.ErrCardData},
		{"AFL of 3 bytes", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0x10, 0x01, 0x02} })}, emv.ErrCardData},
		{"AFL naming a record the card does not have", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0x08, 0x01, 0x01, 0x00, 0x10, 0x01, 0x03, 0x00} })}, emv.StatusWord(0x6A83)},
		{"AFL leaving out the application data records: mandatory data missing", scenario{card: app(func(a *cardsim.Application) { a.AFL = []byte{0x08, 0x01, 0x01, 0x00} })}, emv.ErrMissingData},
		{"record of SFI 1 not a template 70 terminates", scenario{term: noPSE, sim: rr(cardsim.Fault{Kind: cardsim.FaultRetag, Nth: 1, Tag: 0x71})}, emv.ErrCardData},
		{"records in SFI 12 read whole", scenario{card: app(func(a *cardsim.Application) { a.AppDataSFI = 12 })}, nil},
		{"T=0 card: 61xx and 6Cxx", scenario{sim: cardsim.Config{T0: true}, term: func(cfg *emv.Config) { cfg.T0 = true }}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run1(t, tt.s)
			if !errors.Is(o.err, tt.err) {
				o.dump(t)
				t.Fatalf("error %v, want %v", o.err, tt.err)
			}
			if tt.err == nil && o.res.Outcome != emv.ApprovedOnline {
				o.dump(t)
				t.Fatalf("outcome %v", o.res.Outcome)
			}
			if tt.err != nil && o.res.Outcome != emv.Terminated {
				t.Errorf("outcome %v", o.res.Outcome)
			}
		})
	}
}

// --- Processing restrictions (Book 3 10.4) ---

func TestScenarioProcessingRestrictions(t *testing.T) {
	const (
		domCash, intCash, domGoods, intGoods = 0x80, 0x40, 0x20, 0x10
		domServ, intServ, atms, nonATM       = 0x08, 0x04, 0x02, 0x01
		domCashback, intCashback             = 0x80, 0x40
	)
	auc := func(b1, b2 byte) func(p *cardsim.Profile) {
		return func(p *cardsim.Profile) { p.Applications[0].AUC = emv.AUC{b1, b2} }
	}
	abroad := func(cfg *emv.Config) { cfg.Terminal.CountryCode = [2]byte{0x08, 0x26} }
	atm := func(cfg *emv.Config) {
		cfg.Terminal.Type = 0x14
		cfg.Terminal.AdditionalCapabilities[0] |= 0x80
	}
	cash := func(tx *emv.Transaction) { tx.Type = emv.Cash }
	cashback := func(tx *emv.Transaction) { tx.Type, tx.Cashback = emv.PurchaseWithCashback, 1000 }
	services := func(tx *emv.Transaction) { tx.Services = true }
	tests := []struct {
		name string
		s    scenario
		bit  emv.Bit
		set  bool
	}{
		{"same application version", scenario{}, emv.TVRDifferentAppVersions, false},
		{"different application versions", scenario{term: func(cfg *emv.Config) { cfg.Applications[0].Version = [2]byte{0x00, 0x8C} }}, emv.TVRDifferentAppVersions, true},
		{"no terminal version: not checked", scenario{term: func(cfg *emv.Config) { cfg.Applications[0].Version = [2]byte{} }}, emv.TVRDifferentAppVersions, false},
		{"domestic goods allowed", scenario{card: auc(domGoods|nonATM, 0)}, emv.TVRServiceNotAllowed, false},
		{"domestic goods not allowed", scenario{card: auc(intGoods|nonATM, 0)}, emv.TVRServiceNotAllowed, true},
		{"international goods allowed", scenario{card: auc(intGoods|nonATM, 0), term: abroad}, emv.TVRServiceNotAllowed, false},
		{"international goods not allowed", scenario{card: auc(domGoods|nonATM, 0), term: abroad}, emv.TVRServiceNotAllowed, true},
		{"domestic services allowed", scenario{card: auc(domServ|nonATM, 0), txn: services}, emv.TVRServiceNotAllowed, false},
		{"domestic services not allowed", scenario{card: auc(domGoods|nonATM, 0), txn: services}, emv.TVRServiceNotAllowed, true},
		{"international services allowed", scenario{card: auc(intServ|nonATM, 0), txn: services, term: abroad}, emv.TVRServiceNotAllowed, false},
		{"international services not allowed", scenario{card: auc(domServ|intGoods|nonATM, 0), txn: services, term: abroad}, emv.TVRServiceNotAllowed, true},
		{"domestic cash allowed", scenario{card: auc(domCash|nonATM, 0), txn: cash}, emv.TVRServiceNotAllowed, false},
		{"domestic cash not allowed", scenario{card: auc(intCash|domGoods|nonATM, 0), txn: cash}, emv.TVRServiceNotAllowed, true},
		{"international cash allowed", scenario{card: auc(intCash|nonATM, 0), txn: cash, term: abroad}, emv.TVRServiceNotAllowed, false},
		{"international cash not allowed", scenario{card: auc(domCash|nonATM, 0), txn: cash, term: abroad}, emv.TVRServiceNotAllowed, true},
		{"domestic cashback allowed", scenario{card: auc(domGoods|nonATM, domCashback), txn: cashback}, emv.TVRServiceNotAllowed, false},
		{"domestic cashback not allowed", scenario{card: auc(domGoods|nonATM, intCashback), txn: cashback}, emv.TVRServiceNotAllowed, true},
		{"international cashback allowed", scenario{card: auc(intGoods|nonATM, intCashback), txn: cashback, term: abroad}, emv.TVRServiceNotAllowed, false},
		{"international cashback not allowed", scenario{card: auc(intGoods|nonATM, domCashback), txn: cashback, term: abroad}, emv.TVRServiceNotAllowed, true},
		{"valid at ATMs, used at an ATM", scenario{card: auc(domCash|atms, 0), txn: cash, term: atm}, emv.TVRServiceNotAllowed, false},
		{"not valid at ATMs, used at an ATM", scenario{card: auc(domCash|nonATM, 0), txn: cash, term: atm}, emv.TVRServiceNotAllowed, true},
		{"not valid at other terminals, used at a POS", scenario{card: auc(domGoods|atms, 0)}, emv.TVRServiceNotAllowed, true},
		{"no issuer country: only ATM/non-ATM checked", scenario{card: auc(nonATM, 0),
			sim: withFaults(cardsim.Fault{Kind: cardsim.FaultDrop, INS: 0xB2, Tag: 0x5F28})}, emv.TVRServiceNotAllowed, false},
		{"expired application", scenario{card: func(p *cardsim.Profile) { p.Applications[0].Expiry = "260930" }}, emv.TVRExpiredApplication, true},
		{"expires today: not expired", scenario{card: func(p *cardsim.Profile) { p.Applications[0].Expiry = "261126" }}, emv.TVRExpiredApplication, false},
		{"not yet effective", scenario{card: func(p *cardsim.Profile) { p.Applications[0].Effective = "261127" }}, emv.TVRApplicationNotYetEffective, true},
		{"effective today", scenario{card: func(p *cardsim.Profile) { p.Applications[0].Effective = "261126" }}, emv.TVRApplicationNotYetEffective, false},
		{"no effective date", scenario{card: func(p *cardsim.Profile) { p.Applications[0].Effective = "" }}, emv.TVRApplicationNotYetEffective, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run1(t, tt.s)
			if o.err != nil {
				o.dump(t)
				t.Fatal(o.err)
			}
			if o.res.TVR.Has(tt.bit) != tt.set {
				o.dump(t)
				t.Errorf("TVR %v: bit set %v, want %v", o.res.TVR, !tt.set, tt.set)
			}
		})
	}
}

// --- Terminal risk management (Book 3 10.6) ---

type logAmount uint64

func (l logAmount) Amount([]byte, [2]byte) uint64 { return uint64(l) }

type exceptions struct{ pan []byte }

func (e exceptions) Contains(pan, psn []byte) bool { return bytes.Equal(pan, e.pan) }

func TestScenarioTerminalRiskManagement(t *testing.T) {
	counters := func(atc, last uint16) func(p *cardsim.Profile) {
		return func(p *cardsim.Profile) { p.Applications[0].ATC, p.Applications[0].LastOnline = atc, last }
	}
	tests := []struct {
		name   string
		s      scenario
		set    []emv.Bit
		notSet []emv.Bit
	}{
		{"under the floor limit", scenario{amount: 1000}, nil, []emv.Bit{emv.TVRExceedsFloorLimit}},
		{"at the floor limit", scenario{amount: 5000}, []emv.Bit{emv.TVRExceedsFloorLimit}, nil},
		{"split sale: the log brings the amount over the floor limit", scenario{amount: 1000, term: func(cfg *emv.Config) { cfg.Log = logAmount(4500) }}, []emv.Bit{emv.TVRExceedsFloorLimit}, nil},
		{"random selection below the threshold", scenario{amount: 1000, term: func(cfg *emv.Config) {
			a := &cfg.Applications[0]
			a.Threshold, a.TargetPercent, a.MaxTargetPercent = 2000, 99, 99
		}}, []emv.Bit{emv.TVRRandomlySelectedOnline}, nil},
		{"random selection between threshold and floor limit", scenario{amount: 4000, term: func(cfg *emv.Config) {
			a := &cfg.Applications[0]
			a.Threshold, a.TargetPercent, a.MaxTargetPercent = 2000, 98, 99
		}}, []emv.Bit{emv.TVRRandomlySelectedOnline}, nil},
		{"random selection off", scenario{amount: 1000}, nil, []emv.Bit{emv.TVRRandomlySelectedOnline}},
		{"no random selection over the floor limit", scenario{term: func(cfg *emv.Config) {
			a := &cfg.Applications[0]
			a.TargetPercent, a.MaxTargetPercent = 99, 99
		}}, nil, []emv.Bit{emv.TVRRandomlySelectedOnline}},
		{"velocity within the limits", scenario{card: counters(0x10, 0x0E)}, nil, []emv.Bit{emv.TVRLowerConsecutiveLimitExceeded, emv.TVRUpperConsecutiveLimitExceeded, emv.TVRNewCard}},
		{"lower consecutive offline limit exceeded", scenario{card: counters(0x10, 0x0C)}, []emv.Bit{emv.TVRLowerConsecutiveLimitExceeded}, []emv.Bit{emv.TVRUpperConsecutiveLimitExceeded}},
		{"upper consecutive offline limit exceeded", scenario{card: counters(0x10, 0x08)}, []emv.Bit{emv.TVRLowerConsecutiveLimitExceeded, emv.TVRUpperConsecutiveLimitExceeded}, nil},
		{"velocity not possible: GET DATA refused", scenario{sim: withFaults(cardsim.Fault{Kind: cardsim.FaultStatus, INS: 0xCA, SW: 0x6A88})},
			[]emv.Bit{emv.TVRLowerConsecutiveLimitExceeded, emv.TVRUpperConsecutiveLimitExceeded}, nil},
		{"velocity not possible: ATC not above the last online ATC", scenario{card: counters(0x10, 0x20)},
			[]emv.Bit{emv.TVRLowerConsecutiveLimitExceeded, emv.TVRUpperConsecutiveLimitExceeded}, []emv.Bit{emv.TVRNewCard}},
		{"new card: last online ATC register zero", scenario{card: counters(0x01, 0x00)}, []emv.Bit{emv.TVRNewCard}, nil},
		{"card on the exception file", scenario{term: func(cfg *emv.Config) {
			cfg.Exceptions = exceptions{pan: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19}}
		}}, []emv.Bit{emv.TVRCardOnExceptionFile}, nil},
		{"merchant forced online", scenario{amount: 1000, txn: func(tx *emv.Transaction) { tx.ForceOnline = true }}, []emv.Bit{emv.TVRMerchantForcedOnline}, nil},
		{"AIP without terminal risk management: no floor limit check", scenario{card: func(p *cardsim.Profile) {
			p.Applications[0].AIP = emv.AIP{0x14, 0x00} // cardholder verification, issuer authentication
		}}, nil, []emv.Bit{emv.TVRExceedsFloorLimit}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run1(t, tt.s)
			if o.err != nil {
				o.dump(t)
				t.Fatal(o.err)
			}
			for _, b := range tt.set {
				if !o.res.TVR.Has(b) {
					o.dump(t)
					t.Errorf("TVR %v: bit %d not set", o.res.TVR, b)
				}
			}
			for _, b := range tt.notSet {
				if o.res.TVR.Has(b) {
					t.Errorf("TVR %v: bit %d set", o.res.TVR, b)
				}
			}
		})
	}
}

// --- Cardholder verification (Book 3 10.5): the CVM matrix ---

// wrongPIN enters a wrong PIN every time.
type wrongPIN struct{ n int }

func (p *wrongPIN) OfflinePIN(context.Context, emv.PINPrompt) ([]byte, error) {
	p.n++
	return pinblock.Encode(pinblock.ISO2, "9999", "")
}

func (p *wrongPIN) OnlinePIN(context.Context, emv.PINPrompt) (emv.OnlinePIN, error) {
	return emv.OnlinePIN{}, emv.ErrPINPadUnavailable
}

type bypassPIN struct{ offline, online int }

func (p *bypassPIN) OfflinePIN(context.Context, emv.PINPrompt) ([]byte, error) {
	p.offline++
	return nil, emv.ErrPINBypass
}

func (p *bypassPIN) OnlinePIN(context.Context, emv.PINPrompt) (emv.OnlinePIN, error) {
	p.online++
	return emv.OnlinePIN{}, emv.ErrPINBypass
}

type onlinePINPad struct{ pinPad }

func (onlinePINPad) OnlinePIN(context.Context, emv.PINPrompt) (emv.OnlinePIN, error) {
	return emv.OnlinePIN{Block: make([]byte, 8), KSN: make([]byte, 10)}, nil
}

func cvmList(x, y uint32, rules ...emv.CVRule) func(p *cardsim.Profile) {
	return func(p *cardsim.Profile) { p.Applications[0].CVMList = emv.CVMList{X: x, Y: y, Rules: rules} }
}

func TestScenarioCVMConditions(t *testing.T) {
	unattended := func(cfg *emv.Config) { cfg.Terminal.Type = 0x25 }
	cash := func(tx *emv.Transaction) { tx.Type = emv.Cash }
	cashback := func(tx *emv.Transaction) { tx.Type, tx.Cashback = emv.PurchaseWithCashback, 1000 }
	noPlainPIN := func(cfg *emv.Config) { cfg.Terminal.Capabilities[1] &^= 0x80 }
	otherCurrency := func(tx *emv.Transaction) { tx.Currency = [2]byte{0x09, 0x78} }
	type setup struct {
		term   func(*emv.Config)
		txn    func(*emv.Transaction)
		amount uint64
	}
	tests := []struct {
		cond         emv.CVMCondition
		satisfied    setup
		notSatisfied setup
	}{
		{emv.CondAlways, setup{}, setup{}},
		{emv.CondUnattendedCash, setup{term: unattended, txn: cash}, setup{txn: cash}},
		{emv.CondNotCashNorCashback, setup{}, setup{txn: cashback}},
		{emv.CondTerminalSupportsCVM, setup{}, setup{term: noPlainPIN}},
		{emv.CondManualCash, setup{txn: cash}, setup{term: unattended, txn: cash}},
		{emv.CondPurchaseWithCashback, setup{txn: cashback}, setup{}},
		{emv.CondAppCurrencyUnderX, setup{amount: 4000}, setup{amount: 6000}},
		{emv.CondAppCurrencyOverX, setup{amount: 6000}, setup{amount: 4000}},
		{emv.CondAppCurrencyUnderY, setup{amount: 19000}, setup{txn: otherCurrency, amount: 100}},
		{emv.CondAppCurrencyOverY, setup{amount: 21000}, setup{amount: 19000}},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			name   string
			s      setup
			pinpad emv.PINPad
			want   emv.CVMResults
			failed bool
		}{
			{"satisfied, PIN right", tt.satisfied, nil, emv.CVMResults{0x01, byte(tt.cond), 0x02}, false},
			{"satisfied, PIN wrong", tt.satisfied, &wrongPIN{}, emv.CVMResults{0x01, byte(tt.cond), 0x01}, true},
			{"not satisfied", tt.notSatisfied, nil, emv.CVMResults{0x1F, 0x00, 0x02}, false},
		} {
			if tt.cond == emv.CondAlways && c.name == "not satisfied" {
				continue
			}
			t.Run(hex.EncodeToString([]byte{byte(tt.cond)})+" "+c.name, func(t *testing.T) {
				s := scenario{
					card: cvmList(5000, 20000,
						emv.CVRule{Code: emv.CVMPlaintextPIN, Condition: tt.cond},
						emv.CVRule{Code: emv.CVMNoCVMRequired, Condition: emv.CondAlways}),
					txn: c.s.txn, amount: c.s.amount,
					term: func(cfg *emv.Config) {
						cfg.Applications[0].Version = [2]byte{}
						if c.s.term != nil {
							c.s.term(cfg)
						}
						if c.pinpad != nil {
							cfg.PINPad = c.pinpad
						}
					},
				}
				o := run1(t, s)
				if o.err != nil {
					o.dump(t)
					t.Fatal(o.err)
				}
				if o.res.CVMResults != c.want || o.res.TVR.Has(emv.TVRCardholderVerificationFailed) != c.failed {
					o.dump(t)
					t.Fatalf("CVM results %v, TVR %v; want %v, failed %v", o.res.CVMResults, o.res.TVR, c.want, c.failed)
				}
				if !o.res.TSI.Has(emv.TSICardholderVerification) {
					t.Errorf("TSI %v", o.res.TSI)
				}
				if st := o.card.State(); st.PINVerified != (c.want[2] == 0x02 && c.want[0] == 0x01) {
					t.Errorf("card PIN verified %v", st.PINVerified)
				}
				if c.failed && !o.res.TVR.Has(emv.TVRPINTryLimitExceeded) {
					t.Errorf("TVR %v: wrong PIN until the try limit", o.res.TVR)
				}
			})
		}
	}
}

func TestScenarioCVMMethods(t *testing.T) {
	rule := func(code emv.CVMCode, next bool) emv.CVRule {
		return emv.CVRule{Code: code, ApplySucceeding: next, Condition: emv.CondAlways}
	}
	pad := func(p emv.PINPad) func(*emv.Config) { return func(cfg *emv.Config) { cfg.PINPad = p } }
	tests := []struct {
		name      string
		s         scenario
		want      emv.CVMResults
		failed    bool
		tvr       emv.Bit
		signature bool
		onlinePIN bool
	}{
		{"plaintext PIN verified", scenario{card: cvmList(0, 0, rule(emv.CVMPlaintextPIN, false))}, emv.CVMResults{0x01, 0x00, 0x02}, false, 0, false, false},
		{"plaintext PIN wrong until the try limit", scenario{card: cvmList(0, 0, rule(emv.CVMPlaintextPIN, false)), term: pad(&wrongPIN{})}, emv.CVMResults{0x01, 0x00, 0x01}, true, emv.TVRPINTryLimitExceeded, false, false},
		{"plaintext PIN wrong, then apply succeeding: signature", scenario{card: cvmList(0, 0, rule(emv.CVMPlaintextPIN, true), rule(emv.CVMSignature, false)), term: pad(&wrongPIN{})}, emv.CVMResults{0x1E, 0x00, 0x00}, false, emv.TVRPINTryLimitExceeded, true, false},
		{"PIN try limit already exceeded (card's counter 0)", scenario{card: func(p *cardsim.Profile) {
			cvmList(0, 0, rule(emv.CVMPlaintextPIN, false))(p)
			p.Applications[0].PINTriesUsed = 3
		}}, emv.CVMResults{0x01, 0x00, 0x01}, true, emv.TVRPINTryLimitExceeded, false, false},
		{"PIN bypassed", scenario{card: cvmList(0, 0, rule(emv.CVMPlaintextPIN, false)), term: pad(&bypassPIN{})}, emv.CVMResults{0x01, 0x00, 0x01}, true, emv.TVRPINNotEntered, false, false},
		{"PIN pad absent", scenario{card: cvmList(0, 0, rule(emv.CVMPlaintextPIN, false)), term: pad(nil)}, emv.CVMResults{0x01, 0x00, 0x01}, true, emv.TVRPINPadNotPresent, false, false},
		{"plaintext PIN and signature", scenario{card: cvmList(0, 0, rule(emv.CVMPlaintextPINAndSignature, false))}, emv.CVMResults{0x03, 0x00, 0x00}, false, 0, true, false},
		{"enciphered PIN verified (ICC PIN key)", scenario{mode: cardsim.DDA, card: cvmList(0, 0, rule(emv.CVMEncipheredPINOffline, false))}, emv.CVMResults{0x04, 0x00, 0x02}, false, 0, false, false},
		{"enciphered PIN wrong", scenario{mode: cardsim.DDA, card: cvmList(0, 0, rule(emv.CVMEncipheredPINOffline, false)), term: pad(&wrongPIN{})}, emv.CVMResults{0x04, 0x00, 0x01}, true, emv.TVRPINTryLimitExceeded, false, false},
		{"enciphered PIN under the ICC key (Mastercard)", scenario{profile: cardsim.MastercardCVN16, mode: cardsim.DDA, card: cvmList(0, 0, rule(emv.CVMEncipheredPINOffline, false))}, emv.CVMResults{0x04, 0x00, 0x02}, false, 0, false, false},
		{"enciphered PIN and signature", scenario{mode: cardsim.DDA, card: cvmList(0, 0, rule(emv.CVMEncipheredPINOfflineAndSignature, false))}, emv.CVMResults{0x05, 0x00, 0x00}, false, 0, true, false},
		{"online PIN entered", scenario{card: cvmList(0, 0, rule(emv.CVMEncipheredPINOnline, false)), term: pad(onlinePINPad{})}, emv.CVMResults{0x02, 0x00, 0x00}, false, emv.TVROnlinePINEntered, false, true},
		{"online PIN bypassed", scenario{card: cvmList(0, 0, rule(emv.CVMEncipheredPINOnline, false)), term: pad(&bypassPIN{})}, emv.CVMResults{0x02, 0x00, 0x01}, true, emv.TVRPINNotEntered, false, false},
		{"signature", scenario{card: cvmList(0, 0, rule(emv.CVMSignature, false))}, emv.CVMResults{0x1E, 0x00, 0x00}, false, 0, true, false},
		{"signature not supported by the terminal, then no CVM", scenario{card: cvmList(0, 0, rule(emv.CVMSignature, true), rule(emv.CVMNoCVMRequired, false)), term: func(cfg *emv.Config) { cfg.Terminal.Capabilities[1] &^= 0x20 }}, emv.CVMResults{0x1F, 0x00, 0x02}, false, 0, false, false},
		{"no CVM required", scenario{card: cvmList(0, 0, rule(emv.CVMNoCVMRequired, false))}, emv.CVMResults{0x1F, 0x00, 0x02}, false, 0, false, false},
		{"fail CVM processing", scenario{card: cvmList(0, 0, rule(emv.CVMFail, false))}, emv.CVMResults{0x00, 0x00, 0x01}, true, 0, false, false},
		{"unrecognised CVM", scenario{card: cvmList(0, 0, emv.CVRule{Code: 0x2A, Condition: emv.CondAlways})}, emv.CVMResults{0x2A, 0x00, 0x01}, true, emv.TVRUnrecognisedCVM, false, false},
		{"no CVM list: not available", scenario{card: cvmList(0, 0)}, emv.CVMResults{0x3F, 0x00, 0x00}, false, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run1(t, tt.s)
			if o.err != nil {
				o.dump(t)
				t.Fatal(o.err)
			}
			if o.res.CVMResults != tt.want || o.res.TVR.Has(emv.TVRCardholderVerificationFailed) != tt.failed {
				o.dump(t)
				t.Fatalf("CVM results %v, TVR %v; want %v, failed %v", o.res.CVMResults, o.res.TVR, tt.want, tt.failed)
			}
			if tt.tvr != 0 && !o.res.TVR.Has(tt.tvr) {
				t.Errorf("TVR %v: bit %d not set", o.res.TVR, tt.tvr)
			}
			if o.res.SignatureRequired != tt.signature || (o.res.OnlinePIN != nil) != tt.onlinePIN {
				t.Errorf("signature %v, online PIN %v", o.res.SignatureRequired, o.res.OnlinePIN != nil)
			}
		})
	}
}

// --- Terminal action analysis (Book 3 10.7) and card action analysis (10.8) ---

func TestScenarioActionAnalysis(t *testing.T) {
	iacs := func(denial, online, def emv.TVR) func(p *cardsim.Profile) {
		return func(p *cardsim.Profile) {
			p.Applications[0].IAC = &cardsim.IACs{Denial: denial, Online: online, Default: def}
		}
	}
	noIACs := func(p *cardsim.Profile) { p.Applications[0].IAC = nil }
	floor := emv.TVR{0, 0, 0, 0x80, 0}
	noTACs := func(cfg *emv.Config) {
		a := &cfg.Applications[0]
		a.TACDenial, a.TACOnline, a.TACDefault = emv.TVR{}, emv.TVR{}, emv.TVR{}
	}
	offlineOnly := func(cfg *emv.Config) { noTACs(cfg); cfg.Terminal.Type = 0x23 }
	onlineOnly := func(cfg *emv.Config) { noTACs(cfg); cfg.Terminal.Type = 0x21 }
	tests := []struct {
		name    string
		s       scenario
		first   emv.CID // what the terminal asked for
		outcome emv.Outcome
	}{
		{"IAC denial matches: AAC", scenario{card: iacs(floor, emv.TVR{}, emv.TVR{}), term: noTACs}, emv.AAC, emv.DeclinedOffline},
		{"TAC denial matches: AAC", scenario{card: iacs(emv.TVR{}, emv.TVR{}, emv.TVR{}), term: func(cfg *emv.Config) { noTACs(cfg); cfg.Applications[0].TACDenial = floor }}, emv.AAC, emv.DeclinedOffline},
		{"IAC online matches: ARQC", scenario{card: iacs(emv.TVR{}, floor, emv.TVR{}), term: noTACs}, emv.ARQC, emv.ApprovedOnline},
		{"TAC online matches: ARQC", scenario{card: iacs(emv.TVR{}, emv.TVR{}, emv.TVR{}), term: func(cfg *emv.Config) { noTACs(cfg); cfg.Applications[0].TACOnline = floor }}, emv.ARQC, emv.ApprovedOnline},
		{"nothing matches: TC, approved offline", scenario{card: iacs(emv.TVR{}, emv.TVR{}, emv.TVR{}), term: noTACs, amount: 1000}, emv.TC, emv.ApprovedOffline},
		{"IACs absent, TVR clear (DDA): TC", scenario{mode: cardsim.DDA, card: noIACs, term: noTACs, amount: 1000}, emv.TC, emv.ApprovedOffline},
		{"IACs absent, only 'ODA not performed' set: online by the default IAC-online", scenario{card: noIACs, term: noTACs, amount: 1000}, emv.ARQC, emv.ApprovedOnline},
		{"IACs absent at an offline-only terminal: AAC by the default IAC-default", scenario{card: noIACs, term: offlineOnly}, emv.AAC, emv.DeclinedOffline},
		{"offline-only terminal, default codes do not match: TC", scenario{card: iacs(emv.TVR{}, floor, emv.TVR{}), term: offlineOnly}, emv.TC, emv.ApprovedOffline},
		{"online-only terminal, TVR clear: ARQC", scenario{card: iacs(emv.TVR{}, emv.TVR{}, emv.TVR{}), term: onlineOnly, amount: 1000}, emv.ARQC, emv.ApprovedOnline},
		{"card turns a TC request into an ARQC (lower consecutive limit)", scenario{card: func(p *cardsim.Profile) {
			iacs(emv.TVR{}, emv.TVR{}, emv.TVR{})(p)
			p.Applications[0].ATC, p.Applications[0].LastOnline = 0x10, 0x0C
		}, term: noTACs, amount: 1000}, emv.TC, emv.ApprovedOnline},
		{"card declines a TC request (forced AAC)", scenario{card: iacs(emv.TVR{}, emv.TVR{}, emv.TVR{}), term: noTACs, amount: 1000,
			sim: withFaults(cardsim.Fault{Kind: cardsim.FaultCID, INS: 0xAE, Nth: 1, CID: emv.AAC})}, emv.TC, emv.DeclinedOffline},
		{"card asks for an advice", scenario{card: iacs(emv.TVR{}, emv.TVR{}, emv.TVR{}), term: noTACs, amount: 1000,
			sim: withFaults(cardsim.Fault{Kind: cardsim.FaultCID, INS: 0xAE, Nth: 1, CID: emv.TC | 0x08})}, emv.TC, emv.ApprovedOffline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run1(t, tt.s)
			if o.err != nil || o.res.Outcome != tt.outcome {
				o.dump(t)
				t.Fatalf("outcome %v (%v), want %v", o.res.Outcome, o.err, tt.outcome)
			}
			// The first GENERATE AC's P1 is in the trace: 80AE<P1>.
			want := "80AE" + strings.ToUpper(hex.EncodeToString([]byte{byte(tt.first)}))
			if !strings.Contains(o.trace(), "C-APDU "+want) {
				o.dump(t)
				t.Errorf("first GENERATE AC is not %s (%v)", want, tt.first)
			}
			if strings.Contains(tt.name, "advice") && !o.res.AdviceRequired {
				t.Error("advice not required")
			}
		})
	}
}

// --- Online processing, issuer authentication, scripts (Book 3 10.9, 10.10) ---

func TestScenarioOnline(t *testing.T) {
	scripts := func(before, after bool) func(h *host) {
		return func(h *host) {
			h.scripts = func(s *issuer.Script) []byte {
				unblock, err := s.ApplicationUnblock()
				if err != nil {
					h.t.Fatal(err)
				}
				bad := bytes.Clone(unblock)
				bad[len(bad)-1] ^= 0xFF
				c71, c72 := unblock, unblock
				if before {
					c71 = bad
				}
				if after {
					c72 = bad
				}
				return cat(tlvT(0x71, cat(tlvT(0x9F18, []byte{0, 0, 0, 1}), tlvT(0x86, c71))),
					tlvT(0x72, cat(tlvT(0x9F18, []byte{0, 0, 0, 2}), tlvT(0x86, c72))))
			}
		}
	}
	tests := []struct {
		name    string
		s       scenario
		outcome emv.Outcome
		arc     string
		check   func(t *testing.T, o outcome)
	}{
		{"online approved", scenario{}, emv.ApprovedOnline, "00", nil},
		{"online declined", scenario{host: func(h *host) { h.decline = true }}, emv.DeclinedOnline, "05", nil},
		{"unable to go online, default codes match: declined Z3", scenario{host: func(h *host) { h.unable = true }}, emv.DeclinedOffline, "Z3", nil},
		{"unable to go online, default codes do not match: approved Y3", scenario{host: func(h *host) { h.unable = true }, amount: 1000,
			card: func(p *cardsim.Profile) {
				p.Applications[0].IAC = &cardsim.IACs{Online: emv.TVR{0xFF, 0xFF, 0xFF, 0xFF, 0xFF}}
			},
			term: func(cfg *emv.Config) {
				a := &cfg.Applications[0]
				a.TACDenial, a.TACOnline, a.TACDefault = emv.TVR{}, emv.TVR{}, emv.TVR{}
			}}, emv.ApprovedOffline, "Y3", nil},
		{"unable to go online at an online-only terminal: declined", scenario{host: func(h *host) { h.unable = true }, term: func(cfg *emv.Config) { cfg.Terminal.Type = 0x21 }}, emv.DeclinedOffline, "Z3", nil},
		{"issuer authentication passes with EXTERNAL AUTHENTICATE (Visa CVN 10)", scenario{}, emv.ApprovedOnline, "00", func(t *testing.T, o outcome) {
			if !strings.Contains(o.trace(), "C-APDU 00820000") || o.card.State().IssuerAuth != cardsim.IssuerAuthPassed || o.res.TVR.Has(emv.TVRIssuerAuthenticationFailed) || !o.res.TSI.Has(emv.TSIIssuerAuthentication) {
				o.dump(t)
				t.Errorf("card %v, TVR %v, TSI %v", o.card.State().IssuerAuth, o.res.TVR, o.res.TSI)
			}
		}},
		{"issuer authentication fails with EXTERNAL AUTHENTICATE", scenario{host: func(h *host) { h.badARPC = true }}, emv.ApprovedOnline, "00", func(t *testing.T, o outcome) {
			if o.card.State().IssuerAuth != cardsim.IssuerAuthFailed || !o.res.TVR.Has(emv.TVRIssuerAuthenticationFailed) {
				t.Errorf("card %v, TVR %v", o.card.State().IssuerAuth, o.res.TVR)
			}
		}},
		{"issuer authentication passes in CDOL2 (Visa CVN 18)", scenario{profile: cardsim.VisaCVN18}, emv.ApprovedOnline, "00", func(t *testing.T, o outcome) {
			if strings.Contains(o.trace(), "C-APDU 00820000") || o.card.State().IssuerAuth != cardsim.IssuerAuthPassed {
				t.Errorf("card %v", o.card.State().IssuerAuth)
			}
		}},
		{"issuer authentication fails in CDOL2, card requires it: declined, reversal", scenario{profile: cardsim.MastercardCVN16, host: func(h *host) { h.badARPC = true }}, emv.DeclinedOnline, "00", func(t *testing.T, o outcome) {
			if o.card.State().IssuerAuth != cardsim.IssuerAuthFailed || !o.res.ReversalRequired {
				t.Errorf("card %v, reversal %v", o.card.State().IssuerAuth, o.res.ReversalRequired)
			}
		}},
		{"issuer authentication data of the wrong length: failed, not sent", scenario{host: func(h *host) { h.badLength = true }}, emv.ApprovedOnline, "00", func(t *testing.T, o outcome) {
			if strings.Contains(o.trace(), "C-APDU 00820000") || !o.res.TVR.Has(emv.TVRIssuerAuthenticationFailed) {
				t.Errorf("TVR %v", o.res.TVR)
			}
		}},
		{"scripts before and after, all commands pass", scenario{host: scripts(false, false)}, emv.ApprovedOnline, "00", func(t *testing.T, o outcome) {
			if got := hex.EncodeToString(o.res.ScriptResults); got != "2000000001"+"2000000002" || o.res.TVR.Has(emv.TVRScriptFailedBeforeFinalGenAC) || o.res.TVR.Has(emv.TVRScriptFailedAfterFinalGenAC) || !o.res.TSI.Has(emv.TSIScriptProcessingPerformed) {
				t.Errorf("9F5B %s, TVR %v, TSI %v", got, o.res.TVR, o.res.TSI)
			}
			if st := o.card.State(); st.ScriptCommands != 2 || st.ScriptFailed {
				t.Errorf("card: %d commands, failed %v", st.ScriptCommands, st.ScriptFailed)
			}
		}},
		{"script before the final GENERATE AC with a failing command", scenario{host: scripts(true, false)}, emv.ApprovedOnline, "00", func(t *testing.T, o outcome) {
			if got := hex.EncodeToString(o.res.ScriptResults); got != "1100000001"+"2000000002" || !o.res.TVR.Has(emv.TVRScriptFailedBeforeFinalGenAC) || o.res.TVR.Has(emv.TVRScriptFailedAfterFinalGenAC) {
				t.Errorf("9F5B %s, TVR %v", got, o.res.TVR)
			}
			if st := o.card.State(); !st.ScriptFailed {
				t.Error("card did not see the failure")
			}
		}},
		{"script after the final GENERATE AC with a failing command", scenario{host: scripts(false, true)}, emv.ApprovedOnline, "00", func(t *testing.T, o outcome) {
			if got := hex.EncodeToString(o.res.ScriptResults); got != "2000000001"+"1100000002" || o.res.TVR.Has(emv.TVRScriptFailedBeforeFinalGenAC) || !o.res.TVR.Has(emv.TVRScriptFailedAfterFinalGenAC) {
				t.Errorf("9F5B %s, TVR %v", got, o.res.TVR)
			}
		}},
		{"scripts on a declined transaction", scenario{host: func(h *host) { h.decline = true; scripts(false, true)(h) }}, emv.DeclinedOnline, "05", func(t *testing.T, o outcome) {
			if len(o.res.ScriptResults) != 10 {
				t.Errorf("9F5B %X", o.res.ScriptResults)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run1(t, tt.s)
			if o.err != nil || o.res.Outcome != tt.outcome || string(o.res.ResponseCode[:]) != tt.arc {
				o.dump(t)
				t.Fatalf("outcome %v ARC %q (%v), want %v %q", o.res.Outcome, o.res.ResponseCode[:], o.err, tt.outcome, tt.arc)
			}
			if tt.check != nil {
				tt.check(t, o)
			}
		})
	}
}

// Book 4 "subsequent PIN bypass": after a bypass, later PIN CVMs of the
// list are bypassed without prompting when the terminal is configured so.
func TestScenarioSubsequentPINBypass(t *testing.T) {
	list := cvmList(0, 0,
		emv.CVRule{Code: emv.CVMPlaintextPIN, ApplySucceeding: true, Condition: emv.CondAlways},
		emv.CVRule{Code: emv.CVMEncipheredPINOnline, ApplySucceeding: true, Condition: emv.CondAlways},
		emv.CVRule{Code: emv.CVMPlaintextPINAndSignature, ApplySucceeding: true, Condition: emv.CondAlways},
		emv.CVRule{Code: emv.CVMSignature, Condition: emv.CondAlways})
	for _, tt := range []struct {
		name                   string
		subsequent             bool
		offlinePrompts, online int
	}{
		{"without subsequent bypass every PIN CVM prompts", false, 2, 1},
		{"with subsequent bypass only the first PIN CVM prompts", true, 1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pad := &bypassPIN{}
			o := run1(t, scenario{card: list, term: func(cfg *emv.Config) {
				cfg.PINPad = pad
				cfg.Terminal.SubsequentPINBypass = tt.subsequent
			}})
			if o.err != nil {
				t.Fatal(o.err)
			}
			if pad.offline != tt.offlinePrompts || pad.online != tt.online {
				o.dump(t)
				t.Errorf("prompts: %d offline, %d online; want %d, %d", pad.offline, pad.online, tt.offlinePrompts, tt.online)
			}
			if want := (emv.CVMResults{0x1E, 0x00, 0x00}); o.res.CVMResults != want || !o.res.SignatureRequired || !o.res.TVR.Has(emv.TVRPINNotEntered) {
				t.Errorf("CVM results %v, TVR %v", o.res.CVMResults, o.res.TVR)
			}
			if o.card.State().PINVerified {
				t.Error("card verified a PIN")
			}
		})
	}
}

// Language selection (Book 4 11.1) and the choice between application
// label and preferred name by issuer code table index (Book 1 12.4),
// with the PSE and with the list of AIDs.
func TestScenarioLanguageAndName(t *testing.T) {
	tests := []struct {
		name      string
		card      string   // 5F2D
		preferred string   // 9F12
		languages []string // terminal
		table1    bool     // terminal supports code table 1 (cardsim's 9F11)
		noPSE     bool
		lang      string
		display   string
	}{
		{"card's language supported, preferred name shown", "en", "CARDSIM VISA", []string{"fr", "en"}, true, false, "en", "CARDSIM VISA"},
		{"card's order of preference wins", "deen", "CARDSIM VISA", []string{"en", "de"}, true, true, "de", "CARDSIM VISA"},
		{"no common language: terminal default", "it", "CARDSIM VISA", []string{"fr", "en"}, true, false, "fr", "CARDSIM VISA"},
		{"code table not supported: label shown", "en", "CARDSIM VISA", []string{"en"}, false, false, "en", "VISA CREDIT"},
		{"no preferred name: label shown", "en", "", []string{"en"}, true, false, "en", "VISA CREDIT"},
		{"terminal without languages", "en", "CARDSIM VISA", nil, true, false, "", "CARDSIM VISA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prompted []string
			pad := &languagePad{seen: &prompted}
			o := run1(t, scenario{
				card: func(p *cardsim.Profile) {
					p.Applications[0].Language = tt.card
					p.Applications[0].PreferredName = tt.preferred
				},
				term: func(cfg *emv.Config) {
					cfg.Terminal.Languages = tt.languages
					cfg.Terminal.PSEDisabled = tt.noPSE
					cfg.Terminal.AdditionalCapabilities[4] &^= 0x01
					if tt.table1 {
						cfg.Terminal.AdditionalCapabilities.Set(emv.AddCapCodeTable1)
					}
					cfg.PINPad = pad
				},
			})
			if o.err != nil {
				t.Fatal(o.err)
			}
			if o.res.Language != tt.lang || o.res.DisplayName != tt.display {
				o.dump(t)
				t.Errorf("language %q, display name %q; want %q, %q", o.res.Language, o.res.DisplayName, tt.lang, tt.display)
			}
			if len(prompted) == 0 || prompted[0] != tt.lang {
				t.Errorf("PIN prompt languages %q, want %q", prompted, tt.lang)
			}
		})
	}
}

type languagePad struct{ seen *[]string }

func (p *languagePad) OfflinePIN(_ context.Context, pr emv.PINPrompt) ([]byte, error) {
	*p.seen = append(*p.seen, pr.Language)
	return pinblock.Encode(pinblock.ISO2, cardsim.TestPIN, "")
}

func (p *languagePad) OnlinePIN(context.Context, emv.PINPrompt) (emv.OnlinePIN, error) {
	return emv.OnlinePIN{}, emv.ErrPINPadUnavailable
}

// CDA with a request for an AAC (Application.CDAForAAC), against a CDA card
// that signs AACs (cardsim's Application.CDAForAAC) and one that does not.
func TestScenarioCDAForAAC(t *testing.T) {
	denyFloor := func(on bool) func(cfg *emv.Config) {
		return func(cfg *emv.Config) {
			cfg.Applications[0].TACDenial = emv.TVR{0, 0, 0, 0x80, 0}
			cfg.Applications[0].CDAForAAC = on
		}
	}
	signs := func(p *cardsim.Profile) { p.Applications[0].CDAForAAC = true }
	tests := []struct {
		name     string
		s        scenario
		p1       string // of the GENERATE AC asking for the AAC
		outcome  emv.Outcome
		cdaNotes int // "CDA successful" notes
		failed   bool
	}{
		{"default: no CDA asked with an AAC", scenario{card: signs, term: denyFloor(false)}, "80AE0000", emv.DeclinedOffline, 0, false},
		{"CDA asked with the AAC, card signs it", scenario{card: signs, term: denyFloor(true)}, "80AE1000", emv.DeclinedOffline, 1, false},
		{"CDA asked with the AAC, card does not sign: accepted", scenario{term: denyFloor(true)}, "80AE1000", emv.DeclinedOffline, 0, false},
		{"CDA asked with the AAC, signature wrong: CDA failed", scenario{card: signs, term: denyFloor(true),
			sim: withFaults(cardsim.Fault{Kind: cardsim.FaultBadSignature, INS: 0xAE})}, "80AE1000", emv.DeclinedOffline, 0, true},
		{"online decline: second GENERATE AC asks for a signed AAC", scenario{card: signs, host: func(h *host) { h.decline = true },
			term: func(cfg *emv.Config) { cfg.Applications[0].CDAForAAC = true }}, "80AE1000", emv.DeclinedOnline, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.mode = cardsim.CDA
			o := run1(t, tt.s)
			if o.err != nil || o.res.Outcome != tt.outcome {
				o.dump(t)
				t.Fatalf("outcome %v (%v), want %v", o.res.Outcome, o.err, tt.outcome)
			}
			tr := o.trace()
			if !strings.Contains(tr, "C-APDU "+tt.p1) {
				o.dump(t)
				t.Errorf("no GENERATE AC %s", tt.p1)
			}
			if n := strings.Count(tr, "CDA successful"); n != tt.cdaNotes {
				o.dump(t)
				t.Errorf("%d successful CDAs, want %d", n, tt.cdaNotes)
			}
			if o.res.TVR.Has(emv.TVRCDAFailed) != tt.failed {
				t.Errorf("TVR %v", o.res.TVR)
			}
			if o.card.State().LastCID.Type() != emv.AAC {
				t.Errorf("card's last cryptogram %v", o.card.State().LastCID)
			}
		})
	}
}
