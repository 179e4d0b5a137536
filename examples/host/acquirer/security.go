package acquirer

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/posflow/posflow/dukpt"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/iso8583"
	"github.com/posflow/posflow/keys"
	"github.com/posflow/posflow/pinblock"
	"github.com/posflow/posflow/tlv"
)

// A SecurityModule performs every operation of the host that needs a key,
// so that the keys never reach the host logic: a hardware security module
// can replace the software one (NewSoftwareModule) without changing it.
// Methods must be safe for concurrent use.
type SecurityModule interface {
	// VerifyPIN deciphers the PIN block of a PIN pad under the DUKPT key
	// of ksn (10 bytes: TDES, ISO format 0, an 8-byte block; 12 bytes:
	// AES, ISO format 4, a 16-byte block) and checks it against the
	// card's PVV or IBM 3624 offset. It returns nil on a match,
	// ErrPINMismatch or ErrPINBlock (also for a block whose length does
	// not match the KSN's).
	VerifyPIN(card *Card, ksn, block []byte) error
	// TranslatePIN re-enciphers the PIN block from the DUKPT key of ksn to
	// the zone PIN key, in ISO format 0, for forwarding to an issuer.
	TranslatePIN(pan string, ksn, block []byte) ([]byte, error)
	// VerifyARQC verifies the authorization request cryptogram in the
	// chip data of field 55 under the card's issuer master key, detecting
	// the cryptogram version from the issuer application data (9F10).
	VerifyARQC(card *Card, data map[tlv.Tag][]byte) (issuer.CVN, error)
	// IssuerAuthentication returns the value of tag 91 for the response
	// to an ARQC: ARPC ‖ ARC (method 1) or ARPC ‖ CSU (method 2).
	IssuerAuthentication(card *Card, cvn issuer.CVN, data map[tlv.Tag][]byte, code iso8583.ResponseCode) ([]byte, error)
	// UnblockScript returns an issuer script template 72 holding
	// APPLICATION UNBLOCK for the card, or nil if the card's issuer keys
	// do not allow scripts.
	UnblockScript(card *Card, cvn issuer.CVN, data map[tlv.Tag][]byte) ([]byte, error)
	// VerifyMAC checks the MAC of a request from the terminal and returns
	// the key to sign its response with. A terminal without a MAC key
	// gets a nil key and no check. The error is iso8583.ErrNoMAC or
	// iso8583.ErrMACMismatch (also when the key is out of sync).
	VerifyMAC(terminal string, m *iso8583.Message) (iso8583.MACKey, error)
	// MACKey returns the terminal's current MAC key, to sign a response
	// to a request whose MAC failed; nil if the terminal has none (or uses
	// DUKPT MACs, whose key depends on the request).
	MACKey(terminal string) iso8583.MACKey
	// ChangeMACKey makes a new MAC key for the terminal and returns it
	// enciphered under the terminal master key (TDES ECB) with its check
	// value. The previous key stays valid for verification until the
	// terminal first uses the new one, so that a lost 0810 does not leave
	// the two sides out of sync.
	ChangeMACKey(terminal string) (enciphered, kcv []byte, err error)
}

// SoftwareModule is the SecurityModule that holds its keys in memory, for
// tests, demos and development. It is safe for concurrent use.
type SoftwareModule struct {
	rand    io.Reader
	tdes    *dukpt.TDESHost
	aes     *dukpt.AESHost
	pvk     []byte
	zpk     []byte
	decimal string
	imk     map[string]IssuerKeys

	mu        sync.Mutex
	terminals map[string]*terminalKeys
}

type terminalKeys struct {
	dukpt    bool // MACs under the DUKPT key of the KSN in field 53
	tmk      []byte
	current  iso8583.MACKey
	previous iso8583.MACKey // nil unless a key change awaits its first use
	gen      int            // counts key changes
}

// NewSoftwareModule returns a software security module holding keys and
// the terminals' MAC keys and master keys. rand is the source of new
// working keys; nil means crypto/rand.Reader. The DUKPT hosts cache the
// derivation paths of 1024 PIN pads.
func NewSoftwareModule(k Keys, terminals []Terminal, rnd io.Reader) (*SoftwareModule, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	s := &SoftwareModule{rand: rnd, pvk: clone(k.PVK), zpk: clone(k.ZPK), decimal: k.Decimalization,
		imk: map[string]IssuerKeys{}, terminals: map[string]*terminalKeys{}}
	if s.decimal == "" {
		s.decimal = "0123456789012345"
	}
	var err error
	if len(k.BDK) != 0 {
		if s.tdes, err = dukpt.NewTDESHost(k.BDK, dukpt.HostConfig{CacheDevices: 1024}); err != nil {
			return nil, &ConfigError{Item: "keys.bdk", Reason: "not a TDES DUKPT BDK"}
		}
	}
	if len(k.AESBDK) != 0 {
		if s.aes, err = dukpt.NewAESHost(k.AESBDK, dukpt.HostConfig{CacheDevices: 1024}); err != nil {
			return nil, &ConfigError{Item: "keys.aes_bdk", Reason: "not an AES DUKPT BDK"}
		}
	}
	for name, ik := range k.IMK {
		s.imk[name] = IssuerKeys{AC: clone(ik.AC), SMI: clone(ik.SMI), SMC: clone(ik.SMC)}
	}
	for _, t := range terminals {
		tk := &terminalKeys{tmk: clone(t.TMK), dukpt: t.MACDUKPT}
		if len(t.MACKey) != 0 {
			if tk.current, err = iso8583.RetailMAC(t.MACKey); err != nil {
				return nil, &ConfigError{Item: "terminals." + t.ID + ".mac_key", Reason: "not a double-length TDES key"}
			}
		}
		s.terminals[t.ID] = tk
	}
	return s, nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// decryptPIN deciphers a DUKPT PIN block: the length of the KSN says
// which DUKPT and PIN block format apply, and the block must have that
// format's length.
func (s *SoftwareModule) decryptPIN(pan string, ksn, block []byte) (string, error) {
	switch len(ksn) {
	case 10:
		if s.tdes == nil {
			return "", ErrUnknownKey
		}
		if len(block) != iso8583.PINBlockTDES {
			return "", ErrPINBlock
		}
		k, err := dukpt.ParseKSN(ksn)
		if err != nil {
			return "", ErrPINBlock
		}
		tx, err := s.tdes.Transaction(k)
		if err != nil {
			return "", ErrPINBlock
		}
		defer tx.Clear()
		pin, err := tx.DecryptPIN(pinblock.ISO0, block, pan)
		if err != nil {
			return "", ErrPINBlock
		}
		return pin, nil
	case 12:
		if s.aes == nil {
			return "", ErrUnknownKey
		}
		if len(block) != iso8583.PINBlockAES {
			return "", ErrPINBlock
		}
		k, err := dukpt.ParseAESKSN(ksn)
		if err != nil {
			return "", ErrPINBlock
		}
		tx, err := s.aes.Transaction(k)
		if err != nil {
			return "", ErrPINBlock
		}
		defer tx.Clear()
		pin, err := tx.DecryptPIN(dukpt.AES128, block, pan)
		if err != nil {
			return "", ErrPINBlock
		}
		return pin, nil
	}
	return "", ErrPINBlock
}

// VerifyPIN implements SecurityModule.
func (s *SoftwareModule) VerifyPIN(card *Card, ksn, block []byte) error {
	pin, err := s.decryptPIN(card.PAN, ksn, block)
	if err != nil {
		return err
	}
	switch {
	case card.PVV != "":
		err = pinblock.VerifyVisaPVV(s.pvk, card.PAN, card.PVKI, pin, card.PVV)
	case card.Offset != "":
		err = pinblock.VerifyIBM3624Offset(s.pvk, s.decimal, card.validationData(), pin, card.Offset)
	default:
		return ErrPINMismatch // no PIN verification data: no PIN can be right
	}
	if errors.Is(err, pinblock.ErrMismatch) {
		return ErrPINMismatch
	}
	if err != nil {
		// A PIN the verification method cannot take (wrong length).
		return ErrPINMismatch
	}
	return nil
}

// TranslatePIN implements SecurityModule.
func (s *SoftwareModule) TranslatePIN(pan string, ksn, block []byte) ([]byte, error) {
	if len(s.zpk) == 0 {
		return nil, ErrUnknownKey
	}
	pin, err := s.decryptPIN(pan, ksn, block)
	if err != nil {
		return nil, err
	}
	return pinblock.Encrypt(pinblock.ISO0, s.zpk, pin, pan)
}

func (s *SoftwareModule) issuerKeys(card *Card) (IssuerKeys, error) {
	k, ok := s.imk[card.IMK]
	if !ok {
		return IssuerKeys{}, ErrUnknownKey
	}
	return k, nil
}

// VerifyARQC implements SecurityModule.
func (s *SoftwareModule) VerifyARQC(card *Card, data map[tlv.Tag][]byte) (issuer.CVN, error) {
	k, err := s.issuerKeys(card)
	if err != nil {
		return 0, err
	}
	cvn, err := issuer.Verify(k.AC, card.PAN, card.PSN, data)
	if err != nil {
		return cvn, fmt.Errorf("%w: %w", ErrCryptogram, err)
	}
	return cvn, nil
}

// Card status update of Visa's method-2 ARPC (VIS 1.6 CSU byte 2 bit 8):
// the issuer approves the online transaction.
const csuApproved = 0x80

// IssuerAuthentication implements SecurityModule.
func (s *SoftwareModule) IssuerAuthentication(card *Card, cvn issuer.CVN, data map[tlv.Tag][]byte, code iso8583.ResponseCode) ([]byte, error) {
	k, err := s.issuerKeys(card)
	if err != nil {
		return nil, err
	}
	var c []byte
	if cvn.ARPCMethod() == 2 {
		c = []byte{0, 0, 0, 0}
		if code.Approved() {
			c[1] = csuApproved
		}
	} else {
		c = []byte(string(code))
	}
	arpc, err := issuer.ARPC(cvn, k.AC, card.PAN, card.PSN, data, data[issuer.TagApplicationCryptogram], c)
	if err != nil {
		return nil, err
	}
	return issuer.IssuerAuthenticationData(cvn, arpc, c, nil)
}

// UnblockScript implements SecurityModule.
func (s *SoftwareModule) UnblockScript(card *Card, cvn issuer.CVN, data map[tlv.Tag][]byte) ([]byte, error) {
	k, err := s.issuerKeys(card)
	if err != nil || len(k.SMI) == 0 {
		return nil, err
	}
	sc, err := issuer.NewScript(cvn, issuer.ScriptKeys{SMI: k.SMI, SMC: k.SMC, AC: k.AC}, card.PAN, card.PSN,
		data[issuer.TagATC], data[issuer.TagApplicationCryptogram])
	if err != nil {
		return nil, err
	}
	defer sc.Clear()
	cmd, err := sc.ApplicationUnblock()
	if err != nil {
		return nil, err
	}
	v, err := tlv.AppendTLV(nil, 0x86, cmd)
	if err != nil {
		return nil, err
	}
	return tlv.AppendTLV(nil, 0x72, v)
}

// VerifyMAC implements SecurityModule.
func (s *SoftwareModule) VerifyMAC(terminal string, m *iso8583.Message) (iso8583.MACKey, error) {
	s.mu.Lock()
	tk := s.terminals[terminal]
	var cur, prev iso8583.MACKey
	var gen int
	if tk != nil {
		cur, prev, gen = tk.current, tk.previous, tk.gen
	}
	s.mu.Unlock()
	if tk != nil && tk.dukpt {
		return s.verifyDUKPTMAC(m)
	}
	if cur == nil {
		return nil, nil
	}
	err := iso8583.Verify(m, cur)
	if err == nil {
		if prev != nil {
			s.mu.Lock()
			if tk.gen == gen {
				tk.previous = nil // the terminal has the new key
			}
			s.mu.Unlock()
		}
		return cur, nil
	}
	if prev != nil && errors.Is(err, iso8583.ErrMACMismatch) {
		if iso8583.Verify(m, prev) == nil {
			return prev, nil
		}
	}
	return cur, err
}

// verifyDUKPTMAC verifies the MAC of m under the TDES DUKPT request MAC
// key of the KSN in field 53 and returns the response MAC key.
func (s *SoftwareModule) verifyDUKPTMAC(m *iso8583.Message) (iso8583.MACKey, error) {
	b, ok := m.Field(53)
	if !ok || s.tdes == nil {
		return nil, iso8583.ErrNoMAC
	}
	ksn, err := dukpt.ParseKSN(b)
	if err != nil {
		return nil, iso8583.ErrNoMAC
	}
	tx, err := s.tdes.Transaction(ksn)
	if err != nil {
		return nil, iso8583.ErrNoMAC
	}
	if err := iso8583.Verify(m, iso8583.DUKPTMAC(tx, dukpt.MACRequest)); err != nil {
		return iso8583.DUKPTMAC(tx, dukpt.MACResponse), err
	}
	return iso8583.DUKPTMAC(tx, dukpt.MACResponse), nil
}

// MACKey implements SecurityModule.
func (s *SoftwareModule) MACKey(terminal string) iso8583.MACKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tk := s.terminals[terminal]; tk != nil {
		return tk.current
	}
	return nil
}

// ChangeMACKey implements SecurityModule.
func (s *SoftwareModule) ChangeMACKey(terminal string) (enciphered, kcv []byte, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tk := s.terminals[terminal]
	if tk == nil || len(tk.tmk) == 0 || tk.current == nil {
		return nil, nil, ErrUnknownKey
	}
	k := make([]byte, 16)
	if _, err := io.ReadFull(s.rand, k); err != nil {
		return nil, nil, err
	}
	keys.AdjustParity(k)
	newKey, err := iso8583.RetailMAC(k)
	if err != nil {
		return nil, nil, err
	}
	tmk, err := keys.NewTDES(tk.tmk)
	if err != nil {
		return nil, nil, err
	}
	enciphered = make([]byte, 16)
	tmk.Encrypt(enciphered[:8], k[:8])
	tmk.Encrypt(enciphered[8:], k[8:])
	kb, err := keys.NewTDES(k)
	if err != nil {
		return nil, nil, err
	}
	kcv = keys.KCV(kb)
	clear(k)
	tk.previous, tk.current = tk.current, newKey
	tk.gen++
	return enciphered, kcv, nil
}
