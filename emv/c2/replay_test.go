package c2_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// The public test-card transcripts are read with entrypointtest.Fixture
// from the shared folder beside the checkout (entrypointtest.FixtureDir);
// the tests skip when it is absent.

func tvr(s string) emv.TVR {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 5 {
		panic(s)
	}
	return emv.TVR(b)
}

// mcConfig is the reader configuration of a Mastercard transcript:
// terminal type, CVM required limit and TACs as the fixtures README gives
// them for the source's cfg_PPS_MChip1.json and cfg_PPS_Perf_MC.json.
func mcConfig(tr *entrypointtest.Transcript, termType byte, cvmLimit uint64, online emv.TVR) *entrypoint.Config {
	date := tr.DateTime()
	return &entrypoint.Config{
		Combinations: []entrypoint.Combination{{
			AID:              []byte{0xA0, 0, 0, 0, 0x04},
			Kernel:           entrypoint.Kernel2,
			TransactionLimit: entrypoint.LimitOf(900000),
			FloorLimit:       entrypoint.LimitOf(900000),
			CVMRequiredLimit: entrypoint.LimitOf(cvmLimit),
		}},
		Kernels: map[entrypoint.KernelID]entrypoint.Kernel{
			entrypoint.Kernel2: &c2.Kernel{
				Terminal: emv.Terminal{
					CountryCode:            [2]byte{0x00, 0x56},
					Type:                   termType,
					AdditionalCapabilities: [5]byte{0x60, 0x00, 0xF0, 0x00, 0x01},
				},
				CVMRequired:   0x60,
				NoCVMRequired: 0x08,
				Security:      0x08,
				TACDenial:     tvr("0400800000"),
				TACOnline:     online,
				TACDefault:    online,
				// the ICC dynamic number too, to check CDA's
				DataRecord: append(c2.DefaultDataRecord[:len(c2.DefaultDataRecord):len(c2.DefaultDataRecord)], 0x9F4C),
			},
		},
		CAPKs: oda.TestKeys(),
		Rand:  bytes.NewReader(tr.UN),
		Time:  func() time.Time { return date },
	}
}

func TestReplay(t *testing.T) {
	tests := []struct {
		file       string
		termType   byte
		cvmLimit   uint64
		tacOnline  string
		outcome    entrypoint.OutcomeType
		cvm        entrypoint.CVM
		cryptogram string // from inside the CDA signature
		idn        string
	}{
		// cfg_PPS_Perf_MC.json: terminal type 26, limits 9000.00,
		// TAC-online DC50000000.
		{"mock-msc-offline.json", 0x26, 900000, "DC50000000", entrypoint.Approved, entrypoint.NoCVM, "49C27A9F8E4BF538", "AB803A04B0BCA313"},
		// cfg_PPS_MChip1.json: CVM required limit 10.00.
		{"mock-msc-offline-2.json", 0x22, 1000, "DC50000000", entrypoint.OnlineRequest, entrypoint.NoCVM, "AC123456789ABCDE", "D0987654"},
		// cfg_PPS_MChip1.json: terminal type 22, CVM required limit
		// 10.00; the ARQC request needs a TAC-online with "online PIN
		// entered", as Mastercard's usual F45084800C has.
		{"mock-msc-online.json", 0x22, 1000, "F45084800C", entrypoint.OnlineRequest, entrypoint.OnlinePIN, "675B759BB5350F8C", "B39C5522F9D77FAD"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tr := entrypointtest.Fixture(t, tt.file)
			card := entrypointtest.NewCard(tr)
			o := entrypoint.Process(context.Background(), card, mcConfig(tr, tt.termType, tt.cvmLimit, tvr(tt.tacOnline)), tr.Transaction())
			if err := card.Err(); err != nil {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("replay: %v", err)
			}
			if !card.Done() {
				t.Errorf("replay stopped at command %d of %d", card.Next(), len(tr.APDUs))
			}
			if o.Type != tt.outcome || o.CVM != tt.cvm {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, want %v with CVM %v", o, tt.outcome, tt.cvm)
			}
			ac, _ := o.Value(0x9F26)
			if got := hex.EncodeToString(ac); got != lower(tt.cryptogram) {
				t.Errorf("9F26 = %s, want %s", got, tt.cryptogram)
			}
			if idn, _ := o.Value(0x9F4C); hex.EncodeToString(idn) != lower(tt.idn) {
				t.Errorf("9F4C = %x, want %s", idn, tt.idn)
			}
			if o.Kernel != entrypoint.Kernel2 {
				t.Errorf("kernel %d, want 2", o.Kernel)
			}
			// The trace never shows a PAN of the public test cards in clear.
			for _, e := range o.Trace {
				for _, pan := range entrypointtest.PublicPANs {
					if strings.Contains(strings.ToUpper(e.Text), pan) {
						t.Errorf("trace shows the PAN: %v", e)
					}
				}
			}
		})
	}
}

// TestReplayMagstripe replays the mag-stripe mode transcript: the whole
// AFL is read (no entry dropped), COMPUTE CRYPTOGRAPHIC CHECKSUM carries
// the UDOL data, and the outcome is an online request with CVC3 A2C4 and
// ATC 03F9. The transcript's 9F6A comes from the source project's own
// rule, not Book C-2's, so the test injects that rule.
func TestReplayMagstripe(t *testing.T) {
	tr := entrypointtest.Fixture(t, "mock-msc-ms-mode.json")
	card := entrypointtest.NewCard(tr)
	cfg := mcConfig(tr, 0x22, 1000, tvr("DC50000000"))
	k := cfg.Kernels[entrypoint.Kernel2].(*c2.Kernel)
	// The transcript was recorded without CDA in 9F33 (DF811F 00, as in
	// cfg_default_kernel2.json).
	k.Security = 0
	k.UnpredictableNumberNumeric = sourceUNN
	o := entrypoint.Process(context.Background(), card, cfg, tr.Transaction())
	if err := card.Err(); err != nil {
		for _, e := range o.Trace {
			t.Log(e)
		}
		t.Fatalf("replay: %v", err)
	}
	if !card.Done() {
		t.Errorf("replay stopped at command %d of %d", card.Next(), len(tr.APDUs))
	}
	if o.Type != entrypoint.OnlineRequest {
		t.Fatalf("outcome %v, want Online Request", o)
	}
	for tag, want := range map[uint32]string{0x9F61: "a2c4", 0x9F36: "03f9", 0x9F6A: "08680008"} {
		if v, _ := o.Value(tlv.Tag(tag)); hex.EncodeToString(v) != want {
			t.Errorf("%X = %x, want %s", tag, v, want)
		}
	}
	// The dynamic track 2 keeps the PAN, expiry and service code.
	t2, _ := o.Value(0x9F6B)
	if !strings.HasPrefix(strings.ToUpper(hex.EncodeToString(t2)), "5413339000001513D4912101") {
		t.Errorf("track 2 %X lost its static part", t2)
	}
	t.Logf("dynamic track 2 discretionary data: %X (not independently checked)", t2[12:])
	// The trace never shows the PAN in clear, in any data object.
	for _, e := range o.Trace {
		if strings.Contains(strings.ToUpper(e.Text), "5413339000001513") {
			t.Errorf("trace shows the PAN: %v", e)
		}
	}
}

// sourceUNN is the rule of the transcripts' source project: the decimal
// value of 9F37 in BCD, first four bytes, high nibble of the first byte
// cleared.
func sourceUNN(un []byte, _ int) []byte {
	v := uint64(un[0])<<24 | uint64(un[1])<<16 | uint64(un[2])<<8 | uint64(un[3])
	d := fmt.Sprintf("%010d", v)
	b, _ := hex.DecodeString(d[:8])
	b[0] &= 0x0F
	return b
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }
