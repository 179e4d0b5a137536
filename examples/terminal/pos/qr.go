package pos

import (
	"fmt"
	"io"

	"github.com/posflow/posflow/emv/qr"
)

// QRAccount is the merchant account information template the terminal
// puts in its QR codes when Config has none: template 26 under a private
// globally unique identifier, with the merchant ID.
const QRAccount = "com.posflow.demo"

// QRPayload returns the dynamic merchant-presented QR payload (EMV QRCPS
// MPM v1.1, point of initiation 12) for amount in minor units: the
// alternative to a card that the terminal can show on its screen.
func (t *Terminal) QRPayload(amount uint64) (string, error) {
	m := t.cfg.Merchant
	a, err := qr.FormatAmount(int64(amount), t.cfg.Exponent)
	if err != nil {
		return "", fmt.Errorf("pos: QR amount: %w", err)
	}
	shop := qr.Merchant{
		Accounts: []qr.Object{{ID: 26, Sub: []qr.Object{
			{ID: qr.IDGUI, Value: QRAccount},
			{ID: 1, Value: m.ID},
		}}},
		CategoryCode: m.Category,
		Currency:     t.cfg.Currency,
		Country:      m.Country,
		Name:         m.Name,
		City:         m.City,
		Additional:   []qr.Object{{ID: qr.IDTerminalLabel, Value: t.cfg.TerminalID}},
	}
	return shop.Dynamic(a).Payload()
}

// ShowQR draws the dynamic QR code for amount on w, as the terminal's
// "pay by QR" screen: the symbol in Unicode half blocks, then the amount
// and the payload.
func (t *Terminal) ShowQR(w io.Writer, amount uint64) error {
	p, err := t.QRPayload(amount)
	if err != nil {
		return err
	}
	if err := qr.RenderTerminal(w, p); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "scan to pay %s to %s\npayload: %s\n", t.FormatAmount(amount), t.cfg.Merchant.Name, p)
	return err
}
