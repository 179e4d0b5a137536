package c3_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/posflow/posflow/emv/c3"
	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/emv/entrypoint/entrypointtest"
)

// gpoIndex is the GET PROCESSING OPTIONS exchange in the Visa transcripts.
const gpoIndex = 2

// edit returns a copy of tr whose GPO response has old replaced by new;
// the test fails if old is not there once.
func edit(t *testing.T, tr *entrypointtest.Transcript, old, new string) *entrypointtest.Transcript {
	t.Helper()
	c := *tr
	c.APDUs = append([]entrypointtest.Exchange(nil), tr.APDUs...)
	r := c.APDUs[gpoIndex].Response
	if bytes.Count(r, h(old)) != 1 {
		t.Fatalf("%s not once in the GPO response", old)
	}
	c.APDUs[gpoIndex].Response = bytes.Replace(r, h(old), h(new), 1)
	return &c
}

// TestScenarios drives Kernel 3 through its decisions with the public
// Visa offline transcript, edited where the fDDA signature does not cover
// the change (CTQ, IAD) or with the signature spoilt.
func TestScenarios(t *testing.T) {
	tr := entrypointtest.Fixture(t, "mock-visa-offline.json")
	resp := tr.APDUs[gpoIndex].Response
	sdad := bytes.Index(resp, h("9F4B70")) + 3
	spoilt := func(t *testing.T, tr *entrypointtest.Transcript) *entrypointtest.Transcript {
		c := edit(t, tr, "9F6C020000", "9F6C020000")
		c.APDUs[gpoIndex].Response = bytes.Clone(c.APDUs[gpoIndex].Response)
		c.APDUs[gpoIndex].Response[sdad+10] ^= 0x01
		return c
	}
	ctq := func(v string) func(*testing.T, *entrypointtest.Transcript) *entrypointtest.Transcript {
		return func(t *testing.T, tr *entrypointtest.Transcript) *entrypointtest.Transcript {
			return edit(t, tr, "9F6C020000", "9F6C02"+v)
		}
	}
	rows := []struct {
		name    string
		edit    func(*testing.T, *entrypointtest.Transcript) *entrypointtest.Transcript
		date    time.Time
		want    entrypoint.OutcomeType
		cvm     entrypoint.CVM
		wantErr error
	}{
		{name: "as recorded: approved", want: entrypoint.Approved, cvm: entrypoint.NoCVM},
		{name: "fDDA fails: declined", edit: spoilt, want: entrypoint.Declined, wantErr: entrypoint.ErrODA},
		{name: "fDDA fails, CTQ go online: online request", edit: func(t *testing.T, tr *entrypointtest.Transcript) *entrypointtest.Transcript {
			c := spoilt(t, tr)
			return edit(t, c, "9F6C020000", "9F6C022000")
		}, want: entrypoint.OnlineRequest, cvm: entrypoint.NoCVM},
		{name: "CTQ online PIN on a TC: online request", edit: ctq("8000"), want: entrypoint.OnlineRequest, cvm: entrypoint.OnlinePIN},
		{name: "CTQ consumer device CVM on a TC without its copy in 9F69: declined", edit: ctq("0080"), want: entrypoint.Declined, wantErr: c3.ErrCVM},
		{name: "CTQ signature, reader without signature: no CVM", edit: ctq("4000"), want: entrypoint.Approved, cvm: entrypoint.NoCVM},

		{name: "IAD says AAC: declined", edit: func(t *testing.T, tr *entrypointtest.Transcript) *entrypointtest.Transcript {
			return edit(t, tr, "9F100706011103900000", "9F100706011103800000")
		}, want: entrypoint.Declined},
		{name: "card expired: declined", date: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), want: entrypoint.Declined, wantErr: c3.ErrExpired},
		{name: "card expired, CTQ go online if expired: online request", edit: ctq("0800"), date: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), want: entrypoint.OnlineRequest, cvm: entrypoint.NoCVM},
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			tr := tr
			if tt.edit != nil {
				tr = tt.edit(t, tr)
			}
			cfg := visaConfig(tr)
			if !tt.date.IsZero() {
				cfg.Time = func() time.Time { return tt.date }
			}
			card := entrypointtest.NewCard(tr)
			o := entrypoint.Process(context.Background(), card, cfg, tr.Transaction())
			if err := card.Err(); err != nil {
				t.Fatalf("replay: %v", err)
			}
			if o.Type != tt.want || (o.Type != entrypoint.Declined && o.CVM != tt.cvm) || !errors.Is(o.Err, tt.wantErr) {
				for _, e := range o.Trace {
					t.Log(e)
				}
				t.Fatalf("outcome %v, want %v, CVM %v, error %v", o, tt.want, tt.cvm, tt.wantErr)
			}
			if ac, ok := o.Value(0x9F26); !ok || len(ac) != 8 {
				t.Errorf("data record without the cryptogram")
			}
		})
	}
}

// TestGPOStatus checks the outcomes of GET PROCESSING OPTIONS refused.
func TestGPOStatus(t *testing.T) {
	tr := entrypointtest.Fixture(t, "mock-visa-offline.json")
	for _, tt := range []struct {
		sw   string
		want entrypoint.OutcomeType
	}{
		{"6984", entrypoint.TryAnotherInterface},
		{"6985", entrypoint.EndApplication}, // Select Next with no other candidate
		{"6986", entrypoint.TryAgain},
		{"6A81", entrypoint.EndApplication},
	} {
		t.Run(tt.sw, func(t *testing.T) {
			c := *tr
			c.APDUs = append([]entrypointtest.Exchange(nil), tr.APDUs[:gpoIndex+1]...)
			c.APDUs[gpoIndex].Response = h(tt.sw)
			card := entrypointtest.NewCard(&c)
			o := entrypoint.Process(context.Background(), card, visaConfig(&c), c.Transaction())
			if err := card.Err(); err != nil {
				t.Fatalf("replay: %v", err)
			}
			if o.Type != tt.want || !card.Done() {
				t.Fatalf("outcome %v after %d commands, want %v after GPO", o, card.Next(), tt.want)
			}
		})
	}
}
