package c3_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
)

// seeded is a deterministic random source for the simulated card's keys.
type seeded struct{ r *rand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

var simOnce = sync.OnceValues(func() (*oda.CAPK, error) {
	_, capk, err := newSim(cardsim.QVSDCProfile{})
	return capk, err
})

// newSim makes a simulated qVSDC card; the keys come from a fixed seed, so
// every card of a test run shares one CA key.
func newSim(p cardsim.QVSDCProfile) (*cardsim.QVSDCCard, *oda.CAPK, error) {
	p.Rand = seeded{rand.NewChaCha8([32]byte{'p', 'o', 's', 'f', 'l', 'o', 'w'})}
	p.PAN = []byte{0x47, 0x61, 0x73, 0x00, 0x00, 0x00, 0x00, 0x19}
	p.Expiry = [3]byte{0x30, 0x12, 0x31}
	if p.OfflineLimit == 0 {
		p.OfflineLimit = 5000
	}
	return cardsim.NewQVSDC(p)
}

// simConfig: floor limit 50.00, CVM required limit 100.00, transaction
// limit 200.00; a reader with online PIN, signature and consumer device
// CVM.
func simConfig(t *testing.T) *entrypoint.Config {
	capk, err := simOnce()
	if err != nil {
		t.Fatal(err)
	}
	store, err := oda.NewStore(capk)
	if err != nil {
		t.Fatal(err)
	}
	return &entrypoint.Config{
		Combinations: []entrypoint.Combination{{
			AID: []byte{0xA0, 0, 0, 0, 0x03}, Kernel: entrypoint.Kernel3,
			TransactionLimit: entrypoint.LimitOf(20000), FloorLimit: entrypoint.LimitOf(5000),
			CVMRequiredLimit: entrypoint.LimitOf(10000),
			TTQ:              entrypoint.TTQ{0x26, 0x00, 0x40, 0x00}, TTQPresent: true,
		}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{entrypoint.Kernel3: &c3.Kernel{
			Terminal: emv.Terminal{CountryCode: [2]byte{0x08, 0x26}},
		}},
		CAPKs: store,
		Rand:  seeded{rand.NewChaCha8([32]byte{1})},
		Time:  func() time.Time { return time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC) },
	}
}

// TestSimulatedCard runs the tap scenarios of issue 11 against the
// simulated card: approved offline under the floor limit, online over it,
// online PIN or signature over the CVM required limit, declined, and over
// the transaction limit.
func TestSimulatedCard(t *testing.T) {
	if testing.Short() {
		t.Skip("generates RSA keys")
	}
	tests := []struct {
		name    string
		profile cardsim.QVSDCProfile
		amount  uint64
		want    entrypoint.OutcomeType
		cvm     entrypoint.CVM
		wantErr error
	}{
		{"offline under the floor limit", cardsim.QVSDCProfile{}, 1500, entrypoint.Approved, entrypoint.NoCVM, nil},
		{"online over the floor limit", cardsim.QVSDCProfile{}, 6000, entrypoint.OnlineRequest, entrypoint.NoCVM, nil},
		{"over the CVM limit, card asks for online PIN", cardsim.QVSDCProfile{CTQ: [2]byte{0x80, 0x00}}, 12000, entrypoint.OnlineRequest, entrypoint.OnlinePIN, nil},
		{"over the CVM limit, card asks for a signature", cardsim.QVSDCProfile{CTQ: [2]byte{0x40, 0x00}}, 12000, entrypoint.OnlineRequest, entrypoint.Signature, nil},
		{"signature under the CVM limit, offline", cardsim.QVSDCProfile{CTQ: [2]byte{0x40, 0x00}}, 1500, entrypoint.Approved, entrypoint.Signature, nil},
		{"over the CVM limit, no CVM possible", cardsim.QVSDCProfile{}, 12000, entrypoint.Declined, entrypoint.CVMNA, c3.ErrCVM},
		{"card offline limit lower than the reader's: online", cardsim.QVSDCProfile{OfflineLimit: 1000}, 1500, entrypoint.OnlineRequest, entrypoint.NoCVM, nil},
		{"card declines", cardsim.QVSDCProfile{Decline: true}, 1500, entrypoint.Declined, entrypoint.CVMNA, nil},
		{"over the transaction limit", cardsim.QVSDCProfile{}, 25000, entrypoint.TryAnotherInterface, entrypoint.CVMNA, entrypoint.ErrNoCombination},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card, _, err := newSim(tt.profile)
			if err != nil {
				t.Fatal(err)
			}
			o := entrypoint.Process(context.Background(), card, simConfig(t), emv.Transaction{Amount: tt.amount, Currency: [2]byte{0x08, 0x26}})
			if o.Type != tt.want || o.CVM != tt.cvm || !errors.Is(o.Err, tt.wantErr) {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, want %v with CVM %v (%v)", o, tt.want, tt.cvm, tt.wantErr)
			}
			if _, ok := o.Value(0x9F26); ok {
				verifyCryptogram(t, o)
			}
		})
	}
}

// verifyCryptogram checks the cryptogram of the data record as the issuer
// does: the simulated card derives its keys from cardsim.TestIMK and
// makes Visa CVN 18 cryptograms.
func verifyCryptogram(t *testing.T, o *entrypoint.Outcome) {
	t.Helper()
	data, err := issuer.ParseField55(o.DataRecord)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := data[issuer.TagAID]; !ok {
		data[issuer.TagAID] = o.AID // the terminal adds it to field 55
	}
	cvn, err := issuer.Verify(cardsim.TestIMK, "4761730000000019", cardsim.QVSDCPSN, data)
	if err != nil || cvn != issuer.VisaCVN18 {
		t.Errorf("issuer.Verify = %v, %v; want Visa CVN 18", cvn, err)
	}
}

// TestIssuerUpdate: a reader and a card that support issuer update
// processing (TTQ byte 3 bit 8, CTQ byte 2 bit 7) go online and ask for a
// second tap; on it the kernel sends EXTERNAL AUTHENTICATE and the issuer
// script commands and reports the issuer's decision and the script results.
func TestIssuerUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("generates RSA keys")
	}
	card, _, err := newSim(cardsim.QVSDCProfile{CTQ: [2]byte{0x00, 0x40}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := simConfig(t)
	cfg.Combinations[0].TTQ[2] |= 0x80
	txn := emv.Transaction{Amount: 6000, Currency: [2]byte{0x08, 0x26}}
	o := entrypoint.Process(context.Background(), card, cfg, txn)
	if o.Type != entrypoint.OnlineRequest || o.Start != entrypoint.StartB {
		t.Fatalf("first tap: %v, want Online Request, start B", o)
	}
	scripts := h("72 1C 9F1804 00000001 86 0D 84DA9F5808 1122334455667788 86 04 84240000" +
		"71 0E 9F1804 00000002 86 05 841EFF0000")
	online := &emv.OnlineResponse{Approved: true, IssuerAuthData: h("00112233445566773030"), Scripts: scripts}
	o = entrypoint.Restart(context.Background(), card, cfg, txn, online)
	if o.Type != entrypoint.Approved {
		for _, e := range o.Trace {
			t.Log(e)
		}
		t.Fatalf("second tap: %v, want Approved", o)
	}
	if r, _ := o.Value(0x9F5B); hexOf(r) != "20000000011100000002" {
		t.Errorf("issuer script results %X, want 2000000001 1100000002", r)
	}
	if len(card.IssuerCommands) != 4 {
		t.Errorf("%d issuer commands, want EXTERNAL AUTHENTICATE and 3 script commands", len(card.IssuerCommands))
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789ABCDEF"
	s := make([]byte, 0, 2*len(b))
	for _, c := range b {
		s = append(s, digits[c>>4], digits[c&15])
	}
	return string(s)
}
