package oda

import (
	"bytes"
	"testing"
	"time"

	"github.com/posflow/posflow/tlv"
)

// forge signs a block laid out by a certificate builder after mutate
// (applied before the hash) and post (applied to the whole block after
// the hash and trailer), so that one field is wrong and everything else
// is right.
func forge(k *PrivateKey, block []byte, hashed [][]byte, mutate, post func([]byte)) []byte {
	if mutate != nil {
		mutate(block)
	}
	parts := append([][]byte{block[1:]}, hashed...)
	sum := sha1Of(parts...)
	full := append(append(block, sum[:]...), 0xBC)
	if post != nil {
		post(full)
	}
	return k.sign(full)
}

var testIssuerTemplate = IssuerCertTemplate{IssuerID: [4]byte{0x54, 0x13, 0x33, 0xFF}, Expiry: [2]byte{0x12, 0x30}, Serial: [3]byte{0x00, 0x07, 0x11}}

func allFF(n int) []byte { return bytes.Repeat([]byte{0xFF}, n) }

// TestIssuerCertificateSteps makes every check of Book 2 5.3 fail once.
func TestIssuerCertificateSteps(t *testing.T) {
	ps := testPKIs(t)
	fits, split := ps[0], ps[1] // issuer key inside the certificate; with remainder
	issuerCert := func(p *TestPKI, key *PublicKey, mutate, post func([]byte)) []byte {
		block, rem, err := issuerBlock(p.CA.Len(), key, testIssuerTemplate)
		if err != nil {
			t.Fatal(err)
		}
		return forge(p.CA, block, [][]byte{rem, key.Exponent}, mutate, post)
	}
	exp5 := &PublicKey{Modulus: fits.Issuer.Modulus, Exponent: []byte{5}}
	expired := *fits.CAPK
	expired.Expiry = issueDate
	var revoked RevocationList
	revoked.Add(Revocation{fits.CAPK.RID, fits.CAPK.Index, testIssuerTemplate.Serial})

	for _, tc := range []struct {
		name      string
		ca        *CAPK
		cert      []byte
		remainder []byte
		exponent  []byte
		chk       Checks
		want      error
	}{
		{"one byte short: length differs from N_CA", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), nil, nil)[1:], nil, nil, testChecks(), ErrLength},
		{"all FF: not below the modulus", fits.CAPK, allFF(fits.CA.Len()), nil, nil, testChecks(), ErrRange},
		{"trailer BD", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), nil, func(b []byte) { b[len(b)-1] = 0xBD }), nil, []byte{3}, testChecks(), ErrTrailer},
		{"header 6B", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), nil, func(b []byte) { b[0] = 0x6B }), nil, []byte{3}, testChecks(), ErrHeader},
		{"format 04 (an ICC certificate)", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { b[1] = 0x04 }, nil), nil, []byte{3}, testChecks(), ErrFormat},
		{"hash algorithm 02", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { b[11] = 0x02 }, nil), nil, []byte{3}, testChecks(), ErrHashAlgorithm},
		{"key length 16 bytes", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { b[13] = 16 }, nil), nil, []byte{3}, testChecks(), ErrKeyLength},
		{"key length above N_CA", split.CAPK, issuerCert(split, split.Issuer.Public(), func(b []byte) { b[13] = 200 }, nil), split.IssuerRemainder, split.Issuer.Exponent, testChecks(), ErrKeyLength},
		{"remainder given although the key fits", fits.CAPK, fits.IssuerCert, []byte{1, 2, 3}, fits.Issuer.Exponent, testChecks(), ErrRemainder},
		{"remainder missing", split.CAPK, split.IssuerCert, nil, split.Issuer.Exponent, testChecks(), ErrRemainder},
		{"remainder one byte short", split.CAPK, split.IssuerCert, split.IssuerRemainder[1:], split.Issuer.Exponent, testChecks(), ErrRemainder},
		{"exponent 010001 where the certificate says 1 byte", fits.CAPK, fits.IssuerCert, nil, []byte{1, 0, 1}, testChecks(), ErrExponent},
		{"exponent 05", fits.CAPK, issuerCert(fits, exp5, nil, nil), nil, []byte{5}, testChecks(), ErrExponent},
		{"hash result altered", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), nil, func(b []byte) { b[len(b)-2] ^= 1 }), nil, []byte{3}, testChecks(), ErrHash},
		{"remainder altered", split.CAPK, split.IssuerCert, append([]byte{split.IssuerRemainder[0] ^ 1}, split.IssuerRemainder[1:]...), split.Issuer.Exponent, testChecks(), ErrHash},
		{"PAN of another issuer", fits.CAPK, fits.IssuerCert, nil, []byte{3}, Checks{PAN: []byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10}, Date: txnDate}, ErrIssuerID},
		{"no PAN", fits.CAPK, fits.IssuerCert, nil, []byte{3}, Checks{Date: txnDate}, ErrIssuerID},
		{"issuer identifier of 2 digits", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { copy(b[2:6], []byte{0x54, 0xFF, 0xFF, 0xFF}) }, nil), nil, []byte{3}, testChecks(), ErrIssuerID},
		{"issuer identifier with a digit after F", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { copy(b[2:6], []byte{0x54, 0x13, 0xF3, 0xFF}) }, nil), nil, []byte{3}, testChecks(), ErrIssuerID},
		{"expiry month 13", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { copy(b[6:8], []byte{0x13, 0x30}) }, nil), nil, []byte{3}, testChecks(), ErrExpiryDate},
		{"expiry not BCD", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { copy(b[6:8], []byte{0x12, 0x3A}) }, nil), nil, []byte{3}, testChecks(), ErrExpiryDate},
		{"expired the month before", fits.CAPK, fits.IssuerCert, nil, []byte{3}, Checks{PAN: testPAN, Date: time.Date(2031, 12, 1, 0, 0, 0, 0, time.UTC)}, ErrExpired},
		{"CA key expired", &expired, issuerCert(fits, fits.Issuer.Public(), nil, nil), nil, []byte{3}, testChecks(), ErrCAPKExpired},
		{"serial revoked", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), nil, nil), nil, []byte{3}, Checks{PAN: testPAN, Date: txnDate, Revoked: &revoked}, ErrRevoked},
		{"public key algorithm 02", fits.CAPK, issuerCert(fits, fits.Issuer.Public(), func(b []byte) { b[12] = 0x02 }, nil), nil, []byte{3}, testChecks(), ErrKeyAlgorithm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := RecoverIssuerCertificate(tc.ca, tc.cert)
			if err == nil {
				_, err = c.Verify(tc.remainder, tc.exponent, tc.chk)
			}
			wantErr(t, tc.name, err, tc.want)
		})
	}
	// The same certificate passes with its own data: the table changes one
	// thing per row.
	c, err := RecoverIssuerCertificate(fits.CAPK, issuerCert(fits, fits.Issuer.Public(), nil, nil))
	if err == nil {
		_, err = c.Verify(nil, []byte{3}, Checks{PAN: testPAN, Date: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC), Revoked: new(RevocationList)})
	}
	if err != nil {
		t.Errorf("unmodified forged certificate: %v", err)
	}
}

// TestICCCertificateSteps makes every check of Book 2 6.4 and 7.1 fail
// once.
func TestICCCertificateSteps(t *testing.T) {
	ps := testPKIs(t)
	fits, split := ps[0], ps[1]
	issuerOf := func(p *TestPKI) *PublicKey { return p.Issuer.Public() }
	tmpl := ICCCertTemplate{PAN: testPAN, Expiry: [2]byte{0x12, 0x30}, Serial: [3]byte{0, 0, 1}}
	iccCert := func(p *TestPKI, key *PublicKey, static []byte, mutate, post func([]byte)) []byte {
		block, rem, err := iccBlock(p.Issuer.Len(), key, tmpl)
		if err != nil {
			t.Fatal(err)
		}
		return forge(p.Issuer, block, [][]byte{rem, key.Exponent, static}, mutate, post)
	}
	good := func(mutate, post func([]byte)) []byte {
		return iccCert(fits, fits.ICC.Public(), testStatic, mutate, post)
	}
	pinGood := func(mutate func([]byte)) []byte {
		return iccCert(fits, fits.ICC.Public(), nil, mutate, nil)
	}
	exp5 := &PublicKey{Modulus: fits.ICC.Modulus, Exponent: []byte{5}}

	for _, tc := range []struct {
		name      string
		p         *TestPKI
		pin       bool
		cert      []byte
		remainder []byte
		exponent  []byte
		static    []byte
		chk       Checks
		want      error
	}{
		{"one byte long: length differs from N_I", fits, false, append(good(nil, nil), 0), nil, []byte{3}, testStatic, testChecks(), ErrLength},
		{"all FF: not below the modulus", fits, false, allFF(fits.Issuer.Len()), nil, []byte{3}, testStatic, testChecks(), ErrRange},
		{"trailer 00", fits, false, good(nil, func(b []byte) { b[len(b)-1] = 0 }), nil, []byte{3}, testStatic, testChecks(), ErrTrailer},
		{"header 00", fits, false, good(nil, func(b []byte) { b[0] = 0 }), nil, []byte{3}, testStatic, testChecks(), ErrHeader},
		{"format 02 (an issuer certificate)", fits, false, good(func(b []byte) { b[1] = 2 }, nil), nil, []byte{3}, testStatic, testChecks(), ErrFormat},
		{"PIN certificate of format 05", fits, true, pinGood(func(b []byte) { b[1] = 5 }), nil, []byte{3}, nil, testChecks(), ErrFormat},
		{"hash algorithm 00", fits, false, good(func(b []byte) { b[17] = 0 }, nil), nil, []byte{3}, testStatic, testChecks(), ErrHashAlgorithm},
		{"key length 0", fits, false, good(func(b []byte) { b[19] = 0 }, nil), nil, []byte{3}, testStatic, testChecks(), ErrKeyLength},
		{"key length above N_I", fits, false, good(func(b []byte) { b[19] = byte(fits.Issuer.Len() + 1) }, nil), nil, []byte{3}, testStatic, testChecks(), ErrKeyLength},
		{"remainder given although the key fits", fits, false, fits.ICCCert, []byte{0}, []byte{3}, testStatic, testChecks(), ErrRemainder},
		{"remainder missing", split, false, split.ICCCert, nil, split.ICC.Exponent, testStatic, testChecks(), ErrRemainder},
		{"exponent 03 where the certificate says 3 bytes", split, false, split.ICCCert, split.ICCRemainder, []byte{3}, testStatic, testChecks(), ErrExponent},
		{"exponent 05", fits, false, iccCert(fits, exp5, testStatic, nil, nil), nil, []byte{5}, testStatic, testChecks(), ErrExponent},
		{"static data of another card", fits, false, fits.ICCCert, nil, []byte{3}, append(bytes.Clone(testStatic), 0), testChecks(), ErrHash},
		{"static data missing", fits, false, fits.ICCCert, nil, []byte{3}, nil, testChecks(), ErrHash},
		{"PIN certificate given static data", fits, true, pinGood(nil), nil, []byte{3}, testStatic, testChecks(), ErrHash},
		{"hash result altered", fits, false, good(nil, func(b []byte) { b[len(b)-21] ^= 0x80 }), nil, []byte{3}, testStatic, testChecks(), ErrHash},
		{"PAN of another card", fits, false, fits.ICCCert, nil, []byte{3}, testStatic, Checks{PAN: []byte{0x54, 0x13, 0x33, 0x90, 0x00, 0x00, 0x15, 0x14}, Date: txnDate}, ErrPAN},
		{"PAN one digit longer", fits, false, fits.ICCCert, nil, []byte{3}, testStatic, Checks{PAN: []byte{0x54, 0x13, 0x33, 0x90, 0x00, 0x00, 0x15, 0x13, 0x1F}, Date: txnDate}, ErrPAN},
		{"PIN certificate for another PAN", fits, true, pinGood(func(b []byte) { b[9] = 0x14 }), nil, []byte{3}, nil, testChecks(), ErrPAN},
		{"expiry month 00", fits, false, good(func(b []byte) { copy(b[12:14], []byte{0x00, 0x30}) }, nil), nil, []byte{3}, testStatic, testChecks(), ErrExpiryDate},
		{"expiry 1226 before 2027-03-01", fits, false, good(func(b []byte) { copy(b[12:14], []byte{0x12, 0x26}) }, nil), nil, []byte{3}, testStatic, testChecks(), ErrExpired},
		{"expiry 9912 read as 1999", fits, false, good(func(b []byte) { copy(b[12:14], []byte{0x12, 0x99}) }, nil), nil, []byte{3}, testStatic, testChecks(), ErrExpired},
		{"public key algorithm FF", fits, false, good(func(b []byte) { b[18] = 0xFF }, nil), nil, []byte{3}, testStatic, testChecks(), ErrKeyAlgorithm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recover := RecoverICCCertificate
			if tc.pin {
				recover = RecoverICCPINCertificate
			}
			c, err := recover(issuerOf(tc.p), tc.cert)
			if err == nil {
				_, err = c.Verify(tc.remainder, tc.exponent, tc.static, tc.chk)
			}
			wantErr(t, tc.name, err, tc.want)
			var e *Error
			if err != nil && asError(err, &e) {
				want := ItemICCCertificate
				if tc.pin {
					want = ItemICCPINCertificate
				}
				if e.Item != want && tc.want != ErrCAPKExpired {
					t.Errorf("error item %v, want %v", e.Item, want)
				}
			}
		})
	}
}

// TestSSADSteps makes every check of Book 2 5.4 fail once.
func TestSSADSteps(t *testing.T) {
	p := testPKIs(t)[0]
	issuer := p.Issuer.Public()
	ssad := func(mutate, post func([]byte)) []byte {
		return forge(p.Issuer, ssadBlock(p.Issuer.Len(), [2]byte{0xDA, 0xC1}), [][]byte{testStatic}, mutate, post)
	}
	for _, tc := range []struct {
		name   string
		sig    []byte
		static []byte
		want   error
	}{
		{"empty", nil, testStatic, ErrLength},
		{"all FF", allFF(issuer.Len()), testStatic, ErrRange},
		{"trailer CB", ssad(nil, func(b []byte) { b[len(b)-1] = 0xCB }), testStatic, ErrTrailer},
		{"header A6", ssad(nil, func(b []byte) { b[0] = 0xA6 }), testStatic, ErrHeader},
		{"format 05", ssad(func(b []byte) { b[1] = 5 }, nil), testStatic, ErrFormat},
		{"hash algorithm 02", ssad(func(b []byte) { b[2] = 2 }, nil), testStatic, ErrHashAlgorithm},
		{"static data one byte short", ssad(nil, nil), testStatic[1:], ErrHash},
		{"DAC altered after signing", ssad(nil, func(b []byte) { b[3] ^= 1 }), testStatic, ErrHash},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifySSAD(issuer, tc.sig, tc.static)
			wantErr(t, tc.name, err, tc.want)
		})
	}
	s, err := VerifySSAD(issuer, ssad(nil, nil), testStatic)
	if err != nil || s.DAC != [2]byte{0xDA, 0xC1} {
		t.Errorf("unmodified forged SSAD: %v", err)
	}
}

// TestSDADSteps makes every check of Book 2 6.5.2 and of fDDA fail once.
func TestSDADSteps(t *testing.T) {
	p := testPKIs(t)[0]
	icc := p.ICC.Public()
	ddol := []byte{1, 2, 3, 4}
	sdad := func(dd []byte, mutate, post func([]byte)) []byte {
		block, err := sdadBlock(icc.Len(), dd)
		if err != nil {
			t.Fatal(err)
		}
		return forge(p.ICC, block, [][]byte{ddol}, mutate, post)
	}
	idn := []byte{2, 0xAB, 0xCD}
	for _, tc := range []struct {
		name string
		sig  []byte
		ddol []byte
		want error
	}{
		{"one byte short", sdad(idn, nil, nil)[1:], ddol, ErrLength},
		{"all FF", allFF(icc.Len()), ddol, ErrRange},
		{"trailer BB", sdad(idn, nil, func(b []byte) { b[len(b)-1] = 0xBB }), ddol, ErrTrailer},
		{"header 6C", sdad(idn, nil, func(b []byte) { b[0] = 0x6C }), ddol, ErrHeader},
		{"format 03 (an SSAD)", sdad(idn, func(b []byte) { b[1] = 3 }, nil), ddol, ErrFormat},
		{"hash algorithm 03", sdad(idn, func(b []byte) { b[2] = 3 }, nil), ddol, ErrHashAlgorithm},
		{"dynamic data length past the signature", sdad(idn, func(b []byte) { b[3] = byte(icc.Len() - 24) }, nil), ddol, ErrDynamicData},
		{"no dynamic data", sdad(nil, nil, nil), ddol, ErrDynamicData},
		{"ICC dynamic number of 1 byte", sdad([]byte{1, 0xAB}, nil, nil), ddol, ErrDynamicData},
		{"ICC dynamic number of 9 bytes", sdad(append([]byte{9}, make([]byte, 9)...), nil, nil), ddol, ErrDynamicData},
		{"ICC dynamic number longer than the dynamic data", sdad([]byte{4, 0xAB, 0xCD}, nil, nil), ddol, ErrDynamicData},
		{"other DDOL data", sdad(idn, nil, nil), []byte{1, 2, 3, 5}, ErrHash},
		{"dynamic number altered", sdad(idn, nil, func(b []byte) { b[5] ^= 1 }), ddol, ErrHash},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifyDDA(icc, tc.sig, tc.ddol)
			wantErr(t, tc.name, err, tc.want)
		})
	}

	un := []byte{9, 8, 7, 6}
	v01 := FDDA{UN: un, Amount: []byte{0, 0, 0, 0, 2, 0}, Currency: []byte{8, 0x40}, CardAuthData: []byte{1, 0x69, 0xC1, 0x6C, 0x99}}
	sig01, err := SignFDDA(p.ICC, []byte{0, 0x15}, v01)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		d    FDDA
		want error
	}{
		{"UN of 3 bytes", FDDA{UN: un[:3]}, ErrTerminalData},
		{"version 02", FDDA{UN: un, CardAuthData: []byte{2}}, ErrTerminalData},
		{"version 01 without amount", FDDA{UN: un, Currency: []byte{8, 0x40}, CardAuthData: []byte{1}}, ErrTerminalData},
		{"version 01 signature checked as version 00", FDDA{UN: un}, ErrHash},
		{"other currency", FDDA{UN: un, Amount: v01.Amount, Currency: []byte{9, 0x78}, CardAuthData: v01.CardAuthData}, ErrHash},
	} {
		t.Run("fDDA "+tc.name, func(t *testing.T) {
			_, err := VerifyFDDA(icc, sig01, tc.d)
			wantErr(t, tc.name, err, tc.want)
		})
	}
	if _, err := VerifyFDDA(icc, sig01, v01); err != nil {
		t.Errorf("VerifyFDDA: %v", err)
	}
}

// TestCDASteps makes every check of Book 2 6.6.2 fail once, and every
// way a response can be unusable.
func TestCDASteps(t *testing.T) {
	p := testPKIs(t)[0]
	icc := p.ICC.Public()
	good, sdad := cdaResponse(t, p.ICC, 0x80, nil)
	with := func(f func(*CDA)) CDA {
		d := good
		d.Response = bytes.Clone(good.Response)
		f(&d)
		return d
	}
	respond := func(objs ...tlv.TLV) []byte {
		b, err := tlv.Encode(tlv.TLV{Tag: 0x77, Children: objs})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cid := tlv.TLV{Tag: 0x9F27, Value: []byte{0x80}}
	sig := tlv.TLV{Tag: 0x9F4B, Value: sdad}
	ddaSig, err := SignDDA(p.ICC, []byte{1, 2}, good.UN)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		d    CDA
		want error
	}{
		{"UN of 5 bytes", with(func(d *CDA) { d.UN = []byte{1, 2, 3, 4, 5} }), ErrTerminalData},
		{"format 1 response (80)", with(func(d *CDA) { d.Response = []byte{0x80, 0x02, 0x80, 0x00} }), ErrResponse},
		{"empty response", with(func(d *CDA) { d.Response = nil }), ErrResponse},
		{"data after template 77", with(func(d *CDA) { d.Response = append(d.Response, 0x9F, 0x27, 0x01, 0x80) }), ErrResponse},
		{"template 77 truncated", with(func(d *CDA) { d.Response = d.Response[:len(d.Response)-1] }), ErrResponse},
		{"no 9F27", with(func(d *CDA) { d.Response = respond(sig) }), ErrResponse},
		{"9F27 of 2 bytes", with(func(d *CDA) { d.Response = respond(tlv.TLV{Tag: 0x9F27, Value: []byte{0x80, 0}}, sig) }), ErrResponse},
		{"no 9F4B", with(func(d *CDA) { d.Response = respond(cid) }), ErrResponse},
		{"9F4B twice", with(func(d *CDA) { d.Response = respond(cid, sig, sig) }), ErrResponse},
		{"9F4B one byte short", with(func(d *CDA) { d.Response = respond(cid, tlv.TLV{Tag: 0x9F4B, Value: sdad[1:]}) }), ErrLength},
		{"9F4B is a DDA signature", with(func(d *CDA) { d.Response = respond(cid, tlv.TLV{Tag: 0x9F4B, Value: ddaSig}) }), ErrDynamicData},
		{"9F27 says TC, the signature ARQC", with(func(d *CDA) { d.Response = respond(tlv.TLV{Tag: 0x9F27, Value: []byte{0x40}}, sig) }), ErrCID},
		{"other UN", with(func(d *CDA) { d.UN = []byte{0xDE, 0xAD, 0xBE, 0xEE} }), ErrHash},
		{"other PDOL data", with(func(d *CDA) { d.PDOLData = nil }), ErrTransactionDataHash},
		{"CDOL2 data on a first GENERATE AC", with(func(d *CDA) { d.CDOL2Data = []byte{0x30, 0x30} }), ErrTransactionDataHash},
		{"ATC altered in the response", with(func(d *CDA) { d.Response[bytes.Index(d.Response, []byte{0x9F, 0x36, 0x02})+4] ^= 1 }), ErrTransactionDataHash},
		{"response objects in another order", with(func(d *CDA) {
			d.Response = respond(tlv.TLV{Tag: 0x9F36, Value: []byte{0x00, 0x2A}}, cid, sig, tlv.TLV{Tag: 0x9F10, Value: []byte{0x01, 0x10, 0xA0, 0x00}})
		}), ErrTransactionDataHash},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifyCDA(icc, tc.d)
			wantErr(t, tc.name, err, tc.want)
		})
	}
	if _, err := VerifyCDA(icc, good); err != nil {
		t.Errorf("VerifyCDA: %v", err)
	}
}

// TestPublicKeyLiteral recovers with keys written as literals: checked at
// use, never panicking.
func TestPublicKeyLiteral(t *testing.T) {
	p := testPKIs(t)[0]
	lit := &PublicKey{Modulus: p.ICC.Modulus, Exponent: []byte{3}}
	sig, err := SignDDA(p.ICC, []byte{1, 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyDDA(lit, sig, nil); err != nil {
		t.Errorf("VerifyDDA with a literal key: %v", err)
	}
	for _, tc := range []struct {
		name string
		key  *PublicKey
		want error
	}{
		{"exponent 05", &PublicKey{Modulus: p.ICC.Modulus, Exponent: []byte{5}}, ErrExponent},
		{"no modulus", &PublicKey{Exponent: []byte{3}}, ErrModulus},
	} {
		_, err := VerifyDDA(tc.key, sig, nil)
		wantErr(t, tc.name, err, tc.want)
	}
	_, err = RecoverIssuerCertificate(&CAPK{}, p.IssuerCert)
	wantErr(t, "CAPK without key", err, ErrModulus)
}
