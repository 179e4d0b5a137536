package qr

import "unicode/utf8"

// Validate checks the data objects of m under the strict rules of the zero
// Options.
func (m *MPM) Validate() error { return Options{}.Validate(m) }

// Validate checks the data objects of m against the rules of EMVCo MPM v1.1
// that do not depend on the encoding:
//
//   - 00 is first and is "01"; 01, if present, is "11" (static) or "12"
//     (dynamic); no ID repeats at a level; the CRC (63) is not among the
//     objects;
//   - at least one merchant account information object (02-51); the
//     templates 26-51 and 80-99 hold a globally unique identifier (sub-ID
//     00);
//   - 52 is four digits, 53 three digits, 58 two upper-case letters, 59 up
//     to 25 characters, 60 up to 15, 61 up to 10;
//   - 54 and 56 are amounts: up to 13 characters, digits with at most one
//     "." as the decimal mark, beginning with a digit;
//   - 55 is "01" (prompt for a tip), "02" (fixed convenience fee, with 56)
//     or "03" (percentage convenience fee, with 57), and 56 and 57 appear
//     only with their indicator; 57 is a percentage from 0.01 to 99.99 in
//     up to 5 characters;
//   - 62 holds sub-IDs 01-08 of up to 25 characters, 09 of up to three of
//     "A", "M" and "E", each at most once, and templates 50-99 with a
//     globally unique identifier; sub-IDs 10-49 are left to future
//     versions and not checked;
//   - 64 holds a language (00, two letters) and a merchant name in it (01),
//     and optionally a city (02, up to 15 characters);
//   - every value is from 1 to 99 characters long, templates included.
//
// With o.Lenient, the mandatory objects other than 00 may be absent.
// The presence of 54 in a static payload is not checked: schemes differ.
func (o Options) Validate(m *MPM) error {
	if len(m.Objects) == 0 || m.Objects[0].ID != IDPayloadFormat {
		return objErr(noParent, IDPayloadFormat, -1, ErrOrder, "payload does not begin with 00")
	}
	var seen idSet
	for _, obj := range m.Objects {
		if obj.ID > 99 {
			return objErr(noParent, obj.ID, -1, ErrID, "")
		}
		if seen.has(obj.ID) {
			return objErr(noParent, obj.ID, -1, ErrDuplicate, "")
		}
		seen.add(obj.ID)
		if err := checkObject(obj); err != nil {
			return err
		}
	}
	if !o.Lenient {
		account := false
		for id := IDMerchantAccountFirst; id <= IDMerchantAccountLast; id++ {
			account = account || seen.has(id)
		}
		if !account {
			return &ObjectError{Path: "02-51", Offset: -1, Err: ErrMissing, Detail: "no merchant account information"}
		}
		for _, id := range [...]ID{IDMerchantCategoryCode, IDCurrency, IDCountry, IDMerchantName, IDMerchantCity} {
			if !seen.has(id) {
				return objErr(noParent, id, -1, ErrMissing, "")
			}
		}
	}
	// Tip or convenience indicator rules.
	ind := m.Value(IDTipIndicator)
	if seen.has(IDConvenienceFeeFixed) != (ind == "02") {
		if ind == "02" {
			return objErr(noParent, IDConvenienceFeeFixed, -1, ErrMissing, "55 is 02")
		}
		return objErr(noParent, IDConvenienceFeeFixed, -1, ErrUnexpected, "55 is not 02")
	}
	if seen.has(IDConvenienceFeePercentage) != (ind == "03") {
		if ind == "03" {
			return objErr(noParent, IDConvenienceFeePercentage, -1, ErrMissing, "55 is 03")
		}
		return objErr(noParent, IDConvenienceFeePercentage, -1, ErrUnexpected, "55 is not 03")
	}
	return nil
}

// checkObject checks the format of one top-level data object.
func checkObject(obj Object) error {
	id := obj.ID
	if id == IDCRC {
		return objErr(noParent, id, -1, ErrOrder, "the CRC is computed, not set")
	}
	if id.IsTemplate() {
		return checkTemplate(noParent, obj)
	}
	if obj.Sub != nil {
		return objErr(noParent, id, -1, ErrUnexpected, "sub-objects in a primitive data object")
	}
	v := obj.Value
	if err := checkLen(noParent, id, v, 99); err != nil {
		return err
	}
	bad := func(detail string) error { return objErr(noParent, id, -1, ErrFormat, detail) }
	switch id {
	case IDPayloadFormat:
		if v != "01" {
			return bad(`want "01"`)
		}
	case IDPointOfInitiation:
		if v != "11" && v != "12" {
			return bad(`want "11" (static) or "12" (dynamic)`)
		}
	case IDMerchantCategoryCode:
		if len(v) != 4 || !digits(v) {
			return bad("want 4 digits")
		}
	case IDCurrency:
		if len(v) != 3 || !digits(v) {
			return bad("want 3 digits")
		}
	case IDAmount, IDConvenienceFeeFixed:
		if len(v) > 13 || !amount(v) {
			return bad("want an amount of up to 13 characters, digits and one optional '.'")
		}
	case IDTipIndicator:
		if v != "01" && v != "02" && v != "03" {
			return bad(`want "01", "02" or "03"`)
		}
	case IDConvenienceFeePercentage:
		if len(v) > 5 || !amount(v) || !percentage(v) {
			return bad("want a percentage from 0.01 to 99.99 in up to 5 characters")
		}
	case IDCountry:
		if len(v) != 2 || !upper(v) {
			return bad("want an ISO 3166-1 alpha-2 code")
		}
	case IDMerchantName:
		return checkLen(noParent, id, v, 25)
	case IDMerchantCity:
		return checkLen(noParent, id, v, 15)
	case IDPostalCode:
		return checkLen(noParent, id, v, 10)
	}
	return nil
}

// checkTemplate checks a template and its sub-objects. parent is the
// template holding t, or noParent for a top-level template.
func checkTemplate(parent ID, t Object) error {
	name := t.ID
	if t.Sub == nil && t.Value != "" {
		// A template given as its encoded value only: parse it, so that the
		// same rules apply.
		sub, err := parseTemplate(Cursor{s: t.Value, parent: t.ID}, t.ID)
		if err != nil {
			if e, ok := err.(*ObjectError); ok {
				e.Offset = -1 // relative to the value, not to a payload
			}
			return err
		}
		t.Sub = sub
	}
	if len(t.Sub) == 0 {
		return objErr(parent, name, -1, ErrFormat, "empty template")
	}
	if n := encodedLen(t.Sub); n > 99 {
		return objErr(parent, name, -1, ErrFormat, "template longer than 99 characters")
	}
	p := func(id ID) string {
		if parent == noParent {
			return name.String() + "." + id.String()
		}
		return parent.String() + "." + name.String() + "." + id.String()
	}
	errf := func(id ID, err error, detail string) error {
		return &ObjectError{Path: p(id), Offset: -1, Err: err, Detail: detail}
	}
	var seen idSet
	for _, s := range t.Sub {
		if s.ID > 99 {
			return errf(s.ID, ErrID, "")
		}
		if seen.has(s.ID) {
			return errf(s.ID, ErrDuplicate, "")
		}
		seen.add(s.ID)
		if parent == noParent && subTemplate(name, s.ID) {
			if err := checkTemplate(name, s); err != nil {
				return err
			}
			continue
		}
		if s.Sub != nil {
			return errf(s.ID, ErrUnexpected, "sub-objects in a primitive data object")
		}
		if n := utf8.RuneCountInString(s.Value); n == 0 || n > 99 || !utf8.ValidString(s.Value) {
			return errf(s.ID, ErrFormat, "want 1 to 99 characters")
		}
		max := 99
		top := parent == noParent
		switch {
		case top && name == IDAdditionalData && s.ID >= IDBillNumber && s.ID <= IDPurposeOfTransaction:
			max = 25
		case top && name == IDAdditionalData && s.ID == IDConsumerDataRequest:
			if !consumerDataRequest(s.Value) {
				return errf(s.ID, ErrFormat, `want up to three of "A", "M", "E", each once`)
			}
		case top && name == IDLanguageTemplate && s.ID == IDLanguagePreference:
			if len(s.Value) != 2 || !letters(s.Value) {
				return errf(s.ID, ErrFormat, "want an ISO 639-1 alpha-2 code")
			}
		case top && name == IDLanguageTemplate && s.ID == IDAlternateName:
			max = 25
		case top && name == IDLanguageTemplate && s.ID == IDAlternateCity:
			max = 15
		}
		if utf8.RuneCountInString(s.Value) > max {
			return errf(s.ID, ErrFormat, "longer than its maximum")
		}
	}
	switch {
	case parent == noParent && name == IDLanguageTemplate:
		if !seen.has(IDLanguagePreference) {
			return errf(IDLanguagePreference, ErrMissing, "")
		}
		if !seen.has(IDAlternateName) {
			return errf(IDAlternateName, ErrMissing, "")
		}
	case name == IDAdditionalData && parent == noParent:
	default:
		// Merchant account information 26-51, unreserved 80-99 and
		// payment system specific 62.50-99 templates.
		if !seen.has(IDGUI) {
			return errf(IDGUI, ErrMissing, "globally unique identifier")
		}
	}
	return nil
}

// checkLen checks that v is valid UTF-8 of 1 to max characters.
func checkLen(parent, id ID, v string, max int) error {
	if !utf8.ValidString(v) {
		return objErr(parent, id, -1, ErrUTF8, "")
	}
	if n := utf8.RuneCountInString(v); n == 0 || n > max {
		return objErr(parent, id, -1, ErrFormat, "want 1 to "+itoa(max)+" characters")
	}
	return nil
}

// encodedLen returns the number of characters of the encoding of objs.
func encodedLen(objs []Object) int {
	n := 0
	for _, o := range objs {
		n += 4
		if o.Sub != nil {
			n += encodedLen(o.Sub)
		} else {
			n += utf8.RuneCountInString(o.Value)
		}
	}
	return n
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func upper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func consumerDataRequest(s string) bool {
	if len(s) == 0 || len(s) > 3 {
		return false
	}
	var seen [3]bool
	for i := 0; i < len(s); i++ {
		k := -1
		switch s[i] {
		case 'A':
			k = 0
		case 'M':
			k = 1
		case 'E':
			k = 2
		}
		if k < 0 || seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
