package pos

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/posflow/posflow/iso8583"
)

// testTxn is the transaction of the queue's test messages.
func testTxn(stan string) iso8583.Transaction {
	return iso8583.Transaction{
		PAN: "4761739001010119", ProcessingCode: "000000", Amount: 850,
		Transmitted: "1126103000", STAN: stan, Expiry: "3012", EntryMode: "051",
		TerminalID: "TERM0001", MerchantID: "MERCHANT0000001", Currency: "840",
		ICC: []byte{0x9F, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8},
	}
}

func testAdvice(t testing.TB, stan string) *iso8583.Message {
	t.Helper()
	m, err := (&iso8583.FinancialAdvice{Transaction: testTxn(stan)}).Message()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testReversal is the reversal of an 0200 that carried track 2, a PIN
// block and chip data, as the terminal makes it.
func testReversal(t testing.TB, stan string) *iso8583.Message {
	t.Helper()
	tx := testTxn(stan)
	tx.Track2 = "4761739001010119=30122011234567890"
	tx.PINBlock = []byte{1, 2, 3, 4, 5, 6, 7, 8}
	orig, err := (&iso8583.FinancialRequest{Transaction: tx}).Message()
	if err != nil {
		t.Fatal(err)
	}
	rev, err := iso8583.NewReversal(orig, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := rev.Message()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func packed(t testing.TB, m *iso8583.Message) []byte {
	t.Helper()
	b, err := iso8583.SpecASCII.Pack(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFileQueueSurvivesReopen pushes, repeats and pops, reopening the file
// after each change as a restarted terminal would.
func TestFileQueueSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "saf.queue")
	// A write interrupted by a crash left its temporary file.
	if err := os.WriteFile(path+".tmp-123", []byte("half a queue"), 0o600); err != nil {
		t.Fatal(err)
	}
	q, err := OpenQueue(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := q.Front(); m != nil || err != nil || q.Len() != 0 {
		t.Fatalf("new queue: Front = %v, %v; Len %d", m, err, q.Len())
	}
	adv, rev := testAdvice(t, "000001"), testReversal(t, "000002")
	for _, m := range []*iso8583.Message{adv, rev} {
		if err := q.Push(m); err != nil {
			t.Fatal(err)
		}
	}
	reopen := func() *FileQueue {
		t.Helper()
		q, err := OpenQueue(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	q = reopen()
	if q.Len() != 2 {
		t.Fatalf("reopened Len = %d, want 2", q.Len())
	}
	front, _ := q.Front()
	if !bytes.Equal(packed(t, front), packed(t, adv)) {
		t.Errorf("reopened Front = %v, want the advice", front)
	}
	if front.Raw() != nil {
		t.Error("an unsigned message comes back with Raw bytes: the client would send it without its MAC")
	}
	rep := front.Clone()
	rep.MTI = front.MTI.Repeat()
	if err := q.ReplaceFront(rep); err != nil {
		t.Fatal(err)
	}
	q = reopen()
	if front, _ := q.Front(); front.MTI != iso8583.MTIFinancialAdviceRepeat {
		t.Errorf("after ReplaceFront and reopen, Front is %s, want 0221", string(front.MTI))
	}
	if err := q.PopFront(); err != nil {
		t.Fatal(err)
	}
	q = reopen()
	front, _ = q.Front()
	if q.Len() != 1 || !bytes.Equal(packed(t, front), packed(t, rev)) {
		t.Errorf("after PopFront and reopen: Len %d, Front %v; want the reversal alone", q.Len(), front)
	}
	for _, id := range []int{35, 52, 55} {
		if front.Has(id) {
			t.Errorf("stored reversal carries field %d", id)
		}
	}
	if err := q.PopFront(); err != nil {
		t.Fatal(err)
	}
	if q = reopen(); q.Len() != 0 {
		t.Errorf("emptied queue reopens with %d messages", q.Len())
	}
	if matches, _ := filepath.Glob(path + ".tmp-*"); len(matches) != 0 {
		t.Errorf("temporary files left behind: %q", matches)
	}
}

// TestFileQueueKeepsSignedBytes stores a message signed by the caller as
// it is, MAC included.
func TestFileQueueKeepsSignedBytes(t *testing.T) {
	key, err := iso8583.RetailMAC(bytes.Repeat([]byte{0x11}, 16))
	if err != nil {
		t.Fatal(err)
	}
	m := testAdvice(t, "000003")
	raw, err := iso8583.Sign(iso8583.SpecASCII, m, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "saf.queue")
	q, _ := OpenQueue(path, nil)
	if err := q.Push(m); err != nil {
		t.Fatal(err)
	}
	q, err = OpenQueue(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	front, _ := q.Front()
	if !bytes.Equal(front.Raw(), raw) {
		t.Errorf("signed message reopened with Raw %x, want %x", front.Raw(), raw)
	}
}

// TestFileQueueRefuses checks what Push will not store.
func TestFileQueueRefuses(t *testing.T) {
	q, err := OpenQueue(filepath.Join(t.TempDir(), "saf.queue"), nil)
	if err != nil {
		t.Fatal(err)
	}
	withTrack := testAdvice(t, "000004")
	withTrack.SetString(35, "4761739001010119=30122011234567890")
	withPIN := testAdvice(t, "000005")
	withPIN.Set(52, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	withTrack1 := testAdvice(t, "000006")
	withTrack1.SetString(45, "B4761739001010119^CARDHOLDER/TEST^3012201")
	withTrackInICC := testAdvice(t, "000007")
	withTrackInICC.Set(55, []byte{0x57, 0x03, 0x47, 0x61, 0x73})
	auth, err := (&iso8583.FinancialRequest{Transaction: testTxn("000008")}).Message()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		m    *iso8583.Message
	}{
		{"track 2 in field 35", withTrack},
		{"PIN block in field 52", withPIN},
		{"track 1 in field 45", withTrack1},
		{"track 2 equivalent (57) in field 55", withTrackInICC},
		{"an 0200 is not stored and forwarded", auth},
	} {
		if err := q.Push(tc.m); !errors.Is(err, ErrNotStorable) {
			t.Errorf("Push(%s) = %v, want ErrNotStorable", tc.name, err)
		}
	}
	if q.Len() != 0 {
		t.Errorf("Len = %d after refusals, want 0", q.Len())
	}
}

// TestFileQueueFull fills the queue to MaxQueued.
func TestFileQueueFull(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the file a thousand times")
	}
	q, err := OpenQueue(filepath.Join(t.TempDir(), "saf.queue"), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := testAdvice(t, "000009")
	for i := range MaxQueued {
		if err := q.Push(m); err != nil {
			t.Fatalf("Push %d: %v", i, err)
		}
	}
	if err := q.Push(m); !errors.Is(err, ErrQueueFull) {
		t.Errorf("Push beyond MaxQueued = %v, want ErrQueueFull", err)
	}
}

// validQueueFile returns a file holding an advice and a reversal.
func validQueueFile(t testing.TB) []byte {
	t.Helper()
	var recs []queueRecord
	for _, m := range []*iso8583.Message{testAdvice(t, "000001"), testReversal(t, "000002")} {
		recs = append(recs, queueRecord{m: m, b: packed(t, m)})
	}
	return appendQueue(nil, recs)
}

// resum recomputes the checksum of a file edited on purpose, so that the
// check behind it is reached.
func resum(b []byte) []byte {
	return appendRaw(append([]byte(nil), b[:len(b)-queueSumLen]...))
}

// appendRaw appends the checksum of body to it.
func appendRaw(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append(body, sum[:]...)
}

func TestOpenQueueCorrupt(t *testing.T) {
	valid := validQueueFile(t)
	edit := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), valid...))
	}
	body := func(b []byte) []byte { return b[:len(b)-queueSumLen] }
	for _, tc := range []struct {
		name string
		file []byte
	}{
		{"empty file: no header, no checksum", []byte{}},
		{"truncated in the middle of the second record", valid[:len(valid)/2]},
		{"one byte missing at the end of the checksum", valid[:len(valid)-1]},
		{"a bit flipped in a message: checksum mismatch", edit(func(b []byte) []byte { b[queueHeaderLen+10] ^= 0x01; return b })},
		{"bad magic", edit(func(b []byte) []byte { b[0] = 'X'; return resum(b) })},
		{"unknown version", edit(func(b []byte) []byte { b[4] = 2; return resum(b) })},
		{"count over MaxQueued", edit(func(b []byte) []byte {
			binary.BigEndian.PutUint16(b[5:], MaxQueued+1)
			return resum(b)
		})},
		{"count of three, two records", edit(func(b []byte) []byte { b[6] = 3; return resum(b) })},
		{"count of one, a record left over", edit(func(b []byte) []byte { b[6] = 1; return resum(b) })},
		{"unknown flag", edit(func(b []byte) []byte { b[queueHeaderLen] = 0x80; return resum(b) })},
		{"record length zero", edit(func(b []byte) []byte {
			binary.BigEndian.PutUint16(b[queueHeaderLen+1:], 0)
			return resum(b)
		})},
		{"record length over MaxQueuedMessage", edit(func(b []byte) []byte {
			binary.BigEndian.PutUint16(b[queueHeaderLen+1:], MaxQueuedMessage+1)
			return resum(b)
		})},
		{"message that does not unpack", edit(func(b []byte) []byte { b[queueHeaderLen+3] = 'X'; return resum(b) })},
		{"an 0200 with track 2 and PIN block written by someone else", func() []byte {
			tx := testTxn("000010")
			tx.Track2 = "4761739001010119=30122011234567890"
			tx.PINBlock = []byte{1, 2, 3, 4, 5, 6, 7, 8}
			m, err := (&iso8583.FinancialRequest{Transaction: tx}).Message()
			if err != nil {
				t.Fatal(err)
			}
			return appendQueue(nil, []queueRecord{{m: m, b: packed(t, m)}})
		}()},
		{"bytes between the records and the checksum", appendRaw(append(append([]byte(nil), body(valid)...), 0))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "saf.queue")
			if err := os.WriteFile(path, tc.file, 0o600); err != nil {
				t.Fatal(err)
			}
			q, err := OpenQueue(path, nil)
			var qe *QueueFileError
			if !errors.As(err, &qe) || !errors.Is(err, ErrQueueCorrupt) || qe.Path != path {
				t.Fatalf("OpenQueue(%x) = %v, %v; want a *QueueFileError for %s", tc.file, q, err, path)
			}
		})
	}
	t.Run("larger than any queue", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "saf.queue")
		if err := os.WriteFile(path, make([]byte, maxQueueFile+1), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenQueue(path, nil); !errors.Is(err, ErrQueueCorrupt) {
			t.Errorf("OpenQueue(huge file) = %v, want ErrQueueCorrupt", err)
		}
	})
}

// FuzzDecodeQueue checks the queue file decoder: no panic, what decodes
// encodes back to the same bytes, and no strict prefix of a valid file
// decodes.
func FuzzDecodeQueue(f *testing.F) {
	valid := validQueueFile(f)
	f.Add(valid)
	f.Add(appendQueue(nil, nil))
	f.Add(valid[:len(valid)-1])
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := decodeQueue(iso8583.SpecASCII, b)
		if err != nil {
			var qe *QueueFileError
			if !errors.As(err, &qe) {
				t.Fatalf("decodeQueue(%x) = %v, want a *QueueFileError", b, err)
			}
			return
		}
		if got := appendQueue(nil, recs); !bytes.Equal(got, b) {
			t.Fatalf("appendQueue(decodeQueue(%x)) = %x", b, got)
		}
		for _, r := range recs {
			if err := storable(r.m); err != nil {
				t.Fatalf("decoded a message that may not be stored: %v", err)
			}
		}
		for n := range len(b) {
			if _, err := decodeQueue(iso8583.SpecASCII, b[:n]); err == nil {
				t.Fatalf("decodeQueue(%x), a strict prefix of a valid file, succeeded", b[:n])
			}
		}
	})
}
