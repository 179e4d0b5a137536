//go:build linux || darwin

package acquirer_test

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/iso8583"
)

// TestDiskFullFileSize has the operating system refuse the database's
// writes, as a full file system does, without root: a child process (this
// test run again) lowers its file size limit (RLIMIT_FSIZE) to the size
// the write-ahead log has reached, so that the next COMMIT cannot append
// its frames (write fails with EFBIG; the Go runtime ignores SIGXFSZ). A
// real full disk fails the same write with ENOSPC, which SQLite reports
// as SQLITE_FULL rather than SQLITE_IOERR; the host answers 96 to both.
// Every request is answered 96 and nothing moves until the limit is
// raised; then the host approves again and a resend applies once.
func TestDiskFullFileSize(t *testing.T) {
	if os.Getenv("ACQUIRER_FSIZE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDiskFullFileSize$", "-test.v")
		cmd.Env = append(os.Environ(), "ACQUIRER_FSIZE_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestDiskFullFileSize") {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		if testing.Verbose() {
			t.Logf("child process:\n%s", out)
		}
		return
	}
	var limit syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Fatal(err)
	}
	restore := func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
			t.Fatal(err)
		}
	}
	defer restore()

	h, _, path := faultHost(t, 0)
	tm := newTerminal(t, h, "TERM0001")
	chip := newChip(t, cardsim.VisaCVN10, "")
	l := newLedger(t, h)
	for i := range 3 {
		if _, code := l.traffic(t, tm, chip, i); code != "00" {
			t.Fatalf("request %d before the limit: %s", i, code)
		}
	}
	wal, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	low := limit
	low.Cur = uint64(wal.Size())
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &low); err != nil {
		t.Fatal(err)
	}
	var refused []*iso8583.Message
	for i := 3; i < 9; i++ {
		req, code := l.traffic(t, tm, chip, i)
		if code != "96" {
			t.Errorf("request %d with the file size limit at %d bytes: %s, want 96", i, low.Cur, code)
		}
		refused = append(refused, req)
	}
	l.check(t, h, "TERM0001")

	restore()
	l.recovered(t, h, tm, chip, refused, 9, "I/O error")
}
