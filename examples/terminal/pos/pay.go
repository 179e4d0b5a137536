package pos

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// A Card is what the cardholder presents: a chip, a magnetic stripe, or
// both.
type Card struct {
	// Chip is the card's integrated circuit, nil for a card without one
	// or whose chip the reader cannot reach.
	Chip emv.Card
	// Contactless, when set, is the card tapped on the contactless
	// reader (EMV Contactless, Entry Point with Kernels 2 and 3); it is
	// used before Chip and Track2.
	Contactless emv.Card
	// Track2 is what the stripe reader gives when the card is swiped:
	// track 2 with or without its sentinels; empty for no stripe.
	Track2 string
}

// maxPINAttempts is how many times the cardholder may enter the PIN for
// one purchase when the issuer answers 55 (incorrect PIN).
const maxPINAttempts = 3

// Pay performs one purchase of amount (in minor units) with card: the
// cardholder confirms the amount, the card is read (chip first, then the
// stripe when the chip fails and the card allows it), the PIN is entered,
// the host authorises, the card completes, and the receipt is returned.
// Reversals and advices the transaction needs are forwarded before Pay
// returns when the host is reachable, and kept in the queue otherwise; a
// reversal kept so goes before the next purchase.
//
// A declined transaction is not an error: its receipt says so. The error
// is for a transaction that could not be performed at all (cancelled,
// no usable card data, ErrSettling).
func (t *Terminal) Pay(ctx context.Context, amount uint64, card Card) (*Receipt, error) {
	if t.settlingNow() {
		return nil, ErrSettling
	}
	if t.batchFull() {
		return nil, ErrBatchFull
	}
	t.forwardFirst(ctx)
	x := &txn{t: t, card: card, amount: amount, now: t.cfg.now()}
	return x.run(ctx)
}

// txn is the state of one purchase; its methods are its steps, in order.
type txn struct {
	t      *Terminal
	card   Card
	amount uint64
	now    time.Time

	res     *emv.Result         // last chip result, nil for a swipe or a tap
	tapOut  *entrypoint.Outcome // outcome of a contactless tap
	track   *emv.Track2
	mode    emv.POSEntryMode
	rcpt    *Receipt
	attempt int

	// The online exchange of the current attempt.
	req      *iso8583.Message
	resp     *iso8583.Response
	timedOut bool
	pinSent  bool
	reported bool
}

func (x *txn) run(ctx context.Context) (*Receipt, error) {
	if err := x.confirm(ctx); err != nil {
		return nil, err
	}
	x.rcpt = x.t.newReceipt(x.now, x.amount)
	switch {
	case x.card.Contactless != nil:
		if err := x.tap(ctx); err != nil {
			return nil, err
		}
	case x.card.Chip != nil:
		if err := x.chip(ctx); err != nil {
			return nil, err
		}
	case x.card.Track2 != "":
		x.t.step("card swiped: no chip on the card")
		if err := x.swipe(ctx, false); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New("pos: no card data")
	}
	x.complete(ctx)
	return x.rcpt, nil
}

// confirm shows the amount, merchant and time and waits for the
// cardholder.
func (x *txn) confirm(ctx context.Context) error {
	c := Confirmation{Amount: x.t.FormatAmount(x.amount), Merchant: x.t.cfg.Merchant.Name, Time: x.now}
	x.t.step("display: %s at %s, %s — cardholder confirms", c.Amount, c.Merchant, c.Time.Format("2006-01-02 15:04"))
	if x.t.cfg.Confirm == nil {
		return nil
	}
	return x.t.cfg.Confirm(ctx, c)
}

// chip runs the EMV kernel, again after an incorrect online PIN, and falls
// back to the stripe when the chip fails.
func (x *txn) chip(ctx context.Context) error {
	t := x.t
	for x.attempt = 1; ; x.attempt++ {
		x.req, x.resp, x.timedOut, x.pinSent, x.reported = nil, nil, false, false, false
		cfg := t.emvConfig(x)
		res, _ := emv.Process(ctx, x.card.Chip, cfg, emv.Transaction{
			Type:             emv.Purchase,
			Amount:           x.amount,
			Currency:         numeric2(t.cfg.Currency),
			CurrencyExponent: byte(t.cfg.Exponent),
			Sequence:         t.nextSequence(),
		})
		x.res = res
		x.reportChip(res)
		if res.Outcome == emv.DeclinedOnline && x.resp != nil && x.resp.Code == iso8583.IncorrectPIN && x.attempt < maxPINAttempts {
			t.step("incorrect PIN (55): the cardholder is asked to try again")
			continue
		}
		break
	}
	res := x.res
	if res.Outcome == emv.Terminated && errors.Is(res.Err, context.Canceled) {
		return res.Err
	}
	if res.Outcome == emv.Terminated && res.FallbackAllowed {
		if x.card.Track2 == "" {
			t.step("chip failed and the card has no stripe")
			return nil
		}
		t.step("chip failed (%v): fallback to the magnetic stripe", res.Err)
		x.res = nil
		return x.swipe(ctx, true)
	}
	return nil
}

// reportCard describes what the chip gave, once per attempt: from the
// online request when the kernel goes online, from the result otherwise.
func (x *txn) reportCard(value func(tlv.Tag) ([]byte, bool)) {
	if x.reported {
		return
	}
	x.reported = true
	t := x.t
	aid, ok := value(0x4F)
	if !ok {
		if aid, ok = value(0x84); !ok {
			return
		}
	}
	label, _ := value(0x50)
	pan := "?"
	if v, ok := value(0x5A); ok {
		pan = emv.MaskPAN(digits(v))
	}
	t.step("chip read: %s (AID %X), PAN %s", label, aid, pan)
	var tvr emv.TVR
	if v, ok := value(0x95); ok && len(v) == 5 {
		copy(tvr[:], v)
	}
	var tsi emv.TSI
	if v, ok := value(0x9B); ok && len(v) == 2 {
		copy(tsi[:], v)
	}
	switch {
	case tvr.Has(emv.TVROfflineDataAuthNotPerformed):
		t.step("offline data authentication: not performed")
	case tvr.Has(emv.TVRSDAFailed) || tvr.Has(emv.TVRDDAFailed) || tvr.Has(emv.TVRCDAFailed):
		t.step("offline data authentication: failed")
	case tvr.Has(emv.TVRSDASelected):
		t.step("offline data authentication: SDA passed")
	default:
		t.step("offline data authentication: DDA/CDA passed")
	}
	if v, ok := value(0x9F34); ok && len(v) == 3 {
		t.step("cardholder verification: %s", emv.CVMResults(v))
	}
	if tvr.Has(emv.TVRExpiredApplication) {
		t.step("processing restrictions: application expired")
	}
	if tvr.Has(emv.TVRExceedsFloorLimit) {
		t.step("terminal risk management: amount over the floor limit, going online")
	}
}

// reportChip describes the kernel's result as steps.
func (x *txn) reportChip(res *emv.Result) {
	t := x.t
	x.reportCard(res.Value)
	switch res.Outcome {
	case emv.Terminated:
		t.step("chip transaction terminated: %v", res.Err)
	default:
		t.step("card decision: %s, cryptogram %s", res.Outcome, res.CID)
	}
	if n := len(res.ScriptResults) / 5; n > 0 {
		ok := 0
		for i := range n {
			if res.ScriptResults[5*i]>>4 == 2 {
				ok++
			}
		}
		t.step("issuer scripts: %d run by the card, %d successful (9F5B %X)", n, ok, res.ScriptResults)
	}
}

// swipe reads the stripe and sends the authorisation with its track 2.
func (x *txn) swipe(ctx context.Context, chipFailed bool) error {
	t := x.t
	tr, err := emv.ParseTrack2(x.card.Track2)
	if err != nil {
		return fmt.Errorf("pos: stripe: %w", err)
	}
	x.track = &tr
	mode, err := emv.MagstripeEntryMode(tr.ServiceCode, chipFailed)
	if err != nil {
		t.step("stripe refused: %v", err)
		x.rcpt.Reason = "insert the card in the chip reader"
		return nil
	}
	x.mode = mode
	how := "magnetic stripe"
	if mode == emv.EntryFallbackMagstripe {
		how = "magnetic stripe (chip fallback)"
	}
	t.step("%s read: PAN %s, service code %s", how, emv.MaskPAN(tr.PAN), tr.ServiceCode)
	for x.attempt = 1; ; x.attempt++ {
		x.req, x.resp, x.timedOut, x.pinSent = nil, nil, false, false
		a := t.baseTransaction(x.amount, t.nextSTAN(), t.cfg.now())
		a.Track2 = strings.Trim(x.card.Track2, ";?")
		a.Expiry = tr.Expiry
		a.EntryMode = string(mode) + "1"
		if t.cfg.PINPad != nil {
			p, err := t.cfg.PINPad.OnlinePIN(ctx, emv.PINPrompt{
				Amount: x.amount, Currency: numeric2(t.cfg.Currency), TriesLeft: -1, PAN: tr.PAN,
			})
			switch {
			case err == nil:
				a.PINBlock, a.SecurityControl = p.Block, p.KSN
				x.pinSent = true
				t.step("PIN entered: enciphered under DUKPT key %X", p.KSN)
			case errors.Is(err, emv.ErrPINBypass):
				t.step("PIN bypassed: signature required")
			default:
				return err
			}
		}
		if _, err := x.authorise(ctx, a); err != nil && !errors.Is(err, emv.ErrUnableToGoOnline) {
			return err
		}
		if x.resp != nil && x.resp.Code == iso8583.IncorrectPIN && x.attempt < maxPINAttempts {
			t.step("incorrect PIN (55): the cardholder is asked to try again")
			continue
		}
		return nil
	}
}

// authorise sends the 0200 and waits for its 0210 at most Timeout. When
// no answer comes, the client has queued the reversal; the error then
// wraps emv.ErrUnableToGoOnline.
func (x *txn) authorise(ctx context.Context, a iso8583.Transaction) (*iso8583.Response, error) {
	t := x.t
	m, err := (&iso8583.FinancialRequest{Transaction: a}).Message()
	if err != nil {
		return nil, err
	}
	x.req = m
	t.step("authorisation: 0200 sent, STAN %s", a.STAN)
	timeout := t.authTimeout()
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := t.send(sctx, m)
	var te *iso8583.TimeoutError
	switch {
	case errors.As(err, &te):
		x.timedOut = true
		t.step("no answer from the host within %v: reversal 0400 queued", timeout)
		return nil, fmt.Errorf("%w: %v", emv.ErrUnableToGoOnline, err)
	case err != nil:
		t.step("host unreachable: %v", err)
		return nil, fmt.Errorf("%w: %v", emv.ErrUnableToGoOnline, err)
	}
	x.resp = resp
	if resp.Code.Approved() {
		t.step("host: 0210 %s %s, auth code %s, RRN %s", string(resp.Code), resp.Code.Meaning(), resp.AuthCode, resp.RRN)
	} else {
		t.step("host: 0210 %s %s", string(resp.Code), resp.Code.Meaning())
	}
	return resp, nil
}

// Authorise implements emv.Online for the kernel: the chip data go into
// the 0200 and the issuer's answer comes back from the 0210.
func (x *txn) Authorise(ctx context.Context, req *emv.OnlineRequest) (*emv.OnlineResponse, error) {
	t := x.t
	a := t.baseTransaction(req.Transaction.Amount, t.nextSTAN(), t.cfg.now())
	x.reportCard(req.Value)
	if v, ok := req.Value(0x5A); ok {
		a.PAN = digits(v)
	}
	if v, ok := req.Value(0x57); ok {
		a.Track2 = strings.ReplaceAll(digits(v), "D", "=")
	}
	if v, ok := req.Value(0x5F24); ok && len(v) == 3 {
		a.Expiry = hex.EncodeToString(v[:2])
	}
	if v, ok := req.Value(0x5F34); ok && len(v) == 1 {
		a.CardSequence = fmt.Sprintf("%03x", v[0])
	}
	a.EntryMode = string(req.EntryMode) + "1"
	a.ICC = req.Field55
	if req.OnlinePIN != nil {
		a.PINBlock, a.SecurityControl = req.OnlinePIN.Block, req.OnlinePIN.KSN
		x.pinSent = true
		t.step("PIN entered: enciphered under DUKPT key %X", req.OnlinePIN.KSN)
	}
	resp, err := x.authorise(ctx, a)
	if err != nil {
		return nil, err
	}
	out := &emv.OnlineResponse{Approved: resp.Code.Approved()}
	copy(out.ResponseCode[:], resp.Code)
	if len(resp.ICC) > 0 {
		ir, err := iso8583.ReadIssuerResponse(resp.ICC)
		if err != nil {
			return nil, fmt.Errorf("pos: field 55 of the 0210: %w", err)
		}
		out.IssuerAuthData = ir.AuthenticationData
		for _, s := range append(ir.Scripts71, ir.Scripts72...) {
			out.Scripts = append(out.Scripts, s...)
		}
	}
	return out, nil
}

// baseTransaction fills the fields every card message of the terminal
// carries.
func (t *Terminal) baseTransaction(amount uint64, stan string, now time.Time) iso8583.Transaction {
	hhmmss, mmdd := iso8583.LocalTime(now)
	return iso8583.Transaction{
		ProcessingCode: "000000",
		Amount:         int64(amount),
		Transmitted:    iso8583.TransmissionTime(now),
		STAN:           stan,
		LocalTime:      hhmmss,
		LocalDate:      mmdd,
		MerchantType:   t.cfg.Merchant.Category,
		Condition:      "00",
		TerminalID:     t.cfg.TerminalID,
		MerchantID:     t.cfg.Merchant.ID,
		MerchantName:   t.merchantField43(),
		Currency:       t.cfg.Currency,
	}
}

// merchantField43 is the card acceptor name and location: name in 25,
// city in 13, country in 2.
func (t *Terminal) merchantField43() string {
	m := t.cfg.Merchant
	if m.Name == "" {
		return ""
	}
	return fmt.Sprintf("%-25.25s%-13.13s%-2.2s", m.Name, m.City, m.Country)
}

func (t *Terminal) nextSequence() uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sequence++
	return t.sequence
}

// emvConfig is the kernel's configuration for one attempt of x.
func (t *Terminal) emvConfig(x *txn) *emv.Config {
	cfg := &emv.Config{
		Terminal:     t.emvTerminal(),
		Applications: t.cfg.applications(),
		CAPKs:        t.cfg.CAPKs,
		Online:       x,
		Log:          t.splits,
		Rand:         t.cfg.Rand,
		Time:         t.cfg.Time,
	}
	if t.cfg.PINPad != nil {
		cfg.PINPad = t.cfg.PINPad
	}
	return cfg
}

// emvTerminal is the terminal's EMV data, for the contact kernel and the
// contactless kernels.
func (t *Terminal) emvTerminal() emv.Terminal {
	caps := emv.TerminalCapabilities{}
	caps.Set(emv.CapMagneticStripe)
	caps.Set(emv.CapICWithContacts)
	caps.Set(emv.CapEncipheredPINOnline)
	caps.Set(emv.CapSignature)
	caps.Set(emv.CapNoCVMRequired)
	caps.Set(emv.CapSDA)
	caps.Set(emv.CapDDA)
	caps.Set(emv.CapCDA)
	return emv.Terminal{
		Capabilities:           caps,
		AdditionalCapabilities: [5]byte{0x60, 0x00, 0xF0, 0xA0, 0x01}, // goods, services; numeric, alphabetic keys; print and display
		Type:                   0x22,                                  // attended, merchant, offline with online capability
		CountryCode:            numeric2(t.cfg.Country),
		IFDSerial:              t.cfg.TerminalID,
		TerminalID:             t.cfg.TerminalID,
		MerchantID:             t.cfg.Merchant.ID,
		MerchantCategory:       numeric2(t.cfg.Merchant.Category),
	}
}

// digits returns BCD bytes as their digits without the F padding.
func digits(v []byte) string {
	return strings.TrimRight(strings.ToUpper(hex.EncodeToString(v)), "F")
}
