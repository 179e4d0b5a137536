package iso8583

import (
	"strconv"
	"strings"
	"time"
)

// A Transaction holds the data elements that the card-transaction message
// classes (authorization, financial, advice, reversal, batch upload and their
// responses) share. An empty string or a nil slice is an absent field;
// Amount is always sent by the classes that carry it, so a zero amount
// (a balance inquiry) is explicit.
//
// String masks the PAN and leaves out track data, the PIN block, the
// security control information and the chip data.
type Transaction struct {
	PAN             string // 2, n..19
	ProcessingCode  string // 3, n6: transaction type, from and to account
	Amount          int64  // 4, n12, minor units of Currency
	Transmitted     string // 7, n10 MMDDhhmmss UTC; see TransmissionTime
	STAN            string // 11, n6 systems trace audit number
	LocalTime       string // 12, n6 hhmmss
	LocalDate       string // 13, n4 MMDD
	Expiry          string // 14, n4 YYMM
	MerchantType    string // 18, n4 ISO 18245 merchant category code
	EntryMode       string // 22, n3 POS entry mode
	CardSequence    string // 23, n3 PAN sequence number
	NII             string // 24, n3 network international identifier (POS networks)
	Condition       string // 25, n2 POS condition code
	Acquirer        string // 32, n..11 acquiring institution
	Track2          string // 35, z..37
	RRN             string // 37, an12 retrieval reference number
	AuthCode        string // 38, an6 authorization identification response
	TerminalID      string // 41, ans8
	MerchantID      string // 42, ans15
	MerchantName    string // 43, ans40 name and location
	Currency        string // 49, n3 ISO 4217 numeric code
	PINBlock        []byte // 52, enciphered PIN block: 8 bytes (TDES) or 16 (AES); see Spec.VariablePINData
	SecurityControl []byte // 53, b..48, for example the DUKPT KSN
	ICC             []byte // 55, BER-TLV chip data, kept byte for byte
	Private         [4][]byte
	// Private holds fields 60 to 63 (ans...999), Private[0] being field 60.
}

// TransmissionTime formats t as field 7: MMDDhhmmss in UTC.
func TransmissionTime(t time.Time) string { return t.UTC().Format("0102150405") }

// LocalTime formats t as fields 12 (hhmmss) and 13 (MMDD) in t's location.
func LocalTime(t time.Time) (hhmmss, mmdd string) {
	return t.Format("150405"), t.Format("0102")
}

// amount returns n as a zero-padded numeric field of width w.
func amount(n int64, w int) (string, bool) {
	if n < 0 {
		return "", false
	}
	s := strconv.FormatInt(n, 10)
	if len(s) > w {
		return "", false
	}
	return zeros[:w-len(s)] + s, true
}

const zeros = "0000000000000000000000"

func parseAmount(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// fill writes the present fields of t into m. withAmount sends field 4.
// The characters of the text fields go into one buffer, with room for
// extra more bytes, which fill returns for the caller's own text fields.
// Track 2 gets an allocation of its own, so that no other field's value
// keeps it in memory.
func (t *Transaction) fill(m *Message, withAmount bool, extra int) (fieldBuf, error) {
	n := extra + len(t.PAN) + len(t.ProcessingCode) + len(t.Transmitted) + len(t.STAN) +
		len(t.LocalTime) + len(t.LocalDate) + len(t.Expiry) + len(t.MerchantType) +
		len(t.EntryMode) + len(t.CardSequence) + len(t.NII) + len(t.Condition) +
		len(t.Acquirer) + len(t.RRN) + len(t.AuthCode) + len(t.TerminalID) +
		len(t.MerchantID) + len(t.MerchantName) + len(t.Currency)
	if withAmount {
		n += 12
	}
	f := fieldBuf{b: make([]byte, 0, n)}
	f.setS(m, 2, t.PAN)
	f.setS(m, 3, t.ProcessingCode)
	if withAmount && !f.setAmount(m, 4, t.Amount, 12) {
		return f, &FieldError{Field: 4, Err: ErrInvalidField, Reason: "amount negative or over 12 digits"}
	}
	f.setS(m, 7, t.Transmitted)
	f.setS(m, 11, t.STAN)
	f.setS(m, 12, t.LocalTime)
	f.setS(m, 13, t.LocalDate)
	f.setS(m, 14, t.Expiry)
	f.setS(m, 18, t.MerchantType)
	f.setS(m, 22, t.EntryMode)
	f.setS(m, 23, t.CardSequence)
	f.setS(m, 24, t.NII)
	f.setS(m, 25, t.Condition)
	f.setS(m, 32, t.Acquirer)
	setS(m, 35, t.Track2)
	f.setS(m, 37, t.RRN)
	f.setS(m, 38, t.AuthCode)
	f.setS(m, 41, t.TerminalID)
	f.setS(m, 42, t.MerchantID)
	f.setS(m, 43, t.MerchantName)
	f.setS(m, 49, t.Currency)
	setB(m, 52, t.PINBlock)
	setB(m, 53, t.SecurityControl)
	setB(m, 55, t.ICC)
	for i, p := range t.Private {
		setB(m, 60+i, p)
	}
	return f, nil
}

// read fills t from m, and sets each of more to its field's text. The
// strings are copies, all of them but track 2 taken from one string (so
// that no other field keeps track 2 in memory); the byte slices alias m.
func (t *Transaction) read(m *Message, more ...textField) error {
	if v, ok := m.Field(4); ok {
		a, ok := parseAmount(v)
		if !ok {
			t.PAN = m.Text(2)
			t.ProcessingCode = m.Text(3)
			return &FieldError{Field: 4, Err: ErrInvalidField, Reason: "not an amount"}
		}
		t.Amount = a
	}
	// An array literal, not an append, so that escape analysis keeps t
	// where the caller has it (a Read function inlined into a handler
	// may keep the struct on its stack).
	fs := [...]textField{
		{id: 2, dst: &t.PAN},
		{id: 3, dst: &t.ProcessingCode},
		{id: 7, dst: &t.Transmitted},
		{id: 11, dst: &t.STAN},
		{id: 12, dst: &t.LocalTime},
		{id: 13, dst: &t.LocalDate},
		{id: 14, dst: &t.Expiry},
		{id: 18, dst: &t.MerchantType},
		{id: 22, dst: &t.EntryMode},
		{id: 23, dst: &t.CardSequence},
		{id: 24, dst: &t.NII},
		{id: 25, dst: &t.Condition},
		{id: 32, dst: &t.Acquirer},
		{id: 37, dst: &t.RRN},
		{id: 38, dst: &t.AuthCode},
		{id: 41, dst: &t.TerminalID},
		{id: 42, dst: &t.MerchantID},
		{id: 43, dst: &t.MerchantName},
		{id: 49, dst: &t.Currency},
	}
	m.readTexts(fs[:], more)
	t.Track2 = m.Text(35)
	t.PINBlock, _ = m.Field(52)
	t.SecurityControl, _ = m.Field(53)
	t.ICC, _ = m.Field(55)
	for i := range t.Private {
		t.Private[i], _ = m.Field(60 + i)
	}
	return nil
}

// A textField names a field for readTexts and the string to set to its
// text.
type textField struct {
	id  int
	dst *string
	v   []byte // the value, found by readTexts
}

// readTexts sets *f.dst, for each f of the lists, to the text of field
// f.id, or "" if it is absent, as Text would, but converting all the
// values to one string with one allocation and slicing it. Strings are
// immutable, so later changes to m do not reach them.
func (m *Message) readTexts(lists ...[]textField) {
	n := 0
	for _, fs := range lists {
		for i := range fs {
			fs[i].v, _ = m.Field(fs[i].id)
			n += len(fs[i].v)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, fs := range lists {
		for _, f := range fs {
			b.Write(f.v)
		}
	}
	s := b.String()
	for _, fs := range lists {
		for _, f := range fs {
			if len(f.v) == 0 {
				*f.dst = ""
				continue
			}
			*f.dst, s = s[:len(f.v)], s[len(f.v):]
		}
	}
}

func setS(m *Message, id int, s string) {
	if s != "" {
		m.SetString(id, s)
	}
}

func setB(m *Message, id int, b []byte) {
	if b != nil {
		m.Set(id, b)
	}
}

// A fieldBuf holds the values that a typed message's Message method sets
// from strings, so that they take one allocation rather than one each.
// Each value is a full slice expression, so that appending to one copies
// it rather than writing over the next. The buffer is made with room for
// all the values; should it be short, append makes a new one and the
// values set before keep the old.
type fieldBuf struct{ b []byte }

// setS sets field id of m to the characters of s, if s is not empty.
func (f *fieldBuf) setS(m *Message, id int, s string) {
	if s != "" {
		i := len(f.b)
		f.b = append(f.b, s...)
		m.Set(id, f.b[i:len(f.b):len(f.b)])
	}
}

// setAmount sets field id of m to n in decimal, zero-padded to w digits,
// and reports whether n fits: not negative and at most w digits.
func (f *fieldBuf) setAmount(m *Message, id int, n int64, w int) bool {
	if n < 0 {
		return false
	}
	var d [20]byte
	digits := strconv.AppendInt(d[:0], n, 10)
	if len(digits) > w {
		return false
	}
	i := len(f.b)
	f.b = append(f.b, zeros[:w-len(digits)]...)
	f.b = append(f.b, digits...)
	m.Set(id, f.b[i:len(f.b):len(f.b)])
	return true
}

// String describes t with the PAN masked and no sensitive data.
func (t Transaction) String() string {
	s := "iso8583.Transaction{PAN:" + MaskPAN(t.PAN) + " Proc:" + t.ProcessingCode +
		" Amount:" + strconv.FormatInt(t.Amount, 10) + " Currency:" + t.Currency +
		" STAN:" + t.STAN + " TID:" + t.TerminalID
	if t.Track2 != "" {
		s += " Track2:present"
	}
	if t.PINBlock != nil {
		s += " PINBlock:present"
	}
	if t.ICC != nil {
		s += " ICC:" + strconv.Itoa(len(t.ICC)) + "B"
	}
	return s + "}"
}

// GoString is String, so that %#v does not print card data.
func (t Transaction) GoString() string { return t.String() }
