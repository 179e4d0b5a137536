package pos

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/posflow/posflow/iso8583"
)

// The batch file holds the terminal's batch, so that it survives the end
// of its process: the purchases kept since the last settlement, and the
// settlement under way, if any. It is a log: every change is one record
// appended and synced before the terminal acts on it (prints the receipt,
// sends the 0500 or the first 0320), and the file is rewritten whole
// (temporary file, sync, rename, directory sync, as the store-and-forward
// queue file) when a settlement ends, so that it never holds more than one
// day's batch:
//
//	magic     4 bytes  "PBAT"
//	version   1 byte   1
//	records, each:
//	  length  4 bytes  big endian, of type and payload, 1 to maxBatchRecord
//	  check   4 bytes  length with every bit inverted
//	  type    1 byte   'E', 'S', 'U' or 'P'
//	  payload length-1 bytes
//	  sum     32 bytes SHA-256 of the previous record's sum (of magic and
//	                   version for the first record), length, check, type
//	                   and payload
//
// An 'E' record is a purchase kept in the batch:
//
//	flags     1 byte   bit 0 offline, bit 1 advice, bit 2 reversed
//	amount    8 bytes  big endian, minor units
//	time      8 bytes  big endian, Unix nanoseconds; 0 for none
//	STAN, PAN, entry mode, RRN, auth code, transmission time: each one
//	          byte of length and its characters (6 digits; up to 19
//	          digits; up to 3 digits; up to 12 and up to 6 printable ASCII
//	          characters; none or 10 digits)
//
// An 'S' record begins a settlement: two bytes (big endian) giving how
// many purchases it settles, all those kept before it, then its 0500,
// packed with the terminal's iso8583.Spec. A 'U' record follows it when
// the host answered that 0500 out of balance: the two characters of the
// answer's code and one of its field 66 (0 for none), the second 0500
// (two bytes of length, the message), the number of 0320s (two bytes) and
// each 0320 (two bytes of length, the message). A 'P' record follows the
// 'U' for each 0320 the host answered, in order: two bytes, the index of
// that 0320. No 'E' follows an 'S': the terminal takes no payment while it
// settles.
//
// The file holds no track data, PIN block, card expiry or chip data, but
// it holds each purchase's PAN in clear, which the 0320 batch upload
// carries, as the queue file holds the PAN of its reversals and advices:
// it is cardholder data under PCI DSS, to be kept, like the queue file,
// on the terminal's protected storage (file mode 0600, encrypted at rest
// in a terminal in service) and deleted with the batch.
//
// A crash can leave only the last record incomplete, since every record
// is synced before the next is written. OpenBatch drops such a torn
// record, and cuts the file after the last whole one: the terminal goes
// on as if that last change had not happened, which it had not acted on
// yet. A record is torn when the file ends in its header or before its
// end, when it ends the file and fails its sum, or when what follows the
// last whole record is zero bytes only (space the file system allocated
// but never wrote). Anything else that does not decode is a
// *BatchFileError.
const (
	// MaxBatch is the most purchases a batch holds; Pay refuses a
	// payment with ErrBatchFull when the batch might go over it, and the
	// terminal must settle first.
	MaxBatch = 2000

	batchMagic      = "PBAT"
	batchVersion    = 1
	batchHeaderLen  = len(batchMagic) + 1
	batchRecordHead = 4 + 4
	batchSumLen     = sha256.Size

	recEntry    = 'E'
	recSettle   = 'S'
	recUpload   = 'U'
	recUploaded = 'P'

	entryOffline  = 1 << 0
	entryAdvice   = 1 << 1
	entryReversed = 1 << 2

	// maxEntryRecord is the longest 'E' record: type, flags, amount,
	// time and six strings.
	maxEntryRecord = 1 + 1 + 8 + 8 + 6 + 6 + 19 + 3 + 12 + 6 + 10
	// maxBatchRecord is the longest record of any type: a 'U' with an
	// 0320 for every purchase of a full batch.
	maxBatchRecord = 1 + 3 + 2 + MaxQueuedMessage + 2 + MaxBatch*(2+MaxQueuedMessage)
	// maxBatchFile bounds the file read at open, before anything is
	// decoded: a full batch, an 'S', a 'U' and a 'P' for each upload.
	maxBatchFile = batchHeaderLen + MaxBatch*(batchRecordHead+maxEntryRecord+batchSumLen) +
		batchRecordHead + 1 + 2 + MaxQueuedMessage + batchSumLen +
		batchRecordHead + maxBatchRecord + batchSumLen +
		MaxBatch*(batchRecordHead+1+2+batchSumLen)
)

var (
	// ErrBatchCorrupt is matched (errors.Is) by every BatchFileError: the
	// batch file cannot be trusted, and the terminal must not start over
	// it, since its totals would not be those of its batch.
	ErrBatchCorrupt = errors.New("pos: batch file corrupt")
	// ErrBatchFull is returned by Pay when the batch holds so many
	// purchases that the next might not fit: settle first.
	ErrBatchFull = errors.New("pos: batch full: settle before the next payment")
)

// A BatchFileError reports a batch file that cannot be decoded.
type BatchFileError struct {
	Path   string // empty when decoding bytes without a file
	Offset int    // of the offending byte
	Reason string
	Err    error // the underlying error, if any (an iso8583 error)
}

func (e *BatchFileError) Error() string {
	return fileError("batch file", e.Path, e.Offset, e.Reason, e.Err)
}

// Unwrap returns ErrBatchCorrupt and the underlying error.
func (e *BatchFileError) Unwrap() []error { return unwrapFile(ErrBatchCorrupt, e.Err) }

// A BatchFile keeps a terminal's batch in a file (Config.BatchFile). The
// terminal is its only writer: every change is on disk when the terminal
// acts on it. One process at a time may open a batch file.
type BatchFile struct {
	path string
	spec *iso8583.Spec

	mu    sync.Mutex
	state batchState // what the file holds
	size  int64      // its length, 0 before it exists
	sum   [batchSumLen]byte
	// broken is set when an append failed and could not be undone: the
	// file may end in a partial record, and nothing more is appended.
	broken  error
	dropped int
}

// batchState is what a batch file holds.
type batchState struct {
	entries []Entry
	settle  *savedSettlement
}

// savedSettlement is a settlement under way, as the file holds it.
type savedSettlement struct {
	n     int              // purchases it settles: the first n entries
	first *iso8583.Message // its 0500, as first sent
	// After an out-of-balance answer: its code and field 66, the 0320s
	// and the second 0500; uploaded is false before.
	uploaded       bool
	code           iso8583.ResponseCode
	settlementCode string
	uploads        []*iso8583.Message
	second         *iso8583.Message
	// progress is how many of uploads the host answered, one 'P' record
	// each.
	progress int
}

// OpenBatch opens the batch file at path, its messages packed with spec
// (nil means iso8583.SpecASCII), and reads the batch it holds. A missing
// file is an empty batch, created on the first change. A torn last record
// is dropped and cut from the file (Dropped); a file that cannot be
// decoded otherwise returns a *BatchFileError (matching ErrBatchCorrupt).
func OpenBatch(path string, spec *iso8583.Spec) (*BatchFile, error) {
	if spec == nil {
		spec = iso8583.SpecASCII
	}
	f := &BatchFile{path: path, spec: spec}
	// A temporary file left by a crash during a rewrite is the change
	// that never happened: the file at path is the batch.
	stale, _ := filepath.Glob(path + ".tmp-*")
	for _, name := range stale {
		os.Remove(name)
	}
	file, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pos: batch file: %w", err)
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("pos: batch file: %w", err)
	}
	if fi.Size() > int64(maxBatchFile) {
		return nil, &BatchFileError{Path: path, Offset: maxBatchFile, Reason: fmt.Sprintf("file of %d bytes, longer than any batch", fi.Size())}
	}
	b := make([]byte, fi.Size())
	if _, err := file.ReadAt(b, 0); err != nil && len(b) > 0 {
		return nil, fmt.Errorf("pos: batch file: %w", err)
	}
	st, good, sum, err := decodeBatch(spec, b)
	if err != nil {
		var be *BatchFileError
		if errors.As(err, &be) {
			be.Path = path
		}
		return nil, err
	}
	if good < len(b) {
		// Cut the torn record, so that the next one follows the last
		// whole record.
		if err := file.Truncate(int64(good)); err != nil {
			return nil, fmt.Errorf("pos: batch file: %w", err)
		}
		if err := file.Sync(); err != nil {
			return nil, fmt.Errorf("pos: batch file: %w", err)
		}
	}
	f.state, f.size, f.sum, f.dropped = st, int64(good), sum, len(b)-good
	return f, nil
}

// Path returns the batch file's path.
func (f *BatchFile) Path() string { return f.path }

// Dropped returns the length of the torn last record OpenBatch dropped,
// zero if none.
func (f *BatchFile) Dropped() int { return f.dropped }

// Batch returns a copy of the purchases the file holds.
func (f *BatchFile) Batch() Batch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return Batch{Entries: append([]Entry(nil), f.state.entries...)}
}

// settlement returns the settlement under way the file holds, or nil.
func (f *BatchFile) settlement() *savedSettlement {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state.settle == nil {
		return nil
	}
	s := *f.state.settle
	return &s
}

// add appends e. A nil f keeps nothing.
func (f *BatchFile) add(e Entry) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state.settle != nil {
		return errors.New("pos: batch file: purchase kept while settling")
	}
	if len(f.state.entries) >= MaxBatch {
		return ErrBatchFull
	}
	rec, err := appendEntryRecord(nil, e)
	if err != nil {
		return err
	}
	if err := f.append(rec); err != nil {
		return err
	}
	f.state.entries = append(f.state.entries, e)
	return nil
}

// begin appends the start of a settlement of the first n purchases with
// its 0500, first.
func (f *BatchFile) begin(n int, first *iso8583.Message) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state.settle != nil || n != len(f.state.entries) {
		return fmt.Errorf("pos: batch file: settlement of %d purchases begun over %d, settling %t", n, len(f.state.entries), f.state.settle != nil)
	}
	rec := []byte{recSettle}
	rec = binary.BigEndian.AppendUint16(rec, uint16(n))
	rec, err := f.appendMessage(rec, first, 0)
	if err != nil {
		return err
	}
	if err := f.append(rec); err != nil {
		return err
	}
	f.state.settle = &savedSettlement{n: n, first: first}
	return nil
}

// upload appends the host's out-of-balance answer to the first 0500 with
// the 0320s and the second 0500 the terminal sends after it.
func (f *BatchFile) upload(answer *iso8583.Response, uploads []*iso8583.Message, second *iso8583.Message) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state.settle
	switch {
	case s == nil || s.uploaded:
		return errors.New("pos: batch file: upload outside a settlement")
	case len(answer.Code) != 2 || len(answer.SettlementCode) > 1 || !printable(string(answer.Code)) || !printable(answer.SettlementCode):
		return fmt.Errorf("pos: batch file: answer %q, field 66 %q", string(answer.Code), answer.SettlementCode)
	case len(uploads) > s.n:
		return fmt.Errorf("pos: batch file: %d uploads of %d purchases", len(uploads), s.n)
	}
	rec := append([]byte{recUpload}, answer.Code...)
	sc := byte(0)
	if answer.SettlementCode != "" {
		sc = answer.SettlementCode[0]
	}
	rec = append(rec, sc)
	rec, err := f.appendMessage(rec, second, 2)
	if err != nil {
		return err
	}
	rec = binary.BigEndian.AppendUint16(rec, uint16(len(uploads)))
	for _, m := range uploads {
		if rec, err = f.appendMessage(rec, m, 2); err != nil {
			return err
		}
	}
	if err := f.append(rec); err != nil {
		return err
	}
	u := *s
	u.uploaded, u.code, u.settlementCode = true, answer.Code, answer.SettlementCode
	u.uploads, u.second = uploads, second
	f.state.settle = &u
	return nil
}

// uploadAnswered appends that the host answered the 0320 uploads[i], the
// next one not answered.
func (f *BatchFile) uploadAnswered(i int) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.state.settle
	if s == nil || !s.uploaded || i != s.progress || i >= len(s.uploads) {
		return fmt.Errorf("pos: batch file: upload %d answered out of order", i)
	}
	if err := f.append(binary.BigEndian.AppendUint16([]byte{recUploaded}, uint16(i))); err != nil {
		return err
	}
	u := *s
	u.progress++
	f.state.settle = &u
	return nil
}

// end ends the settlement under way, if any, and leaves entries as the
// batch: the file is rewritten whole.
func (f *BatchFile) end(entries []Entry) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b := append([]byte(nil), batchMagic...)
	b = append(b, batchVersion)
	sum := sha256.Sum256(b)
	for _, e := range entries {
		rec, err := appendEntryRecord(nil, e)
		if err != nil {
			return err
		}
		b, sum = appendBatchRecord(b, sum, rec)
	}
	if err := writeFileAtomic(f.path, b); err != nil {
		return fmt.Errorf("pos: batch file: %w", err)
	}
	// The rewrite replaced whatever a failed append left.
	f.state = batchState{entries: append([]Entry(nil), entries...)}
	f.size, f.sum, f.broken = int64(len(b)), sum, nil
	return nil
}

// appendMessage appends m, packed, to rec: after a length of lenBytes
// bytes (0: m is the rest of the record). m must be a settlement message
// the file may hold.
func (f *BatchFile) appendMessage(rec []byte, m *iso8583.Message, lenBytes int) ([]byte, error) {
	if err := settlementMessage(m); err != nil {
		return nil, err
	}
	b, err := f.spec.Pack(m)
	if err != nil {
		return nil, fmt.Errorf("pos: batch file: %s: %w", string(m.MTI), err)
	}
	if len(b) > MaxQueuedMessage {
		return nil, fmt.Errorf("pos: batch file: %s of %d bytes, more than %d", string(m.MTI), len(b), MaxQueuedMessage)
	}
	if lenBytes == 2 {
		rec = binary.BigEndian.AppendUint16(rec, uint16(len(b)))
	}
	return append(rec, b...), nil
}

// append writes the record rec (type and payload) at the end of the file
// and syncs it, creating the file first if need be. f.mu is held.
func (f *BatchFile) append(rec []byte) (err error) {
	if f.broken != nil {
		return f.broken
	}
	if f.size == 0 {
		h := append([]byte(batchMagic), batchVersion)
		if err := writeFileAtomic(f.path, h); err != nil {
			return fmt.Errorf("pos: batch file: %w", err)
		}
		f.size, f.sum = int64(len(h)), sha256.Sum256(h)
	}
	b, sum := appendBatchRecord(nil, f.sum, rec)
	file, err := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("pos: batch file: %w", err)
	}
	defer func() {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("pos: batch file: %w", cerr)
		}
	}()
	if _, err = file.Write(b); err == nil {
		err = file.Sync()
	}
	if err != nil {
		// Undo what may have been written, so that the next record
		// does not follow a partial one.
		if terr := file.Truncate(f.size); terr != nil {
			f.broken = fmt.Errorf("pos: batch file: %w (and cannot undo the partial record: %v)", err, terr)
		} else if serr := file.Sync(); serr != nil {
			f.broken = fmt.Errorf("pos: batch file: %w (and cannot undo the partial record: %v)", err, serr)
		}
		return fmt.Errorf("pos: batch file: %w", err)
	}
	f.size += int64(len(b))
	f.sum = sum
	return nil
}

// appendBatchRecord appends the record rec (type and payload) with its
// header and sum, chained to prev, and returns the new sum.
func appendBatchRecord(dst []byte, prev [batchSumLen]byte, rec []byte) ([]byte, [batchSumLen]byte) {
	start := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(rec)))
	dst = binary.BigEndian.AppendUint32(dst, ^uint32(len(rec)))
	dst = append(dst, rec...)
	h := sha256.New()
	h.Write(prev[:])
	h.Write(dst[start:])
	var sum [batchSumLen]byte
	h.Sum(sum[:0])
	return append(dst, sum[:]...), sum
}

// appendEntryRecord appends the 'E' record of e, or returns why e cannot
// be kept.
func appendEntryRecord(dst []byte, e Entry) ([]byte, error) {
	if err := validEntry(e); err != nil {
		return nil, err
	}
	var flags byte
	if e.Offline {
		flags |= entryOffline
	}
	if e.Advice {
		flags |= entryAdvice
	}
	if e.Reversed {
		flags |= entryReversed
	}
	dst = append(dst, recEntry, flags)
	dst = binary.BigEndian.AppendUint64(dst, e.Amount)
	var ns int64
	if !e.Time.IsZero() {
		ns = e.Time.UnixNano()
	}
	dst = binary.BigEndian.AppendUint64(dst, uint64(ns))
	for _, s := range []string{e.STAN, e.PAN, e.EntryMode, e.RRN, e.AuthCode, e.Transmitted} {
		dst = append(dst, byte(len(s)))
		dst = append(dst, s...)
	}
	return dst, nil
}

// entryFields are the strings of an 'E' record, in order, with their
// longest length and whether they are digits (printable ASCII
// otherwise).
var entryFields = [6]struct {
	name    string
	min     int
	max     int
	numeric bool
}{
	{"STAN", 6, 6, true},
	{"PAN", 0, 19, true},
	{"entry mode", 0, 3, true},
	{"RRN", 0, 12, false},
	{"auth code", 0, 6, false},
	{"transmission time", 0, 10, true},
}

func validEntry(e Entry) error {
	for i, s := range []string{e.STAN, e.PAN, e.EntryMode, e.RRN, e.AuthCode, e.Transmitted} {
		if err := validField(i, s); err != nil {
			return fmt.Errorf("pos: batch file: purchase STAN %q: %s", e.STAN, err)
		}
	}
	// A time is kept as Unix nanoseconds, 0 for none: it must be one
	// that they represent, other than 0.
	if !e.Time.IsZero() && (e.Time.UnixNano() == 0 || !e.Time.Equal(time.Unix(0, e.Time.UnixNano()))) {
		return fmt.Errorf("pos: batch file: purchase STAN %q: time %v out of range", e.STAN, e.Time)
	}
	return nil
}

// validField reports why s cannot be string i of an 'E' record.
func validField(i int, s string) error {
	f := entryFields[i]
	if len(s) < f.min || len(s) > f.max || i == 5 && len(s) != 0 && len(s) != 10 {
		return fmt.Errorf("%s of %d characters", f.name, len(s))
	}
	if f.numeric && !numeric(s) || !f.numeric && !printable(s) {
		return fmt.Errorf("%s not %s", f.name, map[bool]string{true: "digits", false: "printable ASCII"}[f.numeric])
	}
	return nil
}

func numeric(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7E {
			return false
		}
	}
	return true
}

// settlementMessage reports why m may not be held in the batch file: not
// an 0500 or 0320 (or their repeats), invalid, or with track data, a PIN
// block or chip data, which the terminal's settlement messages never
// carry.
func settlementMessage(m *iso8583.Message) error {
	switch m.MTI {
	case iso8583.MTIReconciliationRequest, iso8583.MTIReconciliationRequestRepeat,
		iso8583.MTIBatchUpload, iso8583.MTIBatchUploadRepeat:
	default:
		return fmt.Errorf("pos: batch file: MTI %s is not an 0500 or 0320", string(m.MTI))
	}
	for _, id := range []int{35, 36, 45, 52, 55} {
		if m.Has(id) {
			return fmt.Errorf("pos: batch file: %s with field %d (card secrets or chip data)", string(m.MTI), id)
		}
	}
	if err := iso8583.Validate(m); err != nil {
		return fmt.Errorf("pos: batch file: %w", err)
	}
	return nil
}

// decodeBatch decodes a batch file. It returns the batch, the length of
// b up to the end of the last whole record (less than len(b) when the
// last record is torn) and that record's sum. It is strict otherwise:
// every sum must match, every length fit, every field be valid, and the
// records come in an order the terminal writes them. The records' lengths
// are not trusted to size anything: each is checked against what remains.
func decodeBatch(spec *iso8583.Spec, b []byte) (batchState, int, [batchSumLen]byte, error) {
	var st batchState
	var sum [batchSumLen]byte
	bad := func(off int, reason string, err error) error {
		return &BatchFileError{Offset: off, Reason: reason, Err: err}
	}
	if len(b) < batchHeaderLen {
		return st, 0, sum, bad(len(b), "truncated: shorter than the header", nil)
	}
	if string(b[:len(batchMagic)]) != batchMagic {
		return st, 0, sum, bad(0, "not a batch file (bad magic)", nil)
	}
	if v := b[len(batchMagic)]; v != batchVersion {
		return st, 0, sum, bad(len(batchMagic), fmt.Sprintf("version %d, want %d", v, batchVersion), nil)
	}
	sum = sha256.Sum256(b[:batchHeaderLen])
	off := batchHeaderLen
	for i := 0; off < len(b); i++ {
		rest := b[off:]
		if len(rest) < batchRecordHead || allZero(rest) {
			return st, off, sum, nil // torn
		}
		l := binary.BigEndian.Uint32(rest)
		if ^l != binary.BigEndian.Uint32(rest[4:]) {
			return st, 0, sum, bad(off, fmt.Sprintf("record %d: length and its check differ", i), nil)
		}
		if l == 0 || l > maxBatchRecord {
			return st, 0, sum, bad(off, fmt.Sprintf("record %d: length %d out of range", i, l), nil)
		}
		end := batchRecordHead + int(l) + batchSumLen
		if len(rest) < end {
			return st, off, sum, nil // torn
		}
		h := sha256.New()
		h.Write(sum[:])
		h.Write(rest[:batchRecordHead+int(l)])
		var got [batchSumLen]byte
		h.Sum(got[:0])
		if !bytes.Equal(got[:], rest[end-batchSumLen:end]) {
			if len(rest) == end {
				return st, off, sum, nil // torn
			}
			return st, 0, sum, bad(off+end-batchSumLen, fmt.Sprintf("record %d: sum mismatch", i), nil)
		}
		if err := st.apply(spec, rest[batchRecordHead:batchRecordHead+int(l)]); err != nil {
			var be *BatchFileError
			if errors.As(err, &be) {
				be.Offset += off + batchRecordHead
				be.Reason = fmt.Sprintf("record %d: %s", i, be.Reason)
			}
			return st, 0, sum, err
		}
		sum = got
		off += end
	}
	return st, off, sum, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// apply decodes the record rec (type and payload) and applies it to st.
// Offsets in its errors are from the start of rec.
func (st *batchState) apply(spec *iso8583.Spec, rec []byte) error {
	bad := func(off int, reason string, err error) error {
		return &BatchFileError{Offset: off, Reason: reason, Err: err}
	}
	c := batchCursor{b: rec}
	typ, _ := c.byte()
	switch typ {
	case recEntry:
		if st.settle != nil {
			return bad(0, "purchase kept while settling", nil)
		}
		if len(st.entries) >= MaxBatch {
			return bad(0, fmt.Sprintf("more than %d purchases", MaxBatch), nil)
		}
		e, err := parseEntry(&c)
		if err != nil {
			return err
		}
		st.entries = append(st.entries, e)
	case recSettle:
		if st.settle != nil {
			return bad(0, "settlement begun twice", nil)
		}
		n, ok := c.uint16()
		if !ok || n != len(st.entries) {
			return bad(1, fmt.Sprintf("settlement of %d purchases, %d kept", n, len(st.entries)), nil)
		}
		m, err := readMessage(spec, &c, c.rest(), iso8583.MTIReconciliationRequest)
		if err != nil {
			return err
		}
		st.settle = &savedSettlement{n: n, first: m}
	case recUpload:
		s := st.settle
		if s == nil || s.uploaded {
			return bad(0, "upload outside a settlement", nil)
		}
		u := *s
		u.uploaded = true
		code, ok := c.bytes(2)
		if !ok || !printable(string(code)) {
			return bad(c.off, "answer code", nil)
		}
		u.code = iso8583.ResponseCode(code)
		switch sc, ok := c.byte(); {
		case !ok || sc != 0 && !printable(string(sc)):
			return bad(c.off, "field 66", nil)
		case sc != 0:
			u.settlementCode = string(sc)
		}
		var err error
		if u.second, err = readLenMessage(spec, &c, iso8583.MTIReconciliationRequest); err != nil {
			return err
		}
		n, ok := c.uint16()
		if !ok || n > s.n {
			return bad(c.off, fmt.Sprintf("%d uploads of %d purchases", n, s.n), nil)
		}
		// n is at most MaxBatch, and every upload is read before it is
		// kept.
		for range n {
			m, err := readLenMessage(spec, &c, iso8583.MTIBatchUpload)
			if err != nil {
				return err
			}
			u.uploads = append(u.uploads, m)
		}
		st.settle = &u
	case recUploaded:
		s := st.settle
		i, ok := c.uint16()
		if s == nil || !s.uploaded || !ok || i != s.progress || i >= len(s.uploads) {
			return bad(0, fmt.Sprintf("upload %d answered out of order", i), nil)
		}
		u := *s
		u.progress++
		st.settle = &u
	default:
		return bad(0, fmt.Sprintf("unknown record type %#02x", typ), nil)
	}
	if !c.empty() {
		return bad(c.off, fmt.Sprintf("%d bytes after the record's fields", len(c.b)-c.off), nil)
	}
	return nil
}

// parseEntry reads the payload of an 'E' record.
func parseEntry(c *batchCursor) (Entry, error) {
	var e Entry
	flags, ok := c.byte()
	if !ok || flags&^(entryOffline|entryAdvice|entryReversed) != 0 {
		return e, &BatchFileError{Offset: c.off, Reason: fmt.Sprintf("purchase: flags %#02x", flags)}
	}
	e.Offline, e.Advice, e.Reversed = flags&entryOffline != 0, flags&entryAdvice != 0, flags&entryReversed != 0
	amount, ok1 := c.uint64()
	ns, ok2 := c.uint64()
	if !ok1 || !ok2 {
		return e, &BatchFileError{Offset: c.off, Reason: "purchase: truncated"}
	}
	e.Amount = amount
	if ns != 0 {
		e.Time = time.Unix(0, int64(ns)).UTC()
	}
	var s [6]string
	for i := range s {
		off := c.off
		n, ok := c.byte()
		if !ok {
			return e, &BatchFileError{Offset: off, Reason: "purchase: truncated"}
		}
		v, ok := c.bytes(int(n))
		if !ok {
			return e, &BatchFileError{Offset: off, Reason: fmt.Sprintf("purchase: %s of %d bytes, %d left", entryFields[i].name, n, len(c.b)-c.off)}
		}
		if err := validField(i, string(v)); err != nil {
			return e, &BatchFileError{Offset: off, Reason: "purchase: " + err.Error()}
		}
		s[i] = string(v)
	}
	e.STAN, e.PAN, e.EntryMode, e.RRN, e.AuthCode, e.Transmitted = s[0], s[1], s[2], s[3], s[4], s[5]
	return e, nil
}

// readLenMessage reads a message after its two bytes of length.
func readLenMessage(spec *iso8583.Spec, c *batchCursor, mti iso8583.MTI) (*iso8583.Message, error) {
	off := c.off
	n, ok := c.uint16()
	if !ok || n == 0 || n > MaxQueuedMessage {
		return nil, &BatchFileError{Offset: off, Reason: fmt.Sprintf("message length %d out of range", n)}
	}
	if len(c.b)-c.off < n {
		return nil, &BatchFileError{Offset: off, Reason: fmt.Sprintf("message length %d, %d bytes left", n, len(c.b)-c.off)}
	}
	return readMessage(spec, c, n, mti)
}

// readMessage reads a message of n bytes: an mti or its repeat that the
// file may hold.
func readMessage(spec *iso8583.Spec, c *batchCursor, n int, mti iso8583.MTI) (*iso8583.Message, error) {
	off := c.off
	if n == 0 || n > MaxQueuedMessage {
		return nil, &BatchFileError{Offset: off, Reason: fmt.Sprintf("message length %d out of range", n)}
	}
	raw, _ := c.bytes(n)
	m, err := spec.Unpack(raw)
	if err != nil {
		return nil, &BatchFileError{Offset: off, Reason: "message", Err: err}
	}
	if m.MTI.Original() != mti {
		return nil, &BatchFileError{Offset: off, Reason: fmt.Sprintf("MTI %s, want %s", string(m.MTI), string(mti))}
	}
	// The message is rebuilt without its Raw: the client signs it again
	// when it sends it.
	fresh := iso8583.NewMessage(m.MTI)
	for id, v := range m.All() {
		fresh.Set(id, v)
	}
	if err := settlementMessage(fresh); err != nil {
		return nil, &BatchFileError{Offset: off, Reason: "message", Err: err}
	}
	// Strict: the bytes are those the terminal packed, so that the file
	// reads back to the same bytes.
	if b, err := spec.Pack(fresh); err != nil || !bytes.Equal(b, raw) {
		return nil, &BatchFileError{Offset: off, Reason: "message: not in the spec's own encoding", Err: err}
	}
	return fresh, nil
}

// batchCursor reads a record's fields: each read reports whether the
// bytes were there, and returns sub-slices of the record.
type batchCursor struct {
	b   []byte
	off int
}

func (c *batchCursor) bytes(n int) ([]byte, bool) {
	if n < 0 || len(c.b)-c.off < n {
		return nil, false
	}
	v := c.b[c.off : c.off+n]
	c.off += n
	return v, true
}

func (c *batchCursor) byte() (byte, bool) {
	v, ok := c.bytes(1)
	if !ok {
		return 0, false
	}
	return v[0], true
}

func (c *batchCursor) uint16() (int, bool) {
	v, ok := c.bytes(2)
	if !ok {
		return 0, false
	}
	return int(binary.BigEndian.Uint16(v)), true
}

func (c *batchCursor) uint64() (uint64, bool) {
	v, ok := c.bytes(8)
	if !ok {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

func (c *batchCursor) rest() int { return len(c.b) - c.off }

func (c *batchCursor) empty() bool { return c.off == len(c.b) }
