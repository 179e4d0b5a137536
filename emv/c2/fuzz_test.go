package c2_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// mastercardCard answers SELECT of the PPSE and of the Mastercard AID,
// without PDOL, then every other command with the next chunk of script.
func mastercardCard(script []byte) *entrypointtest.ScriptCard {
	return entrypointtest.NewScriptCard(mustHex("A0000000041010"), mustHex("50024D43"), script)
}

// FuzzKernel2 feeds Kernel 2 arbitrary GPO, READ RECORD and GENERATE AC
// responses: it must return an outcome and never panic, and never approve
// without a cryptogram. The seeds are the public Mastercard transcripts
// when the shared folder is there.
func FuzzKernel2(f *testing.F) {
	f.Add(append([]byte{0x0E}, mustHex("770C820219809406100101011801")...))
	for _, name := range []string{"mock-msc-online.json", "mock-msc-offline-2.json", "mock-msc-ms-mode.json"} {
		if tr, err := entrypointtest.ReadFixture(name); err == nil {
			f.Add(tr.Script())
		}
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
		o := entrypoint.Process(context.Background(), mastercardCard(script), &c, emv.Transaction{Amount: 9000, Currency: [2]byte{0x08, 0x40}})
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
