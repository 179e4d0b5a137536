package iso8583

// A Response is the answer to any request or advice of the POS flow: 0110,
// 0210, 0230, 0330, 0410, 0430, 0510 or 0810. Which fields it requires
// depends on its MTI (see Validate); every class requires fields 11 and 39.
type Response struct {
	MTI MTI
	Transaction
	Code           ResponseCode  // 39
	Additional     string        // 48, ans...999, optional
	SettlementCode string        // 66, n1: 1 in balance, 2 out of balance (0510)
	Network        NetworkCode   // 70 (0810)
	Original       *OriginalData // 90 (0410, 0430), optional
}

// echoed lists the request fields a response repeats so the originator can
// match and check it. Card data other than the PAN is never echoed.
var echoed = [...]int{2, 3, 4, 7, 11, 12, 13, 24, 32, 37, 41, 42, 49, 70, 90}

// Respond starts the response to request req with code: the response MTI
// and the echoed fields 2, 3, 4, 7, 11, 12, 13, 24, 32, 37, 41, 42, 49, 70 and
// 90 as present in req. The caller adds the authorization code, chip data
// and the rest.
func Respond(req *Message, code ResponseCode) (*Response, error) {
	if !req.MTI.IsRequest() {
		return nil, &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "not a request"}
	}
	m := NewMessage(req.MTI.Response())
	for _, id := range echoed {
		if v, ok := req.Field(id); ok {
			m.Set(id, v)
		}
	}
	r := &Response{MTI: m.MTI, Code: code}
	var network string
	if err := r.Transaction.read(m, textField{id: 70, dst: &network}); err != nil {
		return nil, err
	}
	r.Network = NetworkCode(network)
	if v, ok := m.Field(90); ok {
		o, err := parseOriginal(v)
		if err != nil {
			return nil, err
		}
		r.Original = &o
	}
	return r, nil
}

// Message builds and validates the response.
func (r *Response) Message() (*Message, error) {
	if !r.MTI.IsResponse() {
		return nil, &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "not a response"}
	}
	m := NewMessage(r.MTI)
	extra := len(r.Code) + len(r.Additional) + len(r.SettlementCode) + len(r.Network)
	if r.Original != nil {
		extra += 42
	}
	f, err := r.fill(m, r.Amount != 0 || requires(r.MTI, 4), extra)
	if err != nil {
		return nil, err
	}
	f.setS(m, 39, string(r.Code))
	f.setS(m, 48, r.Additional)
	f.setS(m, 66, r.SettlementCode)
	f.setS(m, 70, string(r.Network))
	if r.Original != nil {
		v, err := r.Original.field()
		if err != nil {
			return nil, err
		}
		f.setS(m, 90, v)
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

func requires(mti MTI, id int) bool {
	for _, f := range rules[mti].required {
		if f == id {
			return true
		}
	}
	return false
}

// ReadResponse reads any response of the POS flow after checking its
// required fields. A response that declines still reads without error;
// use Code.Err to turn a decline into an error.
func ReadResponse(m *Message) (*Response, error) {
	if !m.MTI.IsResponse() {
		return nil, &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "not a response"}
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	r := &Response{MTI: m.MTI}
	var code, network string
	if err := r.Transaction.read(m,
		textField{id: 39, dst: &code},
		textField{id: 48, dst: &r.Additional},
		textField{id: 66, dst: &r.SettlementCode},
		textField{id: 70, dst: &network}); err != nil {
		return nil, err
	}
	r.Code, r.Network = ResponseCode(code), NetworkCode(network)
	if v, ok := m.Field(90); ok {
		o, err := parseOriginal(v)
		if err != nil {
			return nil, err
		}
		r.Original = &o
	}
	return r, nil
}
