package emv

import (
	"errors"
	"fmt"
)

// A Card exchanges one APDU with an integrated circuit card: it sends the
// command bytes and returns the response bytes, data followed by SW1 SW2.
// A PC/SC reader, a test double and the simulated card implement it.
type Card interface {
	Transmit(command []byte) (response []byte, err error)
}

// A Transport sends commands to a card with the rules of the transmission
// protocol, so that the kernel sees whole responses.
type Transport struct {
	Card Card
	// T0 applies the T=0 rules of EMV 4.4 Book 1 section 9.3.1: a command
	// of case 4 goes without Le; 61xx is followed by GET RESPONSE; a
	// warning 62xx or 63xx after a case 4 command is followed by GET
	// RESPONSE, and the response carries its data with the warning. 6Cxx
	// (re-send with Le = xx) is handled on every protocol.
	T0 bool
}

// Limits on what a card can make the transport do.
const (
	maxGetResponse  = 64      // GET RESPONSE commands for one exchange
	maxResponseData = 1 << 16 // bytes of response data for one exchange
)

// ErrTransport is wrapped by errors of the transport rules: a card that
// asks for GET RESPONSE without end, or answers with more data than any
// EMV response holds.
var ErrTransport = errors.New("emv: transport")

// Exchange sends c and returns the card's response. It returns an error
// only when the card could not be reached or broke the transport rules; a
// status word other than 9000 is in the response for the caller to judge.
func (t *Transport) Exchange(c Command) (Response, error) {
	case4 := len(c.Data) > 0 && c.Le > 0
	send := c
	if t.T0 && case4 {
		send.Le = 0
	}
	resp, err := t.transmit(send)
	if err != nil {
		return Response{}, err
	}
	switch {
	case resp.SW.SW1() == 0x6C:
		// Wrong Le: send again with the length the card gives.
		send.Le = responseLen(resp.SW.SW2())
		if resp, err = t.transmit(send); err != nil {
			return Response{}, err
		}
	case t.T0 && case4 && resp.SW.Warning() && len(resp.Data) == 0:
		// Book 1 9.3.1.3: fetch the data, keep the warning.
		warning := resp.SW
		data, err := t.getResponse(nil, 256)
		if err != nil {
			return Response{}, err
		}
		if data.SW.OK() {
			return Response{Data: data.Data, SW: warning}, nil
		}
		return Response{SW: warning}, nil
	}
	if resp.SW.SW1() == 0x61 {
		return t.getResponse(resp.Data, responseLen(resp.SW.SW2()))
	}
	return resp, nil
}

// getResponse sends GET RESPONSE for le bytes, and again while the card
// answers 61xx, appending the data to data.
func (t *Transport) getResponse(data []byte, le int) (Response, error) {
	out := append([]byte(nil), data...)
	for range maxGetResponse {
		resp, err := t.transmit(Command{CLA: 0x00, INS: 0xC0, Le: le})
		if err != nil {
			return Response{}, err
		}
		if resp.SW.SW1() == 0x6C {
			le = responseLen(resp.SW.SW2())
			continue
		}
		out = append(out, resp.Data...)
		if len(out) > maxResponseData {
			return Response{}, fmt.Errorf("%w: response data longer than %d bytes", ErrTransport, maxResponseData)
		}
		if resp.SW.SW1() != 0x61 {
			return Response{Data: out, SW: resp.SW}, nil
		}
		le = responseLen(resp.SW.SW2())
	}
	return Response{}, fmt.Errorf("%w: more than %d GET RESPONSE commands", ErrTransport, maxGetResponse)
}

func (t *Transport) transmit(c Command) (Response, error) {
	var buf [261]byte
	cmd, err := AppendCommand(buf[:0], c)
	if err != nil {
		return Response{}, err
	}
	b, err := t.Card.Transmit(cmd)
	if err != nil {
		return Response{}, fmt.Errorf("emv: card: %w", err)
	}
	return ParseResponse(b)
}
