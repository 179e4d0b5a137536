package entrypoint

import (
	"slices"

	"github.com/posflow/posflow/emv"
)

// Indicators are the Entry Point pre-processing indicators of one
// combination (Book B 3.1.1), handed to its kernel.
type Indicators struct {
	StatusCheckRequested     bool
	ContactlessNotAllowed    bool
	ZeroAmount               bool
	CVMRequiredLimitExceeded bool
	FloorLimitExceeded       bool
	// TTQ is the copy of the combination's TTQ after pre-processing.
	TTQ        TTQ
	TTQPresent bool
}

type preprocessed struct {
	comb *Combination
	ind  Indicators
}

// Preprocess computes the indicators of combination c for the amount
// authorised of txn (Book B 3.1.1). terminalFloorLimit applies when c has
// no reader contactless floor limit. The status check is an amount of one
// unit of the currency: 10^txn.CurrencyExponent in minor units.
func Preprocess(c *Combination, txn emv.Transaction, terminalFloorLimit Limit) Indicators {
	var ind Indicators
	amount := txn.Amount
	unit := uint64(1)
	for range min(txn.CurrencyExponent, 9) {
		unit *= 10
	}
	if c.TTQPresent {
		ind.TTQ, ind.TTQPresent = c.TTQ, true
		ind.TTQ.Clear(TTQOnlineCryptogram)
		ind.TTQ.Clear(TTQCVMRequired)
	}
	// 3.1.1.3: the status check is a transaction of one unit.
	if c.StatusCheck && amount == unit {
		ind.StatusCheckRequested = true
	}
	// 3.1.1.4: zero amount.
	if amount == 0 {
		if c.ZeroAmountNotAllowed {
			ind.ContactlessNotAllowed = true
		} else {
			ind.ZeroAmount = true
		}
	}
	// 3.1.1.5: at or over the reader contactless transaction limit.
	if c.TransactionLimit.Present && amount >= c.TransactionLimit.Amount {
		ind.ContactlessNotAllowed = true
	}
	// 3.1.1.6: over the floor limit, the reader's or else the terminal's.
	floor := c.FloorLimit
	if !floor.Present {
		floor = terminalFloorLimit
	}
	if floor.Present && amount > floor.Amount {
		ind.FloorLimitExceeded = true
	}
	// 3.1.1.7: at or over the CVM required limit.
	if c.CVMRequiredLimit.Present && amount >= c.CVMRequiredLimit.Amount {
		ind.CVMRequiredLimitExceeded = true
	}
	// 3.1.1.8 to 3.1.1.12: the TTQ copy.
	if ind.TTQPresent {
		if ind.FloorLimitExceeded || ind.StatusCheckRequested {
			ind.TTQ.Set(TTQOnlineCryptogram)
		}
		if ind.ZeroAmount {
			if !ind.TTQ.Has(TTQOfflineOnly) {
				ind.TTQ.Set(TTQOnlineCryptogram)
			} else {
				ind.ContactlessNotAllowed = true
			}
		}
		if ind.CVMRequiredLimitExceeded {
			ind.TTQ.Set(TTQCVMRequired)
		}
	}
	return ind
}

// preProcessing is Start A: the indicators of every combination that
// applies to the transaction type and has a kernel; if none is allowed,
// Try Another Interface (3.1.1.13).
func (s *state) preProcessing() *Outcome {
	s.begin("pre-processing")
	for i := range s.cfg.Combinations {
		c := &s.cfg.Combinations[i]
		if _, ok := s.cfg.Kernels[c.Kernel]; !ok {
			continue
		}
		if len(c.TransactionTypes) > 0 && !slices.Contains(c.TransactionTypes, s.txn.Type) {
			continue
		}
		ind := Preprocess(c, s.txn, s.cfg.TerminalFloorLimit)
		s.note("%X kernel %d: %s", c.AID, c.Kernel, ind)
		if !ind.ContactlessNotAllowed {
			s.allowed = append(s.allowed, preprocessed{c, ind})
		}
	}
	if len(s.allowed) == 0 {
		return &Outcome{Type: TryAnotherInterface, Err: ErrNoCombination}
	}
	return nil
}

func (ind Indicators) String() string {
	s := ""
	add := func(b bool, name string) {
		if b {
			if s != "" {
				s += ", "
			}
			s += name
		}
	}
	add(ind.ContactlessNotAllowed, "contactless not allowed")
	add(ind.StatusCheckRequested, "status check")
	add(ind.ZeroAmount, "zero amount")
	add(ind.FloorLimitExceeded, "floor limit exceeded")
	add(ind.CVMRequiredLimitExceeded, "CVM required limit exceeded")
	if ind.TTQPresent {
		if s != "" {
			s += ", "
		}
		s += "TTQ " + hexString(ind.TTQ[:])
	}
	if s == "" {
		return "no indicator"
	}
	return s
}

func hexString(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
