package pos

import (
	"context"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// A Merchant is the shop a terminal belongs to, as the receipt, ISO 8583
// fields 18, 42 and 43 and the merchant-presented QR code name it.
type Merchant struct {
	Name string // up to 25 characters on field 43
	City string // up to 13 characters on field 43
	// ID is the card acceptor identification code, field 42 (15
	// characters).
	ID string
	// Category is the ISO 18245 merchant category code, four digits.
	Category string
	// Country is the ISO 3166-1 alpha-2 country code ("US").
	Country string
}

// Config configures a Terminal. Fields left zero take the defaults of
// their comments; Host (or Dial) and PINPad are needed for online
// transactions.
type Config struct {
	Merchant Merchant
	// TerminalID is the card acceptor terminal identification, field 41
	// and EMV tag 9F1C: eight characters.
	TerminalID string
	// Currency is the ISO 4217 numeric code of the transactions ("840")
	// and CurrencyCode its alphabetic code for receipts ("USD"); Exponent
	// is its minor unit. Zero values mean US dollars.
	Currency, CurrencyCode string
	Exponent               int
	// Country is the terminal country code, ISO 3166-1 numeric ("840");
	// empty means 840.
	Country string
	// FloorLimit is the amount, in minor units, under which the card may
	// approve a chip transaction offline; zero sends everything online.
	FloorLimit uint64
	// ContactlessFloorLimit is the reader contactless floor limit of
	// Entry Point (EMV Contactless Book B 3.1.1): a tap over it goes
	// online; zero means FloorLimit. ContactlessCVMLimit is the reader
	// CVM required limit: at or over it the cardholder is verified
	// (online PIN or signature); zero means never. ContactlessLimit is
	// the reader contactless transaction limit: at or over it the card
	// must be inserted; zero means none. All in minor units.
	ContactlessFloorLimit, ContactlessCVMLimit, ContactlessLimit uint64
	// Applications are the EMV applications the terminal accepts; nil
	// means the Visa and Mastercard credit and debit AIDs with
	// FloorLimit and the usual terminal action codes.
	Applications []emv.Application
	// CAPKs are the certification authority public keys for offline data
	// authentication.
	CAPKs *oda.Store

	// Host is the acquirer's address; Dial, when set, opens the
	// connection instead of a plain TCP dial.
	Host string
	Dial func(ctx context.Context, addr string) (net.Conn, error)
	// Spec and Framing are the ISO 8583 wire layout; nil means
	// iso8583.SpecASCII and the zero Framing (2-byte binary length).
	Spec    *iso8583.Spec
	Framing iso8583.Framing
	// MAC signs requests and verifies responses (field 64); nil sends no
	// MAC.
	MAC iso8583.MACKey
	// Timeout is how long the terminal waits for the answer to an
	// authorisation before it reverses it; zero means 15 seconds.
	Timeout time.Duration
	// Queue holds the reversals and advices until the host acknowledges
	// them; nil means an iso8583.MemoryQueue, lost when the process ends.
	// A terminal in service uses a FileQueue (OpenQueue).
	Queue iso8583.Queue
	// BatchFile keeps the batch (the purchases since the last settlement,
	// and the settlement under way) on disk, so that a terminal that
	// restarts settles and uploads what it approved before; nil keeps it
	// in memory, lost when the process ends. A terminal in service uses
	// one (OpenBatch), on the same protected storage as its FileQueue.
	BatchFile *BatchFile

	// PINPad enters and enciphers PINs.
	PINPad *PINPad
	// Confirm shows the amount, merchant and time and returns nil when
	// the cardholder accepts; emv.ErrCancelled (or any error) cancels.
	// Nil accepts without asking.
	Confirm func(ctx context.Context, c Confirmation) error

	// Time is the clock and Rand the source of randomness (unpredictable
	// numbers, PIN block fill); nil means time.Now and crypto/rand.
	// Tests inject both to make transactions repeatable.
	Time func() time.Time
	Rand io.Reader
	// FirstSTAN is the first systems trace audit number; zero means 1.
	FirstSTAN int

	// Log receives the terminal's structured log: messages and card data
	// masked, never a PIN or key. Nil discards it.
	Log *slog.Logger
	// Steps receives one line of text for each step of a transaction, for
	// the operator's screen or the demo; nil discards them.
	Steps func(step string)
}

// A Confirmation is what the terminal shows the cardholder before the
// card is read: the amount, the merchant and the time.
type Confirmation struct {
	Amount   string // formatted with its currency, "USD 25.00"
	Merchant string
	Time     time.Time
}

// Default terminal action codes (EMV 4.4 Book 3 10.7) of the usual
// acquirer parameter sets for Visa and Mastercard: deny nothing the
// issuer cannot judge, go online on failed ODA, expiry, new card, floor
// limit and online PIN.
var (
	TACDenial  = emv.TVR{0x00, 0x10, 0x00, 0x00, 0x00}
	TACOnline  = emv.TVR{0xDC, 0x40, 0x04, 0xF8, 0x00}
	TACDefault = emv.TVR{0xDC, 0x40, 0x00, 0xA8, 0x00}
)

func (c *Config) applications() []emv.Application {
	if c.Applications != nil {
		return c.Applications
	}
	tags := append(append([]tlv.Tag(nil), emv.DefaultField55Tags...), 0x4F)
	app := func(aid ...byte) emv.Application {
		return emv.Application{
			AID: aid, PartialSelection: true,
			TACDenial: TACDenial, TACOnline: TACOnline, TACDefault: TACDefault,
			FloorLimit: c.FloorLimit,
			Field55:    tags,
		}
	}
	return []emv.Application{
		app(0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10), // Visa credit or debit
		app(0xA0, 0x00, 0x00, 0x00, 0x03, 0x20, 0x10), // Visa Electron
		app(0xA0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10), // Mastercard
		app(0xA0, 0x00, 0x00, 0x00, 0x04, 0x30, 0x60), // Maestro
	}
}

func (c *Config) now() time.Time {
	if c.Time != nil {
		return c.Time()
	}
	return time.Now()
}
