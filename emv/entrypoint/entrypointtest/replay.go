// Package entrypointtest provides test doubles for contactless kernels: a
// strict replay card that answers only the exact command APDUs of a
// recorded transcript, in order (Card); the public transcripts shared
// beside the checkout (Fixture, ReadFixture) with the transaction, date
// and time they were recorded with; and a card that answers arbitrary
// response data, for fuzzing a kernel (ScriptCard). The simulated
// contactless cards are in package emv/cardsim.
package entrypointtest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/posflow/posflow/tlv"
)

// A Transcript is one recorded contactless transaction in the JSON format of
// the public test-card transcripts of MohamedHassanNasr/emv (mock/*.json):
// the terminal's unpredictable number, date and time, the transaction
// request and the command and response APDUs in exchange order.
type Transcript struct {
	UN, Date, Time []byte
	// Request holds 9F02, 5F2A and 9C as BER-TLV.
	Request []byte
	APDUs   []Exchange
}

// An Exchange is one command APDU and the response to it.
type Exchange struct{ Command, Response []byte }

// ErrFormat is wrapped by the errors of ParseTranscript.
var ErrFormat = errors.New("entrypointtest: malformed transcript")

// ReadTranscript reads and parses a transcript file.
func ReadTranscript(path string) (*Transcript, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseTranscript(b)
}

// ParseTranscript parses a transcript: a JSON object whose members
// "randoms", "date", "time" and "transaction-req" are hexadecimal strings
// and "apdus" an array of {"cmd", "resp"} hexadecimal strings.
func ParseTranscript(b []byte) (*Transcript, error) {
	var raw struct {
		Randoms string `json:"randoms"`
		Date    string `json:"date"`
		Time    string `json:"time"`
		Req     string `json:"transaction-req"`
		APDUs   []struct {
			Cmd  string `json:"cmd"`
			Resp string `json:"resp"`
		} `json:"apdus"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	t := &Transcript{}
	var err error
	dec := func(name, s string) []byte {
		v, e := hex.DecodeString(s)
		if e != nil && err == nil {
			err = fmt.Errorf("%w: %s: %w", ErrFormat, name, e)
		}
		return v
	}
	t.UN = dec("randoms", raw.Randoms)
	t.Date = dec("date", raw.Date)
	t.Time = dec("time", raw.Time)
	t.Request = dec("transaction-req", raw.Req)
	for i, a := range raw.APDUs {
		t.APDUs = append(t.APDUs, Exchange{dec(fmt.Sprint("apdus ", i, " cmd"), a.Cmd), dec(fmt.Sprint("apdus ", i, " resp"), a.Resp)})
	}
	if err != nil {
		return nil, err
	}
	if len(t.UN) != 4 || len(t.Date) != 3 || len(t.Time) != 3 {
		return nil, fmt.Errorf("%w: randoms, date or time of the wrong length", ErrFormat)
	}
	if err := tlv.Validate(t.Request); err != nil {
		return nil, fmt.Errorf("%w: transaction-req: %w", ErrFormat, err)
	}
	return t, nil
}

// Value returns a data object of the transaction request.
func (t *Transcript) Value(tag tlv.Tag) []byte {
	o, err := tlv.Find(t.Request, tag)
	if err != nil {
		return nil
	}
	return o.Value
}

// A Card replays a transcript strictly: it answers each command with the
// recorded response only if the command is byte for byte the next recorded
// one; any other command is an error, which Err reports.
type Card struct {
	t    *Transcript
	next int
	err  error
}

// NewCard returns a strict replay card for t.
func NewCard(t *Transcript) *Card { return &Card{t: t} }

// Transmit implements emv.Card.
func (c *Card) Transmit(cmd []byte) ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.next >= len(c.t.APDUs) {
		c.err = fmt.Errorf("entrypointtest: command %X after the end of the transcript", cmd)
		return nil, c.err
	}
	want := c.t.APDUs[c.next]
	if !bytes.Equal(cmd, want.Command) {
		c.err = fmt.Errorf("entrypointtest: command %d is %X, want %X", c.next, cmd, want.Command)
		return nil, c.err
	}
	c.next++
	return bytes.Clone(want.Response), nil
}

// Err returns the first mismatch, or nil.
func (c *Card) Err() error { return c.err }

// Done tells whether every recorded command was issued; Next is the index of
// the next expected command.
func (c *Card) Done() bool { return c.next == len(c.t.APDUs) }

// Next returns the index of the next expected command.
func (c *Card) Next() int { return c.next }
