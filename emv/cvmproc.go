package emv

import (
	"bytes"
	"errors"
	"io"

	"github.com/posflow/posflow/emv/oda"
)

// cardholderVerification runs the CVM list (Book 3 10.5): each rule whose
// condition is satisfied is tried in order until one succeeds, or fails
// without "apply succeeding rule". Signature and online PIN count as
// performed with result unknown (Book 4 A4); the transaction goes on.
//
// Where Book 3 is silent: a rule the terminal does not support fails (and
// moves on when b7 asks for it) like a rule that was tried; when no
// condition is satisfied the results are 3F 00 01 (no CVM performed,
// failed); a PIN try counter the card does not return is taken as not
// exhausted.
func (k *kernel) cardholderVerification() error {
	k.begin(StepCVM)
	if !k.aip.Has(AIPCardholderVerification) {
		k.cvm = CVMResults{byte(CVMNotAvailable), 0, 0}
		k.note("cardholder verification not supported by the card")
		return nil
	}
	raw, ok := k.icc[0x8E]
	list, err := ParseCVMList(raw)
	if !ok || err != nil {
		// Book 3 10.5: without a CVM list, cardholder verification
		// ends without the TSI bit.
		k.tvr.Set(TVRICCDataMissing)
		k.cvm = CVMResults{byte(CVMNotAvailable), 0, 0}
		k.note("CVM list absent or malformed")
		return nil
	}
	k.tsi.Set(TSICardholderVerification)
	satisfied := false
	for _, r := range list.Rules {
		if !k.conditionSatisfied(r, list) {
			continue
		}
		satisfied = true
		res, err := k.performCVM(r)
		if err != nil {
			return err
		}
		code := byte(r.Code)
		if r.ApplySucceeding {
			code |= 0x40
		}
		k.cvm = CVMResults{code, byte(r.Condition), res}
		k.note("CVM %v", k.cvm)
		if res != CVMResultFailed {
			return nil
		}
		if !r.ApplySucceeding {
			break
		}
	}
	if !satisfied {
		k.cvm = CVMResults{byte(CVMNotAvailable), 0, CVMResultFailed}
		k.note("no CVM condition satisfied")
	}
	k.tvr.Set(TVRCardholderVerificationFailed)
	return nil
}

func (k *kernel) terminalSupports(c CVMCode) bool {
	caps := &k.cfg.Terminal.Capabilities
	switch c {
	case CVMPlaintextPIN:
		return caps.Has(CapPlaintextPINForICC)
	case CVMEncipheredPINOnline:
		return caps.Has(CapEncipheredPINOnline)
	case CVMPlaintextPINAndSignature:
		return caps.Has(CapPlaintextPINForICC) && caps.Has(CapSignature)
	case CVMEncipheredPINOffline:
		return caps.Has(CapEncipheredPINOffline)
	case CVMEncipheredPINOfflineAndSignature:
		return caps.Has(CapEncipheredPINOffline) && caps.Has(CapSignature)
	case CVMSignature:
		return caps.Has(CapSignature)
	case CVMNoCVMRequired:
		return caps.Has(CapNoCVMRequired)
	case CVMFail:
		return true
	}
	return false
}

func recognised(c CVMCode) bool {
	switch c {
	case CVMFail, CVMPlaintextPIN, CVMEncipheredPINOnline, CVMPlaintextPINAndSignature,
		CVMEncipheredPINOffline, CVMEncipheredPINOfflineAndSignature, CVMSignature, CVMNoCVMRequired:
		return true
	}
	return false
}

// conditionSatisfied evaluates a CVM condition code (Book 3 Annex C3).
func (k *kernel) conditionSatisfied(r CVRule, l CVMList) bool {
	cash := k.txn.Type == Cash
	cashback := k.txn.Type == PurchaseWithCashback || k.txn.Cashback > 0
	unattended := k.cfg.Terminal.Unattended()
	switch r.Condition {
	case CondAlways:
		return true
	case CondUnattendedCash:
		return unattended && cash
	case CondNotCashNorCashback:
		return !cash && !cashback
	case CondTerminalSupportsCVM:
		return recognised(r.Code) && k.terminalSupports(r.Code)
	case CondManualCash:
		return !unattended && cash
	case CondPurchaseWithCashback:
		return cashback
	case CondAppCurrencyUnderX, CondAppCurrencyOverX, CondAppCurrencyUnderY, CondAppCurrencyOverY:
		cur, ok := k.icc[0x9F42]
		if !ok || !bytes.Equal(cur, k.txn.Currency[:]) {
			return false
		}
		a := k.txn.Amount
		switch r.Condition {
		case CondAppCurrencyUnderX:
			return a < uint64(l.X)
		case CondAppCurrencyOverX:
			return a > uint64(l.X)
		case CondAppCurrencyUnderY:
			return a < uint64(l.Y)
		default:
			return a > uint64(l.Y)
		}
	}
	return false
}

// performCVM performs one method and returns its result byte. An error
// is returned only for a failure that ends the transaction.
func (k *kernel) performCVM(r CVRule) (byte, error) {
	if !recognised(r.Code) {
		k.tvr.Set(TVRUnrecognisedCVM)
		k.note("unrecognised CVM %02X", byte(r.Code))
		return CVMResultFailed, nil
	}
	if r.Code == CVMFail {
		return CVMResultFailed, nil
	}
	if !k.terminalSupports(r.Code) {
		k.note("%v not supported by the terminal", r.Code)
		return CVMResultFailed, nil
	}
	switch r.Code {
	case CVMNoCVMRequired:
		return CVMResultSuccessful, nil
	case CVMSignature:
		k.res.SignatureRequired = true
		return CVMResultUnknown, nil
	}
	if k.pinBypassed && k.cfg.Terminal.SubsequentPINBypass {
		// Subsequent PIN bypass (Book 4): the bypass holds for every
		// later PIN CVM.
		k.tvr.Set(TVRPINNotEntered)
		k.note("%v: PIN entry bypassed earlier in the transaction", r.Code)
		return CVMResultFailed, nil
	}
	if r.Code == CVMEncipheredPINOnline {
		return k.onlinePIN()
	}
	enciphered := r.Code == CVMEncipheredPINOffline || r.Code == CVMEncipheredPINOfflineAndSignature
	res, err := k.offlinePIN(enciphered)
	if err != nil || res != CVMResultSuccessful {
		return res, err
	}
	if r.Code == CVMPlaintextPINAndSignature || r.Code == CVMEncipheredPINOfflineAndSignature {
		k.res.SignatureRequired = true
		return CVMResultUnknown, nil
	}
	return res, nil
}

// pinEntryFailed sets the TVR bit for an error of the PIN pad and tells
// whether the error ends the transaction.
func (k *kernel) pinEntryFailed(err error) error {
	switch {
	case errors.Is(err, ErrPINBypass):
		k.tvr.Set(TVRPINNotEntered)
		k.pinBypassed = true
		k.note("PIN entry bypassed")
		return nil
	case errors.Is(err, ErrPINPadUnavailable):
		k.tvr.Set(TVRPINPadNotPresent)
		k.note("PIN pad not working")
		return nil
	}
	return k.fail(err)
}

func (k *kernel) onlinePIN() (byte, error) {
	if k.cfg.PINPad == nil {
		k.tvr.Set(TVRPINPadNotPresent)
		return CVMResultFailed, nil
	}
	p, err := k.cfg.PINPad.OnlinePIN(k.ctx, k.prompt(-1, true))
	if err != nil {
		return CVMResultFailed, k.pinEntryFailed(err)
	}
	k.res.OnlinePIN = &p
	k.tvr.Set(TVROnlinePINEntered)
	return CVMResultUnknown, nil
}

func (k *kernel) prompt(tries int, withPAN bool) PINPrompt {
	p := PINPrompt{Amount: k.txn.Amount, Currency: k.txn.Currency, TriesLeft: tries, Language: k.res.Language}
	if withPAN {
		p.PAN = panDigits(k.icc[0x5A])
	}
	return p
}

// panDigits returns the digits of a compressed numeric PAN.
func panDigits(cn []byte) string {
	const digits = "0123456789ABCDEF"
	b := make([]byte, 0, 2*len(cn))
	for _, x := range cn {
		for _, n := range [2]byte{x >> 4, x & 0x0F} {
			if n == 0x0F {
				return string(b)
			}
			b = append(b, digits[n])
		}
	}
	return string(b)
}

// pinTryCounter reads 9F17 with GET DATA; -1 when the card does not say.
func (k *kernel) pinTryCounter() (int, error) {
	if v, ok := k.icc[0x9F17]; ok && len(v) == 1 {
		return int(v[0]), nil
	}
	r, err := k.exchange(GetData(0x9F17), nil)
	if err != nil {
		return -1, err
	}
	if r.SW.OK() && len(r.Data) == 4 && r.Data[0] == 0x9F && r.Data[1] == 0x17 && r.Data[2] == 1 {
		return int(r.Data[3]), nil
	}
	return -1, nil
}

// offlinePIN performs offline plaintext or enciphered PIN verification
// (Book 3 10.5.1, Book 2 7).
func (k *kernel) offlinePIN(enciphered bool) (byte, error) {
	if k.cfg.PINPad == nil {
		k.tvr.Set(TVRPINPadNotPresent)
		return CVMResultFailed, nil
	}
	tries, err := k.pinTryCounter()
	if err != nil {
		return 0, err
	}
	if tries == 0 {
		k.tvr.Set(TVRPINTryLimitExceeded)
		k.note("PIN try limit exceeded")
		return CVMResultFailed, nil
	}
	var key *oda.PublicKey
	if enciphered {
		if key = k.pinEnciphermentKey(); key == nil {
			k.note("no ICC key to encipher the PIN")
			return CVMResultFailed, nil
		}
	}
	for range 16 {
		block, err := k.cfg.PINPad.OfflinePIN(k.ctx, k.prompt(tries, false))
		if err != nil {
			return CVMResultFailed, k.pinEntryFailed(err)
		}
		var r Response
		if enciphered {
			r, err = k.verifyEnciphered(key, block)
		} else {
			r, err = k.exchange(Verify(PlaintextPIN, block), nil)
		}
		clear(block)
		if err != nil {
			return 0, err
		}
		switch {
		case r.SW.OK():
			return CVMResultSuccessful, nil
		case r.SW&0xFFF0 == SWVerifyFailed && r.SW&0x0F != 0:
			tries = int(r.SW & 0x0F)
			k.note("wrong PIN, %d tries left", tries)
			continue
		case r.SW&0xFFF0 == SWVerifyFailed, r.SW == SWAuthMethodBlocked, r.SW == SWReferencedDataInvalid:
			k.tvr.Set(TVRPINTryLimitExceeded)
			k.note("PIN try limit exceeded")
			return CVMResultFailed, nil
		default:
			k.note("VERIFY: %v", r.SW)
			return CVMResultFailed, nil
		}
	}
	return CVMResultFailed, nil
}

// pinEnciphermentKey returns the ICC PIN encipherment public key (9F2D) if
// the card has one, else the ICC public key (Book 2 7.1).
func (k *kernel) pinEnciphermentKey() *oda.PublicKey {
	issuer := k.issuerKey
	if issuer == nil {
		var err error
		if issuer, err = k.issuerPublicKey(); err != nil {
			return nil
		}
		k.issuerKey = issuer
	}
	if cert, ok := k.icc[0x9F2D]; ok {
		c, err := oda.RecoverICCPINCertificate(issuer, cert)
		if err != nil {
			return nil
		}
		key, err := c.Verify(k.icc[0x9F2F], k.icc[0x9F2E], nil, k.checks())
		if err != nil {
			return nil
		}
		return key
	}
	if k.iccKey != nil {
		return k.iccKey
	}
	static, err := k.staticDataToAuthenticate()
	if err != nil {
		return nil
	}
	key, err := k.iccPublicKey(issuer, static)
	if err != nil {
		return nil
	}
	return key
}

// verifyEnciphered gets a challenge, enciphers 7F || PIN block || ICC
// unpredictable number || random pad under key and sends VERIFY 88.
func (k *kernel) verifyEnciphered(key *oda.PublicKey, block []byte) (Response, error) {
	r, err := k.exchange(GetChallenge(), nil)
	if err != nil {
		return Response{}, err
	}
	if !r.SW.OK() || len(r.Data) != 8 {
		k.note("GET CHALLENGE: %v", r.SW)
		return Response{SW: SWConditionsNotSatisfied}, nil
	}
	n := key.Len()
	x := make([]byte, n)
	x[0] = 0x7F
	copy(x[1:9], block)
	copy(x[9:17], r.Data)
	if _, err := io.ReadFull(k.rand(), x[17:]); err != nil {
		return Response{}, k.fail(err)
	}
	enc, err := key.Recover(x)
	clear(x)
	if err != nil {
		k.note("PIN encipherment: %v", err)
		return Response{SW: SWConditionsNotSatisfied}, nil
	}
	return k.exchange(Verify(EncipheredPIN, enc), nil)
}
