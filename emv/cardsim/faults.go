package cardsim

import (
	"bytes"
	"math/rand/v2"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// FaultKind is what an injected fault does to an exchange.
type FaultKind uint8

// The kinds of fault, after the fault model of test cards (status word
// substitution, TLV mutation, missing data, bad signatures, a mute card).
const (
	// FaultStatus replaces the status word with Fault.SW. The response
	// data are kept with a warning (62xx, 63xx) and dropped otherwise.
	FaultStatus FaultKind = iota + 1
	// FaultCorrupt damages the BER-TLV coding of the response data: it
	// truncates them, makes the first length too long, or flips one bit,
	// as the fault's random choice says.
	FaultCorrupt
	// FaultDrop removes every data object with tag Fault.Tag from the
	// response, at any depth, re-encoding the templates around it:
	// missing mandatory data.
	FaultDrop
	// FaultBadSignature flips one byte in the middle of the first
	// signature or certificate in the response (9F4B, 93, 9F46, 90, 9F2D,
	// or the signed data of a format 1 INTERNAL AUTHENTICATE response).
	FaultBadSignature
	// FaultMute makes Transmit return ErrFault without an answer; the
	// command is not processed.
	FaultMute
	// FaultCID makes GENERATE AC answer the cryptogram information data
	// Fault.CID (type, advice and reason bits) whatever the terminal asked
	// for and the card risk management decided: a card that breaks the
	// rule of Book 3 6.5.5.4, or one that wants an advice. The cryptogram,
	// the CVR and a CDA signature are computed for that CID, so they
	// verify; the card's counters follow it as well.
	FaultCID
	// FaultRetag re-encodes the response with the tag of its first data
	// object replaced by Fault.Tag, a constructed tag: a record that is
	// not a template 70, or a GET PROCESSING OPTIONS or GENERATE AC
	// response that is neither template 80 nor 77.
	FaultRetag
)

// String names the kind.
func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "status word"
	case FaultCorrupt:
		return "corrupt TLV"
	case FaultDrop:
		return "drop data object"
	case FaultBadSignature:
		return "bad signature"
	case FaultMute:
		return "mute"
	case FaultCID:
		return "cryptogram information data"
	case FaultRetag:
		return "retag template"
	}
	return "FaultKind(" + itoa(int(k)) + ")"
}

// A Fault is a rule of fault injection. It applies to the commands whose
// instruction byte is INS (A4 SELECT, B2 READ RECORD, A8 GET PROCESSING
// OPTIONS, AE GENERATE AC, 88 INTERNAL AUTHENTICATE, ...): to the Nth of
// them (counting from 1), or to every one when Nth is 0, and then only
// with the given Probability when it is between 0 and 1 exclusive. The
// first rule that fires for a command is the one applied. The card's
// state changes as if no fault happened (but a mute command is not
// processed): the fault is on the way back.
type Fault struct {
	Kind        FaultKind
	INS         byte
	Nth         int
	Probability float64
	SW          emv.StatusWord // FaultStatus
	Tag         tlv.Tag        // FaultDrop, FaultRetag
	CID         emv.CID        // FaultCID
}

type faultState struct {
	rules []Fault
	seen  []int
	rng   *rand.Rand
}

func newFaultState(cfg Config) faultState {
	return faultState{
		rules: append([]Fault(nil), cfg.Faults...),
		seen:  make([]int, len(cfg.Faults)),
		rng:   rand.New(rand.NewPCG(cfg.FaultSeed, 0x6361726473696d)),
	}
}

// match counts the command against every rule and returns the rule that
// fires, or nil.
func (s *faultState) match(ins byte) *Fault {
	var fired *Fault
	for i := range s.rules {
		r := &s.rules[i]
		if r.INS != ins {
			continue
		}
		s.seen[i]++
		if fired != nil || (r.Nth != 0 && s.seen[i] != r.Nth) {
			continue
		}
		if r.Probability > 0 && r.Probability < 1 && s.rng.Float64() >= r.Probability {
			continue
		}
		fired = r
	}
	return fired
}

// apply changes a response as f says. data may be a record of the card:
// it is never modified in place.
func (s *faultState) apply(f *Fault, data []byte, status emv.StatusWord) ([]byte, emv.StatusWord) {
	switch f.Kind {
	case FaultCID:
		// Applied by GENERATE AC itself.
	case FaultStatus:
		if f.SW.Warning() {
			return data, f.SW
		}
		return nil, f.SW
	case FaultCorrupt:
		if len(data) < 2 {
			return data, status
		}
		out := bytes.Clone(data)
		switch s.rng.IntN(3) {
		case 0:
			return out[:len(out)-1-s.rng.IntN(min(4, len(out)-1))], status
		case 1:
			if out[1] < 0x80 {
				out[1] += byte(1 + s.rng.IntN(3))
			} else if n := int(out[1] & 0x7F); n >= 1 && 1+n < len(out) {
				out[1+n]++
			}
			return out, status
		default:
			out[s.rng.IntN(len(out))] ^= 1 << s.rng.IntN(8)
			return out, status
		}
	case FaultDrop:
		tree, err := tlv.Decode(data)
		if err != nil {
			return data, status
		}
		out, err := tlv.Encode(dropTag(tree, f.Tag)...)
		if err != nil {
			return data, status
		}
		return out, status
	case FaultRetag:
		tree, err := tlv.Decode(data)
		if err != nil || len(tree) == 0 {
			return data, status
		}
		tree[0].Tag = f.Tag
		out, err := tlv.Encode(tree...)
		if err != nil {
			return data, status
		}
		return out, status
	case FaultBadSignature:
		for _, t := range []tlv.Tag{0x9F4B, 0x93, 0x9F46, 0x90, 0x9F2D} {
			if o, err := tlv.Find(data, t); err == nil && len(o.Value) > 0 {
				return flipAt(data, o.Offset+len(o.Raw)-len(o.Value)+len(o.Value)/2), status
			}
		}
		if o, err := tlv.DecodeOne(data); err == nil && o.Tag == 0x80 && len(o.Value) > 0 {
			return flipAt(data, len(data)-len(o.Value)/2-1), status
		}
	}
	return data, status
}

func flipAt(data []byte, i int) []byte {
	out := bytes.Clone(data)
	out[i] ^= 0x5A
	return out
}

// dropTag returns the objects without tag t, at any depth.
func dropTag(objs []tlv.TLV, t tlv.Tag) []tlv.TLV {
	out := objs[:0:0]
	for _, o := range objs {
		if o.Tag == t {
			continue
		}
		if o.Constructed() && len(o.Children) > 0 {
			o.Children = dropTag(o.Children, t)
			if len(o.Children) == 0 {
				o.Value = nil
			}
		}
		out = append(out, o)
	}
	return out
}
