package acquirer_test

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// The database fails under the host: it is full, another connection holds
// its write lock, or a group's COMMIT fails. Each request the failure
// reaches is answered 96 and changes nothing; the balances and card states
// are always what the journal says; traffic resumes once the fault is
// gone, and a request answered 96 and sent again is processed once.

// faultHost starts a host on a database file in t.TempDir() with its own
// SQLite store (busy timeout busy), closed after the host.
func faultHost(t *testing.T, busy time.Duration) (*testHost, *acquirer.SQLiteStore, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "host.db")
	s, err := acquirer.SQLiteConfig{BusyTimeout: busy}.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() }) // after the host's Shutdown, registered later
	h := startHost(t, func(c *acquirer.Config) { c.Store = s })
	return h, s, path
}

// ledger is what the terminals were answered: the opening balances and the
// approvals and PIN refusals each received.
type ledger struct {
	opening  map[string]int64
	approved map[string]bool // STAN of each 00
	wrongPIN int             // 55s of panMC16
	wrong    map[string]bool // STAN of each request with a wrong PIN
	visaATC  int             // ATC of the last panVisa10 request answered other than 96
}

func newLedger(t *testing.T, h *testHost) *ledger {
	l := &ledger{opening: map[string]int64{}, approved: map[string]bool{}, wrong: map[string]bool{}, visaATC: -1}
	for _, a := range []string{"visa10", "mc16", "other"} {
		l.opening[a] = balance(t, h, a)
	}
	return l
}

// traffic sends the i-th request of a mix that changes a balance or a card
// state each time: a magnetic-stripe purchase, a chip and PIN purchase, and
// a wrong PIN (the second of the mix only, so that the card is not
// blocked). It returns the request and the response code.
func (l *ledger) traffic(t *testing.T, tm *terminal, chip *chipCard, i int) (*iso8583.Message, string) {
	t.Helper()
	var req, resp *iso8583.Message
	switch i % 3 {
	case 0:
		req, resp = tm.financial(purchase{pan: panMagOnly, amount: 100 + int64(i)})
	case 1:
		req, resp = tm.financial(purchase{pan: panVisa10, amount: 200 + int64(i), pin: cardsim.TestPIN, chip: chip})
	default:
		pin := cardsim.TestPIN
		if i%9 == 5 && len(l.wrong) < 2 {
			pin = "0917"
		}
		req, resp = tm.financial(purchase{pan: panMC16, amount: 300 + int64(i), pin: pin})
		if pin != cardsim.TestPIN {
			l.wrong[req.Text(11)] = true
		}
	}
	l.record(req, resp, chip)
	return req, resp.Text(39)
}

// record notes the answer to req.
func (l *ledger) record(req, resp *iso8583.Message, chip *chipCard) {
	code := resp.Text(39)
	switch code {
	case "00":
		l.approved[req.Text(11)] = true
	case "55":
		l.wrongPIN++
	}
	if code != "96" && req.Text(2) == panVisa10 && req.Has(55) {
		l.visaATC = int(binary.BigEndian.Uint16(chip.values[0x9F36]))
	}
}

// check compares the store with the journal and with what the terminal
// was answered: every approval has its journal row and no row is missing
// an answer, each balance is the opening balance plus the changes the
// journal records, the PIN tries are the journaled wrong PINs and the last
// ATC is that of the last journaled chip request.
func (l *ledger) check(t *testing.T, h *testHost, terminal string) {
	t.Helper()
	ctx := context.Background()
	rows, err := h.Journal(ctx, terminal)
	if err != nil {
		t.Fatal(err)
	}
	applied := map[string]int64{}
	journaled := map[string]bool{}
	wrongPIN, tries := 0, 0 // all 55s; the 55s since the card's last approval
	for _, e := range rows {
		applied[e.Account] += e.Applied
		if e.Code == "00" && e.MTI == "0200" {
			journaled[e.STAN] = true
			if !l.approved[e.STAN] {
				t.Errorf("journal row %d (STAN %s) approved a request the terminal was not answered 00", e.ID, e.STAN)
			}
		}
		switch {
		case e.Code == "55":
			wrongPIN++
			tries++
		case e.Code == "00" && e.Account == "mc16":
			tries = 0
		}
	}
	for stan := range l.approved {
		if !journaled[stan] {
			t.Errorf("STAN %s was approved without a journal row", stan)
		}
	}
	for a, open := range l.opening {
		if got, want := balance(t, h, a), open+applied[a]; got != want {
			t.Errorf("balance of %s = %d, want %d (opening %d + journal %d)", a, got, want, open, applied[a])
		}
	}
	if wrongPIN != l.wrongPIN {
		t.Errorf("journal has %d wrong PINs, the terminal was answered %d", wrongPIN, l.wrongPIN)
	}
	if st, err := h.CardState(ctx, panMC16); err != nil || st.PINTries != tries {
		t.Errorf("CardState(mc16) = %+v, %v; want %d PIN tries as journaled", st, err, tries)
	}
	if st, err := h.CardState(ctx, panVisa10); err != nil || st.LastATC != l.visaATC {
		t.Errorf("CardState(visa10) = %+v, %v; want last ATC %d of the last journaled chip request", st, err, l.visaATC)
	}
}

// resend sends the raw bytes of a request answered 96 again, twice: the
// first is processed (approved, or 55 for a wrong PIN), the second is its
// duplicate; the balance moves once.
func (l *ledger) resend(t *testing.T, h *testHost, req *iso8583.Message, account string, chip *chipCard) {
	t.Helper()
	before := balance(t, h, account)
	raw := dialRaw(t, h)
	code, moved := "00", fieldAmount(t, req)
	if l.wrong[req.Text(11)] {
		code, moved = "55", 0
	}
	first := raw.roundTrip(req.Raw())
	if first.Text(39) != code {
		t.Fatalf("resend of STAN %s answered 96 before: %s, want %s", req.Text(11), first.Text(39), code)
	}
	l.record(req, first, chip)
	again := raw.roundTrip(req.Raw())
	if again.Text(39) != code || again.Text(38) != first.Text(38) {
		t.Errorf("second resend: %s auth %s, want %s auth %s", again.Text(39), again.Text(38), code, first.Text(38))
	}
	if got, want := balance(t, h, account), before-moved; got != want {
		t.Errorf("balance of %s after two resends %d, want %d (applied once)", account, got, want)
	}
}

// checkLogs checks that the host logged the store's failure, and that no
// log line holds a full PAN.
func checkLogs(t *testing.T, h *testHost, want string) {
	t.Helper()
	logs := h.logs.String()
	if testing.Verbose() {
		for _, line := range strings.Split(logs, "\n") {
			if strings.Contains(line, "store failed") {
				t.Log(line)
			}
		}
	}
	if !strings.Contains(logs, "store failed, answering 96") || !strings.Contains(logs, want) {
		t.Errorf("the logs do not report the store failure (%q)", want)
	}
	for _, c := range seedConfig(t).Cards {
		if strings.Contains(logs, c.PAN) {
			t.Errorf("a log line holds the full PAN %s", iso8583.MaskPAN(c.PAN))
		}
	}
}

// TestDatabaseFull fills the database (PRAGMA max_page_count: SQLite
// answers SQLITE_FULL as for a full disk) in the middle of traffic: from
// the first 96 on, every request is answered 96 and nothing moves (a
// refusal that moves nothing is still answered, unjournaled); once there
// is room again, the host approves, and a request answered 96 and sent
// again is processed once.
func TestDatabaseFull(t *testing.T) {
	h, s, _ := faultHost(t, 0)
	tm := newTerminal(t, h, "TERM0001")
	chip := newChip(t, cardsim.VisaCVN10, "")
	l := newLedger(t, h)
	db := s.DB()
	i := 0
	for ; i < 6; i++ {
		if _, code := l.traffic(t, tm, chip, i); code != "00" && code != "55" {
			t.Fatalf("request %d before the disk is full: %s", i, code)
		}
	}
	// No page more than the file has: the free room left in its pages
	// takes a few more rows, then an insert needs a page.
	var pages int
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	full := -1
	var refused []*iso8583.Message // answered 96, by kind of request
	for ; i < 300 && len(refused) < 9; i++ {
		req, code := l.traffic(t, tm, chip, i)
		switch {
		case code == "96":
			if full < 0 {
				full = i
			}
			refused = append(refused, req)
		case full >= 0:
			t.Errorf("request %d answered %s after the store was full (at request %d), want 96", i, code, full)
		case code != "00" && code != "55":
			t.Errorf("request %d: %s", i, code)
		}
	}
	if full < 0 {
		t.Fatalf("the database never filled up in %d requests", i)
	}
	t.Logf("full from request %d of %d (%d pages)", full, i, pages)
	// A refusal that moves nothing is answered as ever, unjournaled.
	if got := dialRaw(t, h).roundTrip(sign(t, "TERM0002", purchaseMessage(t, "TERM0001", "000900", 100))).Text(39); got != "63" {
		t.Errorf("request with a wrong MAC while the store is full: %s, want 63", got)
	}
	if !strings.Contains(h.logs.String(), "cannot journal the answer") {
		t.Error("the refusal that could not be journaled is not logged")
	}
	l.check(t, h, "TERM0001")

	if _, err := db.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	// The first refused requests were a magnetic-stripe purchase, a chip
	// and PIN one and another PIN one, in some order: each is processed
	// once when sent again (its DUKPT counter and ATC were not taken).
	for _, req := range refused[:3] {
		account := map[string]string{panMagOnly: "other", panVisa10: "visa10", panMC16: "mc16"}[req.Text(2)]
		l.resend(t, h, req, account, chip)
	}
	for j := range 3 {
		if _, code := l.traffic(t, tm, chip, i+j); code != "00" && code != "55" {
			t.Errorf("request %d after room was made: %s", i+j, code)
		}
	}
	l.check(t, h, "TERM0001")
	checkLogs(t, h, "full")
}

// TestDatabaseLocked has another connection hold the database's write lock:
// requests are answered 96 after the busy timeout, nothing moves, and
// traffic resumes when the lock is released.
func TestDatabaseLocked(t *testing.T) {
	const busy = 150 * time.Millisecond
	h, _, path := faultHost(t, busy)
	tm := newTerminal(t, h, "TERM0001")
	chip := newChip(t, cardsim.VisaCVN10, "")
	l := newLedger(t, h)
	for i := range 3 {
		if _, code := l.traffic(t, tm, chip, i); code != "00" {
			t.Fatalf("request %d before the lock: %s", i, code)
		}
	}

	ctx := context.Background()
	conn := otherConn(t, path)
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	var refused []*iso8583.Message
	for i := 3; i < 6; i++ {
		start := time.Now()
		req, code := l.traffic(t, tm, chip, i)
		d := time.Since(start)
		if code != "96" {
			t.Errorf("request %d while the database is locked: %s, want 96", i, code)
		}
		if d < busy || d > 2*time.Second {
			t.Errorf("request %d answered after %v, want the busy timeout %v and not much more", i, d, busy)
		}
		refused = append(refused, req)
	}
	// Concurrent requests share the groups that wait for the lock: each
	// waits at most two busy timeouts, that of the group being begun when
	// it arrives and that of its own.
	tms := []*terminal{tm, newTerminal(t, h, "TERM0002")}
	const n = 8
	reqs := make([]*iso8583.Message, n)
	for i := range reqs {
		reqs[i] = magPurchase(t, tms[i%2], 10+int64(i))
	}
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Go(func() {
			start := time.Now()
			code := tms[i%2].send(req).Text(39)
			if d := time.Since(start); code != "96" || d < busy || d > 2*busy+time.Second {
				t.Errorf("concurrent request %d while the database is locked: %s after %v, want 96 after %v to %v", i, code, d, busy, 2*busy)
			}
		})
	}
	wg.Wait()
	// Readers are not blocked (WAL): the checks read while it is locked.
	l.check(t, h, "TERM0001")

	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	l.recovered(t, h, tm, chip, refused, 6, "locked")
}

// recovered checks what follows a fault that refused the mag-stripe
// purchase refused[0] and the chip purchase refused[1], once it is
// mended: their resends are processed once, the three requests from the
// from-th are approved, the ledger agrees with the host, and the log names
// the fault by cause.
func (l *ledger) recovered(t *testing.T, h *testHost, tm *terminal, chip *chipCard, refused []*iso8583.Message, from int, cause string) {
	t.Helper()
	l.resend(t, h, refused[0], "other", chip)
	l.resend(t, h, refused[1], "visa10", chip)
	for i := from; i < from+3; i++ {
		if _, code := l.traffic(t, tm, chip, i); code != "00" {
			t.Errorf("request %d after the fault was mended: %s", i, code)
		}
	}
	l.check(t, h, "TERM0001")
	checkLogs(t, h, cause)
}

// TestCommitFailsGroup has the COMMIT of a group of concurrent requests
// fail (a deferred foreign key, which SQLite checks at COMMIT, violated
// by a trigger on the journal): each request of the group is answered 96
// and none of their effects remain; the next group commits.
func TestCommitFailsGroup(t *testing.T) {
	h, s, _ := faultHost(t, 0)
	db := s.DB()
	tms := []*terminal{newTerminal(t, h, "TERM0001"), newTerminal(t, h, "TERM0002")}
	before := balance(t, h, "other")
	if _, err := db.Exec(`
		CREATE TABLE fault_parent (id INTEGER PRIMARY KEY);
		CREATE TABLE fault_child (parent INTEGER REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED);
		CREATE TRIGGER fault AFTER INSERT ON journal BEGIN INSERT INTO fault_child VALUES (NEW.id); END;`); err != nil {
		t.Fatal(err)
	}

	// Hold the committer until every request waits for it, so that they
	// all share the next group.
	const n = 6
	release := holdCommitter(t, s)
	var wg sync.WaitGroup
	reqs := make([]*iso8583.Message, n)
	resps := make([]*iso8583.Message, n)
	for i := range n {
		tm := tms[i%2]
		m := magPurchase(t, tm, 100+int64(i))
		reqs[i] = m
		wg.Go(func() { resps[i] = tm.send(m) })
	}
	waitUpdates(t, n)
	release()
	wg.Wait()
	for i, r := range resps {
		if r.Text(39) != "96" {
			t.Errorf("request %d of the failed group: %s, want 96", i, r.Text(39))
		}
	}
	if got := balance(t, h, "other"); got != before {
		t.Errorf("balance after the failed group %d, want %d", got, before)
	}
	var rows, children int
	if err := db.QueryRow(`SELECT count(*) FROM journal WHERE kind <> 'refused'`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM fault_child`).Scan(&children); err != nil {
		t.Fatal(err)
	}
	if rows != 0 || children != 0 {
		t.Errorf("after the failed COMMIT: %d journal rows, %d rows of the trigger, want none", rows, children)
	}

	if _, err := db.Exec(`DROP TRIGGER fault`); err != nil {
		t.Fatal(err)
	}
	// Two of the refused requests sent again, and a new one: each is
	// approved and applied once.
	want := before
	for i, req := range reqs[:2] {
		if resp := dialRaw(t, h).roundTrip(req.Raw()); resp.Text(39) != "00" {
			t.Errorf("resend of request %d after the failed group: %s, want 00", i, resp.Text(39))
		}
		want -= fieldAmount(t, req)
	}
	if _, resp := tms[0].financial(purchase{pan: panMagOnly, amount: 50}); resp.Text(39) != "00" {
		t.Errorf("purchase after the failed group: %s, want 00", resp.Text(39))
	}
	want -= 50
	if got := balance(t, h, "other"); got != want {
		t.Errorf("balance after the failed group and three approvals %d, want %d", got, want)
	}
	checkLogs(t, h, "commit")
}

// magPurchase returns the next 0200 of tm, a magnetic-stripe purchase of
// amount by panMagOnly without PIN, for sending concurrently with tm.send.
func magPurchase(t *testing.T, tm *terminal, amount int64) *iso8583.Message {
	t.Helper()
	stan, tt := tm.next()
	m, err := (&iso8583.FinancialRequest{Transaction: iso8583.Transaction{PAN: panMagOnly, ProcessingCode: "000000",
		Amount: amount, Transmitted: tt, STAN: stan, Expiry: "3012", EntryMode: "901",
		TerminalID: tm.id, MerchantID: "000000000000001", Currency: "978"}}).Message()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fieldAmount returns field 4 of m.
func fieldAmount(t *testing.T, m *iso8583.Message) int64 {
	t.Helper()
	v, err := strconv.ParseInt(m.Text(4), 10, 64)
	if err != nil {
		t.Fatalf("field 4 of the request: %v", err)
	}
	return v
}

// waitUpdates waits until n goroutines wait to hand an Update to the
// committer.
func waitUpdates(t *testing.T, n int) {
	t.Helper()
	buf := make([]byte, 1<<20)
	deadline := time.Now().Add(10 * time.Second)
	for {
		buf = buf[:runtime.Stack(buf[:cap(buf)], true)]
		waiting := 0
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "[select") && strings.Contains(g, "acquirer.(*SQLiteStore).Update(") {
				waiting++
			}
		}
		if waiting >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d Updates wait for the committer after 10 s, want %d", waiting, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestDatabaseOtherWriter has another connection take the write lock and
// change the database while a request waits for the lock, as an operator
// blocking a card from a sqlite3 shell does: the request waits (within the
// busy timeout) and then sees the change, although the host had the card
// and the balance in the committer's memory.
func TestDatabaseOtherWriter(t *testing.T) {
	h, _, path := faultHost(t, 5*time.Second)
	tm := newTerminal(t, h, "TERM0001")
	for _, amount := range []int64{100, 200} {
		if _, resp := tm.financial(purchase{pan: panMagOnly, amount: amount}); resp.Text(39) != "00" {
			t.Fatalf("purchase before the other writer: %s", resp.Text(39))
		}
	}
	ctx := context.Background()
	conn := otherConn(t, path)
	for _, q := range []string{`BEGIN IMMEDIATE`, `UPDATE accounts SET balance = 150 WHERE id = 'other'`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// A purchase of 200 waits for the lock, which is released with a
	// balance of 150: declined, 51.
	code := make(chan string, 1)
	req := magPurchase(t, tm, 200)
	go func() { code <- tm.send(req).Text(39) }()
	time.Sleep(100 * time.Millisecond) // for the request to wait for the lock
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		t.Fatal(err)
	}
	if got := <-code; got != "51" {
		t.Errorf("purchase of 200 after another connection set the balance to 150: %s, want 51", got)
	}
	if _, err := conn.ExecContext(ctx, `UPDATE cards SET status = 'lost' WHERE pan = ?`, panMagOnly); err != nil {
		t.Fatal(err)
	}
	if _, resp := tm.financial(purchase{pan: panMagOnly, amount: 100}); resp.Text(39) != "41" {
		t.Errorf("purchase with a card another connection marked lost: %s, want 41", resp.Text(39))
	}
	if got := balance(t, h, "other"); got != 150 {
		t.Errorf("balance %d, want the 150 the other connection set", got)
	}
}

// otherConn opens a connection of its own to the database at path, as
// another process would, closed when the test ends.
func otherConn(t *testing.T, path string) *sql.Conn {
	t.Helper()
	other, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
