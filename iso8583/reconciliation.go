package iso8583

import "strconv"

// Totals are the batch totals of a reconciliation, fields 74 to 77 (counts,
// n10) and 86 to 89 (amounts in minor units, n16), and the optional net
// settlement amount of field 97 (x+n16: C for credit, D for debit).
type Totals struct {
	CreditsNumber, CreditsReversalNumber int64 // 74, 75
	DebitsNumber, DebitsReversalNumber   int64 // 76, 77
	CreditsAmount, CreditsReversalAmount int64 // 86, 87
	DebitsAmount, DebitsReversalAmount   int64 // 88, 89
	Net                                  *int64
	// Net is field 97 when set: positive is a net credit to the acquirer
	// (C), negative a net debit (D).
}

var totalsFields = [...]struct {
	id int
	w  int
}{{74, 10}, {75, 10}, {76, 10}, {77, 10}, {86, 16}, {87, 16}, {88, 16}, {89, 16}}

func (t *Totals) ptrs() [8]*int64 {
	return [8]*int64{&t.CreditsNumber, &t.CreditsReversalNumber, &t.DebitsNumber, &t.DebitsReversalNumber,
		&t.CreditsAmount, &t.CreditsReversalAmount, &t.DebitsAmount, &t.DebitsReversalAmount}
}

// A Reconciliation is an 0500 (0501 when Repeat): the terminal's batch
// totals at settlement. It requires fields 7, 11, 41 and the totals 74, 76,
// 86 and 88; the reversal totals 75, 77, 87 and 89 are sent too. The host
// answers with field 39 and, in field 66, 1 when in balance or 2 when out of
// balance, after which the terminal uploads the batch (BatchUpload).
type Reconciliation struct {
	Transmitted    string // 7
	STAN           string // 11
	SettlementDate string // 15, n4 MMDD, optional
	TerminalID     string // 41
	MerchantID     string // 42, optional
	Currency       string // 49, optional
	BatchNumber    string // 60 (private), optional
	Totals         Totals
	Repeat         bool
}

// Message builds and validates the 0500 or 0501.
func (r *Reconciliation) Message() (*Message, error) {
	mti := MTIReconciliationRequest
	if r.Repeat {
		mti = MTIReconciliationRequestRepeat
	}
	m := NewMessage(mti)
	setS(m, 7, r.Transmitted)
	setS(m, 11, r.STAN)
	setS(m, 15, r.SettlementDate)
	setS(m, 41, r.TerminalID)
	setS(m, 42, r.MerchantID)
	setS(m, 49, r.Currency)
	setS(m, 60, r.BatchNumber)
	for i, p := range r.Totals.ptrs() {
		f := totalsFields[i]
		v, ok := amount(*p, f.w)
		if !ok {
			return nil, &FieldError{Field: f.id, Err: ErrInvalidField, Reason: "negative or over " + strconv.Itoa(f.w) + " digits"}
		}
		m.SetString(f.id, v)
	}
	if n := r.Totals.Net; n != nil {
		sign, abs := "C", *n
		if abs < 0 {
			sign, abs = "D", -abs
		}
		v, ok := amount(abs, 16)
		if !ok {
			return nil, &FieldError{Field: 97, Err: ErrInvalidField, Reason: "over 16 digits"}
		}
		m.SetString(97, sign+v)
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// ReadReconciliation reads an 0500 or 0501.
func ReadReconciliation(m *Message) (*Reconciliation, error) {
	if m.MTI != MTIReconciliationRequest && m.MTI != MTIReconciliationRequestRepeat {
		return nil, &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "want 0500"}
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	r := &Reconciliation{
		Transmitted:    m.Text(7),
		STAN:           m.Text(11),
		SettlementDate: m.Text(15),
		TerminalID:     m.Text(41),
		MerchantID:     m.Text(42),
		Currency:       m.Text(49),
		BatchNumber:    m.Text(60),
		Repeat:         m.MTI.IsRepeat(),
	}
	for i, p := range r.Totals.ptrs() {
		f := totalsFields[i]
		if v, ok := m.Field(f.id); ok {
			n, ok := parseAmount(v)
			if !ok {
				return nil, &FieldError{Field: f.id, Err: ErrInvalidField, Reason: "not a number"}
			}
			*p = n
		}
	}
	if v, ok := m.Field(97); ok {
		n, ok := parseAmount(v[min(1, len(v)):])
		if !ok || len(v) < 2 {
			return nil, &FieldError{Field: 97, Err: ErrInvalidField, Reason: "not a signed amount"}
		}
		if v[0] == 'D' {
			n = -n
		}
		r.Totals.Net = &n
	}
	return r, nil
}
