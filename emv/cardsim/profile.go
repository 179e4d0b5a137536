package cardsim

import (
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
)

// ODAMode is the offline data authentication a card is personalised for
// (EMV 4.4 Book 2 sections 5 and 6).
type ODAMode uint8

// The modes. A CDA card also supports DDA, as the schemes' CDA cards do.
const (
	NoODA ODAMode = iota // no ODA data; AIP bits clear
	SDA                  // signed static application data (93)
	DDA                  // ICC key; INTERNAL AUTHENTICATE
	CDA                  // ICC key; INTERNAL AUTHENTICATE and CDA on GENERATE AC
)

// String names the mode.
func (m ODAMode) String() string {
	switch m {
	case NoODA:
		return "no ODA"
	case SDA:
		return "SDA"
	case DDA:
		return "DDA"
	case CDA:
		return "CDA"
	}
	return "ODAMode(" + itoa(int(m)) + ")"
}

// A Profile is what a card is personalised with: its applications and
// whether the card has a payment system environment. It is plain data;
// New checks it and builds the card's files from it. A Profile is not
// modified by the card: the card keeps its counters in its own state.
type Profile struct {
	// Name describes the profile in test output ("Visa CVN 10 CDA").
	Name string
	// PSE gives the card the payment system environment 1PAY.SYS.DDF01
	// with a directory of the applications (Book 1 section 12.2).
	PSE bool
	// PSEBlocked makes SELECT of the PSE answer its FCI with 6283, so that
	// the terminal must build its candidate list from its own AIDs.
	PSEBlocked bool
	// PPSE gives the card the proximity payment system environment
	// 2PAY.SYS.DDF01 as well, as some dual-interface cards answer it on
	// the contact interface too.
	PPSE bool
	// CardBlocked makes every SELECT fail with 6A81 (Book 1 12.3.2).
	CardBlocked bool
	// Applications in the order of the directory and of partial selection.
	Applications []Application
}

// IACs are the issuer action codes (9F0D default, 9F0E denial, 9F0F
// online, EMV 4.4 Book 3 section 10.7).
type IACs struct {
	Default, Denial, Online emv.TVR
}

// An Application is one payment application of a card and its
// personalisation data.
type Application struct {
	// Selection data (FCI, Book 1 section 11.3.4, and directory entry).
	AID                  []byte
	Label                string // 50
	PreferredName        string // 9F12; empty for none
	Priority             byte   // 87 bits b4-b1, 1 highest; 0 for none
	ConfirmationRequired bool   // 87 bit b8
	Language             string // 5F2D, e.g. "en"; empty for none
	// DDF names the directory definition file under the PSE whose
	// directory lists the application instead of the PSE's own (Book 1
	// section 12.2.3); the PSE then lists the DDF (tag 9D). Nil lists the
	// application in the PSE.
	DDF []byte
	// Blocked makes SELECT of the application return its FCI with 6283
	// and every GENERATE AC an AAC.
	Blocked bool

	// Card data (records).
	PAN            string // 5A, 12 to 19 digits
	PSN            string // 5F34, two digits; empty for none (then 00 in key derivation)
	Expiry         string // 5F24, YYMMDD
	Effective      string // 5F25, YYMMDD; empty for none
	ServiceCode    string // 5F30 and track 2, three digits
	CardholderName string // 5F20
	// Discretionary is the discretionary data of the track 2 equivalent
	// data (57), digits; empty means "00000000".
	Discretionary    string
	AUC              emv.AUC     // 9F07
	Version          [2]byte     // 9F08 application version number
	Currency         [2]byte     // 9F42, BCD numeric code, e.g. 08 40
	CurrencyExponent byte        // 9F44
	Country          [2]byte     // 5F28 issuer country code, BCD
	CVMList          emv.CVMList // 8E; no rules means no 8E and no CVM bit in the AIP
	IAC              *IACs       // nil: no issuer action codes
	PDOL             []byte      // 9F38 in the FCI; nil for none
	CDOL1, CDOL2     []byte      // 8C, 8D
	DDOL             []byte      // 9F49; nil for none
	// LCOL and UCOL are the lower and upper consecutive offline limits
	// (9F14, 9F23) of card risk management; zero UCOL means no limits.
	LCOL, UCOL byte
	// AIP overrides the application interchange profile the card derives
	// from the other fields; leave zero to derive it.
	AIP emv.AIP
	// Format2 makes GET PROCESSING OPTIONS, GENERATE AC and INTERNAL
	// AUTHENTICATE answer with template 77 (format 2) instead of 80.
	Format2 bool
	// AppDataSFI moves the two application data records from SFI 2 to
	// another file; in SFI 11 to 30 the whole records, tag and length
	// included, are signed for ODA (Book 3 section 10.3). Zero means 2.
	AppDataSFI byte
	// ExtraData are data objects appended to the second application data
	// record, for tests of what a terminal does with redundant or
	// unexpected objects. They are signed with the rest.
	ExtraData []byte
	// AFL replaces the application file locator the card returns, for
	// tests of AFL validation; the files stay where they are. Nil means
	// the AFL of the card's files.
	AFL []byte
	// LogRecords is the number of transaction log records (9F4D in the
	// FCI, SFI 11); 0 for no log.
	LogRecords byte

	// Application cryptograms (Book 2 section 8) and secure messaging
	// (section 9). The card derives its ICC master keys from these issuer
	// master keys with the version's option, as emv/issuer does.
	CVN    issuer.CVN
	DKI    byte   // derivation key index in the issuer application data
	IMK    []byte // issuer master key for application cryptograms
	IMKSMI []byte // for secure messaging integrity; nil: no scripts
	IMKSMC []byte // for secure messaging confidentiality; nil: no PIN change
	// IssuerAuthRequired makes the card decline (AAC on the second
	// GENERATE AC) a transaction authorised online whose ARPC was missing
	// or wrong; otherwise it only records the failure in its CVR.
	IssuerAuthRequired bool

	// Offline data authentication and enciphered PIN.
	ODA ODAMode
	// CDAForAAC makes a CDA card sign an AAC too when the terminal asks
	// for CDA; by default an AAC is never signed.
	CDAForAAC bool
	Keys      *Keys // needed for ODA and for offline enciphered PIN

	// Offline PIN and counters.
	PIN          string // 4 to 12 digits; empty: no offline PIN
	PINTryLimit  int    // zero means 3
	PINTriesUsed int    // wrong PINs already presented; PINTryLimit means blocked
	ATC          uint16 // 9F36 before the first transaction
	LastOnline   uint16 // 9F13 last online ATC register
}

func (a *Application) pinTryLimit() int {
	if a.PINTryLimit == 0 {
		return 3
	}
	return a.PINTryLimit
}

// issuerAuthInCDOL2 reports whether the ARPC travels in the CDOL2 data (tag
// 91) rather than in EXTERNAL AUTHENTICATE.
func (a *Application) issuerAuthInCDOL2() bool {
	return dolHas(a.CDOL2, 0x91)
}

// String describes the application with its PAN masked and without its
// PIN or keys.
func (a Application) String() string {
	return fmt.Sprintf("application %X %q, PAN %s, %v, %v", a.AID, a.Label, emv.MaskPAN(a.PAN), a.CVN, a.ODA)
}

// String describes the profile without card data.
func (p Profile) String() string {
	return fmt.Sprintf("profile %q (%d applications)", p.Name, len(p.Applications))
}

// String describes the keys by size only.
func (k *Keys) String() string {
	if k == nil || k.CA == nil || k.Issuer == nil || k.ICC == nil {
		return "cardsim: incomplete keys"
	}
	s := fmt.Sprintf("cardsim: test keys under CA %v index %02X: CA %d, issuer %d, ICC %d bits", k.CAPK.RID, k.CAPK.Index, 8*k.CA.Len(), 8*k.Issuer.Len(), 8*k.ICC.Len())
	if k.PIN != nil {
		s += fmt.Sprintf(", ICC PIN %d bits", 8*k.PIN.Len())
	}
	return s
}
