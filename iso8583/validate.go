package iso8583

import "strconv"

// rule lists what a message class requires. anyOf groups need one present
// field each; forbidden fields must be absent.
type rule struct {
	required  []int
	anyOf     [][]int
	forbidden []int
}

// The rules require what both terminal-to-host protocols and
// host-to-host interfaces send; fields that only one of them uses (7, 49,
// 90) are left to the network's own profile.
var (
	cardRequest = rule{
		required: []int{3, 4, 11, 22, 41},
		anyOf:    [][]int{{2, 35}},
	}
	// Advices, batch uploads and reversals may be stored and forwarded
	// later, so they may not carry track data or a PIN block (PCI DSS
	// requirement 3.3.1).
	storedRequest   = rule{required: []int{2, 3, 4, 11, 22, 41}, forbidden: []int{35, 52}}
	batchUpload     = rule{required: []int{2, 3, 4, 11, 41}, forbidden: []int{35, 52}}
	reversalRequest = rule{required: []int{2, 3, 4, 11, 41}, forbidden: []int{35, 52}}
	reconciliation  = rule{required: []int{11, 41}}
	// Some terminal protocols give the network management function as a
	// processing code (field 3) rather than in field 70.
	network         = rule{required: []int{11}, anyOf: [][]int{{70, 3}}}
	response        = rule{required: []int{11, 39, 41}}
	networkResponse = rule{required: []int{11, 39, 70}}
	rules           = map[MTI]rule{
		MTIAuthorizationRequest:        cardRequest,
		MTIFinancialRequest:            cardRequest,
		MTIFinancialAdvice:             storedRequest,
		MTIFinancialAdviceRepeat:       storedRequest,
		MTIBatchUpload:                 batchUpload,
		MTIBatchUploadRepeat:           batchUpload,
		MTIReversalRequest:             reversalRequest,
		MTIReversalRequestRepeat:       reversalRequest,
		MTIReversalAdvice:              reversalRequest,
		MTIReversalAdviceRepeat:        reversalRequest,
		MTIReconciliationRequest:       reconciliation,
		MTIReconciliationRequestRepeat: reconciliation,
		MTINetworkRequest:              network,
		MTINetworkRequestRepeat:        network,
		MTIAuthorizationResponse:       response,
		MTIFinancialResponse:           response,
		MTIFinancialAdviceResponse:     response,
		MTIReversalResponse:            response,
		MTIReversalAdviceResponse:      response,
		MTIBatchUploadResponse:         response,
		MTIReconciliationResponse:      response,
		MTINetworkResponse:             networkResponse,
	}
)

// Validate checks that m is of a message type of the POS flow and carries
// the fields its class requires (and none it forbids). The table is in the
// package documentation. Of the formats it checks only that a PIN block
// (field 52) is 8 bytes (ISO 9564-1 formats 0 to 3, TDES) or 16 (format
// 4, AES), since the spec of VariablePINData would carry other lengths up
// to 16; packing checks the rest.
func Validate(m *Message) error {
	r, ok := rules[m.MTI]
	if !ok {
		return &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "not a message type of the POS flow"}
	}
	for _, id := range r.required {
		if !m.Has(id) {
			return &FieldError{Field: id, Err: ErrMissingField, Reason: "required in " + string(m.MTI)}
		}
	}
	for _, g := range r.anyOf {
		found := false
		for _, id := range g {
			found = found || m.Has(id)
		}
		if !found {
			return &FieldError{Field: g[0], Err: ErrMissingField, Reason: "one of fields " + ints(g) + " required in " + string(m.MTI)}
		}
	}
	for _, id := range r.forbidden {
		if m.Has(id) {
			return &FieldError{Field: id, Err: ErrInvalidField, Reason: "not allowed in " + string(m.MTI)}
		}
	}
	if v, ok := m.Field(52); ok && len(v) != PINBlockTDES && len(v) != PINBlockAES {
		return &FieldError{Field: 52, Err: ErrInvalidField, Reason: "PIN block of " + strconv.Itoa(len(v)) + " bytes, want 8 (TDES) or 16 (AES)"}
	}
	return nil
}

// The lengths of an enciphered PIN block in field 52 (ISO 9564-1:2017).
const (
	PINBlockTDES = 8  // formats 0 to 3, enciphered with TDES
	PINBlockAES  = 16 // format 4, enciphered with AES
)

func ints(v []int) string {
	s := ""
	for i, n := range v {
		if i > 0 {
			s += ", "
		}
		s += strconv.Itoa(n)
	}
	return s
}
