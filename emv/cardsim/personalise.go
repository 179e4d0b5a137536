package cardsim

import (
	"bytes"
	"fmt"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/emv/issuer"
	"github.com/posflow/posflow/emv/oda"
	"github.com/posflow/posflow/tlv"
)

// Names of the payment system environments (Book 1 section 12.2.2 and
// EMV Contactless Book B).
var (
	PSEName  = []byte("1PAY.SYS.DDF01")
	PPSEName = []byte("2PAY.SYS.DDF01")
)

// The files of a personalised application (the AFL the card returns names
// them): SFI 1 record 1 holds the track 2 equivalent data and the
// cardholder name, SFI 2 records 1 and 2 the application data, both signed
// for offline data authentication; SFI 3 holds the certificates, which are
// not signed. SFI 11 is the transaction log.
const (
	sfiTrack   = 1
	sfiAppData = 2
	sfiODA     = 3
	sfiLog     = 11
	sfiPSE     = 1 // the directory file of the PSE
)

// maxRecord is the longest record a short READ RECORD response can carry.
const maxRecord = 256

// app is a personalised application: its files and derived keys, built
// once by New. Nothing in it changes while the card runs.
type app struct {
	def        Application
	fci        []byte
	dirEntry   []byte // template 61 of the PSE directory
	aip        emv.AIP
	afl        []byte
	records    map[uint16][]byte // sfi<<8 | record → template 70
	staticData []byte            // the static data to be authenticated
	pdolLen    int
	cdol1      []emv.DOLEntry
	cdol2      []emv.DOLEntry
	mkAC       []byte
	mkSMI      []byte
	mkSMC      []byte
	icc        *RSAKey // DDA and CDA signatures; nil without
	pinKey     *RSAKey // enciphered PIN; nil without
	pan        string
	psn        string
	sfiApp     byte // SFI of the application data records
}

func recKey(sfi, rec byte) uint16 { return uint16(sfi)<<8 | uint16(rec) }

// appendTLV appends one data object. Values here are always short.
func appendTLV(dst []byte, t tlv.Tag, v []byte) []byte {
	out, err := tlv.AppendTLV(dst, t, v)
	if err != nil {
		panic("cardsim: data object too long: " + err.Error()) // programmer error: lengths are bounded
	}
	return out
}

func perr(i int, field, format string, args ...any) error {
	return &ProfileError{App: i, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// digits reports whether s is made of decimal digits only.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// packDigits packs hexadecimal digit characters two to a byte, padding an
// odd count with pad on the right (F for cn data, 0 for n data written left
// aligned).
func packDigits(s string, pad byte) []byte {
	out := make([]byte, (len(s)+1)/2)
	nib := func(c byte) byte {
		switch {
		case c >= '0' && c <= '9':
			return c - '0'
		case c >= 'A' && c <= 'F':
			return c - 'A' + 10
		}
		return 0
	}
	for i := 0; i < len(s); i++ {
		v := nib(s[i])
		if i%2 == 0 {
			out[i/2] = v<<4 | pad
		} else {
			out[i/2] = out[i/2]&0xF0 | v
		}
	}
	return out
}

// dolHas reports whether a data object list names tag t.
func dolHas(dol []byte, t tlv.Tag) bool {
	entries, err := emv.ParseDOL(dol)
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

func validDate(s string) bool {
	if len(s) != 6 || !digits(s) {
		return false
	}
	m := (s[2]-'0')*10 + s[3] - '0'
	d := (s[4]-'0')*10 + s[5] - '0'
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// personalise checks application i of a profile and builds its files.
func personalise(i int, def Application) (*app, error) {
	a := &app{def: def, records: make(map[uint16][]byte)}
	// Copy the slices the card keeps, so that a caller changing the
	// profile afterwards does not change the card.
	a.def.AID = bytes.Clone(def.AID)
	a.def.DDF = bytes.Clone(def.DDF)
	switch {
	case len(def.AID) < 5 || len(def.AID) > 16:
		return nil, perr(i, "AID", "%d bytes, want 5 to 16", len(def.AID))
	case len(def.PAN) < 12 || len(def.PAN) > 19 || !digits(def.PAN):
		return nil, perr(i, "PAN", "want 12 to 19 digits")
	case def.PSN != "" && (len(def.PSN) != 2 || !digits(def.PSN)):
		return nil, perr(i, "PSN", "want two digits")
	case !validDate(def.Expiry):
		return nil, perr(i, "Expiry", "want YYMMDD")
	case def.Effective != "" && !validDate(def.Effective):
		return nil, perr(i, "Effective", "want YYMMDD")
	case len(def.ServiceCode) != 3 || !digits(def.ServiceCode):
		return nil, perr(i, "ServiceCode", "want three digits")
	case !digits(def.Discretionary):
		return nil, perr(i, "Discretionary", "want digits")
	case def.PIN != "" && (len(def.PIN) < 4 || len(def.PIN) > 12 || !digits(def.PIN)):
		return nil, perr(i, "PIN", "want 4 to 12 digits")
	case def.PINTryLimit < 0 || def.PINTryLimit > 15:
		return nil, perr(i, "PINTryLimit", "want 0 to 15")
	case def.PINTriesUsed < 0 || def.PINTriesUsed > def.pinTryLimit():
		return nil, perr(i, "PINTriesUsed", "want 0 to the PIN try limit")
	case def.DDF != nil && (len(def.DDF) < 5 || len(def.DDF) > 16 || bytes.Equal(def.DDF, PSEName) || bytes.Equal(def.DDF, def.AID)):
		return nil, perr(i, "DDF", "want a DF name of 5 to 16 bytes other than the PSE and the AID")
	case def.Priority > 15:
		return nil, perr(i, "Priority", "want 0 to 15")
	case def.CVN.Code() == 0:
		return nil, perr(i, "CVN", "not a cryptogram version of emv/issuer")
	case def.ODA > CDA:
		return nil, perr(i, "ODA", "unknown mode")
	case def.ODA != NoODA && def.Keys == nil:
		return nil, perr(i, "Keys", "needed for %v", def.ODA)
	case def.AppDataSFI != 0 && (def.AppDataSFI == sfiTrack || def.AppDataSFI == sfiODA || def.AppDataSFI > 30 || (def.AppDataSFI == sfiLog && def.LogRecords > 0)):
		return nil, perr(i, "AppDataSFI", "SFI %d is in use or out of range", def.AppDataSFI)
	}
	a.sfiApp = sfiAppData
	if def.AppDataSFI != 0 {
		a.sfiApp = def.AppDataSFI
	}
	a.pan, a.psn = def.PAN, def.PSN
	for _, d := range []struct {
		name string
		dol  []byte
		need bool
	}{{"PDOL", def.PDOL, false}, {"CDOL1", def.CDOL1, true}, {"CDOL2", def.CDOL2, true}, {"DDOL", def.DDOL, false}} {
		if d.dol == nil && !d.need {
			continue
		}
		n, err := emv.DOLLen(d.dol)
		if err != nil || len(d.dol) == 0 || n > 252 {
			return nil, perr(i, d.name, "not a data object list of 1 to 252 bytes of data")
		}
	}
	a.pdolLen, _ = emv.DOLLen(def.PDOL)
	a.cdol1, _ = emv.ParseDOL(def.CDOL1)
	a.cdol2, _ = emv.ParseDOL(def.CDOL2)
	if (def.ODA == CDA) && !dolHas(def.CDOL1, 0x9F37) {
		return nil, perr(i, "CDOL1", "CDA needs the unpredictable number 9F37")
	}

	// Master keys, as emv/issuer derives them.
	mk := func(field string, imk []byte, need bool) ([]byte, error) {
		if imk == nil && !need {
			return nil, nil
		}
		var k []byte
		var err error
		if def.CVN.Option() == issuer.OptionB {
			k, err = issuer.MasterKeyB(imk, def.PAN, def.PSN)
		} else {
			k, err = issuer.MasterKeyA(imk, def.PAN, def.PSN)
		}
		if err != nil {
			return nil, perr(i, field, "cannot derive the ICC master key: %v", err)
		}
		return k, nil
	}
	var err error
	if a.mkAC, err = mk("IMK", def.IMK, true); err != nil {
		return nil, err
	}
	if a.mkSMI, err = mk("IMKSMI", def.IMKSMI, false); err != nil {
		return nil, err
	}
	if a.mkSMC, err = mk("IMKSMC", def.IMKSMC, false); err != nil {
		return nil, err
	}

	encPIN := false
	for _, r := range def.CVMList.Rules {
		if r.Code == emv.CVMEncipheredPINOffline || r.Code == emv.CVMEncipheredPINOfflineAndSignature {
			encPIN = true
		}
	}
	if encPIN && def.Keys == nil {
		return nil, perr(i, "Keys", "needed for offline enciphered PIN")
	}
	if def.Keys != nil {
		if def.ODA >= DDA || (encPIN && def.Keys.PIN == nil) {
			a.icc = def.Keys.ICC
		}
		a.pinKey = def.Keys.PIN
		if a.pinKey == nil && encPIN {
			a.pinKey = def.Keys.ICC
		}
		if !encPIN {
			a.pinKey = nil
		}
	}

	a.aip = def.AIP
	if a.aip == (emv.AIP{}) {
		switch def.ODA {
		case SDA:
			a.aip[0] |= 0x40
		case DDA:
			a.aip[0] |= 0x20
		case CDA:
			a.aip[0] |= 0x21
		}
		if len(def.CVMList.Rules) > 0 {
			a.aip[0] |= 0x10
		}
		a.aip[0] |= 0x08 // terminal risk management is to be performed
		if !def.issuerAuthInCDOL2() {
			a.aip[0] |= 0x04 // issuer authentication with EXTERNAL AUTHENTICATE
		}
	}

	if err := a.checkCryptogramData(i); err != nil {
		return nil, err
	}
	if err := a.buildRecords(i); err != nil {
		return nil, err
	}
	if err := a.buildCertificates(i); err != nil {
		return nil, err
	}
	a.buildFCI()
	for k, r := range a.records {
		if len(r) > maxRecord {
			return nil, perr(i, "records", "SFI %d record %d is %d bytes, more than a response holds", k>>8, k&0xFF, len(r))
		}
	}
	return a, nil
}

// buildRecords writes SFI 1 and 2 and the static data to be authenticated.
func (a *app) buildRecords(i int) error {
	d := &a.def
	disc := d.Discretionary
	if disc == "" {
		disc = "00000000"
	}
	track := d.PAN + "D" + d.Expiry[:4] + d.ServiceCode + disc
	if len(track) > 37 {
		return perr(i, "Discretionary", "track 2 equivalent data longer than 37 digits")
	}
	var r []byte
	r = appendTLV(r, 0x57, packDigits(track, 0x0F))
	if d.CardholderName != "" {
		r = appendTLV(r, 0x5F20, []byte(d.CardholderName))
	}
	a.records[recKey(sfiTrack, 1)] = appendTLV(nil, 0x70, r)

	r = r[:0:0]
	r = appendTLV(r, 0x5A, packDigits(d.PAN, 0x0F))
	if d.PSN != "" {
		r = appendTLV(r, 0x5F34, packDigits(d.PSN, 0))
	}
	r = appendTLV(r, 0x5F24, packDigits(d.Expiry, 0))
	if d.Effective != "" {
		r = appendTLV(r, 0x5F25, packDigits(d.Effective, 0))
	}
	r = appendTLV(r, 0x5F28, d.Country[:])
	r = appendTLV(r, 0x5F30, packDigits("0"+d.ServiceCode, 0))
	r = appendTLV(r, 0x9F07, d.AUC[:])
	r = appendTLV(r, 0x9F08, d.Version[:])
	r = appendTLV(r, 0x9F42, d.Currency[:])
	r = appendTLV(r, 0x9F44, []byte{d.CurrencyExponent})
	if d.UCOL != 0 || d.LCOL != 0 {
		r = appendTLV(r, 0x9F14, []byte{d.LCOL})
		r = appendTLV(r, 0x9F23, []byte{d.UCOL})
	}
	a.records[recKey(a.sfiApp, 1)] = appendTLV(nil, 0x70, r)

	r = r[:0:0]
	if len(d.CVMList.Rules) > 0 {
		r = appendTLV(r, 0x8E, emv.AppendCVMList(nil, d.CVMList))
	}
	r = appendTLV(r, 0x8C, d.CDOL1)
	r = appendTLV(r, 0x8D, d.CDOL2)
	if d.DDOL != nil {
		r = appendTLV(r, 0x9F49, d.DDOL)
	}
	if d.IAC != nil {
		r = appendTLV(r, 0x9F0D, d.IAC.Default[:])
		r = appendTLV(r, 0x9F0E, d.IAC.Denial[:])
		r = appendTLV(r, 0x9F0F, d.IAC.Online[:])
	}
	if d.ODA != NoODA {
		r = appendTLV(r, 0x9F4A, []byte{0x82})
	}
	r = append(r, d.ExtraData...)
	a.records[recKey(a.sfiApp, 2)] = appendTLV(nil, 0x70, r)

	// Book 3 10.3: for SFI 1 to 10 the static data is the value of each
	// record template 70, for SFI 11 to 30 the whole record, in AFL
	// order, followed by the AIP that 9F4A names.
	for _, k := range []uint16{recKey(sfiTrack, 1), recKey(a.sfiApp, 1), recKey(a.sfiApp, 2)} {
		if k>>8 > 10 {
			a.staticData = append(a.staticData, a.records[k]...)
			continue
		}
		obj, err := tlv.DecodeOne(a.records[k])
		if err != nil {
			return perr(i, "records", "%v", err)
		}
		a.staticData = append(a.staticData, obj.Value...)
	}
	if d.ODA != NoODA {
		a.staticData = append(a.staticData, a.aip[:]...)
	}
	return nil
}

// certExpiry returns the MMYY expiry of a certificate years after the
// card's own expiry month.
func certExpiry(expiry string, years int) [2]byte {
	yy := (int(expiry[0]-'0')*10 + int(expiry[1]-'0') + years) % 100
	return [2]byte{(expiry[2]-'0')<<4 | (expiry[3] - '0'), byte(yy/10<<4 | yy%10)}
}

// buildCertificates signs the certificates of the ODA mode over the
// static data and writes SFI 3 and the AFL.
func (a *app) buildCertificates(i int) error {
	d := &a.def
	a.afl = []byte{sfiTrack << 3, 1, 1, 1, a.sfiApp << 3, 1, 2, 2}
	defer func() {
		if d.AFL != nil {
			a.afl = bytes.Clone(d.AFL)
		}
	}()
	k := d.Keys
	if k == nil || (d.ODA == NoODA && a.pinKey == nil) {
		return nil
	}
	id, err := oda.IssuerIDFromPAN(packDigits(d.PAN, 0x0F), 6)
	if err != nil {
		return perr(i, "PAN", "issuer identifier: %v", err)
	}
	it := oda.IssuerCertTemplate{IssuerID: id, Expiry: certExpiry(d.Expiry, 2), Serial: k.IssuerSerial}
	cert, rem, err := oda.SignIssuerCertificate(k.CA.PrivateKey, k.Issuer.Public(), it)
	if err != nil {
		return perr(i, "Keys", "issuer certificate: %v", err)
	}
	var r []byte
	r = appendTLV(r, 0x8F, []byte{k.CAPK.Index})
	r = appendTLV(r, 0x90, cert)
	if rem != nil {
		r = appendTLV(r, 0x92, rem)
	}
	r = appendTLV(r, 0x9F32, k.Issuer.Exponent)
	a.records[recKey(sfiODA, 1)] = appendTLV(nil, 0x70, r)
	n := byte(1)

	pan := packDigits(d.PAN, 0x0F)
	if d.ODA == SDA {
		ssad, err := oda.SignSSAD(k.Issuer.PrivateKey, k.DAC, a.staticData)
		if err != nil {
			return perr(i, "Keys", "signed static application data: %v", err)
		}
		n++
		a.records[recKey(sfiODA, n)] = appendTLV(nil, 0x70, appendTLV(nil, 0x93, ssad))
	}
	if a.icc != nil {
		// DDA and CDA, or the ICC key deciphers the PIN.
		ct := oda.ICCCertTemplate{PAN: pan, Expiry: certExpiry(d.Expiry, 0), Serial: k.ICCSerial}
		cert, rem, err := oda.SignICCCertificate(k.Issuer.PrivateKey, a.icc.Public(), ct, a.staticData)
		if err != nil {
			return perr(i, "Keys", "ICC certificate: %v", err)
		}
		r = r[:0:0]
		r = appendTLV(r, 0x9F46, cert)
		r = appendTLV(r, 0x9F47, a.icc.Exponent)
		if rem != nil {
			r = appendTLV(r, 0x9F48, rem)
		}
		n++
		a.records[recKey(sfiODA, n)] = appendTLV(nil, 0x70, r)
	}
	if a.pinKey != nil && a.pinKey == k.PIN {
		ct := oda.ICCCertTemplate{PAN: pan, Expiry: certExpiry(d.Expiry, 0), Serial: k.PINSerial}
		cert, rem, err := oda.SignICCPINCertificate(k.Issuer.PrivateKey, k.PIN.Public(), ct)
		if err != nil {
			return perr(i, "Keys", "ICC PIN encipherment certificate: %v", err)
		}
		r = r[:0:0]
		r = appendTLV(r, 0x9F2D, cert)
		r = appendTLV(r, 0x9F2E, k.PIN.Exponent)
		if rem != nil {
			r = appendTLV(r, 0x9F2F, rem)
		}
		n++
		a.records[recKey(sfiODA, n)] = appendTLV(nil, 0x70, r)
	}
	a.afl = append(a.afl, sfiODA<<3, 1, n, 0)
	return nil
}

// buildFCI writes the FCI of the application and its directory entry.
func (a *app) buildFCI() {
	d := &a.def
	var prop []byte
	prop = appendTLV(prop, 0x50, []byte(d.Label))
	if d.Priority != 0 || d.ConfirmationRequired {
		p := d.Priority
		if d.ConfirmationRequired {
			p |= 0x80
		}
		prop = appendTLV(prop, 0x87, []byte{p})
	}
	if d.PDOL != nil {
		prop = appendTLV(prop, 0x9F38, d.PDOL)
	}
	if d.Language != "" {
		prop = appendTLV(prop, 0x5F2D, []byte(d.Language))
	}
	if d.PreferredName != "" {
		prop = appendTLV(prop, 0x9F11, []byte{0x01})
		prop = appendTLV(prop, 0x9F12, []byte(d.PreferredName))
	}
	if d.LogRecords > 0 {
		prop = appendTLV(prop, 0xBF0C, appendTLV(nil, 0x9F4D, []byte{sfiLog, d.LogRecords}))
	}
	fci := appendTLV(nil, 0x84, d.AID)
	fci = appendTLV(fci, 0xA5, prop)
	a.fci = appendTLV(nil, 0x6F, fci)

	var e []byte
	e = appendTLV(e, 0x4F, d.AID)
	e = appendTLV(e, 0x50, []byte(d.Label))
	if d.PreferredName != "" {
		e = appendTLV(e, 0x9F12, []byte(d.PreferredName))
	}
	if d.Priority != 0 || d.ConfirmationRequired {
		p := d.Priority
		if d.ConfirmationRequired {
			p |= 0x80
		}
		e = appendTLV(e, 0x87, []byte{p})
	}
	a.dirEntry = appendTLV(nil, 0x61, e)
}

// logFormat is the transaction log format (9F4F) of every card with a log.
var logFormat = []byte{0x9F, 0x02, 0x06, 0x5F, 0x2A, 0x02, 0x9A, 0x03, 0x9C, 0x01, 0x9F, 0x36, 0x02, 0x9F, 0x27, 0x01}
