package entrypointtest

import (
	"bytes"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// A ScriptCard feeds a kernel arbitrary responses, for fuzzing: it answers
// SELECT of the PPSE with a directory of its AID and SELECT of any other
// name with an FCI whose proprietary template (A5) holds FCI, and every
// other command with the next chunk of Script: a length byte, that many
// bytes of response data (fewer at the end), and 9000. When Script is
// exhausted it answers 6A82; a command whose length fields do not match
// its bytes, 6700.
type ScriptCard struct {
	AID    []byte
	FCI    []byte // data objects of template A5 after SELECT of the AID
	Script []byte
}

// NewScriptCard returns a card with the given AID and proprietary FCI
// data that answers with script.
func NewScriptCard(aid, fci, script []byte) *ScriptCard {
	return &ScriptCard{AID: aid, FCI: fci, Script: script}
}

// Transmit implements emv.Card.
func (c *ScriptCard) Transmit(cmd []byte) ([]byte, error) {
	apdu, err := emv.ParseCommand(cmd)
	if err != nil {
		return []byte{0x67, 0x00}, nil
	}
	if apdu.INS == 0xA4 {
		name := apdu.Data
		prop := c.FCI
		if bytes.Equal(name, ppse) {
			prop = appendTLV(nil, 0xBF0C, appendTLV(nil, 0x61, appendTLV(nil, 0x4F, c.AID)))
		}
		fci := appendTLV(appendTLV(nil, 0x84, name), 0xA5, prop)
		return append(appendTLV(nil, 0x6F, fci), 0x90, 0x00), nil
	}
	if len(c.Script) == 0 {
		return []byte{0x6A, 0x82}, nil
	}
	n := min(int(c.Script[0]), len(c.Script)-1)
	r := append(bytes.Clone(c.Script[1:1+n]), 0x90, 0x00)
	c.Script = c.Script[1+n:]
	return r, nil
}

// ppse is the name of the proximity payment system environment.
var ppse = []byte("2PAY.SYS.DDF01")

// Script returns the response data of the transcript's commands other than
// SELECT as a ScriptCard script, each cut to 255 bytes: a fuzz seed that
// walks a kernel through the recorded transaction.
func (t *Transcript) Script() []byte {
	var script []byte
	for _, e := range t.APDUs {
		if len(e.Command) < 2 || e.Command[1] == 0xA4 || len(e.Response) < 2 {
			continue
		}
		d := e.Response[:len(e.Response)-2]
		if len(d) > 255 {
			d = d[:255]
		}
		script = append(append(script, byte(len(d))), d...)
	}
	return script
}

func appendTLV(dst []byte, t tlv.Tag, v []byte) []byte {
	b, err := tlv.AppendTLV(dst, t, v)
	if err != nil {
		panic(err) // lengths here are bounded by the script's 255 bytes and the FCI a test gives
	}
	return b
}
