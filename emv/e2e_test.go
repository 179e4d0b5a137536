package emv_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/pinblock"
	"github.com/posflow/posflow/tlv"
)

// End-to-end: the simulated card of emv/cardsim, the kernel, and an issuer
// stub that verifies the ARQC with emv/issuer and answers with an ARPC the
// card checks, for the scheme profiles cardsim ships.

// host is the issuer stub.
type host struct {
	t       testing.TB
	cvn     issuer.CVN
	decline bool
	unable  bool
	badARPC bool
	// badLength sends 7 bytes of issuer authentication data (Book 3
	// allows 8 to 16).
	badLength bool
	scripts   func(s *issuer.Script) []byte
	verified  int
}

func (h *host) Authorise(ctx context.Context, req *emv.OnlineRequest) (*emv.OnlineResponse, error) {
	if h.unable {
		return nil, fmt.Errorf("connect: %w", emv.ErrUnableToGoOnline)
	}
	data, err := issuer.ParseField55(req.Field55)
	if err != nil {
		h.t.Fatalf("field 55: %v", err)
	}
	panCN, _ := req.Value(0x5A)
	pan := strings.TrimRight(strings.ToUpper(hex.EncodeToString(panCN)), "F")
	psnB, _ := req.Value(0x5F34)
	psn := hex.EncodeToString(psnB)
	arqc := data[0x9F26]
	if err := issuer.VerifyCryptogram(h.cvn, cardsim.TestIMK, pan, psn, data, arqc); err != nil {
		h.t.Errorf("ARQC does not verify: %v", err)
		return nil, err
	}
	h.verified++
	resp := &emv.OnlineResponse{Approved: !h.decline, ResponseCode: [2]byte{'0', '0'}}
	if h.decline {
		resp.ResponseCode = [2]byte{'0', '5'}
	}
	code := resp.ResponseCode[:]
	if h.cvn.ARPCMethod() == 2 {
		code = []byte{0x00, 0x00, 0x00, 0x00}
	}
	arpc, err := issuer.ARPC(h.cvn, cardsim.TestIMK, pan, psn, data, arqc, code)
	if err != nil {
		h.t.Fatal(err)
	}
	if h.badARPC {
		arpc[0] ^= 0x01
	}
	if resp.IssuerAuthData, err = issuer.IssuerAuthenticationData(h.cvn, arpc, code, nil); err != nil {
		h.t.Fatal(err)
	}
	if h.badLength {
		resp.IssuerAuthData = resp.IssuerAuthData[:7]
	}
	if h.scripts != nil {
		s, err := issuer.NewScript(h.cvn, issuer.ScriptKeys{SMI: cardsim.TestIMKSMI, SMC: cardsim.TestIMKSMC, AC: cardsim.TestIMK}, pan, psn, data[0x9F36], arqc)
		if err != nil {
			h.t.Fatal(err)
		}
		resp.Scripts = h.scripts(s)
	}
	return resp, nil
}

type pinPad struct{ pin string }

func (p pinPad) OfflinePIN(ctx context.Context, _ emv.PINPrompt) ([]byte, error) {
	return pinblock.Encode(pinblock.ISO2, p.pin, "")
}

func (p pinPad) OnlinePIN(ctx context.Context, _ emv.PINPrompt) (emv.OnlinePIN, error) {
	return emv.OnlinePIN{}, emv.ErrPINPadUnavailable
}

// terminal is an attended merchant terminal in the United States (the
// country and currency of the cardsim profiles) that supports every
// method, with the usual Visa and Mastercard action codes.
func terminal(t testing.TB, app cardsim.Application, h *host) *emv.Config {
	store, err := oda.NewStore(app.Keys.CAPK)
	if err != nil {
		t.Fatal(err)
	}
	return &emv.Config{
		Terminal: emv.Terminal{
			Capabilities:           emv.TerminalCapabilities{0xE0, 0xF8, 0xE8},
			AdditionalCapabilities: [5]byte{0x60, 0x00, 0xF0, 0xA0, 0x01},
			Type:                   0x22,
			CountryCode:            app.Country,
			IFDSerial:              "TERM0001",
		},
		Applications: []emv.Application{{
			AID:              app.AID[:5],
			PartialSelection: true,
			Version:          app.Version,
			TACDenial:        emv.TVR{0x00, 0x10, 0x00, 0x00, 0x00},
			TACOnline:        emv.TVR{0xDC, 0x40, 0x04, 0xF8, 0x00},
			TACDefault:       emv.TVR{0xDC, 0x40, 0x00, 0xA8, 0x00},
			FloorLimit:       5000,
			DefaultDDOL:      []byte{0x9F, 0x37, 0x04},
		}},
		CAPKs:  store,
		PINPad: pinPad{pin: cardsim.TestPIN},
		Online: h,
		Rand:   rand.NewChaCha8([32]byte{9}),
		Time:   func() time.Time { return time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC) },
	}
}

func txn(app cardsim.Application, amount uint64) emv.Transaction {
	return emv.Transaction{Type: emv.Purchase, Amount: amount, Currency: app.Currency, CurrencyExponent: 2, Sequence: 7}
}

func newSimCard(t testing.TB, p *cardsim.Profile, cfg cardsim.Config) *cardsim.Card {
	if cfg.Rand == nil {
		cfg.Rand = rand.NewChaCha8([32]byte{5})
	}
	c, err := cardsim.New(p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("generates card keys")
	}
	odaBits := map[cardsim.ODAMode]emv.Bit{cardsim.SDA: emv.TVRSDAFailed, cardsim.DDA: emv.TVRDDAFailed, cardsim.CDA: emv.TVRCDAFailed}
	for _, pre := range cardsim.Presets() {
		for _, mode := range []cardsim.ODAMode{cardsim.SDA, cardsim.DDA, cardsim.CDA} {
			t.Run(fmt.Sprintf("%s/%v", pre.Name, mode), func(t *testing.T) {
				p, err := pre.New(mode, cardsim.Options{Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				app := p.Applications[0]
				card := newSimCard(t, p, cardsim.Config{})
				h := &host{t: t, cvn: pre.CVN}
				res, err := emv.Process(context.Background(), card, terminal(t, app, h), txn(app, 10000))
				if err != nil || res.Outcome != emv.ApprovedOnline {
					for _, e := range res.Trace {
						t.Log(e)
					}
					t.Fatalf("outcome %v: %v", res.Outcome, err)
				}
				if h.verified != 1 {
					t.Error("the issuer did not verify the ARQC")
				}
				st := card.State()
				if st.IssuerAuth != cardsim.IssuerAuthPassed || st.LastCID.Type() != emv.TC || st.Cryptograms != 2 {
					t.Errorf("card state: issuer authentication %v, last CID %v, %d cryptograms", st.IssuerAuth, st.LastCID, st.Cryptograms)
				}
				if res.TVR.Has(odaBits[mode]) || res.TVR.Has(emv.TVROfflineDataAuthNotPerformed) || res.TVR.Has(emv.TVRIssuerAuthenticationFailed) {
					t.Errorf("TVR %v", res.TVR)
				}
				if mode == cardsim.SDA != res.TVR.Has(emv.TVRSDASelected) {
					t.Errorf("TVR %v: SDA selected bit", res.TVR)
				}
				if !res.TSI.Has(emv.TSIIssuerAuthentication) || !res.TSI.Has(emv.TSIOfflineDataAuthPerformed) {
					t.Errorf("TSI %v", res.TSI)
				}
				if res.Cryptogram == nil || [8]byte(res.Cryptogram) != st.LastCryptogram {
					t.Errorf("cryptogram %X, card's %X", res.Cryptogram, st.LastCryptogram)
				}
				if _, err := res.AppendField55(nil, nil); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// Online decline, unable to go online, issuer authentication failure and
// scripts, against the Visa CVN 10 and Mastercard CVN 16 profiles.
func TestEndToEndOnlineOutcomes(t *testing.T) {
	if testing.Short() {
		t.Skip("generates card keys")
	}
	tests := []struct {
		name    string
		amount  uint64
		edit    func(*host)
		outcome emv.Outcome
		check   func(t *testing.T, res *emv.Result, st cardsim.State, app cardsim.Application)
		term    func(*emv.Config)
	}{
		{"declined", 10000, func(h *host) { h.decline = true }, emv.DeclinedOnline, func(t *testing.T, res *emv.Result, st cardsim.State, app cardsim.Application) {
			if st.LastCID.Type() != emv.AAC || res.ReversalRequired {
				t.Errorf("card %v, reversal %v", st.LastCID, res.ReversalRequired)
			}
		}, nil},
		{"unable to go online over the floor limit", 10000, func(h *host) { h.unable = true }, emv.DeclinedOffline, func(t *testing.T, res *emv.Result, st cardsim.State, app cardsim.Application) {
			if string(res.ResponseCode[:]) != "Z3" {
				t.Errorf("ARC %q", res.ResponseCode[:])
			}
		}, nil},
		{"unable to go online under the floor limit", 1000, func(h *host) { h.unable = true }, emv.ApprovedOffline, func(t *testing.T, res *emv.Result, st cardsim.State, app cardsim.Application) {
			if string(res.ResponseCode[:]) != "Y3" || st.LastCID.Type() != emv.TC || !res.TVR.Has(emv.TVRRandomlySelectedOnline) {
				t.Errorf("ARC %q, card %v, TVR %v", res.ResponseCode[:], st.LastCID, res.TVR)
			}
		}, func(cfg *emv.Config) {
			// Selected at random, a bit that is in the online codes
			// but not in the default codes.
			a := &cfg.Applications[0]
			a.Threshold, a.TargetPercent, a.MaxTargetPercent = 2000, 99, 99
		}},
		{"issuer authentication fails", 10000, func(h *host) { h.badARPC = true }, 0, func(t *testing.T, res *emv.Result, st cardsim.State, app cardsim.Application) {
			if st.IssuerAuth != cardsim.IssuerAuthFailed {
				t.Errorf("card issuer authentication %v", st.IssuerAuth)
			}
			// A card that requires issuer authentication declines the
			// approved transaction, which must be reversed; the others
			// approve. With EXTERNAL AUTHENTICATE (Visa CVN 10) the
			// terminal sees the failure in the TVR.
			if app.IssuerAuthRequired {
				if res.Outcome != emv.DeclinedOnline || !res.ReversalRequired {
					t.Errorf("outcome %v, reversal %v, want declined online with reversal", res.Outcome, res.ReversalRequired)
				}
			} else if res.Outcome != emv.ApprovedOnline || res.ReversalRequired {
				t.Errorf("outcome %v, reversal %v, want approved online", res.Outcome, res.ReversalRequired)
			}
			if app.CVN == issuer.VisaCVN10 && !res.TVR.Has(emv.TVRIssuerAuthenticationFailed) {
				t.Errorf("TVR %v", res.TVR)
			}
		}, nil},
		{"scripts before and after", 10000, func(h *host) {
			h.scripts = func(s *issuer.Script) []byte {
				unblock, err := s.ApplicationUnblock()
				if err != nil {
					t.Fatal(err)
				}
				bad := append([]byte(nil), unblock...)
				bad[len(bad)-1] ^= 0xFF // MAC broken: the card refuses it
				return cat(tlvT(0x71, cat(tlvT(0x9F18, []byte{0, 0, 0, 1}), tlvT(0x86, unblock))),
					tlvT(0x72, cat(tlvT(0x9F18, []byte{0, 0, 0, 2}), tlvT(0x86, bad))))
			}
		}, emv.ApprovedOnline, func(t *testing.T, res *emv.Result, st cardsim.State, app cardsim.Application) {
			if got := hex.EncodeToString(res.ScriptResults); got != "2000000001"+"1100000002" {
				t.Errorf("9F5B %s", got)
			}
			if res.TVR.Has(emv.TVRScriptFailedBeforeFinalGenAC) || !res.TVR.Has(emv.TVRScriptFailedAfterFinalGenAC) {
				t.Errorf("TVR %v", res.TVR)
			}
			if st.ScriptCommands != 2 || !st.ScriptFailed {
				t.Errorf("card: %d script commands, failed %v", st.ScriptCommands, st.ScriptFailed)
			}
		}, nil},
	}
	for _, pre := range []cardsim.Preset{cardsim.Presets()[0], cardsim.Presets()[2]} {
		for _, tt := range tests {
			t.Run(pre.Name+"/"+tt.name, func(t *testing.T) {
				p, err := pre.New(cardsim.CDA, cardsim.Options{Seed: 2})
				if err != nil {
					t.Fatal(err)
				}
				app := p.Applications[0]
				card := newSimCard(t, p, cardsim.Config{})
				h := &host{t: t, cvn: pre.CVN}
				tt.edit(h)
				cfg := terminal(t, app, h)
				if tt.term != nil {
					tt.term(cfg)
				}
				res, _ := emv.Process(context.Background(), card, cfg, txn(app, tt.amount))
				if tt.outcome != 0 && res.Outcome != tt.outcome {
					for _, e := range res.Trace {
						t.Log(e)
					}
					t.Fatalf("outcome %v (%v), want %v", res.Outcome, res.Err, tt.outcome)
				}
				tt.check(t, res, card.State(), app)
			})
		}
	}
}

// The edge-case profiles of cardsim and injected faults.
func TestEndToEndCardFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("generates card keys")
	}
	keys, err := cardsim.SeededKeys(3, oda.RID{0xA0, 0, 0, 0, 0x03})
	if err != nil {
		t.Fatal(err)
	}
	o := cardsim.Options{Keys: keys}
	visa := func(mode cardsim.ODAMode) *cardsim.Profile {
		p, err := cardsim.VisaCVN10(mode, o)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	mustP := func(p *cardsim.Profile, err error) *cardsim.Profile {
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		profile *cardsim.Profile
		cfg     cardsim.Config
		t0      bool
		outcome emv.Outcome
		err     error
		tvr     emv.Bit
	}{
		{"card blocked", mustP(cardsim.BlockedCard(o)), cardsim.Config{}, false, emv.Terminated, emv.ErrCardBlocked, 0},
		{"application blocked", mustP(cardsim.BlockedApplication(o)), cardsim.Config{}, false, emv.Terminated, emv.ErrNoApplication, 0},
		{"expired", mustP(cardsim.ExpiredCard(o)), cardsim.Config{}, false, 0, nil, emv.TVRExpiredApplication},
		{"not yet effective", mustP(cardsim.NotYetEffective(o)), cardsim.Config{}, false, 0, nil, emv.TVRApplicationNotYetEffective},
		{"PIN tries exhausted", mustP(cardsim.PINTriesExhausted(o)), cardsim.Config{}, false, 0, nil, emv.TVRPINTryLimitExceeded},
		{"T=0 card", visa(cardsim.CDA), cardsim.Config{T0: true}, true, emv.ApprovedOnline, nil, 0},
		{"GPO refused", visa(cardsim.DDA), cardsim.Config{Faults: []cardsim.Fault{{Kind: cardsim.FaultStatus, INS: 0xA8, SW: 0x6A81}}}, false, emv.Terminated, emv.SWFunctionNotSupported, 0},
		{"record corrupted (PSE directory reads are B2 1 and 2)", visa(cardsim.DDA), cardsim.Config{Faults: []cardsim.Fault{{Kind: cardsim.FaultCorrupt, INS: 0xB2, Nth: 3}}}, false, emv.Terminated, emv.ErrCardData, 0},
		{"PAN missing", visa(cardsim.DDA), cardsim.Config{Faults: []cardsim.Fault{{Kind: cardsim.FaultDrop, INS: 0xB2, Tag: 0x5A}}}, false, emv.Terminated, emv.ErrMissingData, 0},
		{"DDA signature broken", visa(cardsim.DDA), cardsim.Config{Faults: []cardsim.Fault{{Kind: cardsim.FaultBadSignature, INS: 0x88}}}, false, 0, nil, emv.TVRDDAFailed},
		{"CDA signature broken", visa(cardsim.CDA), cardsim.Config{Faults: []cardsim.Fault{{Kind: cardsim.FaultBadSignature, INS: 0xAE, Nth: 1}}}, false, emv.DeclinedOffline, nil, emv.TVRCDAFailed},
		{"SDA signature broken", visa(cardsim.SDA), cardsim.Config{Faults: []cardsim.Fault{{Kind: cardsim.FaultBadSignature, INS: 0xB2}}}, false, 0, nil, emv.TVRSDAFailed},
		{"card mute at GENERATE AC", visa(cardsim.DDA), cardsim.Config{Faults: []cardsim.Fault{{Kind: cardsim.FaultMute, INS: 0xAE}}}, false, emv.Terminated, cardsim.ErrFault, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := tt.profile.Applications[0]
			card := newSimCard(t, tt.profile, tt.cfg)
			cfg := terminal(t, app, &host{t: t, cvn: app.CVN})
			cfg.T0 = tt.t0
			res, err := emv.Process(context.Background(), card, cfg, txn(app, 10000))
			if (tt.outcome != 0 && res.Outcome != tt.outcome) || !errors.Is(err, tt.err) || (tt.tvr != 0 && !res.TVR.Has(tt.tvr)) {
				for _, e := range res.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, TVR %v, err %v", res.Outcome, res.TVR, err)
			}
			// The chip worked and refused: a blocked card or application allows
			// no magnetic-stripe fallback.
			if (errors.Is(err, emv.ErrCardBlocked) || errors.Is(err, emv.ErrNoApplication)) && res.FallbackAllowed {
				t.Errorf("FallbackAllowed after %v", err)
			}
		})
	}
}

func cat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

func tlvT(t tlv.Tag, v []byte) []byte {
	b, err := tlv.AppendTLV(nil, t, v)
	if err != nil {
		panic(err)
	}
	return b
}

// Golden transcripts of cardsim transactions: Mastercard CVN 20 with CDA
// through the PSE, and Visa CVN 18 with SDA and offline enciphered PIN.
func TestCardsimTranscripts(t *testing.T) {
	if testing.Short() {
		t.Skip("generates card keys")
	}
	for _, tt := range []struct {
		name string
		make func(cardsim.ODAMode, cardsim.Options) (*cardsim.Profile, error)
		mode cardsim.ODAMode
		cvn  issuer.CVN
	}{
		{"cardsim-mastercard-cvn20-cda", cardsim.MastercardCVN20, cardsim.CDA, issuer.MastercardCVN20},
		{"cardsim-visa-cvn18-sda", cardsim.VisaCVN18, cardsim.SDA, issuer.VisaCVN18},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.make(tt.mode, cardsim.Options{Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			app := p.Applications[0]
			card := newSimCard(t, p, cardsim.Config{})
			res, _ := emv.Process(context.Background(), card, terminal(t, app, &host{t: t, cvn: tt.cvn}), txn(app, 10000))
			got := emv.Transcript(res)
			path := filepath.Join("testdata", "transcripts", tt.name+".txt")
			if *emv.Update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("transcript differs from %s; if emv/cardsim changed its cards on purpose, run with -update and review the diff", path)
			}
		})
	}
}

// Book 3 10.3 with an independent card: application data records in SFI
// 11 to 30 are signed whole (tag and length included) and the kernel must hash
// them so; redundant data and a malformed AFL terminate.
func TestEndToEndRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("generates card keys")
	}
	keys, err := cardsim.SeededKeys(4, oda.RID{0xA0, 0, 0, 0, 0x03})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		mode cardsim.ODAMode
		edit func(*cardsim.Application)
		err  error
		tvr  emv.Bit
	}{
		{"SDA over records of SFI 12", cardsim.SDA, func(a *cardsim.Application) { a.AppDataSFI = 12 }, nil, emv.TVRSDAFailed},
		{"DDA over records of SFI 20", cardsim.DDA, func(a *cardsim.Application) { a.AppDataSFI = 20 }, nil, emv.TVRDDAFailed},
		{"CDA over records of SFI 30", cardsim.CDA, func(a *cardsim.Application) { a.AppDataSFI = 30 }, nil, emv.TVRCDAFailed},
		{"redundant PAN", cardsim.DDA, func(a *cardsim.Application) {
			a.ExtraData = tlvT(0x5A, []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19})
		}, emv.ErrRedundantData, 0},
		{"AFL with SFI 31", cardsim.DDA, func(a *cardsim.Application) { a.AFL = []byte{0xF8, 0x01, 0x01, 0x00} }, emv.ErrCardData, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := cardsim.VisaCVN10(tt.mode, cardsim.Options{Keys: keys})
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(&p.Applications[0])
			app := p.Applications[0]
			card := newSimCard(t, p, cardsim.Config{})
			res, err := emv.Process(context.Background(), card, terminal(t, app, &host{t: t, cvn: app.CVN}), txn(app, 10000))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if tt.err == nil && (res.Outcome != emv.ApprovedOnline || res.TVR.Has(tt.tvr)) {
				for _, e := range res.Trace {
					t.Log(e)
				}
				t.Errorf("outcome %v TVR %v", res.Outcome, res.TVR)
			}
		})
	}
}

type pick struct {
	aid   string
	shown []string
}

func (p *pick) ChooseApplication(_ context.Context, cs []emv.Candidate) (int, error) {
	p.shown = p.shown[:0]
	choice := -1
	for i, c := range cs {
		p.shown = append(p.shown, hex.EncodeToString(c.AID))
		if hex.EncodeToString(c.AID) == p.aid {
			choice = i
		}
	}
	if choice < 0 {
		return 0, emv.ErrCancelled
	}
	return choice, nil
}

// Application selection with cardsim's two-application card: VISA DEBIT
// (priority 1, confirmation required) and VISA CREDIT (priority 2).
func TestEndToEndSelection(t *testing.T) {
	if testing.Short() {
		t.Skip("generates card keys")
	}
	p, err := cardsim.TwoApplications(cardsim.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	credit := p.Applications[1]
	tests := []struct {
		name     string
		chooser  *pick
		confirm  bool
		pseBlock bool
		want     string
	}{
		{"no cardholder: debit needs confirmation, credit selected", nil, false, false, "a0000000031010"},
		{"cardholder chooses debit", &pick{aid: "a0000000032010"}, true, false, "a0000000032010"},
		{"cardholder chooses credit", &pick{aid: "a0000000031010"}, true, false, "a0000000031010"},
		{"PSE blocked: list of AIDs, same choice", &pick{aid: "a0000000032010"}, true, true, "a0000000032010"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof := *p
			prof.PSEBlocked = tt.pseBlock
			card := newSimCard(t, &prof, cardsim.Config{})
			cfg := terminal(t, credit, &host{t: t, cvn: credit.CVN})
			cfg.Terminal.ConfirmationSupported = tt.confirm
			if tt.chooser != nil {
				cfg.Cardholder = tt.chooser
			}
			res, err := emv.Process(context.Background(), card, cfg, txn(credit, 10000))
			if err != nil || res.Outcome != emv.ApprovedOnline {
				t.Fatalf("outcome %v: %v", res.Outcome, err)
			}
			if got := hex.EncodeToString(res.AID); got != tt.want {
				t.Errorf("AID %s, want %s", got, tt.want)
			}
			if tt.chooser != nil && (len(tt.chooser.shown) != 2 || tt.chooser.shown[0] != "a0000000032010") {
				t.Errorf("candidates shown %v, want debit first", tt.chooser.shown)
			}
		})
	}
}
