package c3_test

import (
	"testing"

	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
)

// BenchmarkTap runs a complete tap of the public qVSDC fDDA transcript:
// Entry Point, Kernel 3, CA, issuer and ICC certificates and the fDDA
// signature; with and without the trace.
func BenchmarkTap(b *testing.B) {
	tr := entrypointtest.Fixture(b, "mock-visa-offline.json")
	entrypointtest.BenchmarkTap(b, tr, visaConfig(tr))
}

// BenchmarkReplayOnly is the peer: the same exchanges with the replay
// card and no kernel, the floor under which a tap cannot go in this setup.
func BenchmarkReplayOnly(b *testing.B) {
	entrypointtest.BenchmarkReplay(b, entrypointtest.Fixture(b, "mock-visa-offline.json"))
}
