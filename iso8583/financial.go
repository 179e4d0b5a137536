package iso8583

// A FinancialRequest is an 0200: a purchase (or cash, refund, balance
// inquiry, per the processing code) authorized online and settled. It
// requires fields 3, 4, 7, 11, 22, 41, 42, 49 and the card as field 2 or
// 35. If its response does not arrive, the acquirer must reverse it; see
// NewReversal and Client.
type FinancialRequest struct {
	Transaction
}

// Message builds and validates the 0200.
func (r *FinancialRequest) Message() (*Message, error) {
	return build(MTIFinancialRequest, &r.Transaction, true)
}

// ReadFinancialRequest reads an 0200 after checking its type and required
// fields.
func ReadFinancialRequest(m *Message) (*FinancialRequest, error) {
	r := new(FinancialRequest)
	return r, readAs(m, &r.Transaction, MTIFinancialRequest)
}
