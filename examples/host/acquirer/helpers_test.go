package acquirer_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/pinblock"
	"github.com/posflow/posflow/tlv"
)

// testNow is the clock of every test host and terminal.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// seededRand is a deterministic source for Config.Rand.
type seededRand struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func newRand(seed byte) *seededRand {
	var s [32]byte
	s[0] = seed
	return &seededRand{r: rand.NewChaCha8(s)}
}

func (r *seededRand) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.Read(p)
}

// logBuffer collects the host's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type testHost struct {
	*acquirer.Host
	logs *logBuffer
	addr string
}

// startHost starts a host with the seed configuration, modified by mod,
// on a free loopback port, and stops it at the end of the test.
func startHost(t testing.TB, mod func(*acquirer.Config)) *testHost {
	t.Helper()
	cfg := seedConfig(t)
	logs := &logBuffer{}
	cfg.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Time = func() time.Time { return testNow }
	cfg.Rand = newRand(1)
	if mod != nil {
		mod(cfg)
	}
	h, err := acquirer.New(*cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- h.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := h.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; err != iso8583.ErrServerClosed {
			t.Errorf("Serve = %v, want ErrServerClosed", err)
		}
	})
	return &testHost{Host: h, logs: logs, addr: ln.Addr().String()}
}

// terminal is a test POS: an ISO 8583 client signing with the terminal's
// MAC key, and a TDES DUKPT PIN pad.
type terminal struct {
	t      testing.TB
	id     string
	client *iso8583.Client
	pinpad *dukpt.TDESDevice
	stan   int
	tick   int
}

func newTerminal(t testing.TB, h *testHost, id string) *terminal {
	t.Helper()
	tm := &terminal{t: t, id: id}
	cfg := iso8583.ClientConfig{Addr: h.addr, Time: func() time.Time { return testNow }, RetryInterval: time.Hour,
		Rand: newRand(2)}
	if k := testMACKey[id]; k != nil {
		mk, err := iso8583.RetailMAC(k)
		if err != nil {
			t.Fatal(err)
		}
		cfg.MAC = mk
	}
	tm.client = iso8583.NewClient(cfg)
	t.Cleanup(func() { tm.client.Close() })
	iksn, err := dukpt.ParseKSN(mustHex("FFFF9876543210E00000"))
	if err != nil {
		t.Fatal(err)
	}
	ik, err := dukpt.TDESInitialKey(testBDK, iksn[:])
	if err != nil {
		t.Fatal(err)
	}
	if tm.pinpad, err = dukpt.NewTDESDevice(ik, iksn); err != nil {
		t.Fatal(err)
	}
	return tm
}

// next returns a fresh STAN and transmission time.
func (tm *terminal) next() (stan, transmitted string) {
	tm.stan++
	tm.tick++
	return fmt.Sprintf("%06d", tm.stan), iso8583.TransmissionTime(testNow.Add(time.Duration(tm.tick) * time.Second))
}

// pinBlock enciphers pin for pan under the PIN pad's next DUKPT key and
// returns the block and the KSN.
func (tm *terminal) pinBlock(pin, pan string) ([]byte, []byte) {
	tx, err := tm.pinpad.Next()
	if err != nil {
		tm.t.Fatal(err)
	}
	defer tx.Clear()
	b, err := tx.EncryptPIN(pinblock.ISO0, pin, pan)
	if err != nil {
		tm.t.Fatal(err)
	}
	ksn := tx.KSN()
	return b, ksn[:]
}

func (tm *terminal) send(m *iso8583.Message) *iso8583.Message {
	tm.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := tm.client.Send(ctx, m)
	if err != nil {
		tm.t.Fatalf("Send %s: %v", m.MTI, err)
	}
	return resp
}

// purchase is an 0200 of amount with card data from c (chip) or pan alone
// (magnetic stripe, when c is nil), and an online PIN when pin is set.
type purchase struct {
	pan    string
	expiry string
	amount int64
	pin    string
	chip   *chipCard
	proc   string
}

func (tm *terminal) financial(p purchase) (*iso8583.Message, *iso8583.Message) {
	tm.t.Helper()
	stan, tt := tm.next()
	if p.proc == "" {
		p.proc = "000000"
	}
	if p.expiry == "" {
		p.expiry = "3012"
	}
	tx := iso8583.Transaction{PAN: p.pan, ProcessingCode: p.proc, Amount: p.amount, Transmitted: tt, STAN: stan,
		Expiry: p.expiry, EntryMode: "901", TerminalID: tm.id, MerchantID: "000000000000001", Currency: "978"}
	if p.pin != "" {
		tx.PINBlock, tx.SecurityControl = tm.pinBlock(p.pin, p.pan)
		tx.EntryMode = "051"
	}
	if p.chip != nil {
		tx.ICC = p.chip.arqc(tm.t, p.amount)
		tx.CardSequence = "0" + p.chip.app.PSN
		if tx.EntryMode == "901" {
			tx.EntryMode = "052"
		}
	}
	m, err := (&iso8583.FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		tm.t.Fatal(err)
	}
	return m, tm.send(m)
}

// chipCard is a cardsim card the tests run a first GENERATE AC on.
type chipCard struct {
	card   *cardsim.Card
	app    cardsim.Application
	values map[tlv.Tag][]byte // the terminal's data of the last transaction
}

var (
	keysOnce sync.Once
	visaKeys *cardsim.Keys
	mcKeys   *cardsim.Keys
)

func cardKeys(t testing.TB) (visa, mc *cardsim.Keys) {
	keysOnce.Do(func() {
		var err error
		if visaKeys, err = cardsim.SeededKeys(1, [5]byte{0xA0, 0, 0, 0, 0x03}); err != nil {
			panic(err)
		}
		if mcKeys, err = cardsim.SeededKeys(2, [5]byte{0xA0, 0, 0, 0, 0x04}); err != nil {
			panic(err)
		}
	})
	return visaKeys, mcKeys
}

// newChip personalises a card of profile (with its PAN replaced by pan
// unless empty).
func newChip(t testing.TB, profile func(cardsim.ODAMode, cardsim.Options) (*cardsim.Profile, error), pan string) *chipCard {
	t.Helper()
	visa, mc := cardKeys(t)
	o := cardsim.Options{Keys: visa}
	p, err := profile(cardsim.NoODA, o)
	if err != nil {
		o.Keys = mc
		if p, err = profile(cardsim.NoODA, o); err != nil {
			t.Fatal(err)
		}
	}
	if pan != "" {
		p.Applications[0].PAN = pan
	}
	c, err := cardsim.New(p, cardsim.Config{Rand: newRand(3)})
	if err != nil {
		t.Fatal(err)
	}
	return &chipCard{card: c, app: p.Applications[0]}
}

func (c *chipCard) exchange(t testing.TB, cmd emv.Command) []byte {
	t.Helper()
	apdu, err := emv.AppendCommand(nil, cmd)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.card.Transmit(apdu)
	if err != nil {
		t.Fatal(err)
	}
	if len(r) < 2 || r[len(r)-2] != 0x90 || r[len(r)-1] != 0 {
		t.Fatalf("card answered %X to %X", r[max(0, len(r)-2):], apdu[:4])
	}
	return r[:len(r)-2]
}

// arqc runs SELECT, GET PROCESSING OPTIONS and a first GENERATE AC asking
// for an ARQC, and returns field 55 as a terminal builds it.
func (c *chipCard) arqc(t testing.TB, amount int64) []byte {
	t.Helper()
	values := map[tlv.Tag][]byte{
		0x9F02: bcd12(amount), 0x9F03: make([]byte, 6), 0x9F1A: {0x02, 0x50}, 0x95: make([]byte, 5),
		0x5F2A: {0x09, 0x78}, 0x9A: {0x26, 0x11, 0x26}, 0x9C: {0x00}, 0x9F37: {0x12, 0x34, 0x56, 0x78},
		0x9F35: {0x22}, 0x9F33: {0xE0, 0xF8, 0xC8}, 0x9F34: {0x42, 0x03, 0x00}, 0x84: c.app.AID,
		0x9F09: {0x00, 0x8C}, 0x9F1E: []byte("SN000001"), 0x9F41: {0x00, 0x00, 0x00, 0x01},
	}
	if c.app.PSN != "" {
		values[0x5F34] = mustHex(c.app.PSN)
	}
	c.values = values
	get := func(tg tlv.Tag) ([]byte, bool) { v, ok := values[tg]; return v, ok }
	c.exchange(t, emv.Select(c.app.AID, false))
	pdol, err := emv.AppendDOLData(nil, c.app.PDOL, get)
	if err != nil {
		t.Fatal(err)
	}
	gpo, err := emv.ParseGPOResponse(c.exchange(t, emv.GetProcessingOptions(pdol)))
	if err != nil {
		t.Fatal(err)
	}
	values[0x82] = gpo.AIP[:]
	cdol, err := emv.AppendDOLData(nil, c.app.CDOL1, get)
	if err != nil {
		t.Fatal(err)
	}
	ac, err := emv.ParseGenerateACResponse(c.exchange(t, emv.GenerateAC(0x80, cdol)))
	if err != nil {
		t.Fatal(err)
	}
	values[0x9F27] = []byte{byte(ac.CID)}
	values[0x9F36] = ac.ATC[:]
	values[0x9F26] = ac.AC
	values[0x9F10] = ac.IAD
	f55, err := emv.AppendField55(nil, iso8583.ARQCTags, get)
	if err != nil {
		t.Fatal(err)
	}
	return f55
}

func bcd12(v int64) []byte {
	s := fmt.Sprintf("%012d", v)
	b := make([]byte, 6)
	for i := range b {
		b[i] = (s[2*i]-'0')<<4 | (s[2*i+1] - '0')
	}
	return b
}

// complete gives the card the issuer's answer (field 55 of the response)
// with a second GENERATE AC, as a terminal does, and returns the card's
// issuer authentication outcome.
func (c *chipCard) complete(t testing.TB, resp *iso8583.Message) cardsim.IssuerAuth {
	t.Helper()
	f55, _ := resp.Field(55)
	ir, err := iso8583.ReadIssuerResponse(f55)
	if err != nil {
		t.Fatalf("field 55 of the response: %v", err)
	}
	values := c.values
	values[0x8A] = []byte(resp.Text(39))
	values[0x91] = ir.AuthenticationData
	if c.app.CVN == issuer.VisaCVN10 && ir.AuthenticationData != nil {
		c.exchange(t, emv.ExternalAuthenticate(ir.AuthenticationData))
	}
	get := func(tg tlv.Tag) ([]byte, bool) { v, ok := values[tg]; return v, ok }
	cdol2, err := emv.AppendDOLData(nil, c.app.CDOL2, get)
	if err != nil {
		t.Fatal(err)
	}
	p1 := byte(0x40) // TC
	if resp.Text(39) != "00" {
		p1 = 0x00 // AAC
	}
	c.exchange(t, emv.GenerateAC(p1, cdol2))
	return c.card.State().IssuerAuth
}

// rawConn is a connection that sends frames as given, for messages a
// Client would refuse to send (bad MAC, missing fields, garbage).
type rawConn struct {
	t testing.TB
	c net.Conn
}

func dialRaw(t testing.TB, h *testHost) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", h.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, c: c}
}

func (r *rawConn) write(b []byte) {
	r.t.Helper()
	f, err := iso8583.Framing{}.AppendFrame(nil, iso8583.TPDU{}, b)
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.c.Write(f); err != nil {
		r.t.Fatal(err)
	}
}

// roundTrip sends b and returns the response.
func (r *rawConn) roundTrip(b []byte) *iso8583.Message {
	r.t.Helper()
	r.write(b)
	r.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, msg, err := iso8583.Framing{}.ReadFrame(r.c, nil)
	if err != nil {
		r.t.Fatalf("reading the response: %v", err)
	}
	m, err := iso8583.SpecASCII.Unpack(msg)
	if err != nil {
		r.t.Fatalf("unpacking the response: %v", err)
	}
	return m
}

// sign packs m signed with the terminal's MAC key (or unsigned for a
// terminal without one).
func sign(t testing.TB, terminal string, m *iso8583.Message) []byte {
	t.Helper()
	k := testMACKey[terminal]
	if k == nil {
		b, err := iso8583.SpecASCII.Pack(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	mk, err := iso8583.RetailMAC(k)
	if err != nil {
		t.Fatal(err)
	}
	b, err := iso8583.Sign(iso8583.SpecASCII, m, mk)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// storeWithAccount opens the SQLite store at path (in memory if empty),
// closed when the test ends, with account "a" holding 1000.
func storeWithAccount(t testing.TB, path string) *acquirer.SQLiteStore {
	t.Helper()
	s, err := acquirer.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Seed(context.Background(), []acquirer.Account{{ID: "a", Balance: 1000}}, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// reopen closes s and opens its database at path again, as a restart of
// the host does; the new store is closed when the test ends.
func reopen(t *testing.T, s *acquirer.SQLiteStore, path string) *acquirer.SQLiteStore {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := acquirer.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
