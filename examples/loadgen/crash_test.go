package main

import (
	"context"
	"encoding/json"
	"flag"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore"
	"github.com/posflow/posflow/examples/host/acquirer/pgstore/pgtest"
	"github.com/posflow/posflow/iso8583"
)

var faults = flag.Bool("loadgen.faults", false, "run the fault tests at full size (20 terminals instead of 5)")

// hostProcess is the host command running as a child process.
type hostProcess struct {
	cmd  *exec.Cmd
	addr string
}

// startHostProcess runs the host binary with config and waits until it
// accepts connections.
func startHostProcess(t *testing.T, bin, config, addr string, args ...string) *hostProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-config", config, "-report", "none"}, args...)...)
	cmd.Stderr = nil // the host's log lines are not needed
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return &hostProcess{cmd: cmd, addr: addr}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("host did not listen on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to end.
func (p *hostProcess) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

// stop interrupts the host, which answers what is in flight and exits.
func (p *hostProcess) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("host exit: %v", err)
		}
	case <-time.After(15 * time.Second):
		p.kill()
		t.Error("host did not stop on interrupt")
	}
}

// buildHost builds the host command into dir.
func buildHost(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "host")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/posflow/posflow/examples/host").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestKillHost kills the host command with SIGKILL in the middle of a load
// run and restarts it on the same database: every approval a terminal
// received is in the journal, the reversals of the purchases left without
// an answer complete after the restart, nothing is applied twice, and
// every balance is its opening balance plus the changes of the journal,
// which are the purchases the terminals saw approved and did not reverse.
// By default 5 terminals send 60 requests each; -loadgen.faults runs 20
// terminals of 150.
func TestKillHost(t *testing.T) { killHost(t, "") }

// TestKillHostPostgres is TestKillHost on the PostgreSQL store (the host
// command's -postgres). Skipped without POSFLOW_POSTGRES.
func TestKillHostPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the host command")
	}
	killHost(t, pgtest.DSN(t))
}

// killHost kills and restarts the host, with its journal in SQLite, or in
// the PostgreSQL database pg names when pg is not empty.
func killHost(t *testing.T, pg string) {
	if testing.Short() {
		t.Skip("builds and kills the host command")
	}
	terminals, per := 5, 60
	if *faults {
		terminals, per = 20, 150
	}
	tr, err := Prepare(terminals, per, DefaultCards, 3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	cfg := *tr.Config
	cfg.Addr = addr
	var args []string
	if pg == "" {
		cfg.Database = filepath.Join(dir, "host.db")
		// Few keys wait in memory, so that the kill also finds keys being
		// copied to journal_keys, and the restart a mark to read on from.
		cfg.SQLite.KeysWaiting = 8
	} else {
		args = []string{"-postgres", pg}
	}
	js, err := json.Marshal(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config.json")
	if err := os.WriteFile(config, js, 0o600); err != nil {
		t.Fatal(err)
	}
	bin := buildHost(t, dir)
	host := startHostProcess(t, bin, config, addr, args...)
	defer func() {
		if host != nil {
			host.kill()
		}
	}()

	mac, err := iso8583.RetailMAC(MACKey)
	if err != nil {
		t.Fatal(err)
	}
	// What each terminal saw.
	type seen struct {
		approved map[string]*iso8583.Message // STAN of purchases answered 00
		reversed map[string]bool             // STANs of purchases reversed (answered, or queued)
	}
	views := make([]seen, terminals)
	clients := make([]*iso8583.Client, terminals)
	for i := range clients {
		clients[i] = iso8583.NewClient(iso8583.ClientConfig{Addr: addr, MAC: mac, RetryInterval: time.Hour,
			MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
		defer clients[i].Close()
	}
	var answered atomic.Int64
	killAt := int64(terminals * per / 3)
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for i, script := range tr.Scripts {
		views[i] = seen{approved: map[string]*iso8583.Message{}, reversed: map[string]bool{}}
		wg.Go(func() {
			v := &views[i]
			for _, rq := range script {
				msg, err := rq.message()
				if err != nil {
					t.Error(err)
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
				resp, err := clients[i].Send(ctx, msg)
				cancel()
				if err != nil {
					// No answer: reverse what may have been done, through
					// the store-and-forward queue, and go offline.
					var rev *iso8583.Message
					if rq.kind == "reversal" {
						rev = msg
						v.reversed[msg.Text(11)] = true
					} else {
						r, err := iso8583.NewReversal(msg, false)
						if err != nil {
							t.Error(err)
							return
						}
						r.SecurityControl = nil
						if rev, err = r.Message(); err != nil {
							t.Error(err)
							return
						}
						v.reversed[msg.Text(11)] = true
					}
					if err := clients[i].Forward(rev); err != nil {
						t.Error(err)
					}
					return
				}
				if n := answered.Add(1); n == killAt {
					host.kill()
					close(killed)
				}
				switch code := resp.Text(39); {
				case rq.kind == "reversal" && code == "00":
					v.reversed[msg.Text(11)] = true
				case msg.MTI == "0200" && code == "00":
					v.approved[msg.Text(11)] = msg
				}
			}
		})
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the run ended before the kill")
	}
	host = startHostProcess(t, bin, config, addr, args...)
	pending := 0
	for i, c := range clients {
		pending += c.Pending()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		for c.Pending() > 0 && ctx.Err() == nil {
			if err := c.Flush(ctx); err != nil {
				time.Sleep(50 * time.Millisecond)
			}
		}
		cancel()
		if c.Pending() != 0 {
			t.Errorf("terminal %d: %d reversals still pending after restart", i, c.Pending())
		}
	}
	if pending == 0 {
		t.Error("no terminal had a pending reversal: the kill came at no useful time")
	}
	host.stop(t)
	host = nil

	var st acquirer.Store
	var sqlite *acquirer.SQLiteStore
	if pg == "" {
		sqlite, err = acquirer.OpenSQLite(cfg.Database)
		st = sqlite
	} else {
		st, err = pgstore.Open(context.Background(), pg)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	moved := map[string]int64{}    // account -> sum of Applied in the journal
	expected := map[string]int64{} // account -> what the terminals saw
	account := map[string]string{} // PAN -> account
	for _, c := range cfg.Cards {
		account[c.PAN] = c.Account
	}
	approvals := 0
	err = st.View(ctx, func(tx acquirer.Tx) error {
		for i, id := range tr.Terminals {
			es, err := tx.Entries(id, 0)
			if err != nil {
				return err
			}
			rows := map[string]acquirer.Entry{}
			for _, e := range es {
				moved[e.Account] += e.Applied
				if e.MTI == "0200" {
					if _, dup := rows[e.STAN]; dup && e.Kind != acquirer.KindRefused {
						t.Errorf("%s STAN %s: two 0200 rows", id, e.STAN)
					}
					if e.Kind != acquirer.KindRefused {
						rows[e.STAN] = e
					}
				}
			}
			v := views[i]
			for stan, m := range v.approved {
				approvals++
				e, ok := rows[stan]
				if !ok || e.Code != "00" {
					t.Errorf("%s STAN %s: approved at the terminal, journal %+v", id, stan, e)
					continue
				}
				if v.reversed[stan] != (e.Reversed != 0) {
					t.Errorf("%s STAN %s: reversed at the terminal %v, in the journal %v", id, stan, v.reversed[stan], e.Reversed != 0)
				}
				if !v.reversed[stan] {
					amt, _ := strconv.ParseInt(m.Text(4), 10, 64)
					expected[account[m.Text(2)]] -= amt
				}
			}
			for stan := range v.reversed {
				if e, ok := rows[stan]; ok && e.Code == "00" && e.Reversed == 0 {
					t.Errorf("%s STAN %s: reversed by the terminal, not in the journal", id, stan)
				}
			}
		}
		for _, a := range cfg.Accounts {
			b, err := tx.Balance(a.ID)
			if err != nil {
				return err
			}
			if b != a.Balance+moved[a.ID] {
				t.Errorf("account %s: balance %d, opening %d + journal %d", a.ID, b, a.Balance, moved[a.ID])
			}
			if moved[a.ID] != expected[a.ID] {
				t.Errorf("account %s: journal moved %d, the terminals saw %d", a.ID, moved[a.ID], expected[a.ID])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sqlite == nil {
		t.Logf("%d approvals seen, %d reversals pending at the kill, all complete", approvals, pending)
		return
	}
	// With few keys waiting, most rows' keys were copied to their table,
	// and the mark moved: the checks above read through both.
	var keys, mark int
	if err := sqlite.DB().QueryRow(`SELECT (SELECT count(*) FROM journal_keys), (SELECT value FROM sequence WHERE name = 'keys')`).Scan(&keys, &mark); err != nil {
		t.Fatal(err)
	}
	if keys == 0 || mark == 0 {
		t.Errorf("journal_keys holds %d keys, mark %d: the keys were never copied", keys, mark)
	}
	t.Logf("%d approvals seen, %d reversals pending at the kill, all complete; %d keys copied, mark %d", approvals, pending, keys, mark)
}
