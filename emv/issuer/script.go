package issuer

import (
	"crypto/subtle"
	"encoding/binary"

	des "github.com/posflow/posflow/internal/des"
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/tlv"
)

// CommandMACSize is the length of the MAC this package appends to a
// secure messaging command. EMV allows 4 to 8 bytes; the schemes use 8.
const CommandMACSize = 8

// CommandMAC returns the 8-byte secure messaging MAC of EMV 4.4 Book 2
// section 9.2.3 over data: ISO/IEC 9797-1 MAC algorithm 3 with padding
// method 2 under the 16-byte integrity session key sk. data is the command
// header CLA INS P1 P2 Lc (Lc counting the MAC), the transaction data the
// version adds (ATC ‖ ARQC for all but Interac), and the command data as
// sent (enciphered if it is).
func CommandMAC(sk, data []byte) ([]byte, error) {
	if len(sk) != 16 {
		return nil, errKey("secure messaging session key", len(sk))
	}
	return mac.Alg3(sk, data, mac.Method2)
}

// EncipherCommandData enciphers the data of a secure messaging command
// under the 16-byte confidentiality session key sk with encipherment e.
func EncipherCommandData(e Encipherment, sk, data []byte) ([]byte, error) {
	if len(sk) != 16 {
		return nil, errKey("secure messaging session key", len(sk))
	}
	if len(data) > 255-1-8-CommandMACSize {
		return nil, errLen("command data", len(data), "at most 238")
	}
	var c des.TripleDESCipher // the schedule of sk, on the stack
	if err := c.SetKey(sk); err != nil {
		return nil, err
	}
	defer c.Clear()
	// The data is padded into the one buffer returned and enciphered in
	// place, so that no other copy of it (a PIN block) is left behind.
	var out []byte
	switch e {
	case VisaEncipherment:
		// L ‖ data padded with ISO/IEC 9797-1 method 2, block by block.
		out = make([]byte, 0, ((1+len(data))/8+1)*8)
		out = append(out, byte(len(data)))
		out = append(out, data...)
		out = append(out, 0x80)
		for len(out)%8 != 0 {
			out = append(out, 0)
		}
		for i := 0; i < len(out); i += 8 {
			c.Encrypt(out[i:i+8], out[i:i+8])
		}
		return out, nil
	case MastercardEncipherment:
		if len(data) > 0 && len(data)%8 == 0 {
			out = append(make([]byte, 0, len(data)), data...)
		} else {
			out = mac.AppendPad(make([]byte, 0, (len(data)/8+1)*8), data, mac.Method2, 8)
		}
	case EMVEncipherment:
		out = mac.AppendPad(make([]byte, 0, (len(data)/8+1)*8), data, mac.Method2, 8)
	default:
		return nil, &unsupportedError{e.String()}
	}
	// CBC under a zero IV: each block after the first is chained with the
	// ciphertext before it.
	for i := 0; i < len(out); i += 8 {
		if i > 0 {
			subtle.XORBytes(out[i:i+8], out[i:i+8], out[i-8:i])
		}
		c.Encrypt(out[i:i+8], out[i:i+8])
	}
	return out, nil
}

// SecureMessagingKey derives the session key of version cvn for a secure
// messaging command from an ICC master key for integrity or
// confidentiality: the Visa key from the ATC for Visa CVN 10 and 18, the
// EMV common session key with R = arqc for the others. arqc is the
// application cryptogram as incremented for the command (see [Script]).
func SecureMessagingKey(cvn CVN, mk, atc, arqc []byte) ([]byte, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return nil, err
	}
	return sessionKey(make([]byte, 0, 16), mk, p.smKey, atc, nil, arqc)
}

// ScriptKeys are the issuer master keys for issuer scripts. SMI is always
// needed; SMC only to encipher command data (PIN change); AC only for the
// VIS PIN block of the Visa PIN change, which is bound to the ICC master
// key for application cryptograms.
type ScriptKeys struct {
	SMI []byte // issuer master key for secure messaging integrity
	SMC []byte // issuer master key for secure messaging confidentiality
	AC  []byte // issuer master key for application cryptograms
}

// Script builds the secure messaging commands of one issuer script
// (templates 71 and 72) for the transaction whose ATC and ARQC the card
// sent. Commands must be built in the order the card will run them: for
// the versions whose secure messaging key is derived from the ARQC
// (Visa CVN 22, Mastercard, Interac), the n-th command (counting from 0)
// uses ARQC + n, as a 64-bit big-endian number, both as the key
// diversifier and in the MAC data. Visa CVN 10 and 18 derive the key from
// the ATC and MAC the ARQC unchanged.
//
// A Script holds derived ICC master keys until Clear; it is not safe for
// concurrent use and its String method prints no key.
type Script struct {
	p    *profile
	cvn  CVN
	smi  [16]byte
	smc  [16]byte
	ac   [16]byte
	has  uint8 // hasSMC, hasAC and hasSMI, for the keys it holds (none after Clear)
	atc  [2]byte
	arqc [8]byte
	n    uint64
}

// The keys a Script holds (Script.has).
const (
	hasSMC uint8 = 1 << iota
	hasAC
	hasSMI
)

// NewScript derives the ICC master keys of keys for pan and psn with the
// version's option and returns a Script for the transaction's ATC (2 bytes)
// and ARQC (8 bytes).
func NewScript(cvn CVN, k ScriptKeys, pan, psn string, atc, arqc []byte) (*Script, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return nil, err
	}
	if len(atc) != 2 {
		return nil, errLen("ATC", len(atc), "2")
	}
	if len(arqc) != 8 {
		return nil, errLen("ARQC", len(arqc), "8")
	}
	s := &Script{p: p, cvn: cvn, has: hasSMI}
	if _, err := appendMasterKey(s.smi[:0], k.SMI, pan, psn, p.option); err != nil {
		return nil, roleError(err, "issuer master key for secure messaging integrity")
	}
	if k.SMC != nil {
		if _, err := appendMasterKey(s.smc[:0], k.SMC, pan, psn, p.option); err != nil {
			s.clearKeys()
			return nil, roleError(err, "issuer master key for secure messaging confidentiality")
		}
		s.has |= hasSMC
	}
	if k.AC != nil {
		if _, err := appendMasterKey(s.ac[:0], k.AC, pan, psn, p.option); err != nil {
			s.clearKeys()
			return nil, roleError(err, "issuer master key for application cryptograms")
		}
		s.has |= hasAC
	}
	copy(s.atc[:], atc)
	copy(s.arqc[:], arqc)
	return s, nil
}

// Clear zeroes the ICC master keys the script holds. Commands asked of it
// afterwards fail as for a key it was never given (a [*KeySizeError] of
// length 0). Call it once the script's commands are built.
func (s *Script) Clear() { s.clearKeys() }

// clearKeys zeroes the ICC master keys and forgets that the script has
// them.
func (s *Script) clearKeys() {
	clear(s.smi[:])
	clear(s.smc[:])
	clear(s.ac[:])
	s.has = 0
}

func roleError(err error, role string) error {
	if ke, ok := err.(*KeySizeError); ok {
		return &KeySizeError{Key: role, Len: ke.Len}
	}
	return err
}

// String describes the script without keys.
func (s *Script) String() string {
	return "issuer script for " + s.cvn.String() + " (" + itoa(int(s.n)) + " commands built)"
}

// counter returns the ARQC the next command uses.
func (s *Script) counter() [8]byte {
	a := s.arqc
	if s.p.smKey == CommonSessionKeyARQC {
		binary.BigEndian.PutUint64(a[:], binary.BigEndian.Uint64(a[:])+s.n)
	}
	return a
}

// Command returns the secure messaging command CLA INS P1 P2 Lc data MAC,
// with data enciphered first when encipher is set, and counts it. cla
// should have bits b3-b4 set (secure messaging, 0x84 or 0x04).
func (s *Script) Command(cla, ins, p1, p2 byte, data []byte, encipher bool) ([]byte, error) {
	if s.has&hasSMI == 0 {
		return nil, errKey("issuer master key for secure messaging integrity", 0)
	}
	arqc := s.counter()
	if encipher {
		if s.has&hasSMC == 0 {
			return nil, errKey("issuer master key for secure messaging confidentiality", 0)
		}
		var skBuf [16]byte // the session key, on the stack
		sk, err := sessionKey(skBuf[:0], s.smc[:], s.p.smKey, s.atc[:], nil, arqc[:])
		if err != nil {
			return nil, err
		}
		data, err = EncipherCommandData(s.p.enc, sk, data)
		clear(sk)
		if err != nil {
			return nil, err
		}
	}
	if len(data)+CommandMACSize > 255 {
		return nil, errLen("command data", len(data), "at most 247")
	}
	cmd := make([]byte, 0, 5+len(data)+CommandMACSize)
	cmd = append(cmd, cla, ins, p1, p2, byte(len(data)+CommandMACSize))
	cmd = append(cmd, data...)
	m, err := s.mac(cmd, arqc)
	if err != nil {
		return nil, err
	}
	s.n++
	return append(cmd, m...), nil
}

// mac computes the command MAC over cmd (header, Lc and data).
func (s *Script) mac(cmd []byte, arqc [8]byte) ([]byte, error) {
	var skBuf [16]byte // the session key, on the stack
	sk, err := sessionKey(skBuf[:0], s.smi[:], s.p.smKey, s.atc[:], nil, arqc[:])
	if err != nil {
		return nil, err
	}
	in := make([]byte, 0, len(cmd)+10)
	in = append(in, cmd[:5]...)
	if s.p.smTxnData {
		in = append(in, s.atc[:]...)
		in = append(in, arqc[:]...)
	}
	in = append(in, cmd[5:]...)
	m, err := CommandMAC(sk, in)
	clear(sk)
	return m, err
}

// ApplicationBlock returns the APPLICATION BLOCK command (84 1E 00 00).
func (s *Script) ApplicationBlock() ([]byte, error) { return s.Command(0x84, 0x1E, 0, 0, nil, false) }

// ApplicationUnblock returns the APPLICATION UNBLOCK command (84 18 00 00).
func (s *Script) ApplicationUnblock() ([]byte, error) {
	return s.Command(0x84, 0x18, 0, 0, nil, false)
}

// CardBlock returns the CARD BLOCK command (84 16 00 00).
func (s *Script) CardBlock() ([]byte, error) { return s.Command(0x84, 0x16, 0, 0, nil, false) }

// PINUnblock returns the PIN CHANGE/UNBLOCK command that only resets the
// PIN try counter (84 24 00 00, no data).
func (s *Script) PINUnblock() ([]byte, error) { return s.Command(0x84, 0x24, 0, 0, nil, false) }

// PutData returns the PUT DATA command (04 DA) that sets the data object
// tag, of one or two bytes, to value, enciphered when encipher is set.
func (s *Script) PutData(tag tlv.Tag, value []byte, encipher bool) ([]byte, error) {
	if tag > 0xFFFF || tag == 0 {
		return nil, ErrCardData
	}
	return s.Command(0x04, 0xDA, byte(tag>>8), byte(tag), value, encipher)
}

// UpdateRecord returns the UPDATE RECORD command (04 DC) that replaces
// record number record (1 to 254) of the file with short identifier sfi (1
// to 30) with data, enciphered when encipher is set.
func (s *Script) UpdateRecord(sfi, record byte, data []byte, encipher bool) ([]byte, error) {
	if sfi < 1 || sfi > 30 || record < 1 || record == 0xFF {
		return nil, ErrCardData
	}
	return s.Command(0x04, 0xDC, record, sfi<<3|0x04, data, encipher)
}

// PINChange returns the PIN CHANGE/UNBLOCK command that sets the offline
// PIN to pin, its PIN block enciphered under the confidentiality key.
// Without a current PIN (currentPIN empty, P2 = 02) the PIN block is the
// VIS PIN block for Visa CVN 10 and 18 and the ISO 9564-1 format 2 block
// for the other versions. With the current PIN (P2 = 01), which only the
// Visa versions define, it is the VIS PIN block that also binds the current
// PIN.
func (s *Script) PINChange(pin, currentPIN string) ([]byte, error) {
	var block []byte
	var err error
	p2 := byte(0x02)
	switch {
	case currentPIN != "":
		if s.p.scheme != visa {
			return nil, &unsupportedError{"PIN change with the current PIN for " + s.cvn.String()}
		}
		p2 = 0x01
		block, err = s.visBlock(pin, currentPIN)
	case s.p.visPIN:
		block, err = s.visBlock(pin, "")
	default:
		block, err = iso2Block(pin)
	}
	if err != nil {
		return nil, err
	}
	return s.Command(0x84, 0x24, 0x00, p2, block, true)
}

func (s *Script) visBlock(pin, current string) ([]byte, error) {
	if s.has&hasAC == 0 {
		return nil, errKey("issuer master key for application cryptograms", 0)
	}
	return VISPINBlock(s.ac[:], pin, current)
}
