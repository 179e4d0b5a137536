package acquirer

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// GCPercent is the garbage collector's target, as GOGC, that the host
// command (examples/host) and the load generator (examples/loadgen) run
// with unless GOGC is set in the environment. Go's default, 100, collects
// each time the heap doubles. A host's live Go heap is small (SQLite's
// pages are not on it) while each request allocates about 10 KB, so at
// 30,000 requests a second it collects many times a second, and the
// handlers that allocate while a collection marks are made to help it,
// which is where the slowest answers come from. At 400 the heap may grow
// to five times the live heap, and the load run's p99 drops from 23-24
// ms to 18 ms (examples/loadgen/README.md).
const GCPercent = 400

// DefaultAddr is the address ListenAndServe listens on when Config.Addr is
// empty.
const DefaultAddr = "127.0.0.1:8583"

// DefaultPINTryLimit is the number of wrong PINs after which a card's PIN is
// blocked when neither the card nor the limits set one.
const DefaultPINTryLimit = 3

// A Key is key material in the configuration, written in JSON as upper- or
// lower-case hexadecimal. It never prints its value: String and every fmt
// verb give only its length.
type Key []byte

// UnmarshalText decodes hexadecimal.
func (k *Key) UnmarshalText(text []byte) error {
	b := make([]byte, hex.DecodedLen(len(text)))
	if _, err := hex.Decode(b, text); err != nil {
		return fmt.Errorf("acquirer: key is not hexadecimal")
	}
	*k = b
	return nil
}

// MarshalText encodes the key as upper-case hexadecimal, for writing a
// configuration file.
func (k Key) MarshalText() ([]byte, error) {
	return []byte(strings.ToUpper(hex.EncodeToString(k))), nil
}

// String describes the key by its length only.
func (k Key) String() string { return fmt.Sprintf("[%d-byte key]", len(k)) }

// Format writes String for every verb.
func (k Key) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// LogValue keeps the key out of logs.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Config configures a Host. It is plain data, loadable from JSON with
// LoadConfig; the zero value of every field but the seed data is usable.
type Config struct {
	// Addr is the TCP address ListenAndServe listens on; empty means
	// DefaultAddr.
	Addr string `json:"addr,omitempty"`
	// Database is the SQLite database file of the default store; empty
	// means an in-memory database that lives as long as the Host.
	Database string `json:"database,omitempty"`
	// SQLite tunes the default store.
	SQLite SQLiteConfig `json:"sqlite,omitzero"`
	// FeeRate is the default merchant discount rate in basis points
	// (1/100 of a percent) for merchants that do not set their own.
	FeeRate int64 `json:"fee_rate_bps,omitempty"`
	// Limits apply to every card.
	Limits Limits `json:"limits"`
	// Keys are the host's keys, loaded into the software security module
	// unless SecurityModule is set.
	Keys Keys `json:"keys"`

	Merchants []Merchant `json:"merchants"`
	Terminals []Terminal `json:"terminals"`
	Accounts  []Account  `json:"accounts"`
	Cards     []Card     `json:"cards"`

	// SecurityModule replaces the software module built from Keys.
	SecurityModule SecurityModule `json:"-"`
	// Store replaces the default SQLite store at Database.
	Store Store `json:"-"`
	// Spec is the wire layout; nil means iso8583.SpecASCII. Terminals
	// with AES DUKPT PIN pads send 16-byte ISO format 4 PIN blocks,
	// which need the variable field 52 of Spec.VariablePINData.
	Spec *iso8583.Spec `json:"-"`
	// Framing frames messages on connections.
	Framing iso8583.Framing `json:"-"`
	// MaxConns, MaxConcurrent, MaxInFlightPerConn, FirstFrameTimeout,
	// ReadTimeout, WriteTimeout and HandlerTimeout tune the
	// iso8583.Server; zero values take its defaults.
	MaxConns, MaxConcurrent, MaxInFlightPerConn                  int           `json:"-"`
	FirstFrameTimeout, ReadTimeout, WriteTimeout, HandlerTimeout time.Duration `json:"-"`
	// Rand is the source of authorization codes and working keys; nil
	// means crypto/rand.Reader.
	Rand io.Reader `json:"-"`
	// Time returns the current time, for expiry checks, RRNs and the
	// journal; nil means time.Now.
	Time func() time.Time `json:"-"`
	// Log receives structured logs; nil discards them. Card data are
	// masked and keys, PINs, PIN blocks and track data never logged.
	Log *slog.Logger `json:"-"`
}

// Limits are the host's amount limits.
type Limits struct {
	// MaxAmount is the largest amount of one transaction, in minor units;
	// 0 means no limit. A larger amount is declined with code 61.
	MaxAmount int64 `json:"max_amount,omitempty"`
	// PINTryLimit is the number of consecutive wrong PINs after which a
	// card's PIN is blocked (code 75); 0 means DefaultPINTryLimit.
	PINTryLimit int `json:"pin_try_limit,omitempty"`
}

// Keys are the keys of the software security module. All are test keys in
// the seed file; a production host keeps them in a hardware module.
type Keys struct {
	// BDK is the TDES DUKPT base derivation key (16 bytes) of the PIN pads.
	BDK Key `json:"bdk,omitempty"`
	// AESBDK is the AES DUKPT base derivation key (16, 24 or 32 bytes).
	AESBDK Key `json:"aes_bdk,omitempty"`
	// PVK is the PIN verification key (16 or 24 bytes) of Visa PVV and
	// IBM 3624 offsets.
	PVK Key `json:"pvk,omitempty"`
	// Decimalization is the IBM 3624 decimalization table; empty means
	// "0123456789012345".
	Decimalization string `json:"decimalization,omitempty"`
	// IMK are the issuer master keys by name, which cards refer to.
	IMK map[string]IssuerKeys `json:"imk,omitempty"`
	// ZPK is the zone PIN key TranslatePIN enciphers PIN blocks under
	// for an issuer; optional.
	ZPK Key `json:"zpk,omitempty"`
}

// IssuerKeys are the issuer master keys of one card range.
type IssuerKeys struct {
	AC  Key `json:"ac"`            // application cryptograms and ARPC
	SMI Key `json:"smi,omitempty"` // secure messaging integrity (script MACs)
	SMC Key `json:"smc,omitempty"` // secure messaging confidentiality
}

// A Merchant is an acceptor whose terminals settle with the host.
type Merchant struct {
	ID   string `json:"id"`   // field 42, up to 15 characters
	Name string `json:"name"` // for the settlement report
	// FeeRate is the merchant discount rate in basis points; 0 means
	// Config.FeeRate.
	FeeRate int64 `json:"fee_rate_bps,omitempty"`
}

// A Terminal is a point of sale known to the host.
type Terminal struct {
	ID       string `json:"id"`       // field 41, 8 characters
	Merchant string `json:"merchant"` // Merchant.ID
	// MACKey is the terminal's double-length ANSI X9.19 MAC key. When it
	// is set, every request must carry a valid MAC (field 64) and every
	// response is signed; when it is empty the terminal's messages are
	// not authenticated.
	MACKey Key `json:"mac_key,omitempty"`
	// MACDUKPT authenticates the terminal's messages with DUKPT instead:
	// each request carries the KSN of its PIN pad transaction in field 53
	// and its MAC under the TDES DUKPT request MAC key of that KSN (ANSI
	// X9.24-1:2009 table A-1); the response is signed under the response
	// MAC key. A request without field 53 is refused with 63. MACKey must
	// then be empty.
	MACDUKPT bool `json:"mac_dukpt,omitempty"`
	// TMK is the terminal master key a new MAC key is enciphered under in
	// a key exchange (0800 with network code 161); without it the host
	// refuses key exchange.
	TMK Key `json:"tmk,omitempty"`
}

// An Account is a cardholder account with its opening balance.
type Account struct {
	ID       string `json:"id"`
	Balance  int64  `json:"balance"`            // minor units
	Currency string `json:"currency,omitempty"` // ISO 4217 numeric; informative
}

// Card statuses.
const (
	StatusActive  = "active"
	StatusBlocked = "blocked"
	StatusLost    = "lost"
	StatusStolen  = "stolen"
)

// A Card is an issued card: its static data and opening state. The
// mutable state (status, PIN tries, last ATC) lives in the store after the
// first start, so a restart keeps it.
type Card struct {
	PAN     string `json:"pan"`
	PSN     string `json:"psn,omitempty"`     // PAN sequence number, 2 digits
	Expiry  string `json:"expiry"`            // YYMM
	Account string `json:"account"`           // Account.ID
	Status  string `json:"status,omitempty"`  // active (default), blocked, lost, stolen
	IMK     string `json:"imk,omitempty"`     // name in Keys.IMK; empty for magnetic stripe only
	PVKI    int    `json:"pvki,omitempty"`    // PIN verification key index of the PVV
	PVV     string `json:"pvv,omitempty"`     // Visa PVV of the PIN
	Offset  string `json:"offset,omitempty"`  // IBM 3624 offset, when PVV is empty
	ValData string `json:"valdata,omitempty"` // IBM 3624 validation data; empty means the PAN's 11 rightmost digits but the check digit, padded with F... (see Card.validationData)
	// PINTryLimit overrides Limits.PINTryLimit.
	PINTryLimit int `json:"pin_try_limit,omitempty"`
	// PINTries is the number of wrong PINs already counted.
	PINTries int `json:"pin_tries,omitempty"`
	// MaxAmount overrides Limits.MaxAmount for this card.
	MaxAmount int64 `json:"max_amount,omitempty"`
	// Script names an issuer script sent with the next approval:
	// "unblock" (APPLICATION UNBLOCK); empty for none.
	Script string `json:"script,omitempty"`
}

// String describes the card with its PAN masked.
func (c Card) String() string {
	return fmt.Sprintf("card %s status %s", iso8583.MaskPAN(c.PAN), c.status())
}

// GoString is String, so that %#v does not print the PAN or PVV.
func (c Card) GoString() string { return c.String() }

func (c Card) status() string {
	if c.Status == "" {
		return StatusActive
	}
	return c.Status
}

// validationData is the IBM 3624 validation data: the configured value or
// the 12 rightmost PAN digits excluding the check digit, padded with 'F'
// to 16 characters (IBM 3624 leaves the choice to the issuer).
func (c Card) validationData() string {
	if c.ValData != "" {
		return c.ValData
	}
	d := c.PAN[:len(c.PAN)-1]
	if len(d) > 12 {
		d = d[len(d)-12:]
	}
	return d + strings.Repeat("F", 16-len(d))
}

// LoadConfig reads a JSON configuration file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(b)
}

// ParseConfig parses a JSON configuration strictly: unknown fields and
// trailing data are errors. It checks the configuration as New does.
func ParseConfig(data []byte) (*Config, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	var c Config
	if err := d.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrConfig, jsonReason(err))
	}
	if d.More() {
		return nil, fmt.Errorf("%w: trailing data after the object", ErrConfig)
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return &c, nil
}

// jsonReason describes a JSON error without quoting the input, which may
// hold keys or PANs.
func jsonReason(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("JSON syntax error at offset %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("JSON value of wrong type for %s", e.Field)
	}
	s := err.Error()
	if strings.HasPrefix(s, "json: unknown field") {
		return s // names a field of our schema, not a value
	}
	if strings.Contains(s, "acquirer: key") {
		return "a key is not hexadecimal"
	}
	return "malformed JSON"
}

// Check validates the configuration: every reference resolves, identifiers
// are unique, PANs, dates and keys have valid forms.
func (c *Config) Check() error {
	bad := func(item, reason string) error { return &ConfigError{Item: item, Reason: reason} }
	if c.FeeRate < 0 || c.FeeRate > 10000 {
		return bad("fee_rate_bps", "not between 0 and 10000")
	}
	if c.Limits.MaxAmount < 0 || c.Limits.PINTryLimit < 0 {
		return bad("limits", "negative")
	}
	if c.SecurityModule == nil {
		if n := len(c.Keys.BDK); n != 0 && n != 16 {
			return bad("keys.bdk", "not 16 bytes")
		}
		if n := len(c.Keys.AESBDK); n != 0 && n != 16 && n != 24 && n != 32 {
			return bad("keys.aes_bdk", "not 16, 24 or 32 bytes")
		}
		if n := len(c.Keys.PVK); n != 0 && n != 16 && n != 24 {
			return bad("keys.pvk", "not 16 or 24 bytes")
		}
		if n := len(c.Keys.ZPK); n != 0 && n != 16 && n != 24 {
			return bad("keys.zpk", "not 16 or 24 bytes")
		}
		if d := c.Keys.Decimalization; d != "" && (len(d) != 16 || !digits(d)) {
			return bad("keys.decimalization", "not 16 digits")
		}
		for name, k := range c.Keys.IMK {
			if len(k.AC) != 16 {
				return bad("keys.imk."+name+".ac", "not 16 bytes")
			}
			if n := len(k.SMI); n != 0 && n != 16 {
				return bad("keys.imk."+name+".smi", "not 16 bytes")
			}
			if n := len(k.SMC); n != 0 && n != 16 {
				return bad("keys.imk."+name+".smc", "not 16 bytes")
			}
		}
	}
	merchants := map[string]bool{}
	for i, m := range c.Merchants {
		item := fmt.Sprintf("merchants[%d]", i)
		if m.ID == "" || len(m.ID) > 15 || merchants[m.ID] {
			return bad(item+".id", "empty, longer than 15 characters or repeated")
		}
		if m.FeeRate < 0 || m.FeeRate > 10000 {
			return bad(item+".fee_rate_bps", "not between 0 and 10000")
		}
		merchants[m.ID] = true
	}
	terminals := map[string]bool{}
	for i, t := range c.Terminals {
		item := fmt.Sprintf("terminals[%d]", i)
		if len(t.ID) != 8 || terminals[t.ID] {
			return bad(item+".id", "not 8 characters or repeated")
		}
		if !merchants[t.Merchant] {
			return bad(item+".merchant", "no such merchant")
		}
		if n := len(t.MACKey); n != 0 && n != 16 {
			return bad(item+".mac_key", "not 16 bytes")
		}
		if t.MACDUKPT && len(t.MACKey) != 0 {
			return bad(item+".mac_dukpt", "set together with mac_key")
		}
		if t.MACDUKPT && len(c.Keys.BDK) == 0 && c.SecurityModule == nil {
			return bad(item+".mac_dukpt", "no keys.bdk")
		}
		if n := len(t.TMK); n != 0 && n != 16 && n != 24 {
			return bad(item+".tmk", "not 16 or 24 bytes")
		}
		terminals[t.ID] = true
	}
	accounts := map[string]bool{}
	for i, a := range c.Accounts {
		if a.ID == "" || accounts[a.ID] {
			return bad(fmt.Sprintf("accounts[%d].id", i), "empty or repeated")
		}
		accounts[a.ID] = true
	}
	cards := map[string]bool{}
	for i, k := range c.Cards {
		item := fmt.Sprintf("cards[%d]", i)
		if len(k.PAN) < 12 || len(k.PAN) > 19 || !digits(k.PAN) || cards[k.PAN] {
			return bad(item+".pan", "not 12 to 19 digits or repeated")
		}
		cards[k.PAN] = true
		if k.PSN != "" && (len(k.PSN) != 2 || !digits(k.PSN)) {
			return bad(item+".psn", "not 2 digits")
		}
		if len(k.Expiry) != 4 || !digits(k.Expiry) || k.Expiry[2:] < "01" || k.Expiry[2:] > "12" {
			return bad(item+".expiry", "not YYMM")
		}
		if !accounts[k.Account] {
			return bad(item+".account", "no such account")
		}
		switch k.status() {
		case StatusActive, StatusBlocked, StatusLost, StatusStolen:
		default:
			return bad(item+".status", "not active, blocked, lost or stolen")
		}
		if k.IMK != "" && c.SecurityModule == nil {
			if _, ok := c.Keys.IMK[k.IMK]; !ok {
				return bad(item+".imk", "no such issuer master key")
			}
		}
		if k.PVV != "" && (len(k.PVV) != 4 || !digits(k.PVV) || k.PVKI < 0 || k.PVKI > 9) {
			return bad(item+".pvv", "not 4 digits with a PVKI of 0 to 9")
		}
		if k.Offset != "" && (len(k.Offset) < 4 || len(k.Offset) > 12 || !digits(k.Offset)) {
			return bad(item+".offset", "not 4 to 12 digits")
		}
		if k.PINTryLimit < 0 || k.PINTries < 0 || k.MaxAmount < 0 {
			return bad(item, "negative limit or count")
		}
		if k.Script != "" && k.Script != "unblock" {
			return bad(item+".script", "not unblock")
		}
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
