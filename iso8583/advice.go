package iso8583

// A FinancialAdvice is an 0220 (0221 when Repeat): it tells the issuer of a
// transaction already completed, approved offline by the card or by voice
// referral, or the completion of a pre-authorization. It is stored and
// forwarded until acknowledged, so it may not carry track 2 or a PIN block:
// it requires fields 2, 3, 4, 7, 11, 22, 41, 42 and 49.
type FinancialAdvice struct {
	Transaction
	Repeat bool
}

// Message builds and validates the 0220 or 0221.
func (r *FinancialAdvice) Message() (*Message, error) {
	mti := MTIFinancialAdvice
	if r.Repeat {
		mti = MTIFinancialAdviceRepeat
	}
	return build(mti, &r.Transaction, true)
}

// ReadFinancialAdvice reads an 0220 or 0221.
func ReadFinancialAdvice(m *Message) (*FinancialAdvice, error) {
	r := &FinancialAdvice{Repeat: m.MTI.IsRepeat()}
	return r, readAs(m, &r.Transaction, MTIFinancialAdvice, MTIFinancialAdviceRepeat)
}
