package scenario

import (
	"context"
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
	var d net.Dialer
	host, err := d.DialContext(ctx, "tcp", l.Addr)
	if err != nil {
		return nil, err
	}
	term, mid := net.Pipe()
	go l.pump(host, mid, true)
	go l.pump(mid, host, false)
	return term, nil
}

// pump copies frames from src to dst, losing those the switches say, and
// closes both ends when either fails.
func (l *Link) pump(dst, src net.Conn, toHost bool) {
	defer dst.Close()
	defer src.Close()
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
	}
}
