package cardsim

import (
	"bytes"
	"crypto/subtle"
	"io"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/pinblock"
)

// getChallenge answers GET CHALLENGE (EMV 4.4 Book 3 section 6.5.6) with
// 8 bytes from Config.Rand. The number is good for one VERIFY with an
// enciphered PIN.
func (c *Card) getChallenge(cm command) ([]byte, emv.StatusWord) {
	if cm.p1 != 0 || cm.p2 != 0 {
		return nil, swWrongP1P2
	}
	if len(cm.data) != 0 {
		return nil, emv.SWWrongLength
	}
	ch := make([]byte, 8)
	if _, err := io.ReadFull(c.rand, ch); err != nil {
		return nil, swNoPreciseDiag
	}
	c.t.challenge = ch
	return ch, emv.SWSuccess
}

// verify answers VERIFY (Book 3 section 6.5.12) for an offline PIN: P2 80
// with a format 2 plaintext PIN block, P2 88 with the PIN block enciphered
// under the ICC PIN encipherment key, or the ICC key when the card has no
// PIN key (Book 2 section 7.2): 7F ‖ PIN block ‖ the ICC unpredictable
// number of the last GET CHALLENGE ‖ padding, as long as the modulus.
//
// A right PIN resets the PIN try counter and answers 9000. A wrong PIN
// decrements it and answers 63Cx with the tries left; once the counter is
// 0 the card answers 6983 without comparing. A PIN block that does not
// decode, and an enciphered block whose header or unpredictable number is
// wrong, count as a wrong PIN: the card cannot tell them from one, and an
// attacker must not get a different answer.
func (c *Card) verify(cm command) ([]byte, emv.StatusWord) {
	a, st := c.selected()
	if a == nil || a.def.PIN == "" {
		return nil, emv.SWConditionsNotSatisfied
	}
	if cm.p1 != 0 {
		return nil, swWrongP1P2
	}
	var block []byte
	switch cm.p2 {
	case emv.PlaintextPIN:
		if len(cm.data) != 8 {
			return nil, emv.SWWrongLength
		}
		block = cm.data
	case emv.EncipheredPIN:
		if a.pinKey == nil {
			return nil, swWrongP1P2
		}
		if len(cm.data) != len(a.pinKey.Modulus) {
			return nil, emv.SWWrongLength
		}
		challenge := c.t.challenge
		c.t.challenge = nil
		c.t.pinEnc = true
		plain, ok := a.pinKey.decipher(cm.data)
		if ok && challenge != nil && plain[0] == 0x7F && bytes.Equal(plain[9:17], challenge) {
			block = plain[1:9]
		}
	default:
		return nil, swWrongP1P2
	}
	if st.pinTries <= 0 {
		return nil, emv.SWAuthMethodBlocked
	}
	ok := false
	if block != nil {
		pin, err := pinblock.Decode(pinblock.ISO2, block, "")
		ok = err == nil && subtle.ConstantTimeCompare([]byte(pin), []byte(st.pin)) == 1
	}
	if ok {
		st.pinTries = a.def.pinTryLimit()
		c.t.pinVerified = true
		return nil, emv.SWSuccess
	}
	st.pinTries--
	c.t.pinFailed = true
	return nil, emv.SWVerifyFailed | emv.StatusWord(st.pinTries)
}
