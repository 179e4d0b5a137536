package emv

import "bytes"

// processingRestrictions checks the application version, the application
// usage control and the dates (Book 3 10.4). It only sets TVR bits.
//
// Where Book 3 leaves the choice to the terminal: the usage control is
// checked for purchases (goods or services, by Transaction.Services),
// cash and purchases with cashback; refunds check only ATM/non-ATM. An
// AUC without issuer country code (5F28) skips the domestic and
// international checks, as Book 3 allows.
func (k *kernel) processingRestrictions() error {
	k.begin(StepRestrictions)
	if v, ok := k.icc[0x9F08]; ok && k.app.Version != [2]byte{} {
		if !bytes.Equal(v, k.app.Version[:]) {
			k.tvr.Set(TVRDifferentAppVersions)
			k.note("application version %X, terminal %X", v, k.app.Version)
		}
	}
	if v, ok := k.icc[0x9F07]; ok && len(v) == 2 {
		auc := AUC{v[0], v[1]}
		if !k.usageAllowed(auc) {
			k.tvr.Set(TVRServiceNotAllowed)
			k.note("service not allowed by AUC %v", auc)
		}
	}
	today := k.term[0x9A]
	if v, ok := k.icc[0x5F25]; ok && len(v) == 3 && dateAfter(v, today) {
		k.tvr.Set(TVRApplicationNotYetEffective)
		k.note("application not yet effective")
	}
	if v := k.icc[0x5F24]; dateAfter(today, v) {
		k.tvr.Set(TVRExpiredApplication)
		k.note("application expired")
	}
	return nil
}

func (k *kernel) usageAllowed(auc AUC) bool {
	if k.cfg.Terminal.ATM() {
		if !auc.Has(AUCATMs) {
			return false
		}
	} else if !auc.Has(AUCNonATMTerminals) {
		return false
	}
	country, ok := k.icc[0x5F28]
	if !ok {
		return true
	}
	domestic := bytes.Equal(country, k.cfg.Terminal.CountryCode[:])
	pick := func(d, i Bit) bool {
		if domestic {
			return auc.Has(d)
		}
		return auc.Has(i)
	}
	switch k.txn.Type {
	case Cash:
		return pick(AUCDomesticCash, AUCInternationalCash)
	case Purchase, PurchaseWithCashback:
		ok := pick(AUCDomesticGoods, AUCInternationalGoods)
		if k.txn.Services {
			ok = pick(AUCDomesticServices, AUCInternationalServices)
		}
		if ok && (k.txn.Type == PurchaseWithCashback || k.txn.Cashback > 0) {
			ok = pick(AUCDomesticCashback, AUCInternationalCashback)
		}
		return ok
	}
	return true
}

// dateAfter reports whether the YYMMDD date a is after b, with years 00-49
// in the 2000s and 50-99 in the 1900s (Book 4 6.7.3).
func dateAfter(a, b []byte) bool {
	if len(a) != 3 || len(b) != 3 {
		return false
	}
	ya, yb := int(a[0]>>4)*10+int(a[0]&0x0F), int(b[0]>>4)*10+int(b[0]&0x0F)
	if ya < 50 {
		ya += 100
	}
	if yb < 50 {
		yb += 100
	}
	if ya != yb {
		return ya > yb
	}
	return bytes.Compare(a[1:], b[1:]) > 0
}
