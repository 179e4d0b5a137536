package c2_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/c2"
	"github.com/posflow/posflow/emv/cardsim"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
)

type seeded struct{ r *rand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

// cvmList: online PIN if supported, else signature if supported, else no
// CVM; X = Y = 0.
var cvmList = []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x42, 0x03, 0x5E, 0x03, 0x1F, 0x03}

func simCard(t *testing.T, mod func(*cardsim.MChipProfile)) (*cardsim.MChipCard, *oda.Store) {
	t.Helper()
	p := cardsim.MChipProfile{
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
	card, capk, err := cardsim.NewMChip(p)
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
		profile  func(*cardsim.MChipProfile)
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
		{"card without cardholder verification", func(p *cardsim.MChipProfile) { p.CVMList = nil }, nil, 0x22, 4000, entrypoint.Approved, entrypoint.NoCVM, "3F0000", "0000000001"},
		{"over the floor limit: ARQC", nil, nil, 0x22, 6000, entrypoint.OnlineRequest, entrypoint.OnlinePIN, "020300", "0000048001"},
		{"expired card: TAC denial, AAC without CDA", func(p *cardsim.MChipProfile) { p.Expiry = [3]byte{0x25, 0x12, 0x31} }, nil, 0x22, 1000, entrypoint.Declined, entrypoint.CVMNA, "1F0302", "8040000001"},
		{"card turns the TC into an ARQC", func(p *cardsim.MChipProfile) { p.Downgrade = true }, nil, 0x22, 1000, entrypoint.OnlineRequest, entrypoint.NoCVM, "1F0302", "0000000001"},
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
			if _, ok := o.Value(0x9F26); ok {
				verifyCryptogram(t, o, "5413330000000017", issuer.MastercardCVN16)
			}
		})
	}
}

// verifyCryptogram checks the cryptogram of the data record as the issuer
// does: the simulated card derives its keys from cardsim.TestIMK.
func verifyCryptogram(t *testing.T, o *entrypoint.Outcome, pan string, want issuer.CVN) {
	t.Helper()
	data, err := issuer.ParseField55(o.DataRecord)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := data[issuer.TagAID]; !ok {
		data[issuer.TagAID] = o.AID // the terminal adds it to field 55
	}
	if cvn, err := issuer.Verify(cardsim.TestIMK, pan, "", data); err != nil || cvn != want {
		t.Errorf("issuer.Verify = %v, %v; want %v", cvn, err, want)
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

// TestCVMConditions walks CVM lists whose rules depend on the amounts X
// and Y, the application currency and the "apply succeeding" bit, on a
// reader that supports online PIN, signature and no CVM at any amount.
func TestCVMConditions(t *testing.T) {
	if testing.Short() {
		t.Skip("generates RSA keys")
	}
	x2000 := []byte{0, 0, 0x07, 0xD0, 0, 0, 0x0B, 0xB8} // X 20.00, Y 30.00
	tests := []struct {
		name     string
		list     []byte
		currency [2]byte
		amount   uint64
		cvmRes   string
		tvr3     byte
	}{
		{"under X: signature", append(x2000, 0x1E, 0x06, 0x42, 0x07), [2]byte{0x09, 0x78}, 1000, "1E0600", 0x00},
		{"over X: online PIN", append(x2000, 0x1E, 0x06, 0x42, 0x07), [2]byte{0x09, 0x78}, 2500, "020700", 0x04},
		{"under Y: signature", append(x2000, 0x1E, 0x08, 0x42, 0x09), [2]byte{0x09, 0x78}, 2500, "1E0800", 0x00},
		{"other currency: amount rules skipped", append(x2000, 0x1E, 0x06, 0x42, 0x07, 0x1F, 0x00), [2]byte{0x08, 0x40}, 1000, "1F0002", 0x00},
		{"fail CVM processing", append(x2000, 0x00, 0x00, 0x1F, 0x00), [2]byte{0x09, 0x78}, 1000, "000001", 0x80},
		{"unrecognised CVM, apply succeeding", append(x2000, 0x6A, 0x00, 0x1F, 0x00), [2]byte{0x09, 0x78}, 1000, "1F0002", 0x40},
		{"unrecognised CVM, last rule", append(x2000, 0x2A, 0x00), [2]byte{0x09, 0x78}, 1000, "3F0001", 0xC0},
		{"offline PIN never in contactless", append(x2000, 0x41, 0x00, 0x1F, 0x00), [2]byte{0x09, 0x78}, 1000, "1F0002", 0x00},
		{"no rule applies", append(x2000, 0x1E, 0x04), [2]byte{0x09, 0x78}, 1000, "3F0001", 0x80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card, store := simCard(t, func(p *cardsim.MChipProfile) { p.CVMList, p.Currency = tt.list, tt.currency })
			cfg, k := simConfig(store, 0x22)
			k.CVMRequired, k.NoCVMRequired = 0x68, 0x68
			o := entrypoint.Process(context.Background(), card, cfg, emv.Transaction{Amount: tt.amount, Currency: [2]byte{0x09, 0x78}})
			cvm, _ := o.Value(0x9F34)
			tvr, _ := o.Value(0x95)
			if hexOf(cvm) != tt.cvmRes || len(tvr) != 5 || tvr[2] != tt.tvr3 {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("CVM results %X, TVR %X; want %s and TVR byte 3 %02X", cvm, tvr, tt.cvmRes, tt.tvr3)
			}
		})
	}
}

// recorder passes commands to a card and keeps their INS bytes.
type recorder struct {
	card emv.Card
	ins  []byte
}

func (r *recorder) Transmit(cmd []byte) ([]byte, error) {
	if len(cmd) >= 2 {
		r.ins = append(r.ins, cmd[1])
	}
	return r.card.Transmit(cmd)
}

// TestUnsupportedFeatures: what a card may ask for that this Kernel 2 does
// not do ends in an explicit outcome or an explicit TVR bit, never a
// silent success. Relay resistance offered by the card (AIP byte 2 bit 1)
// is not run, as Book C-2 has it for a reader without the protocol: no
// EXCHANGE RELAY RESISTANCE DATA, "relay resistance protocol not
// performed" in the TVR (byte 5 bits 2-1 = 01), the transaction goes on.
// A phone that declines and asks for cardholder verification on the device
// (DF4B) gets End Application, Start B, "see phone" and ErrDeviceCVM
// rather than a plain decline. A card that offers only mag-stripe mode on
// a reader configured without it gets Try Another Interface with
// ErrMagstripeMode.
func TestUnsupportedFeatures(t *testing.T) {
	if testing.Short() {
		t.Skip("generates RSA keys")
	}
	tests := []struct {
		name    string
		profile func(*cardsim.MChipProfile)
		amount  uint64
		want    entrypoint.OutcomeType
		start   entrypoint.Start
		msg     entrypoint.MessageID
		wantErr error
	}{
		{"relay resistance offered, offline: not performed, approved", func(p *cardsim.MChipProfile) { p.RelayResistance = true },
			1000, entrypoint.Approved, entrypoint.StartNA, entrypoint.MsgApproved, nil},
		{"relay resistance offered, online: not performed, online request", func(p *cardsim.MChipProfile) { p.RelayResistance = true },
			6000, entrypoint.OnlineRequest, entrypoint.StartNA, entrypoint.MsgEnterPIN, nil},
		{"phone asks for on-device CVM: see phone, restart B", func(p *cardsim.MChipProfile) { p.DeviceCVMRequired = true },
			1000, entrypoint.EndApplication, entrypoint.StartB, entrypoint.MsgSeePhone, c2.ErrDeviceCVM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card, store := simCard(t, tt.profile)
			cfg, _ := simConfig(store, 0x22)
			rec := &recorder{card: card}
			o := entrypoint.Process(context.Background(), rec, cfg, emv.Transaction{Amount: tt.amount, Currency: [2]byte{0x09, 0x78}})
			if o.Type != tt.want || o.Start != tt.start || !errors.Is(o.Err, tt.wantErr) || o.UIRequest == nil || o.UIRequest.Message != tt.msg {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v (UI %+v), want %v, start %v, message %v, %v", o, o.UIRequest, tt.want, tt.start, tt.msg, tt.wantErr)
			}
			if bytes.IndexByte(rec.ins, 0xEA) >= 0 {
				t.Errorf("EXCHANGE RELAY RESISTANCE DATA sent: INS %X", rec.ins)
			}
			if aip, _ := o.Value(0x82); tt.want != entrypoint.EndApplication && (len(aip) != 2 || aip[1]&0x01 == 0) {
				t.Errorf("AIP %X in the data record: the card did not offer relay resistance", aip)
			}
			if tvr, _ := o.Value(0x95); len(tvr) != 5 || tvr[4]&0x03 != 0x01 {
				t.Errorf("TVR %X, want byte 5 bits 2-1 01: relay resistance not performed", tvr)
			}
		})
	}

	t.Run("mag-stripe mode only, reader without it: try another interface", func(t *testing.T) {
		card := entrypointtest.NewScriptCard([]byte{0xA0, 0, 0, 0, 0x04, 0x10, 0x10}, []byte{0x50, 0x02, 'M', 'C'},
			// GPO: AIP 0000 (no EMV mode), AFL of one record.
			[]byte{0x0C, 0x77, 0x0A, 0x82, 0x02, 0x00, 0x00, 0x94, 0x04, 0x08, 0x01, 0x01, 0x00})
		_, store := simCard(t, nil)
		cfg, k := simConfig(store, 0x22)
		k.MagstripeModeNotSupported = true
		o := entrypoint.Process(context.Background(), card, cfg, emv.Transaction{Amount: 1000, Currency: [2]byte{0x09, 0x78}})
		if o.Type != entrypoint.TryAnotherInterface || !errors.Is(o.Err, c2.ErrMagstripeMode) {
			t.Fatalf("outcome %v, want Try Another Interface: %v", o, c2.ErrMagstripeMode)
		}
	})
}
