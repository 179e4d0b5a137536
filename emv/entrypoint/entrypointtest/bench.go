package entrypointtest

import (
	"bytes"
	"context"
	"testing"

	"github.com/posflow/posflow/emv/entrypoint"
)

// BenchmarkTap runs complete taps of tr through Entry Point with cfg and
// the kernels it holds, with the trace on and off (sub-benchmarks trace
// and notrace), and fails unless each is approved. cfg.Rand is set to
// give tr's unpredictable number; cfg is not otherwise changed.
func BenchmarkTap(b *testing.B, tr *Transcript, cfg *entrypoint.Config) {
	for _, trace := range []bool{true, false} {
		name := "trace"
		if !trace {
			name = "notrace"
		}
		b.Run(name, func(b *testing.B) {
			c := *cfg
			c.NoTrace = !trace
			txn := tr.Transaction()
			b.ReportAllocs()
			for b.Loop() {
				c.Rand = bytes.NewReader(tr.UN)
				o := entrypoint.Process(context.Background(), NewCard(tr), &c, txn)
				if o.Type != entrypoint.Approved {
					b.Fatal(o)
				}
			}
		})
	}
}

// BenchmarkReplay runs tr's exchanges with the replay card and no kernel:
// the floor under which a tap cannot go, the peer of BenchmarkTap.
func BenchmarkReplay(b *testing.B, tr *Transcript) {
	b.ReportAllocs()
	for b.Loop() {
		if err := Replay(tr); err != nil {
			b.Fatal(err)
		}
	}
}
