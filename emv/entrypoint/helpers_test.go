package entrypoint_test

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/posflow/posflow/emv/entrypoint"
	"github.com/posflow/posflow/tlv"
)

// tlvOf encodes one data object; a value of constructed tags is the
// concatenation of its children.
func tlvOf(tag tlv.Tag, parts ...[]byte) []byte {
	var v []byte
	for _, p := range parts {
		v = append(v, p...)
	}
	b, err := tlv.AppendTLV(nil, tag, v)
	if err != nil {
		panic(err)
	}
	return b
}

func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// entry builds a directory entry (61) of a PPSE.
func entry(aid string, priority byte, kernel string) []byte {
	e := tlvOf(0x4F, h(aid))
	if priority != 0 {
		e = append(e, tlvOf(0x87, []byte{priority})...)
	}
	if kernel != "" {
		e = append(e, tlvOf(0x9F2A, h(kernel))...)
	}
	return tlvOf(0x61, e)
}

// ppseFCI builds the FCI of a PPSE with the given directory entries.
func ppseFCI(entries ...[]byte) []byte {
	return tlvOf(0x6F, tlvOf(0x84, entrypoint.PPSE), tlvOf(0xA5, tlvOf(0xBF0C, entries...)))
}

// adfFCI builds the FCI of an ADF.
func adfFCI(aid string) []byte {
	return tlvOf(0x6F, tlvOf(0x84, h(aid)), tlvOf(0xA5, tlvOf(0x50, []byte("TEST"))))
}

// mapCard answers SELECT by DF name from a map; other commands and
// unknown names get 6A82. It records the names selected.
type mapCard struct {
	files    map[string][]byte // hex DF name to response data
	selected []string
}

func (c *mapCard) Transmit(cmd []byte) ([]byte, error) {
	if len(cmd) >= 5 && cmd[1] == 0xA4 {
		name := hex.EncodeToString(cmd[5 : 5+int(cmd[4])])
		c.selected = append(c.selected, strings.ToUpper(name))
		if r, ok := c.files[strings.ToUpper(name)]; ok {
			return append(append([]byte{}, r...), 0x90, 0x00), nil
		}
	}
	return []byte{0x6A, 0x82}, nil
}

// stubKernel returns a fixed outcome per AID and records its activations.
type stubKernel struct {
	outcomes    map[string]entrypoint.OutcomeType
	activations []*entrypoint.Activation
}

func (k *stubKernel) Activate(_ context.Context, a *entrypoint.Activation) *entrypoint.Outcome {
	k.activations = append(k.activations, a)
	t, ok := k.outcomes[strings.ToUpper(hex.EncodeToString(a.FCI.DFName))]
	if !ok {
		t = entrypoint.Approved
	}
	return &entrypoint.Outcome{Type: t, CVM: entrypoint.NoCVM}
}
