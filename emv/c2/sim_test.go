package c2_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
)

type seeded struct{ r *rand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

// cvmList: online PIN if supported, else signature if supported, else no
// CVM; X = Y = 0.
var cvmList = []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x42, 0x03, 0x5E, 0x03, 0x1F, 0x03}

func simCard(t *testing.T, mod func(*entrypointtest.MChipProfile)) (*entrypointtest.MChipCard, *oda.Store) {
	t.Helper()
	p := entrypointtest.MChipProfile{
		Rand:      seeded{rand.NewChaCha8([32]byte{'m', 'c'})},
		PAN:       []byte{0x54, 0x13, 0x33, 0x00, 0x00, 0x00, 0x00, 0x17},
		Expiry:    [3]byte{0x30, 0x12, 0x31},
		CVMList:   cvmList,
		IACOnline: [5]byte{0xF4, 0x50, 0x84, 0x80, 0x0C},
		Currency:  [2]byte{0x09, 0x78},
	}
	if mod != nil {
		mod(&p)
	}
	card, capk, err := entrypointtest.NewMChipCard(p)
	if err != nil {
		t.Fatal(err)
	}
	store, err := oda.NewStore(capk)
	if err != nil {
		t.Fatal(err)
	}
	return card, store
}

// simConfig: floor limit 50.00, CVM required limit 30.00; CVM capability
// online PIN and signature over the limit, no CVM under it; CDA.
func simConfig(store *oda.Store, termType byte) (*entrypoint.Config, *c2.Kernel) {
	k := &c2.Kernel{
		Terminal:      emv.Terminal{CountryCode: [2]byte{0x02, 0x76}, Type: termType},
		CardDataInput: 0xE0, CVMRequired: 0x60, NoCVMRequired: 0x08, Security: 0x08,
		TACDenial:  emv.TVR{0x00, 0x40, 0x00, 0x00, 0x00},
		TACOnline:  emv.TVR{0xF4, 0x50, 0x84, 0x80, 0x0C},
		TACDefault: emv.TVR{0xF4, 0x50, 0x84, 0x80, 0x0C},
	}
	return &entrypoint.Config{
		Combinations: []entrypoint.Combination{{
			AID: []byte{0xA0, 0, 0, 0, 0x04}, Kernel: entrypoint.Kernel2,
			TransactionLimit: entrypoint.LimitOf(50000), FloorLimit: entrypoint.LimitOf(5000),
			CVMRequiredLimit: entrypoint.LimitOf(3000),
		}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{entrypoint.Kernel2: k},
		CAPKs:   store,
		Rand:    seeded{rand.NewChaCha8([32]byte{2})},
		Time:    func() time.Time { return time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC) },
	}, k
}

// TestSimulatedCard runs Kernel 2 against the simulated M/Chip card:
// each CVM of the list, the floor limit, the action codes, the card's
// own decision and an offline-only terminal.
func TestSimulatedCard(t *testing.T) {
	if testing.Short() {
		t.Skip("generates RSA keys")
	}
	tests := []struct {
		name     string
		profile  func(*entrypointtest.MChipProfile)
		kernel   func(*c2.Kernel)
		termType byte
		amount   uint64
		want     entrypoint.OutcomeType
		cvm      entrypoint.CVM
		cvmRes   string
		tvr      string
	}{
		{"under every limit: offline TC, no CVM", nil, nil, 0x22, 1000, entrypoint.Approved, entrypoint.NoCVM, "1F0302", "0000000001"},
		{"over the CVM limit: online PIN, ARQC", nil, nil, 0x22, 4000, entrypoint.OnlineRequest, entrypoint.OnlinePIN, "020300", "0000040001"},
		{"signature only over the CVM limit", nil, func(k *c2.Kernel) { k.CVMRequired = 0x20 }, 0x22, 4000, entrypoint.Approved, entrypoint.Signature, "1E0300", "0000000001"},
		{"no CVM capability at all: CVM failed, online", nil, func(k *c2.Kernel) { k.NoCVMRequired = 0 }, 0x22, 1000, entrypoint.OnlineRequest, entrypoint.NoCVM, "3F0001", "0000800001"},
		{"card without cardholder verification", func(p *entrypointtest.MChipProfile) { p.CVMList = nil }, nil, 0x22, 4000, entrypoint.Approved, entrypoint.NoCVM, "3F0000", "0000000001"},
		{"over the floor limit: ARQC", nil, nil, 0x22, 6000, entrypoint.OnlineRequest, entrypoint.OnlinePIN, "020300", "0000048001"},
		{"expired card: TAC denial, AAC without CDA", func(p *entrypointtest.MChipProfile) { p.Expiry = [3]byte{0x25, 0x12, 0x31} }, nil, 0x22, 1000, entrypoint.Declined, entrypoint.CVMNA, "1F0302", "8040000001"},
		{"card turns the TC into an ARQC", func(p *entrypointtest.MChipProfile) { p.Downgrade = true }, nil, 0x22, 1000, entrypoint.OnlineRequest, entrypoint.NoCVM, "1F0302", "0000000001"},
		{"offline-only terminal over the floor limit: default codes, AAC", nil, nil, 0x26, 6000, entrypoint.Declined, entrypoint.CVMNA, "020300", "8000048001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card, store := simCard(t, tt.profile)
			cfg, k := simConfig(store, tt.termType)
			if tt.kernel != nil {
				tt.kernel(k)
			}
			o := entrypoint.Process(context.Background(), card, cfg, emv.Transaction{Amount: tt.amount, Currency: [2]byte{0x09, 0x78}})
			if o.Type != tt.want || o.CVM != tt.cvm {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, want %v with CVM %v", o, tt.want, tt.cvm)
			}
			if v, _ := o.Value(0x9F34); hexOf(v) != tt.cvmRes {
				t.Errorf("CVM results %s, want %s", hexOf(v), tt.cvmRes)
			}
			if v, _ := o.Value(0x95); hexOf(v) != tt.tvr {
				t.Errorf("TVR %s, want %s", hexOf(v), tt.tvr)
			}
			if card.MagstripeRead != 0 {
				t.Errorf("the mag-stripe record was read in EMV mode")
			}
			if o.Err != nil && !errors.Is(o.Err, c2.ErrCDA) {
				t.Errorf("error %v", o.Err)
			}
		})
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
