package emv_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/cardsim"
)

// replayCard answers a recorded transaction, checking that each command
// is the one recorded, so that card-side signing is out of the figure.
type replayCard struct {
	tb        testing.TB
	commands  [][]byte
	responses [][]byte
	i         int
}

func (c *replayCard) Transmit(cmd []byte) ([]byte, error) {
	if c.i >= len(c.commands) || !bytes.Equal(cmd, c.commands[c.i]) {
		c.tb.Fatalf("command %d %X not the one recorded", c.i, cmd)
	}
	c.i++
	return c.responses[c.i-1], nil
}

type recordingCard struct {
	card      emv.Card
	commands  [][]byte
	responses [][]byte
}

func (r *recordingCard) Transmit(cmd []byte) ([]byte, error) {
	resp, err := r.card.Transmit(cmd)
	r.commands = append(r.commands, bytes.Clone(cmd))
	r.responses = append(r.responses, bytes.Clone(resp))
	return resp, err
}

// replayHost answers with a recorded authorisation response.
type replayHost struct{ resp *emv.OnlineResponse }

func (h replayHost) Authorise(context.Context, *emv.OnlineRequest) (*emv.OnlineResponse, error) {
	return h.resp, nil
}

type recordingHost struct {
	host *host
	resp *emv.OnlineResponse
}

func (h *recordingHost) Authorise(ctx context.Context, req *emv.OnlineRequest) (*emv.OnlineResponse, error) {
	r, err := h.host.Authorise(ctx, req)
	h.resp = r
	return r, err
}

// cdaTransaction records one online CDA transaction of the Visa CVN 10
// profile with offline enciphered PIN, and returns what replays it.
func cdaTransaction(b *testing.B) (*cardsim.Card, *emv.Config, *replayCard, replayHost) {
	p, err := cardsim.VisaCVN10(cardsim.CDA, cardsim.Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	app := p.Applications[0]
	card := newSimCard(b, p, cardsim.Config{})
	rec := &recordingCard{card: card.Clone(cardsim.Config{Rand: rand.NewChaCha8([32]byte{5})})}
	rh := &recordingHost{host: &host{t: b, cvn: app.CVN}}
	cfg := terminal(b, app, nil)
	cfg.Online = rh
	res, err := emv.Process(context.Background(), rec, cfg, txn(app, 10000))
	if err != nil || res.Outcome != emv.ApprovedOnline {
		b.Fatalf("recording: %v %v", res.Outcome, err)
	}
	return card, terminal(b, app, nil), &replayCard{tb: b, commands: rec.commands, responses: rec.responses}, replayHost{rh.resp}
}

// BenchmarkProcessCDA measures the kernel alone on a complete online CDA
// transaction (selection through PSE, records, CDA key recovery, enciphered
// PIN, risk management, two GENERATE ACs with CDA verification, EXTERNAL
// AUTHENTICATE) against a card replaying a recorded transcript, with and
// without the trace; Card adds emv/cardsim computing the answers (RSA
// signing, cryptograms) for comparison.
func BenchmarkProcessCDA(b *testing.B) {
	sim, cfg, replay, host := cdaTransaction(b)
	app := sim.Profile().Applications[0]
	for _, bc := range []struct {
		name    string
		noTrace bool
	}{{"Replay", false}, {"ReplayNoTrace", true}} {
		b.Run(bc.name, func(b *testing.B) {
			c := *cfg
			c.Online = host
			c.NoTrace = bc.noTrace
			b.ReportAllocs()
			for b.Loop() {
				replay.i = 0
				c.Rand = rand.NewChaCha8([32]byte{9})
				res, err := emv.Process(context.Background(), replay, &c, txn(app, 10000))
				if err != nil || res.Outcome != emv.ApprovedOnline {
					b.Fatal(res.Outcome, err)
				}
			}
		})
	}
	b.Run("Card", func(b *testing.B) {
		c := *cfg
		c.Online = host
		b.ReportAllocs()
		for b.Loop() {
			card := sim.Clone(cardsim.Config{Rand: rand.NewChaCha8([32]byte{5})})
			c.Rand = rand.NewChaCha8([32]byte{9})
			res, err := emv.Process(context.Background(), card, &c, txn(app, 10000))
			if err != nil || res.Outcome != emv.ApprovedOnline {
				b.Fatal(res.Outcome, err)
			}
		}
	})
}
