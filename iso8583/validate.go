package iso8583

import "strconv"

// rule lists what a message class requires. anyOf groups need one present
// field each; forbidden fields must be absent.
type rule struct {
	required  []int
	anyOf     [][]int
	forbidden []int
}

var (
	cardRequest = rule{
		required: []int{3, 4, 7, 11, 22, 41, 42, 49},
		anyOf:    [][]int{{2, 35}},
	}
	// Advices, batch uploads and reversal advices may be stored and
	// forwarded later, so they may not carry track data or a PIN block
	// (PCI DSS requirement 3.3.1).
	storedRequest = rule{
		required:  []int{2, 3, 4, 7, 11, 22, 41, 42, 49},
		forbidden: []int{35, 52},
	}
	reversalRequest = rule{
		required:  []int{2, 3, 4, 7, 11, 41, 49, 90},
		forbidden: []int{35, 52},
	}
	cardResponse = rule{required: []int{3, 4, 7, 11, 39, 41}}
	rules        = map[MTI]rule{
		MTIAuthorizationRequest:        cardRequest,
		MTIFinancialRequest:            cardRequest,
		MTIFinancialAdvice:             storedRequest,
		MTIFinancialAdviceRepeat:       storedRequest,
		MTIBatchUpload:                 {required: []int{2, 3, 4, 11, 37, 41, 42}, forbidden: []int{35, 52}},
		MTIBatchUploadRepeat:           {required: []int{2, 3, 4, 11, 37, 41, 42}, forbidden: []int{35, 52}},
		MTIReversalRequest:             reversalRequest,
		MTIReversalRequestRepeat:       reversalRequest,
		MTIReversalAdvice:              reversalRequest,
		MTIReversalAdviceRepeat:        reversalRequest,
		MTIReconciliationRequest:       {required: []int{7, 11, 41, 74, 76, 86, 88}},
		MTIReconciliationRequestRepeat: {required: []int{7, 11, 41, 74, 76, 86, 88}},
		MTINetworkRequest:              {required: []int{7, 11, 70}},
		MTINetworkRequestRepeat:        {required: []int{7, 11, 70}},
		MTIAuthorizationResponse:       cardResponse,
		MTIFinancialResponse:           cardResponse,
		MTIFinancialAdviceResponse:     cardResponse,
		MTIReversalResponse:            {required: []int{4, 7, 11, 39, 41}},
		MTIReversalAdviceResponse:      {required: []int{4, 7, 11, 39, 41}},
		MTIBatchUploadResponse:         {required: []int{11, 39, 41}},
		MTIReconciliationResponse:      {required: []int{7, 11, 39, 41}},
		MTINetworkResponse:             {required: []int{7, 11, 39, 70}},
	}
)

// Validate checks that m is of a message type of the POS flow and carries
// the fields its class requires (and none it forbids). The table is in the
// package documentation. It does not check formats; packing does.
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
	return nil
}

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
