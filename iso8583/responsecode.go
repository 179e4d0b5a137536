package iso8583

// A ResponseCode is field 39 (an2), the outcome of a request. It is an
// error: Err returns nil for the approving codes and the code itself
// otherwise, so that callers can write
//
//	if err := resp.Code.Err(); err != nil { ... errors.As(err, &code) ... }
//
// The meanings are those of ISO 8583:1987 Annex A as the card networks use
// them.
type ResponseCode string

// Response codes in common use.
const (
	Approved              ResponseCode = "00"
	ReferToIssuer         ResponseCode = "01"
	InvalidMerchant       ResponseCode = "03"
	PickUpCard            ResponseCode = "04"
	DoNotHonour           ResponseCode = "05"
	GeneralError          ResponseCode = "06"
	HonourWithID          ResponseCode = "08"
	PartialApproval       ResponseCode = "10"
	ApprovedVIP           ResponseCode = "11"
	InvalidTransaction    ResponseCode = "12"
	InvalidAmount         ResponseCode = "13"
	InvalidCardNumber     ResponseCode = "14"
	NoSuchIssuer          ResponseCode = "15"
	ReEnterTransaction    ResponseCode = "19"
	NoAction              ResponseCode = "21"
	FormatError           ResponseCode = "30"
	LostCard              ResponseCode = "41"
	StolenCard            ResponseCode = "43"
	InsufficientFunds     ResponseCode = "51"
	NoCheckingAccount     ResponseCode = "52"
	NoSavingsAccount      ResponseCode = "53"
	ExpiredCard           ResponseCode = "54"
	IncorrectPIN          ResponseCode = "55"
	NoCardRecord          ResponseCode = "56"
	NotPermittedToCard    ResponseCode = "57"
	NotPermittedToTerm    ResponseCode = "58"
	SuspectedFraud        ResponseCode = "59"
	ExceedsAmountLimit    ResponseCode = "61"
	RestrictedCard        ResponseCode = "62"
	SecurityViolation     ResponseCode = "63"
	ExceedsFrequencyLimit ResponseCode = "65"
	ResponseTooLate       ResponseCode = "68"
	PINTriesExceeded      ResponseCode = "75"
	CutoverInProgress     ResponseCode = "90"
	IssuerUnavailable     ResponseCode = "91"
	UnableToRoute         ResponseCode = "92"
	ViolationOfLaw        ResponseCode = "93"
	DuplicateTransmission ResponseCode = "94"
	ReconcileError        ResponseCode = "95"
	SystemMalfunction     ResponseCode = "96"
)

var responseMeanings = map[ResponseCode]string{
	Approved:              "approved",
	ReferToIssuer:         "refer to card issuer",
	InvalidMerchant:       "invalid merchant",
	PickUpCard:            "pick up card",
	DoNotHonour:           "do not honour",
	GeneralError:          "error",
	HonourWithID:          "honour with identification",
	PartialApproval:       "approved for partial amount",
	ApprovedVIP:           "approved (VIP)",
	InvalidTransaction:    "invalid transaction",
	InvalidAmount:         "invalid amount",
	InvalidCardNumber:     "invalid card number",
	NoSuchIssuer:          "no such issuer",
	ReEnterTransaction:    "re-enter transaction",
	NoAction:              "no action taken",
	FormatError:           "format error",
	LostCard:              "lost card, pick up",
	StolenCard:            "stolen card, pick up",
	InsufficientFunds:     "not sufficient funds",
	NoCheckingAccount:     "no checking account",
	NoSavingsAccount:      "no savings account",
	ExpiredCard:           "expired card",
	IncorrectPIN:          "incorrect PIN",
	NoCardRecord:          "no card record",
	NotPermittedToCard:    "transaction not permitted to cardholder",
	NotPermittedToTerm:    "transaction not permitted to terminal",
	SuspectedFraud:        "suspected fraud",
	ExceedsAmountLimit:    "exceeds withdrawal amount limit",
	RestrictedCard:        "restricted card",
	SecurityViolation:     "security violation",
	ExceedsFrequencyLimit: "exceeds withdrawal frequency limit",
	ResponseTooLate:       "response received too late",
	PINTriesExceeded:      "allowable number of PIN tries exceeded",
	CutoverInProgress:     "cutover in progress",
	IssuerUnavailable:     "issuer or switch inoperative",
	UnableToRoute:         "unable to route transaction",
	ViolationOfLaw:        "transaction cannot be completed, violation of law",
	DuplicateTransmission: "duplicate transmission",
	ReconcileError:        "reconcile error",
	SystemMalfunction:     "system malfunction",
}

// Approved reports whether c approves the transaction (00, 08, 10, 11).
func (c ResponseCode) Approved() bool {
	switch c {
	case Approved, HonourWithID, PartialApproval, ApprovedVIP:
		return true
	}
	return false
}

// Valid reports whether c is two alphanumeric characters.
func (c ResponseCode) Valid() bool {
	return len(c) == 2 && classAN.valid([]byte(c)) && c[0] != ' ' && c[1] != ' '
}

// Meaning returns the meaning of c, or "unknown" for a code outside the
// table.
func (c ResponseCode) Meaning() string {
	if s, ok := responseMeanings[c]; ok {
		return s
	}
	return "unknown"
}

// Err returns nil if c approves the transaction and c otherwise.
func (c ResponseCode) Err() error {
	if c.Approved() {
		return nil
	}
	return c
}

// Error returns "iso8583: response code 05: do not honour".
func (c ResponseCode) Error() string {
	return "iso8583: response code " + c.String() + ": " + c.Meaning()
}

// String returns the code, or a quoted form if it is not two alphanumeric
// characters.
func (c ResponseCode) String() string {
	if c.Valid() {
		return string(c)
	}
	return "invalid"
}
