package acquirer_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// purchaseMessage is a valid 0200 of terminal id without PIN.
func purchaseMessage(t testing.TB, id, stan string, amount int64) *iso8583.Message {
	t.Helper()
	m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: amount, Transmitted: iso8583.TransmissionTime(testNow), STAN: stan, Expiry: "3012", EntryMode: "901",
		TerminalID: id, MerchantID: "000000000000001", Currency: "978"}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRefusals sends each kind of bad message on one connection and
// checks the code, that no money moved and that the host still answers a
// good request afterwards on the same connection.
func TestRefusals(t *testing.T) {
	h := startHost(t, nil)
	raw := dialRaw(t, h)
	before := balance(t, h, "other")
	for _, tc := range []struct {
		name string
		msg  func() []byte
		want string
	}{
		{"bad MAC", func() []byte {
			b := sign(t, "TERM0001", purchaseMessage(t, "TERM0001", "000001", 100))
			b[len(b)-1] ^= 1 // last hex digit of the MAC... still a hex digit
			if c := b[len(b)-1]; !strings.ContainsRune("0123456789ABCDEF", rune(c)) {
				b[len(b)-1] = '0'
			}
			return b
		}, "63"},
		{"MAC of another terminal's key", func() []byte {
			return sign(t, "TERM0002", purchaseMessage(t, "TERM0001", "000002", 100))
		}, "63"},
		{"no MAC from a terminal that has a key", func() []byte {
			b, _ := iso8583.SpecASCII.Pack(purchaseMessage(t, "TERM0001", "000003", 100))
			return b
		}, "63"},
		{"unknown terminal", func() []byte {
			b, _ := iso8583.SpecASCII.Pack(purchaseMessage(t, "TERM9999", "000004", 100))
			return b
		}, "58"},
		{"missing POS entry mode (22)", func() []byte {
			m := purchaseMessage(t, "TERM0001", "000005", 100)
			m.Unset(22)
			return sign(t, "TERM0001", m)
		}, "30"},
		{"track 2 in an advice", func() []byte {
			m := purchaseMessage(t, "TERM0001", "000006", 100)
			m.MTI = iso8583.MTIFinancialAdvice
			m.SetString(35, panMagOnly+"=30121010000000000")
			return sign(t, "TERM0001", m)
		}, "30"},
		{"unknown message type", func() []byte {
			m := purchaseMessage(t, "TERM0001", "000007", 100)
			m.MTI = "0600"
			return sign(t, "TERM0001", m)
		}, "12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := raw.roundTrip(tc.msg()).Text(39); got != tc.want {
				t.Errorf("response code %s, want %s", got, tc.want)
			}
		})
	}
	if got := balance(t, h, "other"); got != before {
		t.Errorf("balance %d, want %d", got, before)
	}
	if got := raw.roundTrip(sign(t, "TERM0001", purchaseMessage(t, "TERM0001", "000100", 100))).Text(39); got != "00" {
		t.Errorf("good request after the refusals: %s", got)
	}
	// Every refusal was journaled before it was sent.
	var codes []string
	for _, id := range []string{"TERM0001", "TERM9999"} {
		es, err := h.Journal(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			codes = append(codes, e.Code)
		}
	}
	if got, want := strings.Join(codes, " "), "63 63 63 30 30 12 00 58"; got != want {
		t.Errorf("journal codes %s, want %s", got, want)
	}
}

// TestMalformedFrames sends frames that do not unpack, and oversize and
// truncated frames; the host drops them (a response cannot be matched to
// a message that does not parse) and goes on serving.
func TestMalformedFrames(t *testing.T) {
	h := startHost(t, nil)
	good := sign(t, "TERM0001", purchaseMessage(t, "TERM0001", "000001", 100))
	for _, tc := range []struct {
		name  string
		bytes []byte
	}{
		{"garbage", []byte("this is not ISO 8583")},
		{"truncated message", good[:len(good)-5]},
		{"trailing bytes", append(append([]byte(nil), good...), "XX"...)},
		{"lower-case hex MAC", append(append([]byte(nil), good[:len(good)-16]...), strings.ToLower(string(good[len(good)-16:]))...)},
		{"bitmap naming an undefined field", append([]byte("0200\x00\x00\x00\x00\x00\x00\x00\x01"), good[12:]...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := dialRaw(t, h)
			raw.write(tc.bytes)
			// The same connection or a new one still gets answers.
			raw2 := dialRaw(t, h)
			m := purchaseMessage(t, "TERM0001", "0000"+strings.Repeat("0", 0)+"09", 100)
			m.SetString(7, iso8583.TransmissionTime(testNow.Add(time.Duration(len(tc.name))*time.Second)))
			if got := raw2.roundTrip(sign(t, "TERM0001", m)).Text(39); got != "00" && got != "94" {
				t.Errorf("after the bad frame: %s", got)
			}
		})
	}
	// A length header over the maximum frame size closes the connection.
	raw := dialRaw(t, h)
	if _, err := raw.c.Write([]byte{0xFF, 0xFF, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	raw.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := raw.c.Read(make([]byte, 1)); err == nil {
		t.Errorf("oversize frame: connection still open")
	}
	raw = dialRaw(t, h)
	if got := raw.roundTrip(sign(t, "TERM0001", purchaseMessage(t, "TERM0001", "000777", 100))).Text(39); got != "00" {
		t.Errorf("after an oversize frame: %s", got)
	}
}

// failingStore fails every Update after the seed.
type failingStore struct {
	acquirer.Store
	fail bool
}

func (s *failingStore) Update(ctx context.Context, fn func(acquirer.Tx) error) error {
	if s.fail {
		return &acquirer.StoreError{Op: "commit", Err: errors.New("disk full")}
	}
	return s.Store.Update(ctx, fn)
}

func TestStoreFailure(t *testing.T) {
	sqlite, err := acquirer.OpenSQLite("")
	if err != nil {
		t.Fatal(err)
	}
	defer sqlite.Close()
	fs := &failingStore{Store: sqlite}
	h := startHost(t, func(c *acquirer.Config) { c.Store = fs })
	tm := newTerminal(t, h, "TERM0001")
	before := balance(t, h, "other")
	fs.fail = true
	if _, resp := tm.financial(purchase{pan: panMagOnly, amount: 100, pin: cardsim.TestPIN}); resp.Text(39) != "96" {
		t.Errorf("failing store: %s, want 96", resp.Text(39))
	}
	fs.fail = false
	if got := balance(t, h, "other"); got != before {
		t.Errorf("balance %d, want %d", got, before)
	}
	if es, _ := h.Journal(context.Background(), "TERM0001"); len(es) != 0 {
		t.Errorf("%d journal rows, want 0", len(es))
	}
	// A real SQLite failure: the journal table is gone.
	if _, err := sqlite.DB().Exec(`DROP TABLE journal`); err != nil {
		t.Fatal(err)
	}
	if _, resp := tm.financial(purchase{pan: panMagOnly, amount: 100, pin: cardsim.TestPIN}); resp.Text(39) != "96" {
		t.Errorf("broken database: %s, want 96", resp.Text(39))
	}
	if got := balance(t, h, "other"); got != before {
		t.Errorf("balance %d, want %d: money moved without a journal row", got, before)
	}
}

func TestDuplicate(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	raw := dialRaw(t, h)
	before := balance(t, h, "visa10")
	stan, tt := tm.next()
	block, ksn := tm.pinBlock(cardsim.TestPIN, panVisa10)
	tx := iso8583.Transaction{PAN: panVisa10, ProcessingCode: "000000", Amount: 1500, Transmitted: tt, STAN: stan,
		Expiry: "3012", EntryMode: "051", TerminalID: "TERM0001", MerchantID: "000000000000001", Currency: "978",
		PINBlock: block, SecurityControl: ksn}
	m, err := (&iso8583.FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		t.Fatal(err)
	}
	b := sign(t, "TERM0001", m)
	first := raw.roundTrip(b)
	second := raw.roundTrip(b)
	if first.Text(39) != "00" || !bytes.Equal(first.Raw(), second.Raw()) {
		t.Fatalf("duplicate answered %s, first %s; want the same response", second, first)
	}
	if got := balance(t, h, "visa10"); got != before-1500 {
		t.Errorf("balance %d, want %d: money moved twice", got, before-1500)
	}
	// The same terminal, STAN and time with another amount: a STAN reused.
	tx.Amount = 1600
	m, err = (&iso8583.FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		t.Fatal(err)
	}
	if got := raw.roundTrip(sign(t, "TERM0001", m)).Text(39); got != "94" {
		t.Errorf("reused STAN: response code %s, want 94", got)
	}
	if got := balance(t, h, "visa10"); got != before-1500 {
		t.Errorf("balance %d, want %d", got, before-1500)
	}
	es, err := h.Journal(context.Background(), "TERM0001")
	if err != nil || len(es) != 2 || es[0].Code != "00" || es[1].Kind != acquirer.KindRefused || es[1].Code != "94" {
		t.Errorf("journal %+v, %v; want the approval and the refusal (94)", es, err)
	}
}

// TestDuplicateAnswers resends decided requests: the duplicate gets the
// same bytes, field 55 with its ARPC and the issuer script the card's
// state no longer holds, field 48 with the balance, and a decline's code.
func TestDuplicateAnswers(t *testing.T) {
	h := startHost(t, nil)
	tm := newTerminal(t, h, "TERM0001")
	for _, tt := range []struct {
		name  string
		p     purchase
		code  string
		field int
	}{
		{"chip with script", purchase{pan: panUnblock, amount: 100, pin: cardsim.TestPIN, chip: newChip(t, cardsim.VisaCVN10, panUnblock)}, "00", 55},
		{"balance", purchase{pan: panMagOnly, pin: cardsim.TestPIN, proc: "310000"}, "00", 48},
		{"decline", purchase{pan: panLowFunds, amount: 100000, pin: cardsim.TestPIN}, "51", 39},
	} {
		req, first := tm.financial(tt.p)
		if first.Text(39) != tt.code || !first.Has(tt.field) {
			t.Fatalf("%s: answered %s, want %s with field %d", tt.name, first.Text(39), tt.code, tt.field)
		}
		second := tm.send(req)
		if !bytes.Equal(first.Raw(), second.Raw()) {
			t.Errorf("%s: duplicate answered\n%s\nfirst\n%s", tt.name, second, first)
		}
	}
}
