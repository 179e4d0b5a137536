package acquirer

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/posflow/posflow/iso8583"
)

// network answers an 0800: sign-on (001), sign-off (002), echo test (301)
// and key exchange (161). A key exchange answers, in field 48, the new MAC
// key enciphered under the terminal master key (32 hexadecimal characters)
// followed by its check value (6); the 0810 itself is signed with the old
// key, and the host accepts the old key until the terminal first uses the
// new one.
func (h *Host) network(ctx context.Context, req *iso8583.Message) *iso8583.Message {
	r, resp := h.begin(ctx, req)
	if resp != nil {
		return resp
	}
	n, err := iso8583.ReadNetworkRequest(req)
	if err != nil {
		r.log.Warn("acquirer: invalid message", "err", err)
		return r.record(KindRefused, iso8583.FormatError)
	}
	dig := digest("", string(n.Code), n.ProcessingCode)
	return r.update(func(tx Tx) (*iso8583.Message, error) {
		if e, err := tx.Lookup(r.requestKey()); err == nil {
			return r.duplicate(tx, e, dig)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		code, additional := iso8583.Approved, ""
		switch n.Code {
		case iso8583.SignOn, iso8583.SignOff, iso8583.Echo, "":
		case iso8583.KeyChange:
			enc, kcv, err := h.hsm.ChangeMACKey(r.terminal.ID)
			if err != nil {
				r.log.Warn("acquirer: key exchange refused", "err", err)
				code = iso8583.SecurityViolation
				break
			}
			additional = strings.ToUpper(hex.EncodeToString(enc) + hex.EncodeToString(kcv))
			r.log.Info("acquirer: new MAC key", "kcv", strings.ToUpper(hex.EncodeToString(kcv)))
		default:
			code = iso8583.InvalidTransaction
		}
		resp := r.respond(code, func(resp *iso8583.Response) { resp.Additional = additional })
		e := &Entry{Kind: KindNetwork, Processing: n.ProcessingCode, Digest: dig}
		return resp, r.journal(tx, e, resp)
	})
}
