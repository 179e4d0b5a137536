package main

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/examples/host/acquirer"
	"github.com/posflow/posflow/iso8583"
)

// TestChipTraffic checks the prepared chip requests with emv/issuer, as
// an issuer would: each ARQC verifies under the issuer master key with the
// version its issuer application data names, each terminal's card has an
// ATC that rises by one with each request, and the expected issuer
// authentication data is an ARPC that verifies, of the length of its
// method.
func TestChipTraffic(t *testing.T) {
	tr, err := Prepare(len(chipVersions)+1, 200, DefaultCards, 11)
	if err != nil {
		t.Fatal(err)
	}
	versions := map[issuer.CVN]int{}
	declined := 0
	for i, script := range tr.Scripts {
		pan, atc := "", 0
		for _, rq := range script {
			msg, err := rq.message()
			if err != nil {
				t.Fatal(err)
			}
			f55, ok := msg.Field(55)
			if !ok {
				if rq.auth != nil {
					t.Fatalf("terminal %d STAN %s: an ARPC expected without chip data", i, msg.Text(11))
				}
				continue
			}
			stan := msg.Text(11)
			if msg.Text(22) != "051" || msg.Text(23) != "001" {
				t.Errorf("terminal %d STAN %s: entry mode %s, PSN %s; want 051, 001", i, stan, msg.Text(22), msg.Text(23))
			}
			if pan == "" {
				pan = msg.Text(2)
			} else if msg.Text(2) != pan {
				t.Fatalf("terminal %d uses two chip cards", i)
			}
			data, err := issuer.ParseField55(f55)
			if err != nil {
				t.Fatalf("terminal %d STAN %s: %v", i, stan, err)
			}
			cvn, err := issuer.Verify(cardsim.TestIMK, pan, "01", data)
			if err != nil {
				t.Fatalf("terminal %d STAN %s: ARQC does not verify: %v", i, stan, err)
			}
			if want := chipVersions[i%len(chipVersions)].cvn; cvn != want {
				t.Errorf("terminal %d: %s, want %s", i, cvn, want)
			}
			versions[cvn]++
			if got := int(data[issuer.TagATC][0])<<8 | int(data[issuer.TagATC][1]); got != atc+1 {
				t.Errorf("terminal %d STAN %s: ATC %d after %d", i, stan, got, atc)
			} else {
				atc = got
			}
			// Tag 91: ARPC ‖ ARC (method 1: 8 + 2 bytes) or ARPC ‖ CSU
			// (method 2: 4 + 4 bytes).
			n, size := 8, 10
			if cvn.ARPCMethod() == 2 {
				n, size = 4, 8
			}
			if len(rq.auth) != size {
				t.Fatalf("terminal %d STAN %s: tag 91 of %d bytes for %s, want %d", i, stan, len(rq.auth), cvn, size)
			}
			arc := rq.auth[n:]
			if err := issuer.VerifyARPC(cvn, cardsim.TestIMK, pan, "01", data, data[issuer.TagApplicationCryptogram], arc, rq.auth[:n]); err != nil {
				t.Errorf("terminal %d STAN %s: expected ARPC does not verify: %v", i, stan, err)
			}
			if rq.want != "00" {
				declined++
			}
		}
	}
	for _, v := range chipVersions {
		if versions[v.cvn] == 0 {
			t.Errorf("no %s in the traffic (%v)", v.cvn, versions)
		}
	}
	if declined == 0 {
		t.Error("no declined chip request: the ARPC of a decline is not exercised")
	}
}

// TestARPCChecked drives chip traffic at the host through a proxy handler
// that alters one byte of the ARPC in each answer: every chip answer is
// counted unexpected, none verified.
func TestARPCChecked(t *testing.T) {
	tr, err := Prepare(4, 40, DefaultCards, 13)
	if err != nil {
		t.Fatal(err)
	}
	chip := chipRequests(tr)
	h, err := acquirer.New(*tr.Config)
	if err != nil {
		t.Fatal(err)
	}
	tamper := iso8583.HandlerFunc(func(ctx context.Context, req *iso8583.Message) *iso8583.Message {
		resp := h.ServeISO8583(ctx, req)
		f55, ok := resp.Field(55)
		if !ok {
			return resp
		}
		f55 = slices.Clone(f55)
		f55[2] ^= 0x01 // the first byte of the value of 91, which comes first
		m := resp.Clone()
		m.Set(55, f55)
		return m
	})
	srv := &iso8583.Server{Handler: tamper}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	res, err := Drive(context.Background(), tr, ln.Addr().String(), TargetMemory, Options{Timeout: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	if serr := <-served; !errors.Is(serr, iso8583.ErrServerClosed) {
		t.Errorf("Serve = %v", serr)
	}
	h.Shutdown(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if chip == 0 || res.Unexpected != chip || res.ARPCs != 0 {
		t.Errorf("altered ARPCs: %d unexpected, %d verified; want %d, 0", res.Unexpected, res.ARPCs, chip)
	}
}

// chipRequests returns the number of chip requests in tr, whose answers
// must carry an ARPC.
func chipRequests(tr *Traffic) int {
	n := 0
	for _, s := range tr.Scripts {
		for _, rq := range s {
			if rq.auth != nil {
				n++
			}
		}
	}
	return n
}
