package c2_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

// TestCDAFailure: a spoilt signature, a wrong cryptogram beside it or a
// missing CA key declines after GENERATE AC, with "CDA failed" in the TVR
// of the data record.
func TestCDAFailure(t *testing.T) {
	tr := entrypointtest.Fixture(t, "mock-msc-offline.json")
	last := len(tr.APDUs) - 1
	tests := []struct {
		name string
		mod  func(*entrypointtest.Transcript, *entrypoint.Config)
	}{
		{"signature spoilt", func(tr *entrypointtest.Transcript, _ *entrypoint.Config) {
			r := bytes.Clone(tr.APDUs[last].Response)
			i := bytes.Index(r, []byte{0x9F, 0x4B, 0x81, 0x80})
			r[i+20] ^= 0x01
			tr.APDUs[last].Response = r
		}},
		{"no CA public keys", func(_ *entrypointtest.Transcript, cfg *entrypoint.Config) { cfg.CAPKs = nil }},
		{"CA public key of another index only", func(_ *entrypointtest.Transcript, cfg *entrypoint.Config) {
			keys := oda.TestKeys()
			var others []*oda.CAPK
			for _, k := range keys.Keys() {
				if k.Index != 0xF3 {
					others = append(others, k)
				}
			}
			s, err := oda.NewStore(others...)
			if err != nil {
				t.Fatal(err)
			}
			cfg.CAPKs = s
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *tr
			c.APDUs = append([]entrypointtest.Exchange(nil), tr.APDUs...)
			cfg := mcConfig(&c, 0x26, 900000, tvr("DC50000000"))
			tt.mod(&c, cfg)
			card := entrypointtest.NewCard(&c)
			o := entrypoint.Process(context.Background(), card, cfg, c.Transaction())
			if err := card.Err(); err != nil {
				t.Fatalf("replay: %v", err)
			}
			if o.Type != entrypoint.Declined || !errors.Is(o.Err, c2.ErrCDA) {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, want Declined: %v", o, c2.ErrCDA)
			}
			if tvr, _ := o.Value(0x95); len(tvr) != 5 || tvr[0]&0x04 == 0 {
				t.Errorf("TVR %X without CDA failed", tvr)
			}
		})
	}
}
