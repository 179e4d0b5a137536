package c3_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

// visaCard answers SELECT of the PPSE and of the Visa AID, with a PDOL
// asking for the TTQ, amount, currency and unpredictable number, then
// every other command with the next chunk of script.
func visaCard(script []byte) *entrypointtest.ScriptCard {
	return entrypointtest.NewScriptCard(h("A0000000031010"), h("9F3808"+"9F66049F02065F2A029F3704"), script)
}

// FuzzKernel3 feeds Kernel 3 arbitrary GPO responses and records: it must
// return an outcome and never panic. The seeds are the public Visa
// transcripts when the shared folder is there, and a hand-made online
// response.
func FuzzKernel3(f *testing.F) {
	f.Add(append([]byte{byte(len(h(t77(online))))}, h(t77(online))...))
	for _, name := range []string{"mock-visa-offline.json", "mock-visa-online.json"} {
		if tr, err := entrypointtest.ReadFixture(name); err == nil {
			f.Add(tr.Script())
		}
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
		o := entrypoint.Process(context.Background(), visaCard(script), &c, emv.Transaction{Amount: 200, Currency: [2]byte{0x08, 0x40}})
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
		o := entrypoint.Restart(context.Background(), visaCard(answers), &c, emv.Transaction{Amount: 100},
			&emv.OnlineResponse{Approved: true, IssuerAuthData: h("00112233445566773030"), Scripts: scripts})
		if o == nil || o.Type == 0 {
			t.Fatal("no outcome")
		}
		if r, ok := o.Value(0x9F5B); ok && len(r)%5 != 0 {
			t.Fatalf("script results %X not 5 bytes a script", r)
		}
	})
}
