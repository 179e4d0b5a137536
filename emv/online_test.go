package emv

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/posflow/posflow/tlv"
)

// randomlyOnline makes the transaction go online only because it was
// selected at random: a TVR bit in the online codes but not in the
// default codes, so that "unable to go online" approves (Y3).
func randomlyOnline(cfg *Config) {
	a := &cfg.Applications[0]
	a.Threshold, a.TargetPercent, a.MaxTargetPercent = 1000, 99, 99
	cfg.Rand = &fixedRand{b: append(make([]byte, 4), 0, 0)}
}

type failingOnline struct{ err error }

func (f failingOnline) Authorise(context.Context, *OnlineRequest) (*OnlineResponse, error) {
	return nil, f.err
}

func TestOnlineProcessing(t *testing.T) {
	tests := []struct {
		name    string
		amount  uint64
		edit    func(*fakeCard, *Config)
		outcome Outcome
		arc     string
		err     error
	}{
		{"approved", 10000, nil, ApprovedOnline, "00", nil},
		{"declined", 10000, func(_ *fakeCard, cfg *Config) { cfg.Online.(*issuerStub).approve = false }, DeclinedOnline, "05", nil},
		{"unable, default codes approve", 100, func(_ *fakeCard, cfg *Config) {
			randomlyOnline(cfg)
			cfg.Online.(*issuerStub).unable = true
		}, ApprovedOffline, "Y3", nil},
		{"unable, default codes decline", 10000, func(_ *fakeCard, cfg *Config) {
			cfg.Online.(*issuerStub).unable = true
		}, DeclinedOffline, "Z3", nil},
		{"unable, online-only terminal declines", 100, func(_ *fakeCard, cfg *Config) {
			randomlyOnline(cfg)
			cfg.Online.(*issuerStub).unable = true
			cfg.Terminal.Type = 0x21
		}, DeclinedOffline, "Z3", nil},
		{"no Online: unable", 100, func(_ *fakeCard, cfg *Config) {
			randomlyOnline(cfg)
			cfg.Online = nil
		}, ApprovedOffline, "Y3", nil},
		{"wrapped ErrUnableToGoOnline", 10000, func(_ *fakeCard, cfg *Config) {
			cfg.Online = failingOnline{err: errors.Join(errors.New("dial tcp: timeout"), ErrUnableToGoOnline)}
		}, DeclinedOffline, "Z3", nil},
		{"other Online error terminates", 10000, func(_ *fakeCard, cfg *Config) {
			cfg.Online = failingOnline{err: errors.New("host sent garbage")}
		}, Terminated, "", errors.New("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCard(t)
			cfg := testConfig(t)
			if tt.edit != nil {
				tt.edit(fc, cfg)
			}
			res := run(t, fc, cfg, testTxn(tt.amount))
			if res.Outcome != tt.outcome || (tt.err == nil) != (res.Err == nil) {
				dumpTrace(t, res)
				t.Fatalf("outcome %v (%v), want %v", res.Outcome, res.Err, tt.outcome)
			}
			if tt.err != nil {
				var se *StepError
				if !errors.As(res.Err, &se) || se.Step != StepOnline {
					t.Errorf("Err %v, want a termination at online processing", res.Err)
				}
				return
			}
			if string(res.ResponseCode[:]) != tt.arc {
				t.Errorf("ARC %q, want %q", res.ResponseCode[:], tt.arc)
			}
			if fc.genacs != 2 {
				t.Errorf("%d GENERATE ACs, want 2", fc.genacs)
			}
			if v, _ := res.Value(0x8A); string(v) != tt.arc {
				t.Errorf("8A %q", v)
			}
		})
	}
}

func TestOnlineRequest(t *testing.T) {
	fc := newFakeCard(t, func(p *profile) { p.cvmList = mustHexT("00000000000000000200") })
	cfg := testConfig(t)
	cfg.Applications[0].Field55 = []tlv.Tag{0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A, 0x82, 0x9F1A, 0x9F03, 0x5A}
	res := run(t, fc, cfg, testTxn(10000))
	if res.Outcome != ApprovedOnline {
		t.Fatalf("outcome %v: %v", res.Outcome, res.Err)
	}
	req := cfg.Online.(*issuerStub).requests[0]
	if req.OnlinePIN == nil || req.EntryMode != EntryChip {
		t.Errorf("request without online PIN or entry mode: %v", req)
	}
	objs, err := tlv.Decode(req.Field55)
	if err != nil || len(objs) != 14 || objs[0].Tag != 0x9F26 || objs[13].Tag != 0x5A {
		t.Errorf("field 55 %d objects, %v", len(objs), err)
	}
	if s := req.String(); strings.Contains(s, "4761") {
		t.Errorf("String() shows card data: %s", s)
	}
	if _, ok := req.Value(0x57); !ok {
		t.Error("no track 2 equivalent data for field 35")
	}
}

type bareOnline struct{ approved bool }

func (b bareOnline) Authorise(context.Context, *OnlineRequest) (*OnlineResponse, error) {
	return &OnlineResponse{Approved: b.approved}, nil
}

// A host that sends neither response code nor issuer authentication data:
// the card gets 00 or 05 in the CDOL2 data, and no EXTERNAL AUTHENTICATE
// is sent.
func TestOnlineWithoutResponseCode(t *testing.T) {
	for _, approved := range []bool{true, false} {
		fc := newFakeCard(t)
		cfg := testConfig(t)
		cfg.Online = bareOnline{approved}
		res := run(t, fc, cfg, testTxn(10000))
		want, outcome := "05", DeclinedOnline
		if approved {
			want, outcome = "00", ApprovedOnline
		}
		if string(res.ResponseCode[:]) != want || res.Outcome != outcome || fc.extAuth != 0 || res.TSI.Has(TSIIssuerAuthentication) {
			t.Errorf("approved %v: ARC %q, outcome %v, %d EXTERNAL AUTHENTICATE, TSI %v", approved, res.ResponseCode[:], res.Outcome, fc.extAuth, res.TSI)
		}
	}
}
