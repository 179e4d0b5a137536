package qr

import (
	"unicode/utf8"
)

// AppendPayload validates m under the strict rules and appends its payload
// to dst: every data object in order, templates written from their
// sub-objects, then the CRC (ID 63) computed over all of it. On error dst
// is returned unchanged.
func (m *MPM) AppendPayload(dst []byte) ([]byte, error) {
	return Options{}.AppendMPM(dst, m)
}

// AppendMPM validates m under the rules o and appends its payload to dst,
// as MPM.AppendPayload does.
func (o Options) AppendMPM(dst []byte, m *MPM) ([]byte, error) {
	if err := o.Validate(m); err != nil {
		return dst, err
	}
	start := len(dst)
	for _, obj := range m.Objects {
		dst = appendObject(dst, obj)
	}
	dst = append(dst, "6304"...)
	crc := updateCRC(0xFFFF, dst[start:])
	return appendHex4(dst, crc), nil
}

// appendObject appends one data object whose lengths Validate has checked.
func appendObject(dst []byte, o Object) []byte {
	dst = append(dst, '0'+byte(o.ID/10), '0'+byte(o.ID%10))
	if o.Sub == nil {
		dst = appendLen(dst, utf8.RuneCountInString(o.Value))
		return append(dst, o.Value...)
	}
	dst = appendLen(dst, encodedLen(o.Sub))
	for _, s := range o.Sub {
		dst = appendObject(dst, s)
	}
	return dst
}

func appendLen(dst []byte, n int) []byte {
	return append(dst, '0'+byte(n/10), '0'+byte(n%10))
}

// Payload returns the payload of m, as AppendPayload builds it.
func (m *MPM) Payload() (string, error) {
	b, err := m.AppendPayload(make([]byte, 0, 128))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// String returns the payload of m, as Payload builds it, or "" if m breaks
// a rule; Payload tells which.
func (m *MPM) String() string {
	s, _ := m.Payload()
	return s
}

// A Merchant holds what a merchant-presented payload says of the merchant
// and does not change from one payment to the next.
type Merchant struct {
	// Accounts are the merchant account information objects, IDs 02 to 51:
	// primitive for 02-25, templates with a globally unique identifier
	// (sub-ID 00) for 26-51.
	Accounts []Object
	// CategoryCode is the ISO 18245 merchant category code (52).
	CategoryCode string
	// Currency is the ISO 4217 numeric currency code (53), such as "978".
	Currency string
	// Country is the ISO 3166-1 alpha-2 country code (58).
	Country string
	// Name and City are the merchant name (59) and city (60).
	Name, City string
	// PostalCode is the postal code (61), if any.
	PostalCode string
	// Additional, if it has sub-objects, is the additional data field
	// template (62) of every payload: a store or terminal label.
	Additional []Object
}

// Static returns a static payload (point of initiation "11") for m: the
// consumer enters the amount.
func (m Merchant) Static() *MPM { return m.payload("11", "") }

// Dynamic returns a dynamic payload (point of initiation "12") for one
// transaction of the amount, written as ID 54 writes amounts (see
// FormatAmount).
func (m Merchant) Dynamic(amount string) *MPM { return m.payload("12", amount) }

func (m Merchant) payload(poi, amount string) *MPM {
	p := &MPM{Objects: make([]Object, 0, 10+len(m.Accounts))}
	p.Objects = append(p.Objects, Object{ID: IDPayloadFormat, Value: "01"}, Object{ID: IDPointOfInitiation, Value: poi})
	p.Objects = append(p.Objects, m.Accounts...)
	add := func(id ID, v string) {
		if v != "" {
			p.Objects = append(p.Objects, Object{ID: id, Value: v})
		}
	}
	add(IDMerchantCategoryCode, m.CategoryCode)
	add(IDCurrency, m.Currency)
	add(IDAmount, amount)
	add(IDCountry, m.Country)
	add(IDMerchantName, m.Name)
	add(IDMerchantCity, m.City)
	add(IDPostalCode, m.PostalCode)
	if len(m.Additional) > 0 {
		p.Objects = append(p.Objects, Object{ID: IDAdditionalData, Sub: m.Additional})
	}
	return p
}
