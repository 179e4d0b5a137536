package emv

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/posflow/posflow/tlv"
)

// An OnlineRequest is what the kernel gives Online to build the
// authorisation request: field 55 built from the application's tag list,
// the enciphered online PIN if one was entered, and the other card data
// through Value (PAN for field 2, track 2 equivalent data for field 35,
// expiry for field 14, PAN sequence number for field 23).
type OnlineRequest struct {
	Transaction Transaction
	Field55     []byte
	OnlinePIN   *OnlinePIN
	// EntryMode is the POS entry mode: EntryChip.
	EntryMode POSEntryMode

	value func(tlv.Tag) ([]byte, bool)
}

// Value returns a data object of the transaction, from the terminal or
// the card.
func (r *OnlineRequest) Value(t tlv.Tag) ([]byte, bool) {
	if r.value == nil {
		return nil, false
	}
	return r.value(t)
}

// String describes the request without card data.
func (r *OnlineRequest) String() string {
	s := fmt.Sprintf("authorisation request: amount %d, field 55 of %d bytes", r.Transaction.Amount, len(r.Field55))
	if r.OnlinePIN != nil {
		s += ", " + r.OnlinePIN.String()
	}
	return s
}

// An OnlineResponse is the issuer's answer, from the authorisation
// response message.
type OnlineResponse struct {
	// Approved is the issuer's decision.
	Approved bool
	// ResponseCode is the authorisation response code (8A, ISO 8583
	// field 39), two characters such as "00"; zero means "00" when
	// approved and "05" when not.
	ResponseCode [2]byte
	// IssuerAuthData is tag 91, 8 to 16 bytes, nil when absent.
	IssuerAuthData []byte
	// Scripts are the issuer script templates (71 and 72) as received in
	// field 55, in order.
	Scripts []byte
}

// onlineProcessing sends the authorisation request (Book 3 10.9). When
// the terminal cannot go online, completion decides with the default
// action codes.
func (k *kernel) onlineProcessing() error {
	k.begin(StepOnline)
	if k.cfg.Online == nil || k.cfg.Terminal.OfflineOnly() {
		k.unableOnline = true
		k.note("terminal cannot go online")
		return nil
	}
	f55, err := AppendField55(nil, k.field55Tags(), k.value)
	if err != nil {
		return k.fail(err)
	}
	req := &OnlineRequest{Transaction: k.txn, Field55: f55, OnlinePIN: k.res.OnlinePIN, EntryMode: EntryChip, value: k.value}
	resp, err := k.cfg.Online.Authorise(k.ctx, req)
	if errors.Is(err, ErrUnableToGoOnline) {
		k.unableOnline = true
		k.note("unable to go online: %v", err)
		return nil
	}
	if err != nil {
		return k.fail(err)
	}
	if resp == nil {
		return k.fail(errors.New("emv: Online returned no response"))
	}
	k.online = resp
	k.arc = resp.ResponseCode
	if k.arc == [2]byte{} {
		// A host that leaves out the response code: 00 or 05, so that
		// the card sees a code in the CDOL2 data.
		k.arc = [2]byte{'0', '5'}
		if resp.Approved {
			k.arc = [2]byte{'0', '0'}
		}
	}
	k.term[0x8A] = bytes.Clone(k.arc[:])
	k.note("issuer answered %q, approved %v", k.arc[:], resp.Approved)
	return nil
}

func (k *kernel) field55Tags() []tlv.Tag {
	if k.app != nil && k.app.Field55 != nil {
		return k.app.Field55
	}
	return DefaultField55Tags
}
