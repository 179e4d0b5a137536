package iso8583

// An AuthorizationRequest is an 0100: it asks the issuer to approve and
// hold an amount without moving funds (pre-authorization, account
// verification). It requires fields 3, 4, 7, 11, 22, 41, 42, 49 and the
// card as field 2 or 35.
type AuthorizationRequest struct {
	Transaction
}

// Message builds and validates the 0100.
func (r *AuthorizationRequest) Message() (*Message, error) {
	return build(MTIAuthorizationRequest, &r.Transaction, true)
}

// ReadAuthorizationRequest reads an 0100 after checking its type and
// required fields.
func ReadAuthorizationRequest(m *Message) (*AuthorizationRequest, error) {
	r := new(AuthorizationRequest)
	return r, readAs(m, &r.Transaction, MTIAuthorizationRequest)
}

// build makes a message of type mti from t and validates it.
func build(mti MTI, t *Transaction, withAmount bool) (*Message, error) {
	m := NewMessage(mti)
	if _, err := t.fill(m, withAmount, 0); err != nil {
		return nil, err
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// readAs checks that m is one of mtis and valid, then reads it into t.
func readAs(m *Message, t *Transaction, mtis ...MTI) error {
	ok := false
	for _, x := range mtis {
		ok = ok || m.MTI == x
	}
	if !ok {
		return &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "want " + string(mtis[0])}
	}
	if err := Validate(m); err != nil {
		return err
	}
	return t.read(m)
}
