package cardsim

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
)

// Options are the choices of a ready-made profile.
type Options struct {
	// Seed makes the keys: the same seed gives the same keys, certificates
	// and signatures (with the same Config.Rand) on every run.
	Seed uint64
	// Keys are used instead of generating keys from Seed, so that tests
	// that build many profiles generate keys once (see SeededKeys). Their
	// CA key must be under the RID of the profile's AID.
	Keys *Keys
	// RID moves the AIDs and the CA key under another RID, such as a
	// private one; the zero RID keeps the scheme's (A000000003 Visa,
	// A000000004 Mastercard). emv/issuer's cryptogram version detection
	// (issuer.Verify, issuer.ParseIAD) knows only the scheme RIDs;
	// issuer.VerifyCryptogram with the profile's CVN works with any.
	RID oda.RID
}

// Test issuer master keys of the ready-made profiles. IMK is the issuer
// master key of the pyemv and EMV test vectors; the secure messaging keys
// are made up. They are public test keys: never personalise a real card
// with them.
var (
	TestIMK    = mustHex("0123456789ABCDEFFEDCBA9876543210")
	TestIMKSMI = mustHex("4C8FA23D9B1E5A7001F2E3D4C5B6A798")
	TestIMKSMC = mustHex("9D2C4B6A8E0F1325476980ABCDEF1032")
)

// TestPIN is the offline PIN of the ready-made profiles.
const TestPIN = "1234"

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// SeededKeys generates the keys of a ready-made profile from seed under
// rid (a ChaCha8 stream keyed by the seed drives the prime search), with
// a separate ICC PIN encipherment key. Generating keys takes tens of
// milliseconds; share them between profiles with Options.Keys.
func SeededKeys(seed uint64, rid oda.RID) (*Keys, error) {
	var s [32]byte
	binary.BigEndian.PutUint64(s[:], seed)
	copy(s[8:], "posflow cardsim keys")
	return GenerateKeys(KeyConfig{Rand: rand.NewChaCha8(s), RID: rid, PINKey: true})
}

// Scheme RIDs.
var (
	visaRID       = oda.RID{0xA0, 0x00, 0x00, 0x00, 0x03}
	mastercardRID = oda.RID{0xA0, 0x00, 0x00, 0x00, 0x04}
)

// A Preset is a ready-made profile: a scheme's cryptogram version with
// its usual data objects, in each ODA mode.
type Preset struct {
	Name string
	CVN  issuer.CVN
	New  func(mode ODAMode, o Options) (*Profile, error)
}

// Presets returns the ready-made profiles: Visa CVN 10 and 18, Mastercard
// CVN 16 and 20.
func Presets() []Preset {
	return []Preset{
		{"Visa CVN 10", issuer.VisaCVN10, VisaCVN10},
		{"Visa CVN 18", issuer.VisaCVN18, VisaCVN18},
		{"Mastercard CVN 16", issuer.MastercardCVN16, MastercardCVN16},
		{"Mastercard CVN 20", issuer.MastercardCVN20, MastercardCVN20},
	}
}

// Data object lists of the ready-made profiles, as VSDC and M/Chip cards
// carry them.
var (
	// CDOL1: amount, other amount, country, TVR, currency, date, type,
	// unpredictable number, terminal type, DAC, ICC dynamic number, CVM
	// results.
	cdol1 = mustHex("9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F3403")
	// VSDC CDOL2 with EXTERNAL AUTHENTICATE: ARC and the CDOL1 data the
	// cryptogram covers.
	visaCDOL2 = mustHex("8A029F02069F03069F1A0295055F2A029A039C019F3704")
	// VSDC CDOL2 carrying the ARPC of method 2 (ARPC ‖ CSU).
	visaCDOL2ARPC = mustHex("8A0291089F02069F03069F1A0295055F2A029A039C019F3704")
	// M/Chip CDOL2: issuer authentication data, ARC, TVR, UN, IDN.
	mastercardCDOL2 = mustHex("910A8A0295059F37049F4C08")
	ddol            = mustHex("9F3704")
	visaPDOL        = mustHex("9F1A025F2A02")
)

func keysFor(o Options, scheme oda.RID, mode ODAMode) (*Keys, oda.RID, error) {
	rid := scheme
	if o.RID != (oda.RID{}) {
		rid = o.RID
	}
	if mode == NoODA {
		return nil, rid, nil
	}
	if o.Keys != nil {
		return o.Keys, rid, nil
	}
	k, err := SeededKeys(o.Seed, rid)
	return k, rid, err
}

func aid(rid oda.RID, pix ...byte) []byte {
	return append(rid[:], pix...)
}

func cvmList(mode ODAMode, rules ...emv.CVRule) emv.CVMList {
	var l emv.CVMList
	for _, r := range rules {
		if mode == NoODA && (r.Code == emv.CVMEncipheredPINOffline || r.Code == emv.CVMEncipheredPINOfflineAndSignature) {
			continue
		}
		l.Rules = append(l.Rules, r)
	}
	return l
}

func visa(cvn issuer.CVN, mode ODAMode, o Options) (*Profile, error) {
	k, rid, err := keysFor(o, visaRID, mode)
	if err != nil {
		return nil, err
	}
	a := Application{
		AID:              aid(rid, 0x10, 0x10),
		Label:            "VISA CREDIT",
		PreferredName:    "CARDSIM VISA",
		Priority:         1,
		Language:         "en",
		PAN:              "4761739001010119",
		PSN:              "01",
		Expiry:           "301231",
		Effective:        "240101",
		ServiceCode:      "201",
		CardholderName:   "CARDSIM/VISA TEST",
		Discretionary:    "10000123",
		AUC:              emv.AUC{0xFF, 0x00},
		Version:          [2]byte{0x00, 0x96},
		Currency:         [2]byte{0x08, 0x40},
		CurrencyExponent: 2,
		Country:          [2]byte{0x08, 0x40},
		CVMList: cvmList(mode,
			emv.CVRule{Code: emv.CVMEncipheredPINOffline, ApplySucceeding: true, Condition: emv.CondTerminalSupportsCVM},
			emv.CVRule{Code: emv.CVMPlaintextPIN, ApplySucceeding: true, Condition: emv.CondTerminalSupportsCVM},
			emv.CVRule{Code: emv.CVMEncipheredPINOnline, ApplySucceeding: true, Condition: emv.CondTerminalSupportsCVM},
			emv.CVRule{Code: emv.CVMSignature, ApplySucceeding: true, Condition: emv.CondTerminalSupportsCVM},
			emv.CVRule{Code: emv.CVMNoCVMRequired, Condition: emv.CondTerminalSupportsCVM},
		),
		IAC: &IACs{
			Default: emv.TVR{0xDC, 0x40, 0x00, 0xA8, 0x00},
			Denial:  emv.TVR{0x00, 0x10, 0x00, 0x00, 0x00},
			Online:  emv.TVR{0xDC, 0x40, 0x04, 0xF8, 0x00},
		},
		CDOL1:      cdol1,
		CDOL2:      visaCDOL2,
		DDOL:       ddol,
		LCOL:       3,
		UCOL:       5,
		LogRecords: 10,
		CVN:        cvn,
		DKI:        0x01,
		IMK:        TestIMK,
		IMKSMI:     TestIMKSMI,
		IMKSMC:     TestIMKSMC,
		ODA:        mode,
		Keys:       k,
		PIN:        TestPIN,
		ATC:        0x0010,
		LastOnline: 0x000E,
	}
	if cvn == issuer.VisaCVN18 {
		a.Label = "VISA DEBIT"
		a.PAN = "4761739001010127"
		a.PDOL = visaPDOL
		a.CDOL2 = visaCDOL2ARPC
	}
	if mode == NoODA {
		a.Keys = nil
	}
	return &Profile{Name: "Visa " + cvn.String()[5:] + " " + mode.String(), PSE: true, Applications: []Application{a}}, nil
}

func mastercard(cvn issuer.CVN, mode ODAMode, o Options) (*Profile, error) {
	k, rid, err := keysFor(o, mastercardRID, mode)
	if err != nil {
		return nil, err
	}
	a := Application{
		AID:              aid(rid, 0x10, 0x10),
		Label:            "MASTERCARD",
		Priority:         1,
		Language:         "en",
		PAN:              "5413330089020011",
		PSN:              "00",
		Expiry:           "301231",
		Effective:        "240101",
		ServiceCode:      "201",
		CardholderName:   "CARDSIM/MASTERCARD",
		Discretionary:    "09750000",
		AUC:              emv.AUC{0xFF, 0x00},
		Version:          [2]byte{0x00, 0x02},
		Currency:         [2]byte{0x09, 0x78},
		CurrencyExponent: 2,
		Country:          [2]byte{0x02, 0x76},
		CVMList: cvmList(mode,
			emv.CVRule{Code: emv.CVMEncipheredPINOffline, ApplySucceeding: true, Condition: emv.CondTerminalSupportsCVM},
			emv.CVRule{Code: emv.CVMPlaintextPIN, ApplySucceeding: true, Condition: emv.CondTerminalSupportsCVM},
			emv.CVRule{Code: emv.CVMSignature, ApplySucceeding: true, Condition: emv.CondTerminalSupportsCVM},
			emv.CVRule{Code: emv.CVMNoCVMRequired, Condition: emv.CondTerminalSupportsCVM},
		),
		IAC: &IACs{
			Default: emv.TVR{0xF4, 0x50, 0x84, 0x80, 0x0C},
			Denial:  emv.TVR{0x00, 0x00, 0x00, 0x00, 0x00},
			Online:  emv.TVR{0xF4, 0x50, 0x84, 0x98, 0x0C},
		},
		CDOL1:              cdol1,
		CDOL2:              mastercardCDOL2,
		DDOL:               ddol,
		LCOL:               5,
		UCOL:               10,
		Format2:            true,
		CVN:                cvn,
		DKI:                0x01,
		IMK:                TestIMK,
		IMKSMI:             TestIMKSMI,
		IMKSMC:             TestIMKSMC,
		IssuerAuthRequired: true,
		ODA:                mode,
		Keys:               k,
		PIN:                TestPIN,
		ATC:                0x0020,
		LastOnline:         0x001F,
	}
	if cvn == issuer.MastercardCVN20 {
		a.Label = "DEBIT MASTERCARD"
		a.PAN = "5413330089020029"
	}
	if mode == NoODA {
		a.Keys = nil
	} else {
		// M/Chip cards decipher the PIN with the ICC key.
		kk := *k
		kk.PIN = nil
		a.Keys = &kk
	}
	return &Profile{Name: cvn.String() + " " + mode.String(), PSE: true, Applications: []Application{a}}, nil
}

// VisaCVN10 returns a VSDC profile with cryptogram version 10: ARPC method
// 1 under the ICC master key checked by EXTERNAL AUTHENTICATE, responses in
// format 1, no PDOL, offline plaintext and enciphered PIN (with a separate
// ICC PIN encipherment key), consecutive offline limits 3 and 5, a
// transaction log, and the PSE.
func VisaCVN10(mode ODAMode, o Options) (*Profile, error) { return visa(issuer.VisaCVN10, mode, o) }

// VisaCVN18 returns a VSDC profile with cryptogram version 18 (option B,
// common session key, whole IAD in the cryptogram): a PDOL (terminal
// country and currency), and the ARPC of method 2 (ARPC ‖ CSU) in the
// CDOL2 data instead of EXTERNAL AUTHENTICATE.
func VisaCVN18(mode ODAMode, o Options) (*Profile, error) { return visa(issuer.VisaCVN18, mode, o) }

// MastercardCVN16 returns an M/Chip profile with cryptogram version 16
// (SKD session key): responses in format 2, the ARPC (method 1 under the
// ICC master key) in the CDOL2 data, the enciphered PIN under the ICC key,
// and IssuerAuthRequired: a failed issuer authentication declines.
func MastercardCVN16(mode ODAMode, o Options) (*Profile, error) {
	return mastercard(issuer.MastercardCVN16, mode, o)
}

// MastercardCVN20 is MastercardCVN16 with cryptogram version 20 (EMV common
// session key; ARPC under it).
func MastercardCVN20(mode ODAMode, o Options) (*Profile, error) {
	return mastercard(issuer.MastercardCVN20, mode, o)
}

// BlockedApplication returns the Visa CVN 10 SDA profile with its
// application blocked: SELECT answers 6283 with the FCI.
func BlockedApplication(o Options) (*Profile, error) {
	return edge(o, "blocked application", func(p *Profile) { p.Applications[0].Blocked = true })
}

// BlockedCard returns the Visa CVN 10 SDA profile on a blocked card: every
// SELECT answers 6A81.
func BlockedCard(o Options) (*Profile, error) {
	return edge(o, "blocked card", func(p *Profile) { p.CardBlocked = true })
}

// ExpiredCard returns the Visa CVN 10 SDA profile expired on 31 January
// 2020. The card does not check dates itself; the terminal's processing
// restrictions must.
func ExpiredCard(o Options) (*Profile, error) {
	return edge(o, "expired card", func(p *Profile) {
		p.Applications[0].Expiry, p.Applications[0].Effective = "200131", "170101"
	})
}

// NotYetEffective returns the Visa CVN 10 SDA profile effective from 1
// January 2049.
func NotYetEffective(o Options) (*Profile, error) {
	return edge(o, "not yet effective", func(p *Profile) { p.Applications[0].Effective = "490101" })
}

// PINTriesExhausted returns the Visa CVN 10 SDA profile whose PIN try
// counter is 0: VERIFY answers 6983 and GET DATA 9F17 gives 00.
func PINTriesExhausted(o Options) (*Profile, error) {
	return edge(o, "PIN tries exhausted", func(p *Profile) { p.Applications[0].PINTriesUsed = 3 })
}

// TwoApplications returns a Visa card with two applications for
// application selection: VISA DEBIT (A0000000032010, priority 1,
// cardholder confirmation required) and VISA CREDIT (A0000000031010,
// priority 2), both Visa CVN 10 SDA, in the PSE in that order.
func TwoApplications(o Options) (*Profile, error) {
	return edge(o, "two applications", func(p *Profile) {
		credit := p.Applications[0]
		credit.Priority = 2
		debit := credit
		debit.AID = append(append([]byte(nil), credit.AID[:5]...), 0x20, 0x10)
		debit.Label, debit.PreferredName = "VISA DEBIT", "CARDSIM DEBIT"
		debit.Priority, debit.ConfirmationRequired = 1, true
		debit.PAN = "4761739001010010"
		p.Applications = []Application{debit, credit}
	})
}

func edge(o Options, name string, f func(*Profile)) (*Profile, error) {
	p, err := VisaCVN10(SDA, o)
	if err != nil {
		return nil, err
	}
	f(p)
	p.Name += ", " + name
	return p, nil
}
