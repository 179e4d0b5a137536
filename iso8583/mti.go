package iso8583

// An MTI is a message type indicator of ISO 8583:1987 clause 4.1: four
// digits giving the version (0 for 1987), the message class, the message
// function and the transaction originator.
type MTI string

// The message types of the POS flow.
const (
	MTIAuthorizationRequest        MTI = "0100"
	MTIAuthorizationResponse       MTI = "0110"
	MTIFinancialRequest            MTI = "0200"
	MTIFinancialResponse           MTI = "0210"
	MTIFinancialAdvice             MTI = "0220"
	MTIFinancialAdviceRepeat       MTI = "0221"
	MTIFinancialAdviceResponse     MTI = "0230"
	MTIBatchUpload                 MTI = "0320"
	MTIBatchUploadRepeat           MTI = "0321"
	MTIBatchUploadResponse         MTI = "0330"
	MTIReversalRequest             MTI = "0400"
	MTIReversalRequestRepeat       MTI = "0401"
	MTIReversalResponse            MTI = "0410"
	MTIReversalAdvice              MTI = "0420"
	MTIReversalAdviceRepeat        MTI = "0421"
	MTIReversalAdviceResponse      MTI = "0430"
	MTIReconciliationRequest       MTI = "0500"
	MTIReconciliationRequestRepeat MTI = "0501"
	MTIReconciliationResponse      MTI = "0510"
	MTINetworkRequest              MTI = "0800"
	MTINetworkRequestRepeat        MTI = "0801"
	MTINetworkResponse             MTI = "0810"
)

// Valid reports whether m is four decimal digits.
func (m MTI) Valid() bool {
	if len(m) != 4 {
		return false
	}
	for i := range 4 {
		if m[i] < '0' || m[i] > '9' {
			return false
		}
	}
	return true
}

// Class returns the message class digit: '1' authorization, '2' financial,
// '3' file action, '4' reversal, '5' reconciliation, '8' network management.
func (m MTI) Class() byte {
	if !m.Valid() {
		return 0
	}
	return m[1]
}

// IsRequest reports whether m is a request or an advice (function 0 or 2,
// with their repeats 1 and 3), which expects a response.
func (m MTI) IsRequest() bool {
	return m.Valid() && (m[2] == '0' || m[2] == '2')
}

// IsResponse reports whether m is a response (function digit 1 or 3).
func (m MTI) IsResponse() bool {
	return m.Valid() && (m[2] == '1' || m[2] == '3')
}

// IsRepeat reports whether m is a repeat (transaction originator digit 1).
func (m MTI) IsRepeat() bool {
	return m.Valid() && m[3] == '1'
}

// Repeat returns the repeat of request m: 0400 gives 0401, 0220 gives 0221.
func (m MTI) Repeat() MTI {
	if !m.Valid() || m.IsResponse() {
		return m
	}
	return m[:3] + "1"
}

// Original returns the first-time MTI of a repeat: 0401 gives 0400.
func (m MTI) Original() MTI {
	if !m.IsRepeat() {
		return m
	}
	return m[:3] + "0"
}

// Response returns the MTI of the response to request m: 0200 and 0201 give
// 0210, 0220 and 0221 give 0230. A response returns itself.
func (m MTI) Response() MTI {
	if !m.Valid() || m.IsResponse() {
		return m
	}
	return mtiOf([]byte{m[0], m[1], m[2] + 1, '0'})
}

// mtiOf returns b as an MTI. For the message types of the POS flow it
// returns the constant, so that unpacking or answering them allocates no
// string.
func mtiOf(b []byte) MTI {
	switch string(b) {
	case "0100":
		return MTIAuthorizationRequest
	case "0110":
		return MTIAuthorizationResponse
	case "0200":
		return MTIFinancialRequest
	case "0210":
		return MTIFinancialResponse
	case "0220":
		return MTIFinancialAdvice
	case "0221":
		return MTIFinancialAdviceRepeat
	case "0230":
		return MTIFinancialAdviceResponse
	case "0320":
		return MTIBatchUpload
	case "0321":
		return MTIBatchUploadRepeat
	case "0330":
		return MTIBatchUploadResponse
	case "0400":
		return MTIReversalRequest
	case "0401":
		return MTIReversalRequestRepeat
	case "0410":
		return MTIReversalResponse
	case "0420":
		return MTIReversalAdvice
	case "0421":
		return MTIReversalAdviceRepeat
	case "0430":
		return MTIReversalAdviceResponse
	case "0500":
		return MTIReconciliationRequest
	case "0501":
		return MTIReconciliationRequestRepeat
	case "0510":
		return MTIReconciliationResponse
	case "0800":
		return MTINetworkRequest
	case "0801":
		return MTINetworkRequestRepeat
	case "0810":
		return MTINetworkResponse
	}
	return MTI(b)
}

// String returns m.
func (m MTI) String() string { return string(m) }
