package scenario

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/posflow/posflow/iso8583"
)

// A Link is the network between the terminal and the host, with switches
// that lose the next authorisation request on its way to the host, or the
// host's next authorisation response on its way back: the ways a scenario
// makes the host "not answer in time" without touching the host. Use its
// Dial as pos.Config.Dial.
type Link struct {
	// Addr is the host's TCP address.
	Addr string
	// Framing is the framing of the connection.
	Framing iso8583.Framing

	mu                      sync.Mutex
	dropRequest, dropAnswer int
	cutAfterAnswer          int
	cut                     bool
	conns                   map[net.Conn]bool
}

// ErrLinkCut is the error of Dial while the link is cut.
var ErrLinkCut = errors.New("scenario: link to the host cut")

// CutAfterNextResponse makes the link go down right after it delivers the
// next 0110 or 0210: the connection closes and dials fail until Restore,
// so that what the terminal queues next stays in its queue.
func (l *Link) CutAfterNextResponse() {
	l.mu.Lock()
	l.cutAfterAnswer++
	l.mu.Unlock()
}

// Restore brings a cut link back.
func (l *Link) Restore() {
	l.mu.Lock()
	l.cut = false
	l.mu.Unlock()
}

// cutting reports whether msg, just delivered to the terminal, cuts the
// link, and if so cuts it.
func (l *Link) cutting(msg []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cutAfterAnswer > 0 && len(msg) >= 4 && (string(msg[:4]) == "0110" || string(msg[:4]) == "0210") {
		l.cutAfterAnswer--
		l.cut = true
		for c := range l.conns {
			c.Close()
		}
	}
}

// DropNextResponse makes the link lose the next 0110 or 0210 the host
// sends: the host has decided, the terminal never learns what.
func (l *Link) DropNextResponse() {
	l.mu.Lock()
	l.dropAnswer++
	l.mu.Unlock()
}

// DropNextRequest makes the link lose the next 0100 or 0200 the terminal
// sends: the host never sees it.
func (l *Link) DropNextRequest() {
	l.mu.Lock()
	l.dropRequest++
	l.mu.Unlock()
}

// dropping reports whether msg is to be lost, and counts it.
func (l *Link) dropping(msg []byte, toHost bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, mtis := &l.dropAnswer, [2]string{"0110", "0210"}
	if toHost {
		n, mtis = &l.dropRequest, [2]string{"0100", "0200"}
	}
	if *n > 0 && len(msg) >= 4 && (string(msg[:4]) == mtis[0] || string(msg[:4]) == mtis[1]) {
		*n--
		return true
	}
	return false
}

// Dial connects to the host through the link.
func (l *Link) Dial(ctx context.Context, _ string) (net.Conn, error) {
	l.mu.Lock()
	cut := l.cut
	l.mu.Unlock()
	if cut {
		return nil, ErrLinkCut
	}
	var d net.Dialer
	host, err := d.DialContext(ctx, "tcp", l.Addr)
	if err != nil {
		return nil, err
	}
	term, mid := net.Pipe()
	l.mu.Lock()
	if l.conns == nil {
		l.conns = map[net.Conn]bool{}
	}
	l.conns[host], l.conns[mid] = true, true
	l.mu.Unlock()
	go l.pump(host, mid, true)
	go l.pump(mid, host, false)
	return term, nil
}

// pump copies frames from src to dst, losing those the switches say, and
// closes both ends when either fails.
func (l *Link) pump(dst, src net.Conn, toHost bool) {
	defer func() {
		dst.Close()
		src.Close()
		l.mu.Lock()
		delete(l.conns, dst)
		delete(l.conns, src)
		l.mu.Unlock()
	}()
	var buf []byte
	for {
		tpdu, msg, err := l.Framing.ReadFrame(src, nil)
		if err != nil {
			return
		}
		if l.dropping(msg, toHost) {
			continue
		}
		if buf, err = l.Framing.AppendFrame(buf[:0], tpdu, msg); err != nil {
			return
		}
		if _, err := dst.Write(buf); err != nil {
			return
		}
		if !toHost {
			l.cutting(msg)
		}
	}
}
