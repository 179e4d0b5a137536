package scenario

import (
	"context"
	"io"
	"net"
	"sync"

	"github.com/posflow/posflow/iso8583"
)

// A Link is the network between the terminal and the host, with a switch
// that loses the host's next authorisation response: the way a scenario
// makes the host "not answer in time" without touching the host. Use its
// Dial as pos.Config.Dial.
type Link struct {
	// Addr is the host's TCP address.
	Addr string
	// Framing is the framing of the connection.
	Framing iso8583.Framing

	mu   sync.Mutex
	drop int
}

// DropNextResponse makes the link lose the next 0110 or 0210 the host
// sends.
func (l *Link) DropNextResponse() {
	l.mu.Lock()
	l.drop++
	l.mu.Unlock()
}

func (l *Link) dropping(msg []byte) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.drop > 0 && len(msg) >= 4 && (string(msg[:4]) == "0210" || string(msg[:4]) == "0110") {
		l.drop--
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
	go func() {
		io.Copy(host, mid)
		host.Close()
	}()
	go func() {
		defer mid.Close()
		var buf []byte
		for {
			tpdu, msg, err := l.Framing.ReadFrame(host, nil)
			if err != nil {
				return
			}
			if l.dropping(msg) {
				continue
			}
			if buf, err = l.Framing.AppendFrame(buf[:0], tpdu, msg); err != nil {
				return
			}
			if _, err := mid.Write(buf); err != nil {
				return
			}
		}
	}()
	return term, nil
}
