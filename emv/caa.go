package emv

import (
	"bytes"
	"crypto/sha1"
	"fmt"

	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// A GenerateACResponse is the response to GENERATE AC (Book 3 6.5.5.4).
// Its slices alias Raw.
type GenerateACResponse struct {
	// Raw is the response data as received; CDA hashes it as it is.
	Raw     []byte
	Format2 bool
	CID     CID
	ATC     [2]byte
	// AC is the application cryptogram (9F26), 8 bytes; nil in a format 2
	// response that carries it only inside the signed dynamic
	// application data (CDA).
	AC []byte
	// IAD is the issuer application data (9F10), nil when absent.
	IAD []byte
	// SDAD is the signed dynamic application data (9F4B) of CDA, nil when
	// absent.
	SDAD []byte
	// Template is the value of template 77 in format 2: every data
	// object of the response, to be read with a tlv.Cursor.
	Template []byte
}

// ParseGenerateACResponse parses GENERATE AC response data in format 1
// (template 80: CID, ATC, AC, then up to 32 bytes of IAD) or format 2
// (template 77 with 9F27, 9F36 and 9F26 or 9F4B, no tag twice). Nothing may
// follow the template.
func ParseGenerateACResponse(b []byte) (GenerateACResponse, error) {
	g := GenerateACResponse{Raw: b}
	c := tlv.NewCursor(b)
	if !c.Next() {
		if err := c.Err(); err != nil {
			return g, fmt.Errorf("%w: GENERATE AC response: %w", ErrCardData, err)
		}
		return g, fmt.Errorf("%w: GENERATE AC response: empty", ErrCardData)
	}
	obj := c.Object()
	if c.Next() || c.Err() != nil {
		return g, fmt.Errorf("%w: GENERATE AC response: data after the template", ErrCardData)
	}
	switch obj.Tag {
	case 0x80:
		v := obj.Value
		if len(v) < 11 || len(v) > 11+32 {
			return g, fmt.Errorf("%w: GENERATE AC response: format 1 of %d bytes", ErrCardData, len(v))
		}
		g.CID = CID(v[0])
		copy(g.ATC[:], v[1:3])
		g.AC = v[3:11]
		if len(v) > 11 {
			g.IAD = v[11:]
		}
	case 0x77:
		g.Format2 = true
		g.Template = obj.Value
		var cid, atc bool
		var seen tagSet
		in := obj.Children()
		for in.Next() {
			o := in.Object()
			if o.Constructed() {
				return g, fmt.Errorf("%w: GENERATE AC response: constructed object %X", ErrCardData, uint32(o.Tag))
			}
			if ok, full := seen.add(o.Tag); full {
				return g, fmt.Errorf("%w: GENERATE AC response: more than %d data objects", ErrCardData, maxTemplateObjects)
			} else if !ok {
				return g, fmt.Errorf("%w: GENERATE AC response: tag %X twice", ErrRedundantData, uint32(o.Tag))
			}
			v := o.Value
			switch o.Tag {
			case 0x9F27:
				if len(v) != 1 {
					return g, fmt.Errorf("%w: GENERATE AC response: CID of %d bytes", ErrCardData, len(v))
				}
				cid = true
				g.CID = CID(v[0])
			case 0x9F36:
				if len(v) != 2 {
					return g, fmt.Errorf("%w: GENERATE AC response: ATC of %d bytes", ErrCardData, len(v))
				}
				atc = true
				copy(g.ATC[:], v)
			case 0x9F26:
				if len(v) != 8 {
					return g, fmt.Errorf("%w: GENERATE AC response: cryptogram of %d bytes", ErrCardData, len(v))
				}
				g.AC = v
			case 0x9F10:
				if len(v) > 32 {
					return g, fmt.Errorf("%w: GENERATE AC response: IAD of %d bytes", ErrCardData, len(v))
				}
				g.IAD = v
			case 0x9F4B:
				g.SDAD = v
			}
		}
		if err := in.Err(); err != nil {
			return g, fmt.Errorf("%w: GENERATE AC response: %w", ErrCardData, err)
		}
		if !cid || !atc || (g.AC == nil && g.SDAD == nil) {
			return g, fmt.Errorf("%w: GENERATE AC response: CID, ATC or cryptogram missing", ErrMissingData)
		}
	default:
		return g, fmt.Errorf("%w: GENERATE AC response: template %X, want 80 or 77", ErrCardData, uint32(obj.Tag))
	}
	if g.CID.Type() == 0xC0 {
		return g, fmt.Errorf("%w: GENERATE AC response: RFU cryptogram type", ErrCardData)
	}
	return g, nil
}

type genACResult struct {
	p1  byte
	cid CID
}

// allowed reports whether a card may answer a request for p1 with a
// cryptogram of type got (Book 3 6.5.5.4, Table 13): an AAC always, an
// ARQC to a request for an ARQC or a TC, a TC to a request for a TC.
func allowed(p1 byte, got CID) bool {
	switch got.Type() {
	case AAC:
		return true
	case ARQC:
		return p1&0xC0 != RequestAAC
	case TC:
		return p1&0xC0 == RequestTC
	}
	return false
}

// cardActionAnalysis sends the first GENERATE AC with the CDOL1 data and
// the decision of terminal action analysis (Book 3 10.8).
func (k *kernel) cardActionAnalysis(p1 byte) error {
	k.begin(StepCAA)
	cdol1 := k.icc[0x8C]
	if err := k.tcHash(cdol1); err != nil {
		return err
	}
	var err error
	if k.cdol1Data, err = k.appendDOL(nil, cdol1); err != nil {
		return k.failf(ErrCardData, "CDOL1: %v", err)
	}
	g, err := k.generateAC(p1, k.cdol1Data, cdol1, nil)
	if err != nil {
		return err
	}
	k.tsi.Set(TSICardRiskManagement)
	k.genac1 = genACResult{p1: p1, cid: g.CID}
	if g.CID.AdviceRequired() {
		k.res.AdviceRequired = true
	}
	k.note("card answered %v", g.CID)
	if g.CID.Type() == AAC && g.CID.Reason() == 1 {
		// Book 3 10.8: an AAC for "service not allowed" ends the
		// transaction rather than declining it.
		return k.failf(ErrServiceNotAllowed, "AAC with reason code 1")
	}
	return nil
}

// generateAC sends GENERATE AC, checks the cryptogram type, verifies CDA
// when it was asked for and keeps the response objects.
func (k *kernel) generateAC(p1 byte, data, dol, cdol1Data []byte) (GenerateACResponse, error) {
	r, err := k.exchange(GenerateAC(p1, data), dol)
	if err != nil {
		return GenerateACResponse{}, err
	}
	if !r.SW.OK() {
		return GenerateACResponse{}, k.fail(fmt.Errorf("GENERATE AC: %w", r.SW))
	}
	g, err := ParseGenerateACResponse(r.Data)
	if err != nil {
		return g, k.fail(err)
	}
	if !allowed(p1, g.CID) {
		return g, k.failf(ErrCardData, "card answered %v to a request for %v", g.CID.Type(), CID(p1&0xC0))
	}
	// The objects of an earlier GENERATE AC must not outlive it.
	delete(k.icc, 0x9F26)
	delete(k.icc, 0x9F4B)
	k.icc[0x9F27] = []byte{byte(g.CID)}
	k.icc[0x9F36] = bytes.Clone(g.ATC[:])
	if g.IAD != nil {
		k.icc[0x9F10] = bytes.Clone(g.IAD)
		k.noteIAD(g.IAD)
	}
	if g.Format2 {
		c := tlv.NewCursor(g.Template)
		for c.Next() {
			k.icc[c.Tag()] = bytes.Clone(c.Value())
		}
	}
	ac := g.AC
	// An AAC is signed only if the card chose to (Application.CDAForAAC):
	// one without a signature is taken as it is.
	if p1&RequestCDA != 0 && (g.CID.Type() != AAC || g.SDAD != nil) {
		cda := oda.CDA{UN: k.term[0x9F37], PDOLData: k.pdolData, CDOL1Data: data, Response: r.Data}
		if cdol1Data != nil {
			cda.CDOL1Data, cda.CDOL2Data = cdol1Data, data
		}
		var s *oda.SDAD
		if !g.Format2 || g.SDAD == nil {
			err = fmt.Errorf("%w: %w: no signed dynamic application data", ErrODA, ErrMissingData)
		} else if s, err = oda.VerifyCDA(k.iccKey, cda); err == nil && g.AC != nil && !bytes.Equal(g.AC, s.AC) {
			err = fmt.Errorf("%w: cryptogram 9F26 differs from the signed one", ErrODA)
		}
		if err != nil {
			k.tvr.Set(TVRCDAFailed)
			k.cdaFailed = true
			k.note("CDA failed: %v", err)
		} else {
			k.icc[0x9F4C] = bytes.Clone(s.IDN)
			ac = s.AC // Book 2 6.6.2: the signed cryptogram
			k.note("CDA successful")
		}
	} else if g.AC == nil {
		return g, k.failf(ErrMissingData, "application cryptogram (9F26)")
	}
	if ac != nil {
		k.icc[0x9F26] = bytes.Clone(ac)
	}
	return g, nil
}

// tcHash computes the transaction certificate hash value (98) when dol
// asks for it, over the TDOL data (Book 3 10.8, 5.4): the card's TDOL,
// else the application's default TDOL, which sets the TVR bit.
func (k *kernel) tcHash(dol []byte) error {
	if !dolHas(dol, 0x98) {
		return nil
	}
	tdol, ok := k.icc[0x97]
	if !ok && len(k.app.DefaultTDOL) > 0 {
		tdol = k.app.DefaultTDOL
		k.tvr.Set(TVRDefaultTDOLUsed)
	}
	data, err := k.appendDOL(nil, tdol)
	if err != nil {
		return k.failf(ErrCardData, "TDOL: %v", err)
	}
	h := sha1.Sum(data)
	k.term[0x98] = h[:]
	return nil
}

// completeOffline ends a transaction the card approved or declined at the
// first GENERATE AC. A TC whose CDA failed is a decline (Book 2 6.6.2).
func (k *kernel) completeOffline() error {
	switch {
	case k.genac1.cid.Type() == TC && !k.cdaFailed:
		k.arc = [2]byte{'Y', '1'}
		k.res.Outcome = ApprovedOffline
	default:
		k.arc = [2]byte{'Z', '1'}
		k.res.Outcome = DeclinedOffline
	}
	k.term[0x8A] = k.arc[:]
	return nil
}
