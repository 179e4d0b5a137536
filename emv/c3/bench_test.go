package c3_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
)

// BenchmarkTap runs a complete tap of the public qVSDC fDDA transcript:
// Entry Point, Kernel 3, CA, issuer and ICC certificates and the fDDA
// signature; with and without the trace.
func BenchmarkTap(b *testing.B) {
	tr := entrypointtest.Fixture(b, "mock-visa-offline.json")
	for _, trace := range []bool{true, false} {
		name := "trace"
		if !trace {
			name = "notrace"
		}
		b.Run(name, func(b *testing.B) {
			cfg := visaConfig(tr)
			cfg.NoTrace = !trace
			txn := tr.Transaction()
			b.ReportAllocs()
			for b.Loop() {
				cfg.Rand = bytes.NewReader(tr.UN)
				o := entrypoint.Process(context.Background(), entrypointtest.NewCard(tr), cfg, txn)
				if o.Type != entrypoint.Approved {
					b.Fatal(o)
				}
			}
		})
	}
}

// BenchmarkReplayOnly is the peer: the same exchanges with the replay
// card and no kernel, the floor under which a tap cannot go in this setup.
func BenchmarkReplayOnly(b *testing.B) {
	tr := entrypointtest.Fixture(b, "mock-visa-offline.json")
	b.ReportAllocs()
	for b.Loop() {
		if err := entrypointtest.Replay(tr); err != nil {
			b.Fatal(err)
		}
	}
}
