package c2_test

import (
	"testing"

	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
)

// BenchmarkTap runs a complete tap of the public M/Chip CDA transcript:
// Entry Point, Kernel 2, CA, issuer and ICC certificates and the CDA
// signature; with and without the trace.
func BenchmarkTap(b *testing.B) {
	tr := entrypointtest.Fixture(b, "mock-msc-offline.json")
	entrypointtest.BenchmarkTap(b, tr, mcConfig(tr, 0x26, 900000, tvr("DC50000000")))
}

// BenchmarkReplayOnly is the peer: the same exchanges with the replay
// card and no kernel, the floor under which a tap cannot go in this setup.
func BenchmarkReplayOnly(b *testing.B) {
	entrypointtest.BenchmarkReplay(b, entrypointtest.Fixture(b, "mock-msc-offline.json"))
}
