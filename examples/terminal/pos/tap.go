package pos

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// A contactless tap runs Entry Point (EMV Contactless Book B, package
// emv/entrypoint) with Kernel 3 (qVSDC, emv/c3) for Visa and Kernel 2
// (M/Chip, emv/c2) for Mastercard. The kernels decide; the terminal acts
// on the outcome:
//
//	Approved        an offline approval: advice 0220 (entry mode 071) with
//	                the data record as field 55
//	OnlineRequest   an 0200 with entry mode 071, the PAN, expiry and track 2
//	                equivalent of the card in fields 2, 14 and 35, the data
//	                record as field 55, and the PIN block when the outcome's
//	                CVM is online PIN; the issuer's answer decides. After an
//	                incorrect PIN (55) the cardholder taps again and
//	                re-enters the PIN, as often as on the contact path
//	                (maxPINAttempts): a new tap gives a new cryptogram, and
//	                the host refuses an ATC it has seen. When the outcome
//	                asked for a second tap (Start B: a qVSDC card and reader
//	                that support issuer update processing, Book C-3 5.9)
//	                and the 0210's field 55 carries issuer authentication
//	                data (91) or scripts (71, 72), the cardholder taps
//	                again and Kernel 3 delivers them to the card; the
//	                issuer's decision stands whatever that tap gives
//	Declined        declined by the card
//	otherwise       the tap ends; the receipt says why
//
// Field 55 is the data record less the data objects that carry track data
// or the PAN (56, 57, 5A, 9F1F, 9F20, 9F6B), which travel in fields 2 and
// 35 of the 0200 and never in a stored advice, plus the AID (4F) when the
// kernel's record names none, since the issuer needs it to choose the
// cryptogram version.

// tapRecordTags are the data objects the kernels are asked to report
// besides their default data record: the card data of the 0200 and the
// receipt.
var tapRecordTags = []tlv.Tag{0x57, 0x5A, 0x5F24, 0x5F34, 0x50, 0x84}

// withTags returns tags followed by those of more it lacks: a data record
// lists each data object once.
func withTags(tags, more []tlv.Tag) []tlv.Tag {
	out := slices.Clone(tags)
	for _, t := range more {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// contactlessConfig is the Entry Point configuration of the reader.
func (t *Terminal) contactlessConfig() *entrypoint.Config {
	var ttq entrypoint.TTQ
	ttq.Set(entrypoint.TTQEMVMode)
	ttq.Set(entrypoint.TTQOnlinePIN)
	ttq.Set(entrypoint.TTQSignature)
	ttq.Set(entrypoint.TTQIssuerUpdate)
	limit := func(v uint64) entrypoint.Limit {
		if v == 0 {
			return entrypoint.Limit{}
		}
		return entrypoint.LimitOf(v)
	}
	comb := func(aid []byte, k entrypoint.KernelID) entrypoint.Combination {
		c := entrypoint.Combination{
			AID: aid, Kernel: k,
			TransactionLimit: limit(t.cfg.ContactlessLimit),
			FloorLimit:       limit(t.cfg.ContactlessFloorLimit),
			CVMRequiredLimit: limit(t.cfg.ContactlessCVMLimit),
		}
		if k == entrypoint.Kernel3 {
			c.TTQ, c.TTQPresent = ttq, true
		}
		return c
	}
	term := t.emvTerminal()
	return &entrypoint.Config{
		Combinations: []entrypoint.Combination{
			comb([]byte{0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10}, entrypoint.Kernel3), // Visa
			comb([]byte{0xA0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10}, entrypoint.Kernel2), // Mastercard
		},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{
			entrypoint.Kernel3: &c3.Kernel{Terminal: term, DataRecord: withTags(c3.DefaultDataRecord, tapRecordTags)},
			entrypoint.Kernel2: &c2.Kernel{
				Terminal:      term,
				CardDataInput: 0x60, // magnetic stripe, IC with contacts
				CVMRequired:   0x60, // enciphered PIN online, signature
				NoCVMRequired: 0x08, // no CVM
				Security:      0x08, // CDA
				// The reader does not accept the dynamic track 2 of
				// mag-stripe mode: its CVC3 is not checked by the host.
				MagstripeModeNotSupported: true,
				TACDefault:                TACDefault, TACDenial: TACDenial, TACOnline: TACOnline,
				DataRecord: withTags(c2.DefaultDataRecord, tapRecordTags),
			},
		},
		TerminalFloorLimit: limit(t.cfg.FloorLimit),
		CAPKs:              t.cfg.CAPKs,
		Rand:               t.cfg.Rand,
		Time:               t.cfg.Time,
		NoTrace:            true,
	}
}

// tap runs a contactless tap and, when the kernel asks, the
// authorisation; again, on a new tap, after an incorrect online PIN.
func (x *txn) tap(ctx context.Context) error {
	for x.attempt = 1; ; x.attempt++ {
		x.req, x.resp, x.timedOut, x.pinSent = nil, nil, false, false
		if err := x.tapOnce(ctx); err != nil {
			return err
		}
		if x.tapOut.Type == entrypoint.OnlineRequest && x.resp != nil && x.resp.Code == iso8583.IncorrectPIN && x.attempt < maxPINAttempts {
			x.t.step("incorrect PIN (55): the cardholder taps the card again and re-enters the PIN")
			continue
		}
		return nil
	}
}

// tapOnce runs one tap, the authorisation it asks for, and the second tap
// of issuer update processing.
func (x *txn) tapOnce(ctx context.Context) error {
	t := x.t
	cfg := t.contactlessConfig()
	txn := emv.Transaction{
		Type:             emv.Purchase,
		Amount:           x.amount,
		Currency:         numeric2(t.cfg.Currency),
		CurrencyExponent: byte(t.cfg.Exponent),
		Sequence:         t.nextSequence(),
	}
	out := entrypoint.Process(ctx, x.card.Contactless, cfg, txn)
	x.tapOut = out
	if out.Type == entrypoint.EndApplication && errors.Is(out.Err, entrypoint.ErrCancelled) {
		return ctx.Err()
	}
	what := fmt.Sprintf("AID %X", out.AID)
	if label, ok := out.Value(0x50); ok {
		what += ", " + string(label)
	}
	t.step("contactless tap: Entry Point selected Kernel %d (%s), PAN %s", out.Kernel, what, emv.MaskPAN(x.tapPAN()))
	if out.Err != nil {
		t.step("card decision: %s, CVM %s: %v", out.Type, out.CVM, out.Err)
	} else {
		t.step("card decision: %s, CVM %s", out.Type, out.CVM)
	}
	if out.Type != entrypoint.OnlineRequest {
		return nil
	}
	a := t.baseTransaction(x.amount, t.nextSTAN(), t.cfg.now())
	a.PAN, a.Expiry, a.CardSequence = x.tapPAN(), x.tapExpiry(), x.tapPSN()
	if v, ok := out.Value(0x57); ok {
		a.Track2 = strings.ReplaceAll(digits(v), "D", "=")
	}
	a.EntryMode = string(emv.EntryContactlessChip) + "1"
	a.ICC = x.tapField55()
	t.step("online request: entry mode %s, field 55 from the kernel's data record (%d bytes, no track data)", a.EntryMode, len(a.ICC))
	if out.CVM == entrypoint.OnlinePIN {
		if t.cfg.PINPad == nil {
			t.step("online PIN required and no PIN pad: the tap cannot go on")
			return nil
		}
		p, err := t.cfg.PINPad.OnlinePIN(ctx, emv.PINPrompt{
			Amount: x.amount, Currency: numeric2(t.cfg.Currency), TriesLeft: -1, PAN: a.PAN,
		})
		if err != nil {
			return err
		}
		a.PINBlock, a.SecurityControl = p.Block, p.KSN
		x.pinSent = true
		t.step("PIN entered: enciphered under DUKPT key %X", p.KSN)
	}
	resp, err := x.authorise(ctx, a)
	if err != nil {
		if errors.Is(err, emv.ErrUnableToGoOnline) {
			return nil
		}
		return err
	}
	if out.Start == entrypoint.StartB && (resp.Code != iso8583.IncorrectPIN || x.attempt >= maxPINAttempts) {
		x.issuerUpdate(ctx, cfg, txn, resp)
	}
	return nil
}

// issuerUpdate is the second tap an online request with Start B asked
// for: when the 0210 carries issuer authentication data or scripts, the
// cardholder taps again and the kernel sends them to the card (Book C-3
// 5.9). The issuer's decision stands whatever the second tap gives: the
// terminal only reports it.
func (x *txn) issuerUpdate(ctx context.Context, cfg *entrypoint.Config, txn emv.Transaction, resp *iso8583.Response) {
	t := x.t
	online, err := tapOnlineResponse(resp)
	if err != nil {
		t.step("issuer data not sent to the card: %v", err)
		return
	}
	if online.IssuerAuthData == nil && online.Scripts == nil {
		return
	}
	scripts := 0
	for c := tlv.NewCursor(online.Scripts); c.Next(); {
		scripts++
	}
	t.step("issuer update: the cardholder taps the card again (issuer authentication data: %t, %d script(s))", online.IssuerAuthData != nil, scripts)
	up := entrypoint.Restart(ctx, x.card.Contactless, cfg, txn, online)
	switch {
	case up.Type == entrypoint.Approved || up.Type == entrypoint.Declined:
		if r, ok := up.Value(0x9F5B); ok {
			t.step("second tap: %s, issuer script results %X", up.Type, r)
		} else {
			t.step("second tap: %s", up.Type)
		}
	default:
		t.step("second tap failed (%s: %v): the issuer's data did not reach the card; its decision stands", up.Type, up.Err)
	}
}

// tapOnlineResponse is the issuer's answer for the kernel: the decision,
// the response code, and from field 55 the issuer authentication data (91)
// and the script templates (71, 72) in the order received.
func tapOnlineResponse(resp *iso8583.Response) (*emv.OnlineResponse, error) {
	out := &emv.OnlineResponse{Approved: resp.Code.Approved()}
	copy(out.ResponseCode[:], resp.Code)
	c := tlv.NewCursor(resp.ICC)
	for c.Next() {
		switch o := c.Object(); o.Tag {
		case 0x91:
			out.IssuerAuthData = o.Value
		case 0x71, 0x72:
			out.Scripts = append(out.Scripts, o.Raw...)
		}
	}
	if err := c.Err(); err != nil {
		return nil, fmt.Errorf("pos: field 55 of the 0210: %w", err)
	}
	return out, nil
}

// tapPAN returns the PAN of the tap: 5A, else the track 2 equivalent
// data.
func (x *txn) tapPAN() string {
	if v, ok := x.tapOut.Value(0x5A); ok {
		return digits(v)
	}
	if v, ok := x.tapOut.Value(0x57); ok {
		return panOf(digits(v))
	}
	return ""
}

// tapExpiry returns YYMM from 5F24, else from the track 2 equivalent data.
func (x *txn) tapExpiry() string {
	if v, ok := x.tapOut.Value(0x5F24); ok && len(v) == 3 {
		return fmt.Sprintf("%02X%02X", v[0], v[1])
	}
	if v, ok := x.tapOut.Value(0x57); ok {
		d := digits(v)
		if i := strings.IndexByte(d, 'D'); i >= 0 && len(d) >= i+5 {
			return d[i+1 : i+5]
		}
	}
	return ""
}

func (x *txn) tapPSN() string {
	if v, ok := x.tapOut.Value(0x5F34); ok && len(v) == 1 {
		return fmt.Sprintf("%03x", v[0])
	}
	return ""
}

// tapCardTags are the data objects of the data record left out of field
// 55: track data and the PAN.
var tapCardTags = []tlv.Tag{0x56, 0x57, 0x5A, 0x9F1F, 0x9F20, 0x9F6B}

// tapField55 returns field 55 of the tap: the data record without track
// data or PAN, with the AID.
func (x *txn) tapField55() []byte {
	out := x.tapOut
	var b []byte
	hasAID := false
	c := tlv.NewCursor(out.DataRecord)
	for c.Next() {
		o := c.Object()
		if slices.Contains(tapCardTags, o.Tag) {
			continue
		}
		hasAID = hasAID || o.Tag == 0x4F || o.Tag == 0x84
		b = append(b, o.Raw...)
	}
	if !hasAID && len(out.AID) > 0 {
		b, _ = tlv.AppendTLV(b, 0x4F, out.AID)
	}
	return b
}

// fillTapReceipt copies the outcome of a tap into the receipt.
func (x *txn) fillTapReceipt() {
	r, out := x.rcpt, x.tapOut
	r.EntryMode = "contactless"
	r.AID = fmt.Sprintf("%X", out.AID)
	if v, ok := out.Value(0x50); ok {
		r.Label = string(v)
	}
	if pan := x.tapPAN(); pan != "" {
		r.MaskedPAN = emv.MaskPAN(pan)
	}
	if v, ok := out.Value(0x95); ok && len(v) == 5 {
		r.TVR = fmt.Sprintf("%X", v)
	}
	if v, ok := out.Value(0x9F26); ok {
		r.Cryptogram = fmt.Sprintf("%X", v)
	}
	switch out.Type {
	case entrypoint.Approved:
		r.CryptogramType = emv.TC.String()
	case entrypoint.OnlineRequest:
		r.CryptogramType = emv.ARQC.String()
	case entrypoint.Declined:
		r.CryptogramType = emv.AAC.String()
	}
	if v, ok := out.Value(0x9F27); ok && len(v) == 1 {
		r.CryptogramType = emv.CID(v[0]).Type().String()
	}
	r.PINVerified = x.pinSent && x.resp != nil && x.resp.Code.Approved()
	r.Signature = out.CVM == entrypoint.Signature
	switch out.Type {
	case entrypoint.Approved:
		r.Approved, r.Reason = true, "approved offline by the card"
		if r.Response == "" {
			r.Response = "Y1"
		}
	case entrypoint.OnlineRequest:
		if x.resp != nil {
			r.Approved = x.resp.Code.Approved()
			if r.Approved {
				r.Reason = "approved online"
			} else {
				r.Reason = "declined by the issuer: " + x.resp.Code.Meaning()
			}
		}
	case entrypoint.Declined:
		r.Reason = "declined offline by the card"
	case entrypoint.TryAnotherInterface:
		r.Reason = "contactless not possible: insert or swipe the card"
	default:
		r.Reason = fmt.Sprintf("contactless transaction ended (%s): %v", out.Type, out.Err)
	}
}
