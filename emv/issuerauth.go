package emv

import "bytes"

// issuerAuthentication hands the issuer authentication data (91) to the
// card (Book 3 10.9): in the CDOL2 data when the card asks for 91 there
// (Visa CVN 18 and similar), else with EXTERNAL AUTHENTICATE when the AIP
// announces issuer authentication (Visa CVN 10 and similar). EXTERNAL
// AUTHENTICATE is sent at most once; any status other than 9000 sets
// "issuer authentication failed".
func (k *kernel) issuerAuthentication() error {
	k.begin(StepIssuerAuthentication)
	if k.online == nil || len(k.online.IssuerAuthData) == 0 {
		return nil
	}
	iad := k.online.IssuerAuthData
	if len(iad) < 8 || len(iad) > 16 {
		k.tvr.Set(TVRIssuerAuthenticationFailed)
		k.note("issuer authentication data of %d bytes", len(iad))
		return nil
	}
	k.term[0x91] = bytes.Clone(iad)
	if dolHas(k.icc[0x8D], 0x91) {
		k.tsi.Set(TSIIssuerAuthentication)
		k.note("issuer authentication data go with the second GENERATE AC")
		return nil
	}
	if !k.aip.Has(AIPIssuerAuthentication) {
		k.note("card does not support issuer authentication")
		return nil
	}
	r, err := k.exchange(ExternalAuthenticate(iad), nil)
	if err != nil {
		return err
	}
	k.tsi.Set(TSIIssuerAuthentication)
	if !r.SW.OK() {
		k.tvr.Set(TVRIssuerAuthenticationFailed)
		k.note("EXTERNAL AUTHENTICATE: %v", r.SW)
	}
	return nil
}
