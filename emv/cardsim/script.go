package cardsim

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/pinblock"
)

// script answers the issuer script commands of EMV 4.4 Book 3 section 6.5
// (APPLICATION BLOCK 1E, APPLICATION UNBLOCK 18, CARD BLOCK 16, PIN
// CHANGE/UNBLOCK 24) and PUT DATA (DA) of the lower and upper consecutive
// offline limits (9F14, 9F23), all with secure messaging (Book 2 section
// 9): the last 8 bytes of the data are the MAC, checked under the session
// key for secure messaging integrity of the cryptogram version, over CLA
// INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data, where ARQC is the cryptogram of the
// first GENERATE AC plus the number of script commands received before
// this one for the versions that derive the key from it (all but Visa CVN
// 10 and 18), as emv/issuer's Script builds them. A wrong MAC is 6988.
//
// Script commands are accepted after the first GENERATE AC, before or
// after the second (templates 71 and 72). APPLICATION BLOCK takes effect at
// once: the second GENERATE AC declines and the next SELECT answers 6283.
func (c *Card) script(cm command) ([]byte, emv.StatusWord) {
	a, st := c.selected()
	if a == nil {
		return nil, emv.SWConditionsNotSatisfied
	}
	switch cm.ins {
	case 0x1E, 0x18, 0x16, 0x24, 0xDA:
	default:
		return nil, emv.SWInstructionNotSupported
	}
	if a.mkSMI == nil || c.t.genac == 0 {
		return nil, swSecurityStatus
	}
	if len(cm.data) < issuer.CommandMACSize {
		return nil, emv.SWWrongLength
	}
	n := c.t.scriptCount
	c.t.scriptCount++
	arqc := c.t.arqc
	if a.def.CVN != issuer.VisaCVN10 && a.def.CVN != issuer.VisaCVN18 {
		binary.BigEndian.PutUint64(arqc[:], binary.BigEndian.Uint64(arqc[:])+uint64(n))
	}
	atc := []byte{byte(st.atc >> 8), byte(st.atc)}
	body := cm.data[:len(cm.data)-issuer.CommandMACSize]
	sk, err := issuer.SecureMessagingKey(a.def.CVN, a.mkSMI, atc, arqc[:])
	if err != nil {
		c.t.scriptFailed = true
		return nil, swNoPreciseDiag
	}
	in := []byte{cm.cla, cm.ins, cm.p1, cm.p2, byte(len(cm.data))}
	if a.def.CVN != issuer.InteracCVN133 {
		in = append(in, atc...)
		in = append(in, arqc[:]...)
	}
	in = append(in, body...)
	m, err := issuer.CommandMAC(sk, in)
	if err != nil || subtle.ConstantTimeCompare(m, cm.data[len(body):]) != 1 {
		c.t.scriptFailed = true
		return nil, swSMDataIncorrect
	}
	s := c.runScript(a, st, cm, body, atc, arqc[:])
	if s != emv.SWSuccess {
		c.t.scriptFailed = true
	}
	return nil, s
}

func (c *Card) runScript(a *app, st *appState, cm command, body, atc, arqc []byte) emv.StatusWord {
	switch cm.ins {
	case 0x1E:
		st.blocked = true
	case 0x18:
		st.blocked = false
	case 0x16:
		c.blocked = true
	case 0x24:
		if a.def.PIN == "" {
			return emv.SWConditionsNotSatisfied
		}
		switch cm.p2 {
		case 0x00:
			if len(body) != 0 {
				return emv.SWWrongLength
			}
		case 0x01, 0x02:
			pin, ok := c.newPIN(a, st, cm.p2 == 0x01, body, atc, arqc)
			if !ok {
				return emv.SWWrongData
			}
			st.pin = pin
		default:
			return swWrongP1P2
		}
		st.pinTries = a.def.pinTryLimit()
	case 0xDA:
		if len(body) != 1 {
			return emv.SWWrongLength
		}
		switch {
		case cm.p1 == 0x9F && cm.p2 == 0x14:
			st.lcol = body[0]
		case cm.p1 == 0x9F && cm.p2 == 0x23:
			st.ucol = body[0]
		default:
			return emv.SWReferencedDataNotFound
		}
	}
	return emv.SWSuccess
}

// newPIN deciphers the PIN block of PIN CHANGE/UNBLOCK under the session
// key for secure messaging confidentiality and decodes it: the VIS PIN
// block for Visa CVN 10 and 18 (bound to the ICC master key for AC and,
// with P2 = 01, to the current PIN), ISO 9564-1 format 2 otherwise.
func (c *Card) newPIN(a *app, st *appState, withCurrent bool, body, atc, arqc []byte) (string, bool) {
	if a.mkSMC == nil {
		return "", false
	}
	sk, err := issuer.SecureMessagingKey(a.def.CVN, a.mkSMC, atc, arqc)
	if err != nil {
		return "", false
	}
	tdes, err := keys.NewTDES(sk)
	if err != nil || len(body) == 0 || len(body)%8 != 0 {
		return "", false
	}
	plain := make([]byte, len(body))
	visa := !a.mastercard()
	if visa {
		for i := 0; i < len(body); i += 8 {
			tdes.Decrypt(plain[i:i+8], body[i:i+8])
		}
		// Length byte, data, ISO/IEC 9797-1 padding method 2.
		if int(plain[0]) > len(plain)-1 {
			return "", false
		}
		plain = plain[1 : 1+int(plain[0])]
	} else {
		var iv [8]byte
		cipher.NewCBCDecrypter(tdes, iv[:]).CryptBlocks(plain, body)
	}
	if len(plain) != 8 {
		return "", false
	}
	if a.def.CVN != issuer.VisaCVN10 && a.def.CVN != issuer.VisaCVN18 {
		if withCurrent {
			return "", false
		}
		pin, err := pinblock.Decode(pinblock.ISO2, plain, "")
		return pin, err == nil
	}
	b := [8]byte(plain)
	for i := 4; i < 8; i++ {
		b[i] ^= a.mkAC[i]
	}
	if withCurrent {
		var cur [16]byte
		for i := range cur {
			cur[i] = '0'
		}
		copy(cur[:], st.pin)
		for i := range b {
			b[i] ^= (cur[2*i]-'0')<<4 | (cur[2*i+1] - '0')
		}
	}
	n := int(b[0])
	if n < 4 || n > 12 {
		return "", false
	}
	pin := make([]byte, 0, n)
	for i := 0; i < 14; i++ {
		d := b[1+i/2] >> 4
		if i%2 == 1 {
			d = b[1+i/2] & 0x0F
		}
		switch {
		case i < n && d <= 9:
			pin = append(pin, '0'+d)
		case i >= n && d == 0x0F:
		default:
			return "", false
		}
	}
	return string(pin), true
}
