package c2_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

// chunkCard answers SELECT of the PPSE and of the Mastercard AID, then
// every other command with the next chunk of its script: a length byte,
// that many bytes of response data, and 9000.
type chunkCard struct{ script []byte }

func (c *chunkCard) Transmit(cmd []byte) ([]byte, error) {
	if len(cmd) > 5 && cmd[1] == 0xA4 {
		name := cmd[5 : 5+int(cmd[4])]
		if bytes.Equal(name, entrypoint.PPSE) {
			e := tlvOf(0x61, tlvOf(0x4F, mustHex("A0000000041010")))
			return append(tlvOf(0x6F, append(tlvOf(0x84, name), tlvOf(0xA5, tlvOf(0xBF0C, e))...)), 0x90, 0x00), nil
		}
		return append(tlvOf(0x6F, append(tlvOf(0x84, name), tlvOf(0xA5, tlvOf(0x50, []byte("MC")))...)), 0x90, 0x00), nil
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

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func tlvOf(tag uint32, v []byte) []byte {
	var b []byte
	for t := tag; t != 0; t >>= 8 {
		b = append([]byte{byte(t)}, b...)
	}
	if len(v) < 0x80 {
		b = append(b, byte(len(v)))
	} else {
		b = append(b, 0x81, byte(len(v)))
	}
	return append(b, v...)
}

// FuzzKernel2 feeds Kernel 2 arbitrary GPO, READ RECORD and GENERATE AC
// responses: it must return an outcome and never panic, and never approve
// without a cryptogram. The seeds are the public Mastercard transcripts
// when the shared folder is there.
func FuzzKernel2(f *testing.F) {
	f.Add(append([]byte{0x0E}, mustHex("770C820219809406100101011801")...))
	for _, name := range []string{"mock-msc-online.json", "mock-msc-offline-2.json", "mock-msc-ms-mode.json"} {
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
		Combinations: []entrypoint.Combination{{AID: mustHex("A000000004"), Kernel: entrypoint.Kernel2,
			FloorLimit: entrypoint.LimitOf(8000), CVMRequiredLimit: entrypoint.LimitOf(1000)}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{entrypoint.Kernel2: &c2.Kernel{
			Terminal: emv.Terminal{Type: 0x22}, CVMRequired: 0x60, NoCVMRequired: 0x08, Security: 0x08,
		}},
		CAPKs: oda.TestKeys(),
		Time:  func() time.Time { return time.Date(2020, 3, 16, 0, 0, 0, 0, time.UTC) },
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		c := *cfg
		c.Rand = bytes.NewReader([]byte{0xAB, 0xAB, 0xAB, 0xAB})
		o := entrypoint.Process(context.Background(), &chunkCard{script: script}, &c, emv.Transaction{Amount: 9000, Currency: [2]byte{0x08, 0x40}})
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
