package emv

import (
	"encoding/hex"
	"strings"

	"github.com/posflow/posflow/tlv"
)

// A Step is one step of the transaction flow of EMV 4.4 Book 3 section 10
// and section 12 (application selection).
type Step uint8

// The steps, in the order the kernel performs them.
const (
	StepSelection            Step = iota + 1 // application selection (Book 3 12)
	StepInitiate                             // initiate application processing (10.1)
	StepReadData                             // read application data (10.2)
	StepODA                                  // offline data authentication (10.3)
	StepRestrictions                         // processing restrictions (10.4)
	StepCVM                                  // cardholder verification (10.5)
	StepTRM                                  // terminal risk management (10.6)
	StepTAA                                  // terminal action analysis (10.7)
	StepCAA                                  // card action analysis (10.8)
	StepOnline                               // online processing (10.9)
	StepIssuerAuthentication                 // issuer authentication (10.9)
	StepScripts                              // issuer-to-card script processing (10.10)
	StepCompletion                           // completion (10.11)
)

var stepNames = [...]string{
	StepSelection:            "application selection",
	StepInitiate:             "initiate application processing",
	StepReadData:             "read application data",
	StepODA:                  "offline data authentication",
	StepRestrictions:         "processing restrictions",
	StepCVM:                  "cardholder verification",
	StepTRM:                  "terminal risk management",
	StepTAA:                  "terminal action analysis",
	StepCAA:                  "card action analysis",
	StepOnline:               "online processing",
	StepIssuerAuthentication: "issuer authentication",
	StepScripts:              "issuer script processing",
	StepCompletion:           "completion",
}

func (s Step) String() string {
	if int(s) < len(stepNames) && stepNames[s] != "" {
		return stepNames[s]
	}
	return "step " + itoa(int(s))
}

// EventKind tells what an Event records.
type EventKind uint8

// The kinds of events.
const (
	EventCommand  EventKind = iota + 1 // a command APDU sent to the card
	EventResponse                      // the card's response
	EventNote                          // a decision or a decoded object
)

func (k EventKind) String() string {
	switch k {
	case EventCommand:
		return "C-APDU"
	case EventResponse:
		return "R-APDU"
	case EventNote:
		return "note"
	}
	return "event " + itoa(int(k))
}

// An Event is one entry of the trace of a transaction. Text never holds a
// PAN in clear, track data, a PIN block or a key: APDU data is shown
// through the dictionary's masking (Printer), DOL data element by element
// with sensitive elements starred, and VERIFY and PIN-changing script
// commands without their data.
type Event struct {
	Step Step
	Kind EventKind
	Text string
}

func (e Event) String() string {
	return e.Step.String() + ": " + e.Kind.String() + " " + e.Text
}

// traceCommand renders a command APDU for the trace. dol, when not nil,
// is the data object list the command data was built from.
func traceCommand(c Command, dol []byte) string {
	var sb strings.Builder
	sb.WriteString(strings.ToUpper(hex.EncodeToString([]byte{c.CLA, c.INS, c.P1, c.P2})))
	if len(c.Data) == 0 {
		return sb.String()
	}
	sb.WriteString(" [")
	sb.WriteString(itoa(len(c.Data)))
	sb.WriteString("] ")
	data := c.Data
	switch {
	case c.INS == 0x20 || c.INS == 0x24:
		sb.WriteString("(PIN data not shown)")
		return sb.String()
	case c.INS == 0xA8 && len(data) >= 2 && data[0] == 0x83:
		if len(data) == 2 {
			sb.WriteString("8300")
			return sb.String()
		}
		sb.WriteString("83 ")
		data = data[2:]
	}
	if dol != nil {
		sb.WriteString(traceDOLData(dol, data))
		return sb.String()
	}
	sb.WriteString(strings.ToUpper(hex.EncodeToString(data)))
	return sb.String()
}

// traceDOLData shows DOL data as tag=value pairs, sensitive values starred.
func traceDOLData(dol, data []byte) string {
	entries, err := ParseDOL(dol)
	if err != nil {
		return "(" + itoa(len(data)) + " bytes)"
	}
	var sb strings.Builder
	for i, e := range entries {
		if e.Length > len(data) {
			break
		}
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(strings.ToUpper(hex.EncodeToString(tlv.AppendTag(nil, e.Tag))))
		sb.WriteByte('=')
		v := data[:e.Length]
		data = data[e.Length:]
		if de, ok := Lookup(e.Tag); ok && de.Sensitivity != Public {
			sb.WriteString(strings.Repeat("**", len(v)))
			continue
		}
		sb.WriteString(strings.ToUpper(hex.EncodeToString(v)))
	}
	return sb.String()
}

// traceResponse renders a response APDU for the trace.
func traceResponse(ins byte, r Response) string {
	var sb strings.Builder
	sb.WriteString(r.SW.String())
	if len(r.Data) == 0 {
		return sb.String()
	}
	sb.WriteString(" [")
	sb.WriteString(itoa(len(r.Data)))
	sb.WriteString("]")
	switch ins {
	case 0x84: // GET CHALLENGE: a random number
		sb.WriteByte(' ')
		sb.WriteString(strings.ToUpper(hex.EncodeToString(r.Data)))
		return sb.String()
	}
	if tlv.Validate(r.Data) != nil {
		sb.WriteString(" (not BER-TLV, not shown)")
		return sb.String()
	}
	sb.WriteByte('\n')
	p := Printer()
	p.Indent = "  "
	var b strings.Builder
	if p.Fprint(&b, r.Data) != nil {
		return sb.String()
	}
	sb.WriteString(strings.TrimRight(b.String(), "\n"))
	return sb.String()
}
