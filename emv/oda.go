package emv

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// ErrODA is wrapped by the reasons offline data authentication failed, as
// the trace reports them; the transaction goes on with the TVR bit set.
var ErrODA = errors.New("emv: offline data authentication failed")

// offlineDataAuthentication performs SDA, DDA or the key retrieval of CDA,
// whichever the card and the terminal both support, in that order of
// preference: CDA, DDA, SDA (Book 3 10.3). A failure sets the TVR bit of
// the method and lets the transaction go on: terminal action analysis
// decides. CDA's signature is checked at GENERATE AC.
func (k *kernel) offlineDataAuthentication() error {
	k.begin(StepODA)
	caps := &k.cfg.Terminal.Capabilities
	switch {
	case k.aip.Has(AIPCDA) && caps.Has(CapCDA):
		k.oda = odaCDA
	case k.aip.Has(AIPDDA) && caps.Has(CapDDA):
		k.oda = odaDDA
	case k.aip.Has(AIPSDA) && caps.Has(CapSDA):
		k.oda = odaSDA
		k.tvr.Set(TVRSDASelected)
	default:
		k.oda = odaNone
		k.tvr.Set(TVROfflineDataAuthNotPerformed)
		k.note("offline data authentication not performed")
		return nil
	}
	k.note("method %v", k.oda)
	k.tsi.Set(TSIOfflineDataAuthPerformed)
	if err := k.authenticate(); err != nil {
		k.odaFailed(err)
	}
	return nil
}

func (k *kernel) odaFailed(err error) {
	switch k.oda {
	case odaSDA:
		k.tvr.Set(TVRSDAFailed)
	case odaDDA:
		k.tvr.Set(TVRDDAFailed)
	case odaCDA:
		k.tvr.Set(TVRCDAFailed)
		k.cdaFailed = true
	}
	if errors.Is(err, ErrMissingData) {
		k.tvr.Set(TVRICCDataMissing)
	}
	k.note("%v failed: %v", k.oda, err)
}

func (k *kernel) authenticate() error {
	static, err := k.staticDataToAuthenticate()
	if err != nil {
		return err
	}
	issuer, err := k.issuerPublicKey()
	if err != nil {
		return err
	}
	k.issuerKey = issuer
	if k.oda == odaSDA {
		ssad, ok := k.icc[0x93]
		if !ok {
			return fmt.Errorf("%w: %w: signed static application data (93)", ErrODA, ErrMissingData)
		}
		s, err := oda.VerifySSAD(issuer, ssad, static)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrODA, err)
		}
		k.icc[0x9F45] = bytes.Clone(s.DAC[:])
		k.note("SDA successful")
		return nil
	}
	icc, err := k.iccPublicKey(issuer, static)
	if err != nil {
		return err
	}
	k.iccKey = icc
	if k.oda == odaCDA {
		k.note("ICC public key retrieved; CDA signature checked at GENERATE AC")
		return nil
	}
	return k.dynamicDataAuthentication(icc)
}

// staticDataToAuthenticate returns the records flagged by the AFL, then
// the AIP if the static data authentication tag list (9F4A) names it;
// any other tag in the list fails ODA (Book 3 10.3).
func (k *kernel) staticDataToAuthenticate() ([]byte, error) {
	if k.odaRecordError {
		return nil, fmt.Errorf("%w: a record for ODA is not a template 70", ErrODA)
	}
	static := k.staticData
	if l, ok := k.icc[0x9F4A]; ok {
		if !bytes.Equal(l, []byte{0x82}) {
			return nil, fmt.Errorf("%w: static data authentication tag list names other tags than 82", ErrODA)
		}
		static = append(bytes.Clone(static), k.aip[:]...)
	}
	return static, nil
}

func (k *kernel) need(tags ...tlv.Tag) error {
	for _, t := range tags {
		if _, ok := k.icc[t]; !ok {
			return fmt.Errorf("%w: %w: tag %X", ErrODA, ErrMissingData, uint32(t))
		}
	}
	return nil
}

func (k *kernel) checks() oda.Checks {
	return oda.Checks{PAN: k.icc[0x5A], Date: k.now(), Revoked: k.cfg.Revoked}
}

// issuerPublicKey recovers and checks the issuer public key (Book 2 5.3).
func (k *kernel) issuerPublicKey() (*oda.PublicKey, error) {
	if err := k.need(0x8F, 0x90, 0x9F32); err != nil {
		return nil, err
	}
	var rid oda.RID
	aid := k.icc[0x4F]
	if len(aid) < 5 {
		return nil, fmt.Errorf("%w: AID shorter than a RID", ErrODA)
	}
	copy(rid[:], aid)
	if len(k.icc[0x8F]) != 1 {
		return nil, fmt.Errorf("%w: CA public key index (8F) not 1 byte", ErrODA)
	}
	if k.cfg.CAPKs == nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, oda.ErrUnknownCAPK)
	}
	capk, err := k.cfg.CAPKs.Lookup(rid, k.icc[0x8F][0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, err)
	}
	cert, err := oda.RecoverIssuerCertificate(capk, k.icc[0x90])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, err)
	}
	key, err := cert.Verify(k.icc[0x92], k.icc[0x9F32], k.checks())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, err)
	}
	return key, nil
}

// iccPublicKey recovers and checks the ICC public key (Book 2 6.4).
func (k *kernel) iccPublicKey(issuer *oda.PublicKey, static []byte) (*oda.PublicKey, error) {
	if err := k.need(0x9F46, 0x9F47); err != nil {
		return nil, err
	}
	cert, err := oda.RecoverICCCertificate(issuer, k.icc[0x9F46])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, err)
	}
	if static == nil {
		static = []byte{}
	}
	key, err := cert.Verify(k.icc[0x9F48], k.icc[0x9F47], static, k.checks())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrODA, err)
	}
	return key, nil
}

// dynamicDataAuthentication sends INTERNAL AUTHENTICATE with the DDOL
// data and checks the signature (Book 3 10.3, Book 2 6.5). The card's
// DDOL (9F49) is used, else the application's default DDOL, which must
// name the unpredictable number.
func (k *kernel) dynamicDataAuthentication(icc *oda.PublicKey) error {
	ddol, ok := k.icc[0x9F49]
	if !ok {
		ddol = k.app.DefaultDDOL
		if len(ddol) == 0 {
			return fmt.Errorf("%w: %w: no DDOL (9F49) and no default DDOL", ErrODA, ErrMissingData)
		}
		if !dolHas(ddol, 0x9F37) {
			return fmt.Errorf("%w: default DDOL without unpredictable number", ErrODA)
		}
	}
	data, err := k.appendDOL(nil, ddol)
	if err != nil {
		return fmt.Errorf("%w: DDOL: %v", ErrODA, err)
	}
	r, err := k.exchange(InternalAuthenticate(data), ddol)
	if err != nil {
		return err
	}
	if !r.SW.OK() {
		return fmt.Errorf("%w: INTERNAL AUTHENTICATE: %w", ErrODA, r.SW)
	}
	sdad, err := parseInternalAuthenticate(r.Data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrODA, err)
	}
	s, err := oda.VerifyDDA(icc, sdad, data)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrODA, err)
	}
	k.icc[0x9F4C] = bytes.Clone(s.IDN)
	k.icc[0x9F4B] = bytes.Clone(sdad)
	k.note("DDA successful")
	return nil
}

// parseInternalAuthenticate returns the signed dynamic application data
// of an INTERNAL AUTHENTICATE response, format 1 (80) or format 2 (77
// with 9F4B).
func parseInternalAuthenticate(b []byte) ([]byte, error) {
	c := tlv.NewCursor(b)
	if !c.Next() {
		return nil, fmt.Errorf("%w: INTERNAL AUTHENTICATE response empty or malformed", ErrCardData)
	}
	obj := c.Object()
	if c.Next() || c.Err() != nil {
		return nil, fmt.Errorf("%w: data after the INTERNAL AUTHENTICATE response", ErrCardData)
	}
	switch obj.Tag {
	case 0x80:
		return obj.Value, nil
	case 0x77:
		o, err := tlv.Find(obj.Value, 0x9F4B)
		if err != nil {
			return nil, fmt.Errorf("%w: INTERNAL AUTHENTICATE response without 9F4B", ErrMissingData)
		}
		return o.Value, nil
	}
	return nil, fmt.Errorf("%w: INTERNAL AUTHENTICATE response template %X", ErrCardData, uint32(obj.Tag))
}

func dolHas(dol []byte, t tlv.Tag) bool {
	entries, err := ParseDOL(dol)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.Tag == t {
			return true
		}
	}
	return false
}
