package emv

import (
	"encoding/binary"
	"io"
)

// terminalRiskManagement checks the floor limit, selects transactions at
// random for online processing, checks velocity and the exception file,
// and honours the merchant's request to go online (Book 3 10.6).
//
// Book 3 asks for it when the AIP says so; the exception file and the
// merchant's request are checked in any case, since they are the
// terminal's own policy.
func (k *kernel) terminalRiskManagement() error {
	k.begin(StepTRM)
	pan := k.icc[0x5A]
	if ex := k.cfg.Exceptions; ex != nil && ex.Contains(pan, k.icc[0x5F34]) {
		k.tvr.Set(TVRCardOnExceptionFile)
		k.note("card on the exception file")
	}
	if k.txn.ForceOnline {
		k.tvr.Set(TVRMerchantForcedOnline)
		k.note("merchant forced online")
	}
	if !k.aip.Has(AIPTerminalRiskManagement) {
		k.note("terminal risk management not asked for by the AIP")
		return nil
	}
	k.tsi.Set(TSITerminalRiskManagement)
	k.floorLimit(pan)
	if err := k.randomSelection(); err != nil {
		return err
	}
	return k.velocity()
}

// floorLimit compares the amount, plus the amounts logged for the same
// card (split sales), with the floor limit (10.6.1).
func (k *kernel) floorLimit(pan []byte) {
	amount := k.txn.Amount
	if k.cfg.Log != nil {
		amount += k.cfg.Log.Amount(pan, k.txn.Currency)
	}
	if amount >= k.app.FloorLimit {
		k.tvr.Set(TVRExceedsFloorLimit)
		k.note("amount %d reaches the floor limit %d", amount, k.app.FloorLimit)
	}
}

// randomSelection draws a number from 1 to 99 and compares it with the
// target percentage, biased upwards between the threshold and the floor
// limit (10.6.2). Transactions at or above the floor limit are not drawn.
func (k *kernel) randomSelection() error {
	a := k.app
	if a.TargetPercent == 0 && a.MaxTargetPercent == 0 {
		return nil
	}
	if k.txn.Amount >= a.FloorLimit {
		return nil
	}
	var b [2]byte
	var n int
	for {
		if _, err := io.ReadFull(k.rand(), b[:]); err != nil {
			return k.fail(err)
		}
		v := int(binary.BigEndian.Uint16(b[:]))
		if v < 65535-65535%99 {
			n = v%99 + 1
			break
		}
	}
	target := a.TargetPercent
	if k.txn.Amount >= a.Threshold && a.FloorLimit > a.Threshold {
		inc := uint64(a.MaxTargetPercent-a.TargetPercent) * (k.txn.Amount - a.Threshold) / (a.FloorLimit - a.Threshold)
		target += int(inc)
	}
	if n <= target {
		k.tvr.Set(TVRRandomlySelectedOnline)
		k.note("selected at random (%d <= %d%%)", n, target)
	}
	return nil
}

// velocity compares the ATC with the last online ATC against the lower
// (9F14) and upper (9F23) consecutive offline limits (10.6.3).
func (k *kernel) velocity() error {
	lower, okL := k.icc[0x9F14]
	upper, okU := k.icc[0x9F23]
	if !okL || !okU || len(lower) != 1 || len(upper) != 1 {
		return nil
	}
	atc, err := k.getData2(0x9F36)
	if err != nil {
		return err
	}
	last, err := k.getData2(0x9F13)
	if err != nil {
		return err
	}
	if atc < 0 || last < 0 || atc <= last {
		k.tvr.Set(TVRLowerConsecutiveLimitExceeded)
		k.tvr.Set(TVRUpperConsecutiveLimitExceeded)
		if last == 0 {
			k.tvr.Set(TVRNewCard)
		}
		k.note("velocity checking not possible")
		return nil
	}
	if last == 0 {
		k.tvr.Set(TVRNewCard)
		k.note("new card")
	}
	if atc-last > int(lower[0]) {
		k.tvr.Set(TVRLowerConsecutiveLimitExceeded)
		k.note("lower consecutive offline limit exceeded")
	}
	if atc-last > int(upper[0]) {
		k.tvr.Set(TVRUpperConsecutiveLimitExceeded)
		k.note("upper consecutive offline limit exceeded")
	}
	return nil
}

// getData2 reads a two-byte data object with GET DATA; -1 if the card
// does not return it.
func (k *kernel) getData2(tag uint16) (int, error) {
	r, err := k.exchange(GetData(tag), nil)
	if err != nil {
		return -1, err
	}
	d := r.Data
	if !r.SW.OK() || len(d) != 5 || uint16(d[0])<<8|uint16(d[1]) != tag || d[2] != 2 {
		return -1, nil
	}
	v := int(binary.BigEndian.Uint16(d[3:]))
	if tag == 0x9F36 {
		k.icc[0x9F36] = []byte{d[3], d[4]}
	}
	return v, nil
}
