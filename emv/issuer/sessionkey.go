package issuer

import (
	des "github.com/posflow/posflow/internal/des"
	"github.com/posflow/posflow/keys"
)

// SessionKeyMethod is a way of deriving the key a cryptogram or a secure
// messaging command is computed with from an ICC master key.
type SessionKeyMethod uint8

const (
	// NoSessionKey uses the ICC master key itself (Visa CVN 10; the ARPC
	// of Mastercard CVN 16 and 17).
	NoSessionKey SessionKeyMethod = 1
	// CommonSessionKey is the EMV common session key derivation of EMV 4.4
	// Book 2 Annex A1.3 with R = ATC ‖ 00 00 00 00 00 00 for cryptograms and
	// R = ARQC for secure messaging.
	CommonSessionKey SessionKeyMethod = 2
	// MastercardSKD is the M/Chip session key derivation: the common
	// session key function with R = ATC ‖ 00 00 ‖ UN.
	MastercardSKD SessionKeyMethod = 3
	// VisaSecureMessaging is the Visa secure messaging session key: the
	// ICC master key with the ATC exclusive-ored into the rightmost two
	// bytes of its left half, and ATC ⊕ FFFF into those of its right half.
	VisaSecureMessaging SessionKeyMethod = 4
	// CommonSessionKeyARQC is CommonSessionKey with R = the application
	// cryptogram (incremented for each command after the first), as EMV
	// 4.4 Book 2 Annex A1.3 and Mastercard use for secure messaging.
	CommonSessionKeyARQC SessionKeyMethod = 5
)

// String names the method.
func (m SessionKeyMethod) String() string {
	switch m {
	case NoSessionKey:
		return "no session key"
	case CommonSessionKey:
		return "EMV common session key (R = ATC || 000000000000)"
	case MastercardSKD:
		return "Mastercard SKD (R = ATC || 0000 || UN)"
	case VisaSecureMessaging:
		return "Visa secure messaging key (ATC xor)"
	case CommonSessionKeyARQC:
		return "EMV common session key (R = ARQC)"
	}
	return "SessionKeyMethod(" + itoa(int(m)) + ")"
}

// SessionKey derives a session key from the ICC master key mk and the
// 8-byte diversification value r with the common session key derivation
// of EMV 4.4 Book 2 Annex A1.3.1:
//
//	SK = 3DES(mk)[R with R[2] = F0] ‖ 3DES(mk)[R with R[2] = 0F]
//
// with odd parity. For application cryptograms R is ATC ‖ 00…00 ([ACR]);
// for the Mastercard SKD it is ATC ‖ 00 00 ‖ UN ([MastercardR]); for
// secure messaging it is the application cryptogram.
func SessionKey(mk, r []byte) ([]byte, error) {
	return AppendSessionKey(make([]byte, 0, 16), mk, r)
}

// AppendSessionKey is like [SessionKey] but appends the key to dst.
func AppendSessionKey(dst, mk, r []byte) ([]byte, error) {
	if len(mk) != 16 {
		return dst, errKey("ICC master key", len(mk))
	}
	if len(r) != 8 {
		return dst, errLen("diversification value R", len(r), "8")
	}
	var c des.TripleDESCipher // the schedule of mk, on the stack
	if err := c.SetKey(mk); err != nil {
		return dst, err
	}
	var a, b [8]byte
	copy(a[:], r)
	copy(b[:], r)
	a[2], b[2] = 0xF0, 0x0F
	var k [16]byte
	c.Encrypt(k[:8], a[:])
	c.Encrypt(k[8:], b[:])
	c.Clear()
	keys.AdjustParity(k[:])
	dst = append(dst, k[:]...)
	clear(k[:])
	return dst, nil
}

// ACR returns the diversification value ATC ‖ 00 00 00 00 00 00 of the
// EMV common session key for application cryptograms.
func ACR(atc []byte) ([]byte, error) {
	if len(atc) != 2 {
		return nil, errLen("ATC", len(atc), "2")
	}
	return []byte{atc[0], atc[1], 0, 0, 0, 0, 0, 0}, nil
}

// MastercardR returns the diversification value ATC ‖ 00 00 ‖ UN of the
// Mastercard session key derivation (SKD).
func MastercardR(atc, un []byte) ([]byte, error) {
	if len(atc) != 2 {
		return nil, errLen("ATC", len(atc), "2")
	}
	if len(un) != 4 {
		return nil, errLen("unpredictable number", len(un), "4")
	}
	return []byte{atc[0], atc[1], 0, 0, un[0], un[1], un[2], un[3]}, nil
}

// MastercardSessionKey derives the Mastercard SKD session key from the ICC
// master key, the ATC (9F36) and the unpredictable number (9F37).
func MastercardSessionKey(mk, atc, un []byte) ([]byte, error) {
	r, err := MastercardR(atc, un)
	if err != nil {
		return nil, err
	}
	return SessionKey(mk, r)
}

// VisaSessionKey derives the Visa secure messaging session key from an
// ICC master key for secure messaging (integrity or confidentiality) and
// the ATC: the rightmost two bytes of the left half of mk are exclusive-ored
// with the ATC, those of the right half with ATC ⊕ FFFF, and parity is
// made odd.
func VisaSessionKey(mk, atc []byte) ([]byte, error) {
	if len(mk) != 16 {
		return nil, errKey("ICC master key", len(mk))
	}
	if len(atc) != 2 {
		return nil, errLen("ATC", len(atc), "2")
	}
	k := make([]byte, 16)
	copy(k, mk)
	k[6] ^= atc[0]
	k[7] ^= atc[1]
	k[14] ^= ^atc[0]
	k[15] ^= ^atc[1]
	keys.AdjustParity(k)
	return k, nil
}

// sessionKey derives the key of method m into dst (16 bytes).
func sessionKey(dst, mk []byte, m SessionKeyMethod, atc, un, arqc []byte) ([]byte, error) {
	switch m {
	case NoSessionKey:
		if len(mk) != 16 {
			return dst, errKey("ICC master key", len(mk))
		}
		return append(dst, mk...), nil
	case CommonSessionKey:
		if len(atc) != 2 {
			return dst, errLen("ATC", len(atc), "2")
		}
		r := [8]byte{atc[0], atc[1]}
		return AppendSessionKey(dst, mk, r[:])
	case MastercardSKD:
		if len(atc) != 2 {
			return dst, errLen("ATC", len(atc), "2")
		}
		if len(un) != 4 {
			return dst, errLen("unpredictable number", len(un), "4")
		}
		r := [8]byte{atc[0], atc[1], 0, 0, un[0], un[1], un[2], un[3]}
		return AppendSessionKey(dst, mk, r[:])
	case VisaSecureMessaging:
		k, err := VisaSessionKey(mk, atc)
		if err != nil {
			return dst, err
		}
		dst = append(dst, k...)
		clear(k)
		return dst, nil
	case CommonSessionKeyARQC:
		if len(arqc) != 8 {
			return dst, errLen("application cryptogram", len(arqc), "8")
		}
		return AppendSessionKey(dst, mk, arqc)
	}
	return dst, ErrCVN
}
