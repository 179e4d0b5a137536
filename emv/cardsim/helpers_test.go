package cardsim

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/tlv"
)

// Keys are generated once per test binary: a few tens of milliseconds
// each, more under the race detector.
var (
	visaKeys = sync.OnceValues(func() (*Keys, error) { return SeededKeys(1, visaRID) })
	mcKeys   = sync.OnceValues(func() (*Keys, error) { return SeededKeys(2, mastercardRID) })
)

func testKeys(t testing.TB, cvn issuer.CVN) *Keys {
	t.Helper()
	f := visaKeys
	if cvn >= issuer.MastercardCVN16 {
		f = mcKeys
	}
	k, err := f()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func presetProfile(t testing.TB, p Preset, mode ODAMode) *Profile {
	t.Helper()
	prof, err := p.New(mode, Options{Keys: testKeys(t, p.CVN)})
	if err != nil {
		t.Fatal(err)
	}
	return prof
}

func seeded(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	return rand.NewChaCha8(s)
}

func newCard(t testing.TB, p *Profile, cfg Config) *Card {
	t.Helper()
	if cfg.Rand == nil {
		cfg.Rand = seeded(7)
	}
	c, err := New(p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// term is a minimal terminal for the tests: it sends commands through
// emv.Transport and keeps the data objects it has read.
type term struct {
	t      testing.TB
	tr     emv.Transport
	card   *Card
	data   map[tlv.Tag][]byte // card and terminal data
	pdol   []byte
	static []byte
}

func newTerm(t testing.TB, c *Card, t0 bool) *term {
	x := &term{t: t, tr: emv.Transport{Card: c, T0: t0}, card: c, data: map[tlv.Tag][]byte{}}
	for tag, v := range map[tlv.Tag][]byte{
		0x9F02: unhex("000000001500"),
		0x9F03: unhex("000000000000"),
		0x9F1A: unhex("0840"),
		0x95:   unhex("0000000000"),
		0x5F2A: unhex("0840"),
		0x9A:   unhex("260115"),
		0x9C:   {0x00},
		0x9F37: unhex("A1B2C3D4"),
		0x9F35: {0x22},
		0x9F34: unhex("1F0302"),
	} {
		x.data[tag] = v
	}
	return x
}

func (x *term) ex(c emv.Command) emv.Response {
	x.t.Helper()
	r, err := x.tr.Exchange(c)
	if err != nil {
		x.t.Fatalf("exchange %02X %02X: %v", c.CLA, c.INS, err)
	}
	return r
}

func (x *term) must(c emv.Command) []byte {
	x.t.Helper()
	r := x.ex(c)
	if !r.SW.OK() {
		x.t.Fatalf("command %02X %02X %02X %02X: %v", c.CLA, c.INS, c.P1, c.P2, r.SW)
	}
	return r.Data
}

func (x *term) value(t tlv.Tag) ([]byte, bool) {
	v, ok := x.data[t]
	return v, ok
}

// collect stores the primitive objects of a response.
func (x *term) collect(b []byte) {
	x.t.Helper()
	tree, err := tlv.Decode(b)
	if err != nil {
		x.t.Fatalf("response %X: %v", b, err)
	}
	var walk func([]tlv.TLV)
	walk = func(ts []tlv.TLV) {
		for _, o := range ts {
			if o.Constructed() {
				walk(o.Children)
				continue
			}
			x.data[o.Tag] = o.Value
		}
	}
	walk(tree)
}

// start selects the application, gets processing options and reads the
// records, collecting the static data to be authenticated.
func (x *term) start(aid []byte) {
	x.t.Helper()
	x.collect(x.must(emv.Select(aid, false)))
	x.pdol, _ = emv.AppendDOLData(nil, x.data[0x9F38], x.value)
	r := x.must(emv.GetProcessingOptions(x.pdol))
	if r[0] == 0x80 {
		o, _ := tlv.DecodeOne(r)
		x.data[0x82] = o.Value[:2]
		x.data[0x94] = o.Value[2:]
	} else {
		x.collect(r)
	}
	entries, err := emv.ParseAFL(x.data[0x94])
	if err != nil {
		x.t.Fatal(err)
	}
	for _, e := range entries {
		for rec := e.First; rec <= e.Last; rec++ {
			b := x.must(emv.ReadRecord(e.SFI, rec))
			if rec-e.First < e.ODA {
				o, err := tlv.DecodeOne(b)
				if err != nil {
					x.t.Fatal(err)
				}
				x.static = append(x.static, o.Value...)
			}
			x.collect(b)
		}
	}
	if bytes.Equal(x.data[0x9F4A], []byte{0x82}) {
		x.static = append(x.static, x.data[0x82]...)
	}
}

// genac is a parsed GENERATE AC response.
type genac struct {
	raw  []byte
	cid  emv.CID
	atc  []byte
	ac   []byte
	iad  []byte
	sdad []byte
}

func parseGenAC(t testing.TB, b []byte) genac {
	t.Helper()
	g := genac{raw: b}
	o, err := tlv.DecodeOne(b)
	if err != nil {
		t.Fatalf("GENERATE AC response %X: %v", b, err)
	}
	if o.Tag == 0x80 {
		v := o.Value
		g.cid, g.atc, g.ac, g.iad = emv.CID(v[0]), v[1:3], v[3:11], v[11:]
		return g
	}
	for _, c := range o.Children {
		switch c.Tag {
		case 0x9F27:
			g.cid = emv.CID(c.Value[0])
		case 0x9F36:
			g.atc = c.Value
		case 0x9F26:
			g.ac = c.Value
		case 0x9F10:
			g.iad = c.Value
		case 0x9F4B:
			g.sdad = c.Value
		}
	}
	return g
}

// cryptogramData returns the data objects issuer verification needs.
func (x *term) cryptogramData(g genac) map[tlv.Tag][]byte {
	d := map[tlv.Tag][]byte{}
	for k, v := range x.data {
		d[k] = v
	}
	d[0x9F36], d[0x9F10] = g.atc, g.iad
	return d
}

func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// sdadOf returns the signed dynamic application data of an INTERNAL
// AUTHENTICATE response in format 1 or 2.
func sdadOf(t testing.TB, r []byte) []byte {
	t.Helper()
	o, err := tlv.DecodeOne(r)
	if err != nil {
		t.Fatal(err)
	}
	if o.Tag == 0x77 {
		f, err := tlv.Find(r, 0x9F4B)
		if err != nil {
			t.Fatal(err)
		}
		return f.Value
	}
	return o.Value
}
