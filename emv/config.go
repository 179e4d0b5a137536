package emv

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// Config is the configuration of the contact kernel: the terminal's data
// (EMV 4.4 Book 4 Annex A), the applications it supports with their
// terminal action codes and risk management parameters (Book 3 10.6,
// 10.7), the certification authority public keys (Book 2 5.1), the
// exception file, and the interfaces through which the kernel reaches the
// cardholder, the PIN pad and the acquirer.
//
// The zero value is a usable if unhelpful configuration: a terminal that
// supports no application. Nil interfaces mean the device is absent: no
// cardholder selection or confirmation, no PIN pad, no way online.
type Config struct {
	Terminal     Terminal
	Applications []Application

	// CAPKs are the certification authority public keys; nil means none,
	// so that every offline data authentication fails.
	CAPKs *oda.Store
	// Revoked is the issuer public key certificate revocation list.
	Revoked *oda.RevocationList
	// Exceptions is the terminal exception file (Book 3 10.6.3).
	Exceptions ExceptionFile

	Cardholder Cardholder
	PINPad     PINPad
	Online     Online
	// Log is the terminal's transaction log, used for the split-sales
	// check of the floor limit; nil means an empty log.
	Log TransactionLog

	// Rand is the source of the unpredictable number, random transaction
	// selection and the random padding of enciphered PINs; nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// Time returns the current time, from which the transaction date and
	// time are taken; nil means time.Now.
	Time func() time.Time

	// T0 applies the T=0 transport rules to the card (see Transport):
	// set it when the reader negotiated T=0.
	T0 bool

	// NoTrace turns the trace of Result off (for benchmarks and devices
	// short of memory). The zero value records it.
	NoTrace bool
}

// Terminal holds the terminal-resident data of Book 4 Annex A1 that do
// not depend on the application.
type Terminal struct {
	// Capabilities is 9F33; AdditionalCapabilities is 9F40.
	Capabilities           TerminalCapabilities
	AdditionalCapabilities AdditionalCapabilities
	// Type is 9F35: the tens digit tells who operates the terminal
	// (1 financial institution, 2 merchant, 3 cardholder), the units
	// digit whether it is attended (1-3) or not (4-6) and whether it is
	// online only (1, 4), offline with online capability (2, 5) or
	// offline only (3, 6).
	Type byte
	// CountryCode is 9F1A, n3 in two bytes ("0826" for the United
	// Kingdom).
	CountryCode [2]byte
	// IFDSerial is 9F1E (an 8); TerminalID 9F1C (an 8); MerchantID
	// 9F16 (ans 15); MerchantCategory 9F15 (n 4); AcquirerID 9F01 (n
	// 6-11). Empty values are left out of the data the card can ask for.
	IFDSerial        string
	TerminalID       string
	MerchantID       string
	MerchantCategory [2]byte
	AcquirerID       []byte
	// ConfirmationSupported tells that Cardholder can confirm a single
	// application (Book 3 12.4); without it, applications that require
	// confirmation are not selected automatically.
	ConfirmationSupported bool
	// Languages are the languages the terminal can show its messages in,
	// as ISO 639-1 codes of two lower-case letters, the default first;
	// the kernel chooses among them with the card's language preference
	// (SelectLanguage) and reports the choice in Result.Language and
	// PINPrompt.Language.
	Languages []string
	// SubsequentPINBypass makes a PIN bypass hold for the rest of the
	// transaction (the "subsequent PIN bypass" of EMV 4.4 Book 4 on PIN
	// entry bypass): once the cardholder or the attendant has bypassed PIN
	// entry for one PIN CVM, every later PIN CVM of the CVM list
	// (offline plaintext, offline enciphered, online) is considered
	// bypassed too, without prompting. Without it each PIN CVM prompts
	// again.
	SubsequentPINBypass bool
	// PSEDisabled skips the payment system environment and goes straight
	// to the list of AIDs.
	PSEDisabled bool
}

// ATM reports whether the terminal is an ATM: operated by a financial
// institution, unattended, with cash disbursement (Book 4 Annex A1 and
// Annex A3).
func (t *Terminal) ATM() bool {
	unattended := t.Type&0x0F >= 4 && t.Type&0x0F <= 6
	return t.Type>>4 == 1 && unattended && t.AdditionalCapabilities[0]&0x80 != 0
}

// OfflineOnly reports whether the terminal cannot go online (type x3, x6).
func (t *Terminal) OfflineOnly() bool { u := t.Type & 0x0F; return u == 3 || u == 6 }

// OnlineOnly reports whether the terminal cannot approve offline (type x1,
// x4).
func (t *Terminal) OnlineOnly() bool { u := t.Type & 0x0F; return u == 1 || u == 4 }

// Unattended reports whether the terminal is unattended (type x4-x6).
func (t *Terminal) Unattended() bool { u := t.Type & 0x0F; return u >= 4 && u <= 6 }

// An Application is one application the terminal supports (Book 4 Annex
// A1, data per AID).
type Application struct {
	// AID is the terminal's application identifier (9F06).
	AID []byte
	// PartialSelection is the application selection indicator: a card
	// application whose AID begins with AID but is longer matches too
	// (Book 3 12.3.1).
	PartialSelection bool
	// Version is the terminal's application version number (9F09); zero
	// skips the version check of processing restrictions.
	Version [2]byte
	// The terminal action codes (Book 3 10.7).
	TACDenial, TACOnline, TACDefault TVR
	// FloorLimit is the terminal floor limit (9F1B), in the minor unit of
	// the transaction currency. Zero means every amount reaches it: the
	// terminal approves nothing offline on amount grounds.
	FloorLimit uint64
	// Random transaction selection (Book 3 10.6.2): below Threshold the
	// transaction is selected with TargetPercent probability; from
	// Threshold to the floor limit, the probability rises linearly to
	// MaxTargetPercent. Zero percentages turn random selection off.
	Threshold                       uint64
	TargetPercent, MaxTargetPercent int
	// DefaultDDOL and DefaultTDOL are used when the card has no DDOL (9F49)
	// or TDOL (97).
	DefaultDDOL, DefaultTDOL []byte
	// CDAForAAC asks for a CDA signature with a request for an AAC too
	// (P1 10), on either GENERATE AC, when CDA was selected and has not
	// failed. By default the kernel asks for CDA only with a TC or an
	// ARQC, as Book 3 10.8 describes it, and cards do not sign an AAC
	// (Book 2 6.6); some schemes' cards sign one when asked, which lets
	// an acquirer check that a decline came from the genuine card. With
	// CDAForAAC an AAC that comes back signed is verified (a failure sets
	// "CDA failed"; the transaction is declined in any case) and one that
	// comes back without a signature is accepted.
	CDAForAAC bool
	// Field55 lists the tags of field 55 for this application; nil means
	// DefaultField55Tags.
	Field55 []tlv.Tag
}

// A Transaction is what the terminal asks the kernel to perform.
type Transaction struct {
	Type TransactionType
	// Services tells that a purchase is of services rather than goods,
	// for the application usage control (Book 3 10.4.2).
	Services bool
	// Amount is the amount authorised (9F02), cashback included; Cashback
	// is the amount other (9F03). Both in the minor unit of Currency.
	Amount, Cashback uint64
	// Currency is the transaction currency code (5F2A, n3 in two bytes)
	// and CurrencyExponent its exponent (5F36).
	Currency         [2]byte
	CurrencyExponent byte
	// Sequence is the transaction sequence counter (9F41).
	Sequence uint32
	// ForceOnline is the merchant's request to go online (Book 3 10.6.4).
	ForceOnline bool
}

// TransactionType is the transaction type, tag 9C: the first two digits
// of the ISO 8583 processing code.
type TransactionType byte

// The transaction types a point of sale uses.
const (
	Purchase             TransactionType = 0x00
	Cash                 TransactionType = 0x01
	PurchaseWithCashback TransactionType = 0x09
	Refund               TransactionType = 0x20
)

// An ExceptionFile is the terminal exception file: the cards the acquirer
// has listed as not to be accepted offline.
type ExceptionFile interface {
	// Contains reports whether the card with this application PAN (5A,
	// compressed numeric) and PAN sequence number (5F34, nil when the
	// card has none) is on the file.
	Contains(pan, psn []byte) bool
}

// A TransactionLog is the terminal's record of approved transactions,
// which the floor limit check consults so that a purchase split in two
// is counted whole (Book 3 10.6.1). The terminal adds to it from the
// Results it approves; the kernel only reads it.
type TransactionLog interface {
	// Amount returns the sum of the amounts authorised in the log for the
	// card with this application PAN, in the currency given, since the
	// log was last cleared.
	Amount(pan []byte, currency [2]byte) uint64
}

// A Cardholder lets the cardholder choose or confirm an application
// (Book 3 12.4).
type Cardholder interface {
	// ChooseApplication shows the candidates, in priority order, and
	// returns the index of the one chosen. With a single candidate it is
	// a request for confirmation. An error ends the transaction; return
	// ErrCancelled when the cardholder cancels.
	ChooseApplication(ctx context.Context, candidates []Candidate) (int, error)
}

// A PINPad enters PINs. A PIN never passes through the kernel in clear
// text except as the ISO 9564-1 format 2 block that VERIFY sends to the
// card (plaintext offline PIN) or that the kernel enciphers for it
// (enciphered offline PIN); the kernel overwrites that block after use.
type PINPad interface {
	// OfflinePIN asks for a PIN to be verified by the card and returns it
	// as a clear ISO 9564-1 format 2 PIN block (8 bytes). It returns
	// ErrPINBypass if the cardholder or attendant bypassed entry, and
	// ErrPINPadUnavailable if the PIN pad is absent or out of order.
	OfflinePIN(ctx context.Context, p PINPrompt) ([]byte, error)
	// OnlinePIN asks for a PIN to be verified by the issuer and returns
	// its block enciphered by the PIN pad, with DUKPT for instance. It
	// returns ErrPINBypass or ErrPINPadUnavailable like OfflinePIN.
	OnlinePIN(ctx context.Context, p PINPrompt) (OnlinePIN, error)
}

// A PINPrompt tells the PIN pad what to show and, for online PINs, the
// PAN that ISO 9564-1 formats 0, 3 and 4 bind the block to.
type PINPrompt struct {
	Amount   uint64
	Currency [2]byte
	// Language is the language chosen for the cardholder (see
	// Terminal.Languages); "" when the terminal has none.
	Language string
	// TriesLeft is the number of offline PIN tries the card reported, -1
	// when unknown (and for online PINs).
	TriesLeft int
	// PAN is the application PAN as digits, for online PIN blocks only.
	PAN string
}

// String describes the prompt with the PAN masked.
func (p PINPrompt) String() string {
	s := "PIN prompt"
	if p.PAN != "" {
		s += " for " + MaskPAN(p.PAN)
	}
	if p.TriesLeft >= 0 {
		s += ", " + itoa(p.TriesLeft) + " tries left"
	}
	return s
}

// OnlinePIN is an enciphered PIN block for the issuer: the block and the
// key serial number of the DUKPT key it is enciphered under.
type OnlinePIN struct {
	Block []byte
	KSN   []byte
}

// String never shows the block.
func (p OnlinePIN) String() string { return "online PIN block (" + itoa(len(p.Block)) + " bytes)" }

// Errors a PINPad returns.
var (
	ErrPINBypass         = errors.New("emv: PIN entry bypassed")
	ErrPINPadUnavailable = errors.New("emv: PIN pad not present or not working")
)

// Online sends the authorisation request to the acquirer (an ISO 8583
// 0100 or 0200 message with field 55) and returns the issuer's answer.
type Online interface {
	// Authorise returns ErrUnableToGoOnline (or an error wrapping it) when
	// the host could not be reached; the kernel then completes with the
	// default action codes (Book 3 10.7). Any other error terminates the
	// transaction.
	Authorise(ctx context.Context, req *OnlineRequest) (*OnlineResponse, error)
}

// ErrUnableToGoOnline is returned by Online when the transaction could not
// be sent or no answer came.
var ErrUnableToGoOnline = errors.New("emv: unable to go online")

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}
