package entrypoint

import (
	"fmt"
	"strings"

	"github.com/posflow/posflow/emv"
	"github.com/posflow/posflow/tlv"
)

// An Event is one entry of the trace of a tap: the step of Book B or of
// the kernel's Book that recorded it and a text that never holds a PAN in
// clear, track data or a key. Response data go through emv.Printer, which
// masks them; command data are shown as TLV when they are a template
// (GET PROCESSING OPTIONS) and by length otherwise.
type Event struct {
	Step string
	Text string
}

func (e Event) String() string { return e.Step + ": " + e.Text }

// A Tracer records the trace of a tap. Kernels receive one in their
// Activation; a nil *Tracer records nothing.
type Tracer struct {
	step   string
	events *[]Event
}

// Begin starts step.
func (t *Tracer) Begin(step string) {
	if t != nil {
		t.step = step
	}
}

// Note records a decision of the current step.
func (t *Tracer) Note(format string, args ...any) {
	if t == nil || t.events == nil {
		return
	}
	*t.events = append(*t.events, Event{Step: t.step, Text: fmt.Sprintf(format, args...)})
}

// Exchange sends c through tr and records the command and the response,
// masked.
func (t *Tracer) Exchange(tr *emv.Transport, c emv.Command) (emv.Response, error) {
	if t != nil && t.events != nil {
		t.Note("C-APDU %02X %02X %02X %02X %s", c.CLA, c.INS, c.P1, c.P2, commandData(c))
	}
	r, err := tr.Exchange(c)
	if err != nil {
		t.Note("transport: %v", err)
		return r, err
	}
	if t != nil && t.events != nil {
		t.Note("R-APDU %v %s", r.SW, responseData(r.Data))
	}
	return r, nil
}

func commandData(c emv.Command) string {
	if len(c.Data) == 0 {
		return ""
	}
	if c.INS == 0xA4 { // SELECT: a DF name, never card data
		return fmt.Sprintf("%X", c.Data)
	}
	if len(c.Data) > 0 && c.Data[0] == 0x83 {
		return responseData(c.Data)
	}
	return fmt.Sprintf("[%d bytes]", len(c.Data))
}

// contactlessSensitive are data objects of the contactless kernels that
// carry the PAN or track data and that the contact dictionary of package
// emv does not mask: the Kernel 2 data storage ID (PAN and PAN sequence
// number), the Kernel 2 mag-stripe track 1 and track 2 data.
var contactlessSensitive = map[tlv.Tag]string{
	0x9F5E: "data storage ID",
	0x56:   "track 1 data",
	0x9F6B: "track 2 data",
}

func responseData(d []byte) string {
	if len(d) == 0 {
		return ""
	}
	var b strings.Builder
	p := emv.Printer()
	p.Options.Lenient = true
	value := p.Value
	p.Value = func(t tlv.Tag, v []byte) string {
		if name, ok := contactlessSensitive[t]; ok {
			return fmt.Sprintf("<%s masked, %d bytes>", name, len(v))
		}
		if value == nil {
			return fmt.Sprintf("%X", v)
		}
		return value(t, v)
	}
	if err := p.Fprint(&b, d); err != nil {
		return fmt.Sprintf("[%d bytes, not TLV]", len(d))
	}
	return "\n" + strings.TrimRight(b.String(), "\n")
}

func (s *state) begin(step string) { s.tr.Begin(step) }

func (s *state) note(format string, args ...any) { s.tr.Note(format, args...) }
