package c3_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

// chunkCard answers SELECT of the PPSE and of the Visa AID, then every
// other command with the next chunk of its script: a length byte, that
// many bytes of response data, and 9000.
type chunkCard struct{ script []byte }

func (c *chunkCard) Transmit(cmd []byte) ([]byte, error) {
	if len(cmd) > 5 && cmd[1] == 0xA4 {
		name := cmd[5 : 5+int(cmd[4])]
		if bytes.Equal(name, entrypoint.PPSE) {
			e := tlvOf(0x61, tlvOf(0x4F, h("A0000000031010")))
			return append(tlvOf(0x6F, append(tlvOf(0x84, name), tlvOf(0xA5, tlvOf(0xBF0C, e))...)), 0x90, 0x00), nil
		}
		pdol := h("9F66049F02065F2A029F3704")
		return append(tlvOf(0x6F, append(tlvOf(0x84, name), tlvOf(0xA5, tlvOf(0x9F38, pdol))...)), 0x90, 0x00), nil
	}
	if len(c.script) == 0 {
		return []byte{0x6A, 0x82}, nil
	}
	n := int(c.script[0])
	c.script = c.script[1:]
	if n > len(c.script) {
		n = len(c.script)
	}
	r := append(bytes.Clone(c.script[:n]), 0x90, 0x00)
	c.script = c.script[n:]
	return r, nil
}

func tlvOf(tag uint32, v []byte) []byte {
	var b []byte
	for t := tag; t != 0; t >>= 8 {
		b = append([]byte{byte(t)}, b...)
	}
	switch {
	case len(v) < 0x80:
		b = append(b, byte(len(v)))
	default:
		b = append(b, 0x81, byte(len(v)))
	}
	return append(b, v...)
}

// FuzzKernel3 feeds Kernel 3 arbitrary GPO responses and records: it must
// return an outcome and never panic. The seeds are the public Visa
// transcripts when the shared folder is there, and a hand-made online
// response.
func FuzzKernel3(f *testing.F) {
	f.Add(append([]byte{byte(len(h(t77(online))))}, h(t77(online))...))
	for _, name := range []string{"mock-visa-offline.json", "mock-visa-online.json"} {
		tr, err := entrypointtest.ReadTranscript(filepath.Join(fixtures, name))
		if err != nil {
			continue
		}
		var script []byte
		for _, e := range tr.APDUs[2:] {
			d := e.Response[:len(e.Response)-2]
			if len(d) > 255 {
				d = d[:255]
			}
			script = append(append(script, byte(len(d))), d...)
		}
		f.Add(script)
	}
	cfg := &entrypoint.Config{
		Combinations: []entrypoint.Combination{{AID: h("A000000003"), Kernel: entrypoint.Kernel3,
			TTQ: entrypoint.TTQ{0x26, 0x00, 0x40, 0x00}, TTQPresent: true, FloorLimit: entrypoint.LimitOf(8000)}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{entrypoint.Kernel3: &c3.Kernel{}},
		CAPKs:   oda.TestKeys(),
		Time:    func() time.Time { return time.Date(2019, 8, 19, 0, 0, 0, 0, time.UTC) },
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		c := *cfg
		c.Rand = bytes.NewReader([]byte{0xAB, 0xAB, 0xAB, 0xAB})
		o := entrypoint.Process(context.Background(), &chunkCard{script: script}, &c, emv.Transaction{Amount: 200, Currency: [2]byte{0x08, 0x40}})
		if o == nil || o.Type == 0 {
			t.Fatalf("no outcome")
		}
		if o.Type == entrypoint.Approved {
			if _, ok := o.Value(0x9F26); !ok {
				t.Fatalf("approved without a cryptogram")
			}
		}
	})
}

// FuzzIssuerUpdate feeds the issuer update processing of Kernel 3
// arbitrary issuer scripts and card answers: it must report an outcome and
// one result of 5 bytes a script template.
func FuzzIssuerUpdate(f *testing.F) {
	f.Add(h("721C9F180400000001860D84DA9F58081122334455667788860484240000710E9F180400000002860584 1EFF0000"), []byte{0, 0, 2, 0x6A, 0x80})
	f.Add([]byte{0x72, 0x00}, []byte{})
	cfg := &entrypoint.Config{
		Combinations: []entrypoint.Combination{{AID: h("A000000003"), Kernel: entrypoint.Kernel3,
			TTQ: entrypoint.TTQ{0x26, 0x00, 0xC0, 0x00}, TTQPresent: true}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{entrypoint.Kernel3: &c3.Kernel{}},
	}
	f.Fuzz(func(t *testing.T, scripts, answers []byte) {
		c := *cfg
		c.Rand = bytes.NewReader(make([]byte, 4))
		o := entrypoint.Restart(context.Background(), &chunkCard{script: answers}, &c, emv.Transaction{Amount: 100},
			&emv.OnlineResponse{Approved: true, IssuerAuthData: h("00112233445566773030"), Scripts: scripts})
		if o == nil || o.Type == 0 {
			t.Fatal("no outcome")
		}
		if r, ok := o.Value(0x9F5B); ok && len(r)%5 != 0 {
			t.Fatalf("script results %X not 5 bytes a script", r)
		}
	})
}
