// Package connbench measures the round trip of the 0200 of BenchmarkPurchase0200
// on loopback through github.com/moov-io/iso8583-connection v0.9.0 and through
// posflow's own Client and Server, in one run, for the transport decision
// recorded in the iso8583 package documentation. It is a module of its own so
// that posflow does not depend on iso8583-connection:
//
//	cd iso8583/testdata/connbench && go test -run '^$' -bench . -benchmem -count 5 -cpu 1
package connbench

import (
	"context"
	"encoding/hex"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	moov "github.com/moov-io/iso8583"
	connection "github.com/moov-io/iso8583-connection"
	"github.com/moov-io/iso8583-connection/server"
	"github.com/moov-io/iso8583/network"
	"github.com/posflow/posflow/iso8583"
)

func purchase(tb testing.TB) []byte {
	b, err := os.ReadFile("../golden/ascii_0200.txt")
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if h, ok := strings.CutPrefix(l, "frame: "); ok {
			f, _ := hex.DecodeString(h)
			return f[4:] // ASCII4 header
		}
	}
	tb.Fatal("no frame")
	return nil
}

func readLen(r io.Reader) (int, error) {
	h := network.NewBinary2BytesHeader()
	_, err := h.ReadFrom(r)
	return h.Length(), err
}

func writeLen(w io.Writer, n int) (int, error) {
	h := network.NewBinary2BytesHeader()
	h.SetLength(n)
	return h.WriteTo(w)
}

var echoed = []int{2, 3, 4, 7, 11, 12, 13, 32, 37, 41, 42, 49}

func BenchmarkMoovConnectionRoundTrip(b *testing.B) {
	spec := iso8583.SpecASCII.Moov()
	srv := server.New(spec, readLen, writeLen, connection.InboundMessageHandler(func(c *connection.Connection, req *moov.Message) {
		resp := moov.NewMessage(spec)
		resp.MTI("0210")
		for _, id := range echoed {
			if v, err := req.GetString(id); err == nil && v != "" {
				resp.Field(id, v)
			}
		}
		resp.Field(38, "A1B2C3")
		resp.Field(39, "00")
		c.Reply(resp)
	}))
	if err := srv.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c, err := connection.New(srv.Addr, spec, readLen, writeLen)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Connect(); err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	m := moov.NewMessage(spec)
	if err := m.Unpack(purchase(b)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Send(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPosflowRoundTrip(b *testing.B) {
	mux := iso8583.NewServeMux()
	mux.HandleFunc(iso8583.MTIFinancialRequest, func(ctx context.Context, req *iso8583.Message) *iso8583.Message {
		resp := iso8583.NewMessage("0210")
		for _, id := range echoed {
			if v, ok := req.Field(id); ok {
				resp.Set(id, v)
			}
		}
		resp.SetString(38, "A1B2C3")
		resp.SetString(39, "00")
		return resp
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &iso8583.Server{Handler: mux}
	go srv.Serve(l)
	defer srv.Close()
	c := iso8583.NewClient(iso8583.ClientConfig{Addr: l.Addr().String()})
	defer c.Close()
	m, err := iso8583.SpecASCII.Unpack(purchase(b))
	if err != nil {
		b.Fatal(err)
	}
	v, _ := m.Field(64)
	m.Set(64, v) // forget Raw so that every Send packs, as moov's does
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Send(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
}
