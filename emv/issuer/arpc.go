package issuer

import (
	des "github.com/posflow/posflow/internal/des"
	"github.com/posflow/posflow/mac"
	"github.com/posflow/posflow/tlv"
)

// ARPCMethod1 computes the 8-byte ARPC of EMV 4.4 Book 2 section 8.2.1:
// 3DES(key)[ARQC ⊕ (ARC ‖ 00 00 00 00 00 00)], where arc is the 2-byte
// authorisation response code. key is the ICC master key or a session key,
// as the cryptogram version says.
func ARPCMethod1(key, arqc, arc []byte) ([]byte, error) {
	if len(key) != 16 {
		return nil, errKey("ARPC key", len(key))
	}
	if len(arqc) != 8 {
		return nil, errLen("ARQC", len(arqc), "8")
	}
	if len(arc) != 2 {
		return nil, errLen("authorisation response code", len(arc), "2")
	}
	var c des.TripleDESCipher // the schedule of key, on the stack
	if err := c.SetKey(key); err != nil {
		return nil, err
	}
	var b [8]byte
	copy(b[:], arqc)
	b[0] ^= arc[0]
	b[1] ^= arc[1]
	out := make([]byte, 8)
	c.Encrypt(out, b[:])
	c.Clear()
	return out, nil
}

// ARPCMethod2 computes the 4-byte ARPC of EMV 4.4 Book 2 section 8.2.2:
// the leftmost 4 bytes of ISO/IEC 9797-1 MAC algorithm 3 with padding
// method 2 over ARQC ‖ CSU ‖ proprietary authentication data, under the
// session key. csu is the 4-byte card status update; propAuth is 0 to 8
// bytes and may be nil.
func ARPCMethod2(key, arqc, csu, propAuth []byte) ([]byte, error) {
	if len(key) != 16 {
		return nil, errKey("ARPC key", len(key))
	}
	if len(arqc) != 8 {
		return nil, errLen("ARQC", len(arqc), "8")
	}
	if len(csu) != 4 {
		return nil, errLen("card status update", len(csu), "4")
	}
	if len(propAuth) > 8 {
		return nil, errLen("proprietary authentication data", len(propAuth), "0 to 8")
	}
	var buf [20]byte
	d := append(append(append(buf[:0], arqc...), csu...), propAuth...)
	m, err := mac.Alg3(key, d, mac.Method2)
	if err != nil {
		return nil, err
	}
	return m[:4], nil
}

// ARPC computes the response cryptogram alone (8 bytes for method 1, 4 for
// method 2, not the whole tag 91) that version cvn expects for the
// cryptogram arqc; code is the 2-byte ARC for method-1 versions or the
// 4-byte CSU for method-2 versions. The key is the one the version uses:
// the ICC master key for Visa CVN 10 and Mastercard CVN 16 and 17, the EMV
// common session key for Visa CVN 18 and 22 and Mastercard CVN 20 and 21,
// and the Mastercard SKD session key for Interac CVN 133. data supplies the
// ATC (9F36) and, for the SKD, the unpredictable number (9F37).
//
// ARPC method 2 with proprietary authentication data is available through
// [ARPCKey] and [ARPCMethod2].
func ARPC(cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte, arqc, code []byte) ([]byte, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return nil, err
	}
	key, err := ARPCKey(cvn, imk, pan, psn, data)
	if err != nil {
		return nil, err
	}
	defer clear(key)
	if p.arpcMethod == 2 {
		return ARPCMethod2(key, arqc, code, nil)
	}
	return ARPCMethod1(key, arqc, code)
}

// ARPCKey returns the key version cvn computes the ARPC with.
func ARPCKey(cvn CVN, imk []byte, pan, psn string, data map[tlv.Tag][]byte) ([]byte, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return nil, err
	}
	var mkBuf [16]byte
	mk, err := appendMasterKey(mkBuf[:0], imk, pan, psn, p.option)
	if err != nil {
		return nil, err
	}
	key, err := sessionKey(make([]byte, 0, 16), mk, p.arpcKey, data[TagATC], data[TagUnpredictableNumber], nil)
	clear(mkBuf[:])
	if err != nil {
		return nil, sessionKeyDataError(cvn, err, data)
	}
	return key, nil
}

// IssuerAuthenticationData returns the value of tag 91 for version cvn:
// ARPC ‖ ARC for method 1 (10 bytes), ARPC ‖ CSU ‖ proprietary
// authentication data for method 2 (8 to 16 bytes). propAuth must be empty
// for method 1.
func IssuerAuthenticationData(cvn CVN, arpc, code, propAuth []byte) ([]byte, error) {
	p, err := cvn.mustProfile()
	if err != nil {
		return nil, err
	}
	if p.arpcMethod == 1 {
		if len(arpc) != 8 {
			return nil, errLen("ARPC", len(arpc), "8")
		}
		if len(code) != 2 {
			return nil, errLen("authorisation response code", len(code), "2")
		}
		if len(propAuth) != 0 {
			return nil, errLen("proprietary authentication data", len(propAuth), "0 for ARPC method 1")
		}
		return append(append(make([]byte, 0, 10), arpc...), code...), nil
	}
	if len(arpc) != 4 {
		return nil, errLen("ARPC", len(arpc), "4")
	}
	if len(code) != 4 {
		return nil, errLen("card status update", len(code), "4")
	}
	if len(propAuth) > 8 {
		return nil, errLen("proprietary authentication data", len(propAuth), "0 to 8")
	}
	out := make([]byte, 0, 8+len(propAuth))
	return append(append(append(out, arpc...), code...), propAuth...), nil
}
