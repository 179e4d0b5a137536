package emv

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/pinblock"
	"github.com/posflow/posflow/tlv"
)

// testConfig is an attended merchant terminal (22) in the United Kingdom
// with a Visa application and the fake card's test CA key.
func testConfig(t testing.TB) *Config {
	store, err := oda.NewStore(pki(t).capk)
	if err != nil {
		t.Fatal(err)
	}
	return &Config{
		Terminal: Terminal{
			Capabilities:           TerminalCapabilities{0xE0, 0xF8, 0xE8},
			AdditionalCapabilities: [5]byte{0x60, 0x00, 0xF0, 0xA0, 0x01},
			Type:                   0x22,
			CountryCode:            [2]byte{0x08, 0x26},
			IFDSerial:              "TERM0001",
			TerminalID:             "T0000001",
			MerchantID:             "MERCHANT0000001",
			MerchantCategory:       [2]byte{0x59, 0x99},
		},
		Applications: []Application{{
			AID:              testAID[:5],
			PartialSelection: true,
			Version:          [2]byte{0x00, 0x8C},
			TACDenial:        TVR{0x00, 0x10, 0x00, 0x00, 0x00},
			TACOnline:        TVR{0xDC, 0x40, 0x04, 0xF8, 0x00},
			TACDefault:       TVR{0xDC, 0x40, 0x00, 0xA8, 0x00},
			FloorLimit:       5000,
			DefaultDDOL:      []byte{0x9F, 0x37, 0x04},
		}},
		CAPKs:  store,
		Rand:   rand.NewChaCha8([32]byte{1}),
		Time:   func() time.Time { return testDate },
		PINPad: &testPINPad{pin: testPIN},
		Online: &issuerStub{t: t, cvn: issuer.VisaCVN10, approve: true},
	}
}

func testTxn(amount uint64) Transaction {
	return Transaction{Type: Purchase, Amount: amount, Currency: [2]byte{0x09, 0x78}, CurrencyExponent: 2, Sequence: 1}
}

// testPINPad enters pin, or fails with err; online PINs are enciphered
// under a DUKPT test key.
type testPINPad struct {
	pin     string
	pins    []string // successive offline PINs, before pin
	err     error
	prompts []PINPrompt
}

func (p *testPINPad) OfflinePIN(ctx context.Context, pr PINPrompt) ([]byte, error) {
	p.prompts = append(p.prompts, pr)
	if p.err != nil {
		return nil, p.err
	}
	pin := p.pin
	if len(p.pins) > 0 {
		pin, p.pins = p.pins[0], p.pins[1:]
	}
	return pinblock.Encode(pinblock.ISO2, pin, "")
}

var testBDK = mustHexT("0123456789ABCDEFFEDCBA9876543210")

func (p *testPINPad) OnlinePIN(ctx context.Context, pr PINPrompt) (OnlinePIN, error) {
	p.prompts = append(p.prompts, pr)
	if p.err != nil {
		return OnlinePIN{}, p.err
	}
	ksn := dukpt.KSN{0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32, 0x10, 0xE0, 0x00, 0x00}
	ik, err := dukpt.TDESInitialKey(testBDK, ksn[:])
	if err != nil {
		return OnlinePIN{}, err
	}
	d, err := dukpt.NewTDESDevice(ik, ksn)
	if err != nil {
		return OnlinePIN{}, err
	}
	tx, err := d.Next()
	if err != nil {
		return OnlinePIN{}, err
	}
	block, err := tx.EncryptPINWith(&pinblock.Config{Rand: rand.NewChaCha8([32]byte{2})}, pinblock.ISO0, p.pin, pr.PAN)
	if err != nil {
		return OnlinePIN{}, err
	}
	k := tx.KSN()
	return OnlinePIN{Block: block, KSN: k[:]}, nil
}

// issuerStub verifies the ARQC with emv/issuer and answers with an ARPC.
type issuerStub struct {
	t        testing.TB
	cvn      issuer.CVN
	approve  bool
	unable   bool
	badARPC  bool
	scripts  []byte
	requests []*OnlineRequest
	verified bool
}

func (s *issuerStub) Authorise(ctx context.Context, req *OnlineRequest) (*OnlineResponse, error) {
	s.requests = append(s.requests, req)
	if s.unable {
		return nil, ErrUnableToGoOnline
	}
	data, err := issuer.ParseField55(req.Field55)
	if err != nil {
		s.t.Fatalf("field 55: %v", err)
	}
	pan, _ := req.Value(0x5A)
	psn, _ := req.Value(0x5F34)
	arqc := data[0x9F26]
	if err := issuer.VerifyCryptogram(s.cvn, testIMK, panDigits(pan), hexUpper(psn), data, arqc); err != nil {
		s.t.Errorf("ARQC does not verify: %v", err)
	} else {
		s.verified = true
	}
	rc := [2]byte{'0', '5'}
	if s.approve {
		rc = [2]byte{'0', '0'}
	}
	code := rc[:]
	if s.cvn.ARPCMethod() == 2 {
		code = []byte{0, 0, 0, 0}
	}
	arpc, err := issuer.ARPC(s.cvn, testIMK, panDigits(pan), hexUpper(psn), data, arqc, code)
	if err != nil {
		s.t.Fatal(err)
	}
	if s.badARPC {
		arpc[0] ^= 1
	}
	iad, err := issuer.IssuerAuthenticationData(s.cvn, arpc, code, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return &OnlineResponse{Approved: s.approve, ResponseCode: rc, IssuerAuthData: iad, Scripts: s.scripts}, nil
}

func run(t *testing.T, c Card, cfg *Config, txn Transaction) *Result {
	t.Helper()
	res, err := Process(context.Background(), c, cfg, txn)
	if (err != nil) != (res.Outcome == Terminated) {
		t.Fatalf("error %v with outcome %v", err, res.Outcome)
	}
	if res.Err != err {
		t.Fatalf("Result.Err %v, returned %v", res.Err, err)
	}
	return res
}

func dumpTrace(t *testing.T, r *Result) {
	t.Helper()
	for _, e := range r.Trace {
		t.Log(e)
	}
}

func TestOnlineApprovedDDA(t *testing.T) {
	card := newFakeCard(t)
	cfg := testConfig(t)
	res := run(t, card, cfg, testTxn(10000))
	if res.Outcome != ApprovedOnline {
		dumpTrace(t, res)
		t.Fatalf("outcome %v (%v), want approved online", res.Outcome, res.Err)
	}
	stub := cfg.Online.(*issuerStub)
	if !stub.verified {
		t.Error("issuer did not verify the ARQC")
	}
	if !card.issuerAuthOK {
		t.Error("card did not accept the ARPC")
	}
	if !res.TVR.Has(TVRExceedsFloorLimit) || res.TVR.Has(TVRDDAFailed) {
		t.Errorf("TVR %v", res.TVR)
	}
	for _, b := range []Bit{TSIOfflineDataAuthPerformed, TSICardholderVerification, TSICardRiskManagement, TSIIssuerAuthentication, TSITerminalRiskManagement} {
		if !res.TSI.Has(b) {
			t.Errorf("TSI %v lacks %v", res.TSI, TSI{}.name(b))
		}
	}
	if res.CVMResults != (CVMResults{0x41, 0x03, 0x02}) {
		t.Errorf("CVM results %v", res.CVMResults)
	}
	if res.CID.Type() != TC || len(res.Cryptogram) != 8 || string(res.ResponseCode[:]) != "00" {
		t.Errorf("CID %v cryptogram %X ARC %q", res.CID, res.Cryptogram, res.ResponseCode[:])
	}
	f55, err := res.AppendField55(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tlv.Find(f55, 0x9F26); err != nil {
		t.Errorf("field 55 without 9F26: %X", f55)
	}
	for _, e := range res.Trace {
		if strings.Contains(e.Text, "4761739001010119") || strings.Contains(e.Text, "761739001010") {
			t.Errorf("trace shows the PAN: %v", e)
		}
	}
}

func (TSI) name(b Bit) string { return tsiNames[b] }

func TestProcessCardBlocked(t *testing.T) {
	card := newFakeCard(t)
	card.blocked = true
	res := run(t, card, testConfig(t), testTxn(100))
	if !errors.Is(res.Err, ErrCardBlocked) || res.FallbackAllowed {
		t.Errorf("err %v fallback %v, want ErrCardBlocked without fallback", res.Err, res.FallbackAllowed)
	}
}

// fuzzCard answers each command with the next response of a list read
// from fuzz input: a length byte, then that many bytes, SW included.
type fuzzCard struct{ in []byte }

func (c *fuzzCard) Transmit(cmd []byte) ([]byte, error) {
	if len(c.in) == 0 {
		return []byte{0x6A, 0x82}, nil
	}
	n := int(c.in[0])
	c.in = c.in[1:]
	n = min(n, len(c.in))
	r := c.in[:n]
	c.in = c.in[n:]
	return r, nil
}

// FuzzProcess runs whole transactions against a card answering with fuzz
// data: the kernel must end every one with a Result, never panic, and
// never show the PAN in its trace.
func FuzzProcess(f *testing.F) {
	// A recorded transaction of the fake card as the seed.
	fc := newFakeCard(f)
	run := func(c Card) (*Result, error) {
		cfg := testConfig(f)
		cfg.Online = &issuerStub{t: f, cvn: issuer.VisaCVN10, approve: true}
		return Process(context.Background(), c, cfg, testTxn(10000))
	}
	rec := &recorder{card: fc}
	if _, err := run(rec); err != nil {
		f.Fatal(err)
	}
	var seed []byte
	for _, r := range rec.responses {
		if len(r) < 256 {
			seed = append(seed, byte(len(r)))
			seed = append(seed, r...)
		}
	}
	f.Add(seed)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, in []byte) {
		cfg := testConfig(t)
		cfg.Online = failingOnline{err: ErrUnableToGoOnline}
		res, err := Process(context.Background(), &fuzzCard{in: in}, cfg, testTxn(10000))
		if res == nil || (err != nil) != (res.Outcome == Terminated) {
			t.Fatalf("Process = %v, %v", res, err)
		}
		// Data objects the dictionary knows as a PAN or track data are
		// masked: at most six digits before the stars. (Unknown tags are
		// shown in hex, whatever their bytes.)
		for _, e := range res.Trace {
			if unmasked.MatchString(e.Text) {
				t.Fatalf("trace shows card data: %v", e)
			}
		}
	})
}

var unmasked = regexp.MustCompile(`(\(PAN\)|Track 2 Equivalent Data|Track 2 Data \(scheme\)|Track 1 Data) \[\d+\] [0-9A-F]{7}`)

// recorder passes commands to a card and keeps the exchanges.
type recorder struct {
	card      Card
	commands  [][]byte
	responses [][]byte
}

func (r *recorder) Transmit(cmd []byte) ([]byte, error) {
	resp, err := r.card.Transmit(cmd)
	r.commands = append(r.commands, bytes.Clone(cmd))
	r.responses = append(r.responses, bytes.Clone(resp))
	return resp, err
}

// A chip that cannot be read before an application is agreed allows
// fallback to the magnetic stripe with entry mode 80; a blocked card does
// not.
func TestFallbackAfterChipFailure(t *testing.T) {
	mute := cardFunc(func([]byte) ([]byte, error) { return nil, errors.New("no ATR") })
	res := run(t, mute, testConfig(t), testTxn(100))
	if !res.FallbackAllowed {
		t.Fatalf("mute chip: no fallback (%v)", res.Err)
	}
	sc := ServiceCode{'2', '0', '1'}
	if m, err := MagstripeEntryMode(sc, res.FallbackAllowed); err != nil || m != EntryFallbackMagstripe {
		t.Errorf("MagstripeEntryMode = %v, %v, want 80", m, err)
	}
	if _, err := MagstripeEntryMode(sc, false); !errors.Is(err, ErrInsertChip) {
		t.Errorf("swipe before the chip: %v, want ErrInsertChip", err)
	}
	fc := newFakeCard(t)
	fc.blocked = true
	if res := run(t, fc, testConfig(t), testTxn(100)); res.FallbackAllowed {
		t.Error("blocked card allows fallback")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Process(ctx, newFakeCard(t), testConfig(t), testTxn(100))
	if !errors.Is(err, context.Canceled) || res.FallbackAllowed {
		t.Errorf("cancelled context: %v, fallback %v", err, res.FallbackAllowed)
	}
}
