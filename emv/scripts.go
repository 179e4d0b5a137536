package emv

import (
	"github.com/posflow/posflow/tlv"
)

// scriptProcessing sends the commands of the issuer scripts in templates
// of tag (71 before the final GENERATE AC, 72 after it), in the order
// received (Book 3 10.10). A command answered with SW1 other than 90, 62
// or 63 ends its script; the script's result goes into the issuer script
// results (9F5B, Book 4 A5): result nibble (1 failed, 2 successful) and
// sequence number of the failing command, then the script identifier
// (9F18) or zeros. A malformed template counts as a script that failed
// before its first command.
func (k *kernel) scriptProcessing(tag tlv.Tag) error {
	k.begin(StepScripts)
	if k.online == nil || len(k.online.Scripts) == 0 {
		return nil
	}
	c := tlv.NewCursor(k.online.Scripts)
	for c.Next() {
		if c.Tag() != tag {
			continue
		}
		if err := k.runScript(c.Object(), tag); err != nil {
			return err
		}
	}
	if c.Err() != nil {
		k.note("issuer scripts malformed after %d bytes", len(k.online.Scripts)-len(c.Rest()))
	}
	if len(k.scriptResults) > 0 {
		k.term[0x9F5B] = k.scriptResults
	}
	return nil
}

func (k *kernel) runScript(t tlv.Object, tag tlv.Tag) error {
	var id [4]byte
	result := byte(0x20)
	failed := func(seq int) {
		result = 0x10 | byte(min(seq, 15))
		if tag == 0x71 {
			k.tvr.Set(TVRScriptFailedBeforeFinalGenAC)
		} else {
			k.tvr.Set(TVRScriptFailedAfterFinalGenAC)
		}
	}
	var cmds [][]byte
	in := t.Children()
	for in.Next() {
		switch in.Tag() {
		case 0x9F18:
			if len(in.Value()) == 4 {
				copy(id[:], in.Value())
			}
		case 0x86:
			cmds = append(cmds, in.Value())
		}
	}
	if in.Err() != nil {
		cmds = nil
		failed(0)
		k.note("script %X malformed", id)
	}
	for i, raw := range cmds {
		cmd, err := ParseCommand(raw)
		if err != nil {
			failed(i + 1)
			k.note("script %X command %d malformed", id, i+1)
			break
		}
		k.tsi.Set(TSIScriptProcessingPerformed)
		r, err := k.exchange(cmd, nil)
		if err != nil {
			return err
		}
		if sw1 := r.SW.SW1(); sw1 != 0x90 && sw1 != 0x62 && sw1 != 0x63 {
			failed(i + 1)
			k.note("script %X command %d: %v", id, i+1, r.SW)
			break
		}
	}
	k.scriptResults = append(k.scriptResults, result, id[0], id[1], id[2], id[3])
	k.res.ScriptResults = k.scriptResults
	return nil
}
