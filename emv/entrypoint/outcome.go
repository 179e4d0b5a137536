package entrypoint

import (
	"fmt"
	"strings"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// An OutcomeType is the outcome of a kernel or of Entry Point (Book A 7.1).
type OutcomeType uint8

// The outcomes of Book A Table 7-1.
const (
	Approved OutcomeType = iota + 1
	Declined
	OnlineRequest
	EndApplication
	SelectNext
	TryAgain
	TryAnotherInterface
)

var outcomeNames = [...]string{"", "Approved", "Declined", "Online Request", "End Application", "Select Next", "Try Again", "Try Another Interface"}

func (o OutcomeType) String() string {
	if int(o) < len(outcomeNames) && o != 0 {
		return outcomeNames[o]
	}
	return fmt.Sprintf("OutcomeType(%d)", uint8(o))
}

// Start is where a restart of Entry Point begins (Book B 3.5): Start B
// (protocol activation) for a second tap, Start C (combination selection)
// for Select Next, Start D (kernel activation) after online processing.
type Start uint8

// The start points of Book A 7.1.
const (
	StartNA Start = iota
	StartA
	StartB
	StartC
	StartD
)

func (s Start) String() string {
	if s == StartNA {
		return "N/A"
	}
	if s <= StartD {
		return string(rune('A' + s - StartA))
	}
	return fmt.Sprintf("Start(%d)", uint8(s))
}

// CVM is the cardholder verification method the outcome asks the reader to
// perform (Book A 7.1).
type CVM uint8

// The CVMs of the outcome parameter set.
const (
	CVMNA CVM = iota
	NoCVM
	Signature
	OnlinePIN
	ConfirmationCodeVerified
)

var cvmNames = [...]string{"N/A", "No CVM", "Signature", "Online PIN", "Confirmation Code Verified"}

func (c CVM) String() string {
	if int(c) < len(cvmNames) {
		return cvmNames[c]
	}
	return fmt.Sprintf("CVM(%d)", uint8(c))
}

// A MessageID is a message of the user interface request data (Book A 9.4).
type MessageID byte

// Messages of Book A Table 9-5 that the kernels here use.
const (
	MsgApproved               MessageID = 0x03
	MsgNotAuthorised          MessageID = 0x07
	MsgEnterPIN               MessageID = 0x09
	MsgProcessingError        MessageID = 0x0F
	MsgRemoveCard             MessageID = 0x10
	MsgPresentCard            MessageID = 0x15
	MsgProcessing             MessageID = 0x16
	MsgCardReadOK             MessageID = 0x17
	MsgInsertOrSwipe          MessageID = 0x18
	MsgPresentOneCard         MessageID = 0x19
	MsgApprovedSign           MessageID = 0x1A
	MsgAuthorising            MessageID = 0x1B
	MsgInsertSwipeOrOtherCard MessageID = 0x1C
	MsgSeePhone               MessageID = 0x20
	MsgPresentCardAgain       MessageID = 0x21
)

// A Status is the reader status of the user interface request data.
type Status byte

// Statuses of Book A Table 9-6.
const (
	StatusNotReady        Status = 0x01
	StatusIdle            Status = 0x02
	StatusReadyToRead     Status = 0x03
	StatusProcessing      Status = 0x04
	StatusCardRead        Status = 0x05
	StatusProcessingError Status = 0x06
)

// A UIRequest is the user interface request data (Book A 7.1, DF8116 in
// Book C-2): what the reader shows when it reports the outcome.
type UIRequest struct {
	Message MessageID
	Status  Status
	// HoldTime is in units of 100 ms.
	HoldTime uint16
}

// An Outcome is what a kernel, or Entry Point itself, reports at the end of
// a tap: the outcome and its parameter set (Book A 7.1), the data record for
// the acquirer and a masked trace.
type Outcome struct {
	Type OutcomeType
	// Start is where to restart after a second tap or Select Next.
	Start Start
	CVM   CVM
	// Receipt tells that a receipt is required.
	Receipt bool
	// UIRequest is the message to show with the outcome; nil for none.
	UIRequest *UIRequest
	// AlternateInterface tells, with Try Another Interface, that the
	// contact chip is preferred (else the magnetic stripe).
	AlternateInterface bool
	// Err is the reason of an End Application, Try Another Interface or
	// Declined outcome that a terminal may want to log; nil otherwise.
	Err error

	// Kernel and AID are those of the activated combination.
	Kernel KernelID
	AID    []byte
	// DataRecord is the data record of Book A 7.1: the BER-TLV data
	// objects the acquirer needs (field 55 of an authorisation or a
	// clearing record), in the order the kernel lists them.
	DataRecord []byte

	// Trace is the masked record of the tap.
	Trace []Event
}

// SetDataRecord sets o's data record: the objects of tags, in that order,
// each taken from the first of sources that holds it (the kernels differ
// in whether the card's or the terminal's value comes first), encoded as
// emv.AppendField55 does.
func (o *Outcome) SetDataRecord(tags []tlv.Tag, sources ...map[tlv.Tag][]byte) {
	o.DataRecord, _ = emv.AppendField55(nil, tags, func(t tlv.Tag) ([]byte, bool) {
		for _, m := range sources {
			if v, ok := m[t]; ok {
				return v, true
			}
		}
		return nil, false
	})
}

// Value returns the value of tag t in the data record.
func (o *Outcome) Value(t tlv.Tag) ([]byte, bool) {
	c := tlv.NewCursor(o.DataRecord)
	for c.Next() {
		if c.Tag() == t {
			return c.Value(), true
		}
	}
	return nil, false
}

// String prints the outcome without card data.
func (o *Outcome) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", o.Type)
	if o.Type == OnlineRequest || o.Type == Approved || o.CVM != CVMNA {
		fmt.Fprintf(&b, ", CVM %v", o.CVM)
	}
	if o.Start != StartNA {
		fmt.Fprintf(&b, ", start %v", o.Start)
	}
	if o.Err != nil {
		fmt.Fprintf(&b, ": %v", o.Err)
	}
	return b.String()
}

// outcomeProcessing is Book B 3.5: Select Next is handled by the caller of
// this step; the other outcomes go back to the terminal. A Try Again with a
// restart at B and an outcome without a UI request get the messages Book A
// asks for.
func (s *state) outcomeProcessing(o *Outcome) *Outcome {
	s.begin("outcome processing")
	if o.UIRequest == nil {
		switch o.Type {
		case Approved:
			o.UIRequest = &UIRequest{Message: MsgApproved, Status: StatusCardRead}
		case Declined:
			o.UIRequest = &UIRequest{Message: MsgNotAuthorised, Status: StatusCardRead}
		case OnlineRequest:
			o.UIRequest = &UIRequest{Message: MsgAuthorising, Status: StatusCardRead}
		case TryAnotherInterface:
			o.UIRequest = &UIRequest{Message: MsgInsertOrSwipe, Status: StatusProcessingError}
		case TryAgain:
			o.UIRequest = &UIRequest{Message: MsgPresentCardAgain, Status: StatusReadyToRead}
		case EndApplication:
			o.UIRequest = &UIRequest{Message: MsgInsertSwipeOrOtherCard, Status: StatusProcessingError}
		}
	}
	s.note("%v", o)
	o.Trace = s.trace
	return o
}
