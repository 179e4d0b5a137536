package iso8583

// A NetworkCode is field 70, the network management information code of an
// 0800 (n3). The values are those in common use with ISO 8583:1987; a
// network may define others.
type NetworkCode string

// Network management codes.
const (
	SignOn    NetworkCode = "001"
	SignOff   NetworkCode = "002"
	KeyChange NetworkCode = "161" // new working key, carried in the 0810
	Echo      NetworkCode = "301" // echo test (keep-alive)
)

// A NetworkRequest is an 0800 (0801 when Repeat): sign-on, sign-off, key
// exchange or echo test. It requires field 11 and the function: field 70,
// or, as some terminal protocols send it, a processing code in field 3.
type NetworkRequest struct {
	Code            NetworkCode // 70
	ProcessingCode  string      // 3, optional
	Transmitted     string      // 7
	STAN            string      // 11
	TerminalID      string      // 41, optional
	MerchantID      string      // 42, optional
	SecurityControl []byte      // 53, optional: which key to change, a KSN
	Repeat          bool
}

// Message builds and validates the 0800 or 0801.
func (r *NetworkRequest) Message() (*Message, error) {
	mti := MTINetworkRequest
	if r.Repeat {
		mti = MTINetworkRequestRepeat
	}
	m := NewMessage(mti)
	setS(m, 3, r.ProcessingCode)
	setS(m, 7, r.Transmitted)
	setS(m, 11, r.STAN)
	setS(m, 41, r.TerminalID)
	setS(m, 42, r.MerchantID)
	setB(m, 53, r.SecurityControl)
	setS(m, 70, string(r.Code))
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// ReadNetworkRequest reads an 0800 or 0801.
func ReadNetworkRequest(m *Message) (*NetworkRequest, error) {
	if m.MTI != MTINetworkRequest && m.MTI != MTINetworkRequestRepeat {
		return nil, &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "want 0800"}
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	r := &NetworkRequest{
		Code:           NetworkCode(m.Text(70)),
		ProcessingCode: m.Text(3),
		Transmitted:    m.Text(7),
		STAN:           m.Text(11),
		TerminalID:     m.Text(41),
		MerchantID:     m.Text(42),
		Repeat:         m.MTI.IsRepeat(),
	}
	r.SecurityControl, _ = m.Field(53)
	return r, nil
}
