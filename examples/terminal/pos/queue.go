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

	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/tlv"
)

// The store-and-forward queue file holds the reversals and advices a
// terminal has not yet had acknowledged, so that they survive the end of
// its process. It is rewritten whole on every change (written to a
// temporary file in the same directory, synced, renamed over the old one,
// and the directory synced), so that after a crash it holds either the
// queue before the change or the queue after it:
//
//	magic     4 bytes  "PSAF"
//	version   1 byte   1
//	count     2 bytes  big endian, at most MaxQueued
//	records   count times:
//	  flags   1 byte   bit 0: the bytes are as signed (MAC in field 64 or
//	                   128) and are sent as they are
//	  length  2 bytes  big endian, 1 to MaxQueuedMessage
//	  message length bytes, packed with the terminal's iso8583.Spec
//	checksum  32 bytes SHA-256 of everything before it
//
// Only reversals (0400, 0401, 0420, 0421) and advices (0220, 0221) that
// the iso8583 package validates are stored, and never one with track data
// (fields 35, 36, 45 or a track in field 55) or a PIN block (field 52):
// iso8583.Validate already forbids 35 and 52 in these messages, and
// NewReversal leaves track 2, the PIN block and the chip data out; the
// queue checks again, since the file outlives the transaction.
const (
	// MaxQueued is the most messages a FileQueue holds; Push refuses more
	// with ErrQueueFull. A terminal that cannot reach its host for that
	// many transactions has to stop taking offline payments.
	MaxQueued = 1000
	// MaxQueuedMessage is the longest packed message a FileQueue stores.
	MaxQueuedMessage = 4096

	queueMagic      = "PSAF"
	queueVersion    = 1
	queueHeaderLen  = len(queueMagic) + 1 + 2
	queueRecordHead = 1 + 2
	queueSumLen     = sha256.Size
	// maxQueueFile bounds the file read at open, before anything is
	// decoded.
	maxQueueFile = queueHeaderLen + MaxQueued*(queueRecordHead+MaxQueuedMessage) + queueSumLen

	flagSigned = 1 << 0
)

var (
	// ErrQueueFull is returned by FileQueue.Push when MaxQueued messages
	// wait already.
	ErrQueueFull = errors.New("pos: store-and-forward queue full")
	// ErrQueueCorrupt is matched (errors.Is) by every QueueFileError: the
	// queue file cannot be trusted, and the terminal must not start over
	// it, since it may hold reversals the host still owes the cardholder.
	ErrQueueCorrupt = errors.New("pos: store-and-forward queue file corrupt")
	// ErrNotStorable is returned by FileQueue.Push for a message that may
	// not be stored: not a reversal or advice, invalid, too long, or with
	// track data or a PIN block.
	ErrNotStorable = errors.New("pos: message may not be stored")
)

// A QueueFileError reports a queue file that cannot be decoded.
type QueueFileError struct {
	Path   string // empty when decoding bytes without a file
	Offset int    // of the offending byte
	Reason string
	Err    error // the underlying error, if any (an iso8583 error)
}

func (e *QueueFileError) Error() string {
	return fileError("store-and-forward queue file", e.Path, e.Offset, e.Reason, e.Err)
}

// Unwrap returns ErrQueueCorrupt and the underlying error.
func (e *QueueFileError) Unwrap() []error { return unwrapFile(ErrQueueCorrupt, e.Err) }

// fileError is the message of a QueueFileError or BatchFileError.
func fileError(what, path string, offset int, reason string, err error) string {
	s := "pos: " + what
	if path != "" {
		s += " " + path
	}
	s += fmt.Sprintf(": offset %d: %s", offset, reason)
	if err != nil {
		s += ": " + err.Error()
	}
	return s
}

// unwrapFile returns the errors a file error wraps: its sentinel and err.
func unwrapFile(sentinel, err error) []error {
	if err == nil {
		return []error{sentinel}
	}
	return []error{sentinel, err}
}

// A FileQueue is an iso8583.Queue kept in a file, so that reversals and
// advices survive a restart of the terminal. It is safe for concurrent
// use. Every change is on disk when the method returns; a change that
// could not be written returns its error and leaves the queue as it was.
type FileQueue struct {
	path string
	spec *iso8583.Spec

	mu   sync.Mutex
	recs []queueRecord
}

// queueRecord is one stored message and its packed bytes.
type queueRecord struct {
	m      *iso8583.Message
	b      []byte
	signed bool
}

// OpenQueue opens the queue file at path, packed with spec (nil means
// iso8583.SpecASCII), and reads the messages it holds. A missing file is
// an empty queue, created on the first change. A file that cannot be
// decoded returns a *QueueFileError (matching ErrQueueCorrupt). One
// process at a time may open a queue file.
func OpenQueue(path string, spec *iso8583.Spec) (*FileQueue, error) {
	if spec == nil {
		spec = iso8583.SpecASCII
	}
	q := &FileQueue{path: path, spec: spec}
	// A temporary file left by a crash during a write is the change that
	// never happened: the file at path is the queue.
	stale, _ := filepath.Glob(path + ".tmp-*")
	for _, name := range stale {
		os.Remove(name)
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return q, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pos: store-and-forward queue: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("pos: store-and-forward queue: %w", err)
	}
	if fi.Size() > int64(maxQueueFile) {
		return nil, &QueueFileError{Path: path, Offset: maxQueueFile, Reason: fmt.Sprintf("file of %d bytes, longer than any queue", fi.Size())}
	}
	b := make([]byte, fi.Size())
	if _, err := f.ReadAt(b, 0); err != nil && len(b) > 0 {
		return nil, fmt.Errorf("pos: store-and-forward queue: %w", err)
	}
	if q.recs, err = decodeQueue(spec, b); err != nil {
		var qe *QueueFileError
		if errors.As(err, &qe) {
			qe.Path = path
		}
		return nil, err
	}
	return q, nil
}

// Path returns the queue file's path.
func (q *FileQueue) Path() string { return q.path }

// Push appends m.
func (q *FileQueue) Push(m *iso8583.Message) error {
	r, err := q.record(m)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.recs) >= MaxQueued {
		return ErrQueueFull
	}
	return q.commit(append(q.recs[:len(q.recs):len(q.recs)], r))
}

// Front returns the oldest message, or nil.
func (q *FileQueue) Front() (*iso8583.Message, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.recs) == 0 {
		return nil, nil
	}
	return q.recs[0].m, nil
}

// ReplaceFront replaces the oldest message with m.
func (q *FileQueue) ReplaceFront(m *iso8583.Message) error {
	r, err := q.record(m)
	if err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.recs) == 0 {
		return nil
	}
	recs := append([]queueRecord{r}, q.recs[1:]...)
	return q.commit(recs)
}

// PopFront removes the oldest message.
func (q *FileQueue) PopFront() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.recs) == 0 {
		return nil
	}
	return q.commit(q.recs[1:])
}

// Len returns the number of messages.
func (q *FileQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.recs)
}

// record checks that m may be stored and packs it.
func (q *FileQueue) record(m *iso8583.Message) (queueRecord, error) {
	if err := storable(m); err != nil {
		return queueRecord{}, err
	}
	r := queueRecord{m: m, b: m.Raw(), signed: m.Raw() != nil}
	if r.b == nil {
		var err error
		if r.b, err = q.spec.Pack(m); err != nil {
			return queueRecord{}, fmt.Errorf("%w: %w", ErrNotStorable, err)
		}
	}
	if len(r.b) > MaxQueuedMessage {
		return queueRecord{}, fmt.Errorf("%w: %d bytes packed, more than %d", ErrNotStorable, len(r.b), MaxQueuedMessage)
	}
	return r, nil
}

// commit writes recs to the file and, once they are on disk, makes them
// the queue. q.mu is held.
func (q *FileQueue) commit(recs []queueRecord) error {
	if err := writeFileAtomic(q.path, appendQueue(nil, recs)); err != nil {
		return fmt.Errorf("pos: store-and-forward queue: %w", err)
	}
	q.recs = recs
	return nil
}

// storable reports why m may not be stored, or nil.
func storable(m *iso8583.Message) error {
	switch m.MTI {
	case iso8583.MTIFinancialAdvice, iso8583.MTIFinancialAdviceRepeat,
		iso8583.MTIReversalRequest, iso8583.MTIReversalRequestRepeat,
		iso8583.MTIReversalAdvice, iso8583.MTIReversalAdviceRepeat:
	default:
		return fmt.Errorf("%w: MTI %s is not a reversal or advice", ErrNotStorable, string(m.MTI))
	}
	for _, f := range []struct {
		id   int
		what string
	}{{35, "track 2"}, {36, "track 3"}, {45, "track 1"}, {52, "a PIN block"}} {
		if m.Has(f.id) {
			return fmt.Errorf("%w: field %d holds %s", ErrNotStorable, f.id, f.what)
		}
	}
	if icc, ok := m.Field(55); ok {
		if t, found := trackTag(icc); found {
			return fmt.Errorf("%w: field 55 holds tag %X (track data)", ErrNotStorable, uint32(t))
		}
	}
	if err := iso8583.Validate(m); err != nil {
		return fmt.Errorf("%w: %w", ErrNotStorable, err)
	}
	return nil
}

// trackTags are the EMV data objects that hold magnetic-stripe track data:
// Track 1 Data (56), Track 2 Equivalent Data (57), Track 1 and Track 2
// Discretionary Data (9F1F, 9F20), and Track 2 Data of the Mastercard
// mag-stripe mode (9F6B).
var trackTags = []tlv.Tag{0x56, 0x57, 0x9F1F, 0x9F20, 0x9F6B}

// trackTag returns the first track data object at the top level of icc.
// Field 55 that is not valid BER-TLV is left to iso8583.Validate.
func trackTag(icc []byte) (tlv.Tag, bool) {
	c := tlv.NewCursor(icc)
	for c.Next() {
		for _, t := range trackTags {
			if c.Tag() == t {
				return t, true
			}
		}
	}
	return 0, false
}

// appendQueue appends the file encoding of recs to dst.
func appendQueue(dst []byte, recs []queueRecord) []byte {
	start := len(dst)
	dst = append(dst, queueMagic...)
	dst = append(dst, queueVersion)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(recs)))
	for _, r := range recs {
		var flags byte
		if r.signed {
			flags |= flagSigned
		}
		dst = append(dst, flags)
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(r.b)))
		dst = append(dst, r.b...)
	}
	sum := sha256.Sum256(dst[start:])
	return append(dst, sum[:]...)
}

// decodeQueue decodes a queue file. It is strict: the checksum must match,
// every count and length must fit, every message must unpack with spec and
// be storable, and nothing may follow the last record.
func decodeQueue(spec *iso8583.Spec, b []byte) ([]queueRecord, error) {
	bad := func(off int, reason string, err error) error {
		return &QueueFileError{Offset: off, Reason: reason, Err: err}
	}
	if len(b) < queueHeaderLen+queueSumLen {
		return nil, bad(len(b), "truncated: shorter than header and checksum", nil)
	}
	body, sum := b[:len(b)-queueSumLen], b[len(b)-queueSumLen:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:]) {
		return nil, bad(len(body), "checksum mismatch", nil)
	}
	if string(body[:len(queueMagic)]) != queueMagic {
		return nil, bad(0, "not a queue file (bad magic)", nil)
	}
	if v := body[len(queueMagic)]; v != queueVersion {
		return nil, bad(len(queueMagic), fmt.Sprintf("version %d, want %d", v, queueVersion), nil)
	}
	n := int(binary.BigEndian.Uint16(body[len(queueMagic)+1:]))
	if n > MaxQueued {
		return nil, bad(len(queueMagic)+1, fmt.Sprintf("count %d over the limit of %d", n, MaxQueued), nil)
	}
	off := queueHeaderLen
	rest := body[off:]
	// The count is not trusted to size anything: each record must be
	// there before it is read.
	var recs []queueRecord
	for i := range n {
		if len(rest) < queueRecordHead {
			return nil, bad(off, fmt.Sprintf("record %d: truncated header", i), nil)
		}
		flags, l := rest[0], int(binary.BigEndian.Uint16(rest[1:3]))
		if flags&^flagSigned != 0 {
			return nil, bad(off, fmt.Sprintf("record %d: unknown flags %#02x", i, flags), nil)
		}
		if l == 0 || l > MaxQueuedMessage {
			return nil, bad(off+1, fmt.Sprintf("record %d: length %d out of range", i, l), nil)
		}
		if len(rest)-queueRecordHead < l {
			return nil, bad(off+1, fmt.Sprintf("record %d: length %d, %d bytes left", i, l, len(rest)-queueRecordHead), nil)
		}
		raw := rest[queueRecordHead : queueRecordHead+l]
		m, err := spec.Unpack(raw)
		if err != nil {
			return nil, bad(off+queueRecordHead, fmt.Sprintf("record %d: message", i), err)
		}
		signed := flags&flagSigned != 0
		if !signed {
			// Sent unsigned bytes would skip the client's MAC: the
			// message is rebuilt without its Raw, as it was pushed.
			fresh := iso8583.NewMessage(m.MTI)
			for id, v := range m.All() {
				fresh.Set(id, v)
			}
			m = fresh
		}
		if err := storable(m); err != nil {
			return nil, bad(off+queueRecordHead, fmt.Sprintf("record %d: message", i), err)
		}
		recs = append(recs, queueRecord{m: m, b: raw, signed: signed})
		off += queueRecordHead + l
		rest = rest[queueRecordHead+l:]
	}
	if len(rest) != 0 {
		return nil, bad(off, fmt.Sprintf("%d bytes after the last record", len(rest)), nil)
	}
	return recs, nil
}

// writeFileAtomic replaces the file at path with b: it writes a temporary
// file in the same directory, syncs it, renames it over path and syncs the
// directory, so that a crash leaves either the old file or the new one.
func writeFileAtomic(path string, b []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
