package iso8583

import (
	"strconv"
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
func (t *Transaction) fill(m *Message, withAmount bool) error {
	setS(m, 2, t.PAN)
	setS(m, 3, t.ProcessingCode)
	if withAmount {
		a, ok := amount(t.Amount, 12)
		if !ok {
			return &FieldError{Field: 4, Err: ErrInvalidField, Reason: "amount negative or over 12 digits"}
		}
		m.SetString(4, a)
	}
	setS(m, 7, t.Transmitted)
	setS(m, 11, t.STAN)
	setS(m, 12, t.LocalTime)
	setS(m, 13, t.LocalDate)
	setS(m, 14, t.Expiry)
	setS(m, 18, t.MerchantType)
	setS(m, 22, t.EntryMode)
	setS(m, 23, t.CardSequence)
	setS(m, 24, t.NII)
	setS(m, 25, t.Condition)
	setS(m, 32, t.Acquirer)
	setS(m, 35, t.Track2)
	setS(m, 37, t.RRN)
	setS(m, 38, t.AuthCode)
	setS(m, 41, t.TerminalID)
	setS(m, 42, t.MerchantID)
	setS(m, 43, t.MerchantName)
	setS(m, 49, t.Currency)
	setB(m, 52, t.PINBlock)
	setB(m, 53, t.SecurityControl)
	setB(m, 55, t.ICC)
	for i, p := range t.Private {
		setB(m, 60+i, p)
	}
	return nil
}

// read fills t from m. The strings are copies; the byte slices alias m.
func (t *Transaction) read(m *Message) error {
	t.PAN = m.Text(2)
	t.ProcessingCode = m.Text(3)
	if v, ok := m.Field(4); ok {
		a, ok := parseAmount(v)
		if !ok {
			return &FieldError{Field: 4, Err: ErrInvalidField, Reason: "not an amount"}
		}
		t.Amount = a
	}
	t.Transmitted = m.Text(7)
	t.STAN = m.Text(11)
	t.LocalTime = m.Text(12)
	t.LocalDate = m.Text(13)
	t.Expiry = m.Text(14)
	t.MerchantType = m.Text(18)
	t.EntryMode = m.Text(22)
	t.CardSequence = m.Text(23)
	t.NII = m.Text(24)
	t.Condition = m.Text(25)
	t.Acquirer = m.Text(32)
	t.Track2 = m.Text(35)
	t.RRN = m.Text(37)
	t.AuthCode = m.Text(38)
	t.TerminalID = m.Text(41)
	t.MerchantID = m.Text(42)
	t.MerchantName = m.Text(43)
	t.Currency = m.Text(49)
	t.PINBlock, _ = m.Field(52)
	t.SecurityControl, _ = m.Field(53)
	t.ICC, _ = m.Field(55)
	for i := range t.Private {
		t.Private[i], _ = m.Field(60 + i)
	}
	return nil
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
