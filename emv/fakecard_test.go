package emv

import (
	"bytes"
	crand "crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/pinblock"
	"github.com/posflow/posflow/tlv"
)

// This file holds a behavioural test double of a card: a Visa-like
// application whose records, certificates and cryptograms are computed
// with emv/oda and emv/issuer, with knobs for the faults the scenario
// tests need. It stands in for emv/cardsim in the package's own tests.

var testIMK = mustHexT("0123456789ABCDEFFEDCBA9876543210")

const testPIN = "1234"

var (
	testRID  = oda.RID{0xA0, 0x00, 0x00, 0x00, 0x03}
	testAID  = []byte{0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10}
	testPAN  = mustHexT("4761739001010119")
	testDate = time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)
)

func mustHexT(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func hexUpper(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

type testKeys struct {
	ca, issuer, icc *oda.PrivateKey
	capk            *oda.CAPK
}

var (
	keysOnce sync.Once
	keys     testKeys
)

// pki returns deterministic test keys: a 1024-bit CA key (index E1), an
// 896-bit issuer key and a 768-bit ICC key.
func pki(t testing.TB) testKeys {
	keysOnce.Do(func() {
		rnd := rand.NewChaCha8([32]byte{'p', 'o', 's', 'f', 'l', 'o', 'w'})
		var err error
		if keys.ca, err = oda.GenerateKey(rnd, 1024, 3); err != nil {
			panic(err)
		}
		if keys.issuer, err = oda.GenerateKey(rnd, 896, 3); err != nil {
			panic(err)
		}
		if keys.icc, err = oda.GenerateKey(rnd, 768, 3); err != nil {
			panic(err)
		}
		h := sha1.New()
		h.Write(testRID[:])
		h.Write([]byte{0xE1})
		h.Write(keys.ca.Modulus)
		h.Write(keys.ca.Exponent)
		if keys.capk, err = oda.NewCAPK(testRID, 0xE1, keys.ca.Modulus, keys.ca.Exponent, h.Sum(nil)); err != nil {
			panic(err)
		}
	})
	return keys
}

// profile is what the fake card is personalised with.
type profile struct {
	cvn                              issuer.CVN
	aip                              [2]byte
	oda                              odaMethod // which signatures the records carry
	cvmList                          []byte
	auc                              []byte
	version                          []byte
	effective                        []byte
	expiry                           []byte
	country                          []byte
	iacDenial, iacOnline, iacDefault []byte
	lower, upper                     byte // consecutive offline limits; 0 = absent
	pdol                             []byte
	ddol                             []byte
	cdol1                            []byte
	cdol2                            []byte
	priority                         byte
	extra                            []byte // more objects for record 1
	badSSAD                          bool
}

func defaultProfile() profile {
	return profile{
		cvn:        issuer.VisaCVN10,
		aip:        [2]byte{0x7C, 0x00}, // SDA, DDA, CVM, TRM, issuer auth
		oda:        odaDDA,
		cvmList:    mustHexT("00000000 00000000 4103 4203 1E03 1F03"),
		auc:        []byte{0xFF, 0x00},
		version:    []byte{0x00, 0x8C},
		effective:  []byte{0x20, 0x01, 0x01},
		expiry:     []byte{0x30, 0x12, 0x31},
		country:    []byte{0x08, 0x26},
		iacDenial:  mustHexT("0000000000"),
		iacOnline:  mustHexT("F850ACF800"),
		iacDefault: mustHexT("F850ACA000"),
		lower:      3,
		upper:      10,
		ddol:       mustHexT("9F3704"),
		cdol1:      mustHexT("9F02069F03069F1A0295055F2A029A039C019F37049F3501"),
		cdol2:      mustHexT("8A029F02069F03069F1A0295055F2A029A039C019F3704"),
	}
}

type fakeCard struct {
	t   testing.TB
	p   profile
	pan []byte
	psn []byte

	records map[[2]byte][]byte // SFI, record -> record
	afl     []byte
	static  []byte

	// state
	selected      bool
	atc           uint16
	lastOnlineATC uint16
	pinTries      byte
	genacs        int
	arqc          []byte
	extAuth       int // EXTERNAL AUTHENTICATE commands
	issuerAuthOK  bool
	pdolData      []byte
	cdol1Data     []byte
	challenge     []byte

	// knobs
	blocked       bool              // every SELECT answers 6A81
	appBlocked    bool              // SELECT of the AID answers 6283
	gpoSW         StatusWord        // GPO status other than 9000
	override      map[string]string // exact command hex -> response hex
	declineFirst  bool              // AAC at the first GENERATE AC
	onlineFirst   bool              // ARQC when a TC is asked for
	declineFinal  bool              // AAC at the second GENERATE AC
	noGetData     bool              // GET DATA answers 6A88
	failScriptINS byte              // script command answered 6985
	cdaCorrupt    bool              // flip a byte of the SDAD
	cda9F26       int               // CDA response with 9F26: 1 the cryptogram, 2 another
	firstCID      *CID              // the answer to the first GENERATE AC
	genacSW       StatusWord        // GENERATE AC status other than 9000
	pinKey        *rawRSA           // deciphers enciphered PINs
	iccPriv       *oda.PrivateKey   // replaces the test ICC key
	log           []string
}

func newFakeCard(t testing.TB, edit ...func(*profile)) *fakeCard {
	p := defaultProfile()
	for _, e := range edit {
		e(&p)
	}
	c := &fakeCard{t: t, p: p, pan: testPAN, psn: []byte{0x01}, atc: 0x0010, lastOnlineATC: 0x000E, pinTries: 3}
	c.personalise()
	return c
}

func tlvb(t tlv.Tag, v []byte) []byte {
	b, err := tlv.AppendTLV(nil, t, v)
	if err != nil {
		panic(err)
	}
	return b
}

func cat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

func (c *fakeCard) personalise() {
	k := pki(c.t)
	if c.iccPriv != nil {
		k.icc = c.iccPriv
	}
	p := c.p
	track2 := cat(c.pan, []byte{0xD3, 0x01, 0x22, 0x01, 0x00, 0x00, 0x0F})
	r1 := cat(
		tlvb(0x5A, c.pan), tlvb(0x5F34, c.psn), tlvb(0x5F24, p.expiry), tlvb(0x5F25, p.effective),
		tlvb(0x57, track2), tlvb(0x5F28, p.country), tlvb(0x9F07, p.auc), tlvb(0x9F08, p.version),
		tlvb(0x8C, p.cdol1), tlvb(0x8D, p.cdol2), tlvb(0x9F0D, p.iacDefault), tlvb(0x9F0E, p.iacDenial),
		tlvb(0x9F0F, p.iacOnline), tlvb(0x9F4A, []byte{0x82}), tlvb(0x9F42, []byte{0x09, 0x78}),
	)
	if p.cvmList != nil {
		r1 = append(r1, tlvb(0x8E, p.cvmList)...)
	}
	if p.lower != 0 {
		r1 = append(r1, tlvb(0x9F14, []byte{p.lower})...)
		r1 = append(r1, tlvb(0x9F23, []byte{p.upper})...)
	}
	r1 = append(r1, p.extra...)
	c.static = cat(r1, p.aip[:])
	icert, irem, err := oda.SignIssuerCertificate(k.ca, k.issuer.Public(), oda.IssuerCertTemplate{
		IssuerID: [4]byte{0x47, 0x61, 0x73, 0xFF}, Expiry: [2]byte{0x12, 0x30}, Serial: [3]byte{0, 0, 1}})
	if err != nil {
		c.t.Fatal(err)
	}
	r2 := cat(tlvb(0x8F, []byte{0xE1}), tlvb(0x90, icert), tlvb(0x9F32, k.issuer.Exponent))
	if irem != nil {
		r2 = append(r2, tlvb(0x92, irem)...)
	}
	switch p.oda {
	case odaSDA:
		ssad, err := oda.SignSSAD(k.issuer, [2]byte{0xDA, 0xC0}, c.static)
		if err != nil {
			c.t.Fatal(err)
		}
		if p.badSSAD {
			ssad[len(ssad)-1] ^= 1
		}
		r2 = append(r2, tlvb(0x93, ssad)...)
	case odaDDA, odaCDA:
		ccert, crem, err := oda.SignICCCertificate(k.issuer, k.icc.Public(), oda.ICCCertTemplate{
			PAN: c.pan, Expiry: [2]byte{0x12, 0x30}, Serial: [3]byte{0, 0, 2}}, c.static)
		if err != nil {
			c.t.Fatal(err)
		}
		r2 = append(r2, tlvb(0x9F46, ccert)...)
		r2 = append(r2, tlvb(0x9F47, k.icc.Exponent)...)
		if crem != nil {
			r2 = append(r2, tlvb(0x9F48, crem)...)
		}
		if p.ddol != nil {
			r2 = append(r2, tlvb(0x9F49, p.ddol)...)
		}
	}
	c.records = map[[2]byte][]byte{
		{1, 1}: tlvb(0x70, r1),
		{2, 1}: tlvb(0x70, r2),
	}
	c.afl = mustHexT("08010101 10010100")
}

func (c *fakeCard) fci() []byte {
	a5 := cat(tlvb(0x50, []byte("VISA CREDIT")))
	if c.p.priority != 0 {
		a5 = append(a5, tlvb(0x87, []byte{c.p.priority})...)
	}
	if c.p.pdol != nil {
		a5 = append(a5, tlvb(0x9F38, c.p.pdol)...)
	}
	return tlvb(0x6F, cat(tlvb(0x84, testAID), tlvb(0xA5, a5)))
}

func sw(s StatusWord) []byte { return []byte{s.SW1(), s.SW2()} }

func (c *fakeCard) Transmit(cmd []byte) ([]byte, error) {
	resp := c.transmit(cmd)
	c.log = append(c.log, hexUpper(cmd)+" -> "+hexUpper(resp))
	return resp, nil
}

func (c *fakeCard) transmit(cmd []byte) []byte {
	if r, ok := c.override[hexUpper(cmd)]; ok {
		return mustHexT(r)
	}
	if len(cmd) < 4 {
		return sw(SWWrongLength)
	}
	apdu, err := ParseCommand(cmd)
	if err != nil {
		return sw(SWWrongLength)
	}
	data := apdu.Data
	if c.blocked && cmd[1] == 0xA4 {
		return sw(SWFunctionNotSupported)
	}
	switch cmd[1] {
	case 0xA4: // SELECT
		if len(data) >= 5 && bytes.HasPrefix(testAID, data) && cmd[3] == 0 {
			c.selected = true
			if c.appBlocked {
				return append(c.fci(), sw(SWFileDeactivated)...)
			}
			return append(c.fci(), sw(SWSuccess)...)
		}
		return sw(SWFileNotFound)
	case 0xA8: // GET PROCESSING OPTIONS
		if c.gpoSW != 0 {
			return sw(c.gpoSW)
		}
		c.pdolData = data[2:]
		return append(tlvb(0x77, cat(tlvb(0x82, c.p.aip[:]), tlvb(0x94, c.afl))), sw(SWSuccess)...)
	case 0xB2: // READ RECORD
		r, ok := c.records[[2]byte{cmd[3] >> 3, cmd[2]}]
		if !ok {
			return sw(SWRecordNotFound)
		}
		return append(bytes.Clone(r), sw(SWSuccess)...)
	case 0xCA: // GET DATA
		if c.noGetData {
			return sw(SWReferencedDataNotFound)
		}
		switch uint16(cmd[2])<<8 | uint16(cmd[3]) {
		case 0x9F36:
			return cat(mustHexT("9F3602"), binary.BigEndian.AppendUint16(nil, c.atc), sw(SWSuccess))
		case 0x9F13:
			return cat(mustHexT("9F1302"), binary.BigEndian.AppendUint16(nil, c.lastOnlineATC), sw(SWSuccess))
		case 0x9F17:
			return cat(mustHexT("9F1701"), []byte{c.pinTries}, sw(SWSuccess))
		}
		return sw(SWReferencedDataNotFound)
	case 0x84: // GET CHALLENGE
		c.challenge = mustHexT("1122334455667788")
		return append(bytes.Clone(c.challenge), sw(SWSuccess)...)
	case 0x20: // VERIFY
		return c.verify(cmd[3], data)
	case 0x88: // INTERNAL AUTHENTICATE
		sdad, err := oda.SignDDA(c.icc(), []byte{0x12, 0x34}, data)
		if err != nil {
			c.t.Fatal(err)
		}
		return append(tlvb(0x80, sdad), sw(SWSuccess)...)
	case 0xAE:
		if c.genacSW != 0 {
			return sw(c.genacSW)
		}
		return c.generateAC(cmd[2], data)
	case 0x82: // EXTERNAL AUTHENTICATE
		c.extAuth++
		if c.extAuth > 1 {
			return sw(SWConditionsNotSatisfied)
		}
		if c.checkARPC(data) {
			c.issuerAuthOK = true
			return sw(SWSuccess)
		}
		return sw(0x6300)
	}
	if cmd[0] == 0x84 { // script commands
		if cmd[1] == c.failScriptINS {
			return sw(SWConditionsNotSatisfied)
		}
		return sw(SWSuccess)
	}
	return sw(SWInstructionNotSupported)
}

func (c *fakeCard) verify(p2 byte, data []byte) []byte {
	if c.pinTries == 0 {
		return sw(SWAuthMethodBlocked)
	}
	var block []byte
	switch p2 {
	case 0x80:
		block = data
	case 0x88:
		// Decipher with the ICC private key: the test keeps it in
		// encPINKey.
		if c.pinKey == nil {
			return sw(SWReferencedDataInvalid)
		}
		x := new(big.Int).Exp(new(big.Int).SetBytes(data), c.pinKey.d, c.pinKey.n).FillBytes(make([]byte, len(data)))
		if x[0] != 0x7F || !bytes.Equal(x[9:17], c.challenge) {
			return sw(SWReferencedDataInvalid)
		}
		block = x[1:9]
	}
	want, _ := pinblock.Encode(pinblock.ISO2, testPIN, "")
	if bytes.Equal(block, want) {
		c.pinTries = 3
		return sw(SWSuccess)
	}
	c.pinTries--
	return sw(0x63C0 | StatusWord(c.pinTries))
}

type rawRSA struct{ n, d *big.Int }

func (c *fakeCard) cardData(dol, data []byte) map[tlv.Tag][]byte {
	m := map[tlv.Tag][]byte{}
	entries, err := ParseDOL(dol)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, e := range entries {
		if len(data) < e.Length {
			c.t.Fatalf("DOL data too short")
		}
		m[e.Tag] = data[:e.Length]
		data = data[e.Length:]
	}
	return m
}

func (c *fakeCard) iad() []byte {
	if c.p.cvn == issuer.VisaCVN18 {
		return mustHexT("06011203A0B800")
	}
	return mustHexT("06010A03A00000")
}

func (c *fakeCard) generateAC(p1 byte, data []byte) []byte {
	c.genacs++
	first := c.genacs == 1
	var dol []byte
	if first {
		dol = c.p.cdol1
		c.cdol1Data = bytes.Clone(data)
		c.atc++
	} else if c.genacs == 2 {
		dol = c.p.cdol2
	} else {
		return sw(SWConditionsNotSatisfied)
	}
	m := c.cardData(dol, data)
	want := CID(p1 & 0xC0)
	cid := want
	switch {
	case first && c.firstCID != nil:
		cid = *c.firstCID
	case first && c.declineFirst:
		cid = AAC
	case first && c.onlineFirst && want == TC:
		cid = ARQC
	case !first && c.declineFinal:
		cid = AAC
	case !first && want == TC && c.p.cvn == issuer.VisaCVN18:
		if !c.checkARPC(m[0x91]) {
			cid = AAC
		}
	}
	if !first && c.genacs == 2 && cid == TC {
		c.lastOnlineATC = c.atc
	}
	atc := binary.BigEndian.AppendUint16(nil, c.atc)
	m[0x82] = c.p.aip[:]
	m[0x9F36] = atc
	m[0x9F10] = c.iad()
	if _, ok := m[0x9F37]; !ok {
		m[0x9F37] = make([]byte, 4)
	}
	for _, t := range []tlv.Tag{0x9F02, 0x9F03, 0x9F1A, 0x95, 0x5F2A, 0x9A, 0x9C} {
		if _, ok := m[t]; !ok {
			c.t.Fatalf("CDOL without %X", uint32(t))
		}
	}
	ac, err := issuer.Cryptogram(c.p.cvn, testIMK, panDigits(c.pan), "01", m)
	if err != nil {
		c.t.Fatal(err)
	}
	if cid.Type() == ARQC {
		c.arqc = ac
	}
	if p1&RequestCDA != 0 && cid.Type() != AAC {
		body := cat(tlvb(0x9F27, []byte{byte(cid)}), tlvb(0x9F36, atc), tlvb(0x9F10, c.iad()))
		switch c.cda9F26 {
		case 1:
			body = append(body, tlvb(0x9F26, ac)...)
		case 2:
			body = append(body, tlvb(0x9F26, make([]byte, 8))...)
		}
		d := oda.CDA{UN: m[0x9F37], PDOLData: c.pdolData, CDOL1Data: c.cdol1Data, Response: tlvb(0x77, body)}
		if !first {
			d.CDOL2Data = data
		}
		sdad, err := oda.SignCDA(c.icc(), []byte{0xAB, 0xCD, 0xEF, 0x01}, byte(cid), ac, d)
		if err != nil {
			c.t.Fatal(err)
		}
		if c.cdaCorrupt {
			sdad[10] ^= 0xFF
		}
		return append(tlvb(0x77, cat(body, tlvb(0x9F4B, sdad))), sw(SWSuccess)...)
	}
	return append(tlvb(0x80, cat([]byte{byte(cid)}, atc, ac, c.iad())), sw(SWSuccess)...)
}

func (c *fakeCard) checkARPC(iad []byte) bool {
	if c.arqc == nil || len(iad) < 8 {
		return false
	}
	m := map[tlv.Tag][]byte{0x9F36: binary.BigEndian.AppendUint16(nil, c.atc)}
	var arpc, code []byte
	if c.p.cvn.ARPCMethod() == 2 {
		arpc, code = iad[:4], iad[4:8]
	} else {
		arpc, code = iad[:8], iad[8:]
	}
	want, err := issuer.ARPC(c.p.cvn, testIMK, panDigits(c.pan), "01", m, c.arqc, code)
	return err == nil && bytes.Equal(want, arpc)
}

func tlvCursor(b []byte) tlv.Cursor { return tlv.NewCursor(b) }

func tlvTag(t uint32) tlv.Tag { return tlv.Tag(t) }

func (c *fakeCard) icc() *oda.PrivateKey {
	if c.iccPriv != nil {
		return c.iccPriv
	}
	return pki(c.t).icc
}

// rawKey makes a 768-bit RSA key with exponent 65537 whose private
// exponent the fake card can use to decipher PINs.
func rawKey(t testing.TB) (*rawRSA, *oda.PrivateKey) {
	for {
		p, err := crand.Prime(crand.Reader, 384)
		if err != nil {
			t.Fatal(err)
		}
		q, err := crand.Prime(crand.Reader, 384)
		if err != nil {
			t.Fatal(err)
		}
		n := new(big.Int).Mul(p, q)
		one := big.NewInt(1)
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(big.NewInt(65537), phi)
		if n.BitLen() != 768 || d == nil {
			continue
		}
		rk := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
		rk.Precompute()
		priv, err := oda.NewPrivateKey(rk)
		if err != nil {
			t.Fatal(err)
		}
		return &rawRSA{n: n, d: d}, priv
	}
}
