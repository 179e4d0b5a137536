package entrypoint_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/entrypoint"
)

const (
	visa    = "A0000000031010"
	mc      = "A0000000041010"
	maestro = "A0000000043060"
	other   = "B012345678"
)

func config(k2, k3 entrypoint.Kernel) *entrypoint.Config {
	return &entrypoint.Config{
		Combinations: []entrypoint.Combination{
			{AID: h("A000000003"), Kernel: entrypoint.Kernel3, TransactionLimit: entrypoint.LimitOf(20000),
				FloorLimit: entrypoint.LimitOf(8000), CVMRequiredLimit: entrypoint.LimitOf(8000),
				TTQ: entrypoint.TTQ{0x24, 0x00, 0x40, 0x00}, TTQPresent: true},
			{AID: h("A000000004"), Kernel: entrypoint.Kernel2, TransactionLimit: entrypoint.LimitOf(50000),
				CVMRequiredLimit: entrypoint.LimitOf(1000)},
		},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{entrypoint.Kernel2: k2, entrypoint.Kernel3: k3},
	}
}

func TestProcess(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string][]byte
		amount   uint64
		txnType  emv.TransactionType
		outcomes map[string]entrypoint.OutcomeType
		mod      func(*entrypoint.Config)
		want     entrypoint.OutcomeType
		wantErr  error
		selected []string // after the PPSE
		kernel   entrypoint.KernelID
	}{
		{
			name:     "highest priority first, non-scheme AID skipped",
			files:    map[string][]byte{"PPSE": ppseFCI(entry(other, 1, ""), entry(maestro, 3, ""), entry(mc, 2, "")), mc: adfFCI(mc)},
			amount:   100,
			want:     entrypoint.Approved,
			selected: []string{mc},
			kernel:   entrypoint.Kernel2,
		},
		{
			name:     "entries without priority come last",
			files:    map[string][]byte{"PPSE": ppseFCI(entry(visa, 0, ""), entry(mc, 15, "")), mc: adfFCI(mc)},
			amount:   100,
			want:     entrypoint.Approved,
			selected: []string{mc},
			kernel:   entrypoint.Kernel2,
		},
		{
			name:     "kernel identifier 03 on a Mastercard AID: no combination",
			files:    map[string][]byte{"PPSE": ppseFCI(entry(mc, 1, "03"), entry(visa, 2, "")), visa: adfFCI(visa)},
			amount:   100,
			want:     entrypoint.Approved,
			selected: []string{visa},
			kernel:   entrypoint.Kernel3,
		},
		{
			name:     "Select Next goes to the next candidate",
			files:    map[string][]byte{"PPSE": ppseFCI(entry(mc, 1, "02"), entry(maestro, 2, "02")), mc: adfFCI(mc), maestro: adfFCI(maestro)},
			outcomes: map[string]entrypoint.OutcomeType{mc: entrypoint.SelectNext},
			amount:   100,
			want:     entrypoint.Approved,
			selected: []string{mc, maestro},
			kernel:   entrypoint.Kernel2,
		},
		{
			name:     "failed final SELECT goes to the next candidate",
			files:    map[string][]byte{"PPSE": ppseFCI(entry(mc, 1, ""), entry(visa, 2, "")), visa: adfFCI(visa)},
			amount:   100,
			want:     entrypoint.Approved,
			selected: []string{mc, visa},
			kernel:   entrypoint.Kernel3,
		},
		{
			name:     "every candidate fails: End Application",
			files:    map[string][]byte{"PPSE": ppseFCI(entry(mc, 1, ""))},
			amount:   100,
			want:     entrypoint.EndApplication,
			wantErr:  entrypoint.ErrNoCandidate,
			selected: []string{mc},
		},
		{
			name:    "no PPSE: End Application",
			files:   map[string][]byte{},
			amount:  100,
			want:    entrypoint.EndApplication,
			wantErr: entrypoint.ErrNoPPSE,
		},
		{
			name:    "no matching entry: End Application",
			files:   map[string][]byte{"PPSE": ppseFCI(entry(other, 1, ""))},
			amount:  100,
			want:    entrypoint.EndApplication,
			wantErr: entrypoint.ErrNoCandidate,
		},
		{
			name:    "over every transaction limit: Try Another Interface",
			files:   map[string][]byte{"PPSE": ppseFCI(entry(mc, 1, ""))},
			amount:  60000,
			want:    entrypoint.TryAnotherInterface,
			wantErr: entrypoint.ErrNoCombination,
		},
		{
			name:     "over the Visa limit only: Mastercard still allowed",
			files:    map[string][]byte{"PPSE": ppseFCI(entry(visa, 1, ""), entry(mc, 2, "")), mc: adfFCI(mc)},
			amount:   30000,
			want:     entrypoint.Approved,
			selected: []string{mc},
			kernel:   entrypoint.Kernel2,
		},
		{
			name:    "transaction type not configured",
			files:   map[string][]byte{"PPSE": ppseFCI(entry(mc, 1, ""))},
			amount:  100,
			txnType: emv.TransactionType(0x20),
			mod: func(c *entrypoint.Config) {
				for i := range c.Combinations {
					c.Combinations[i].TransactionTypes = []emv.TransactionType{0x00}
				}
			},
			want:    entrypoint.TryAnotherInterface,
			wantErr: entrypoint.ErrNoCombination,
		},
		{
			name: "extended selection appended to the ADF name",
			files: map[string][]byte{
				"PPSE":      ppseFCI(tlvOf(0x61, tlvOf(0x4F, h(mc)), tlvOf(0x9F29, h("0102")))),
				mc + "0102": adfFCI(mc + "0102"),
			},
			mod:      func(c *entrypoint.Config) { c.Combinations[1].ExtendedSelection = true },
			amount:   100,
			want:     entrypoint.Approved,
			selected: []string{mc + "0102"},
			kernel:   entrypoint.Kernel2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range tt.files {
				if k == "PPSE" {
					k = "325041592E5359532E4444463031"
				}
				files[k] = v
			}
			card := &mapCard{files: files}
			k2 := &stubKernel{outcomes: tt.outcomes}
			k3 := &stubKernel{outcomes: tt.outcomes}
			cfg := config(k2, k3)
			if tt.mod != nil {
				tt.mod(cfg)
			}
			o := entrypoint.Process(context.Background(), card, cfg, emv.Transaction{Amount: tt.amount, Type: tt.txnType})
			if o.Type != tt.want || !errors.Is(o.Err, tt.wantErr) || (tt.wantErr == nil && o.Err != nil) {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, want %v (%v)", o, tt.want, tt.wantErr)
			}
			var selected []string
			if len(card.selected) > 0 {
				selected = card.selected[1:]
			}
			if !slices.Equal(selected, tt.selected) {
				t.Errorf("selected %v, want %v", selected, tt.selected)
			}
			if o.Kernel != tt.kernel {
				t.Errorf("kernel %d, want %d", o.Kernel, tt.kernel)
			}
			if o.UIRequest == nil {
				t.Errorf("no user interface request")
			}
		})
	}
}

// TestProcessIndicators checks that the activated kernel receives the
// pre-processing of its own combination.
func TestProcessIndicators(t *testing.T) {
	card := &mapCard{files: map[string][]byte{"325041592E5359532E4444463031": ppseFCI(entry(visa, 1, "")), visa: adfFCI(visa)}}
	k3 := &stubKernel{}
	o := entrypoint.Process(context.Background(), card, config(&stubKernel{}, k3), emv.Transaction{Amount: 9000})
	if o.Type != entrypoint.Approved || len(k3.activations) != 1 {
		t.Fatalf("outcome %v, %d activations", o, len(k3.activations))
	}
	got := k3.activations[0].Indicators
	want := entrypoint.Indicators{FloorLimitExceeded: true, CVMRequiredLimitExceeded: true, TTQ: entrypoint.TTQ{0x24, 0xC0, 0x40, 0x00}, TTQPresent: true}
	if got != want {
		t.Errorf("indicators %v, want %v", got, want)
	}
}

func TestProcessCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	card := &mapCard{files: map[string][]byte{"325041592E5359532E4444463031": ppseFCI(entry(visa, 1, "")), visa: adfFCI(visa)}}
	o := entrypoint.Process(ctx, card, config(&stubKernel{}, &stubKernel{}), emv.Transaction{Amount: 100})
	if o.Type != entrypoint.EndApplication || !errors.Is(o.Err, entrypoint.ErrCancelled) {
		t.Fatalf("outcome %v, want End Application: cancelled", o)
	}
}
