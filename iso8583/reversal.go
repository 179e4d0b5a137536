package iso8583

import "strings"

// OriginalData is field 90, the original data elements (n42) that tie a
// reversal or an upload to the transaction it concerns: the original MTI,
// STAN, transmission date and time, and acquiring and forwarding
// institution codes (each right-justified in 11 digits).
type OriginalData struct {
	MTI         MTI
	STAN        string // n6
	Transmitted string // n10 MMDDhhmmss
	Acquirer    string // n..11
	Forwarding  string // n..11
}

func (o OriginalData) field() (string, error) {
	if !o.MTI.Valid() || len(o.STAN) != 6 || len(o.Transmitted) != 10 || len(o.Acquirer) > 11 || len(o.Forwarding) > 11 {
		return "", &FieldError{Field: 90, Err: ErrInvalidField, Reason: "original data elements out of format"}
	}
	v := string(o.MTI) + o.STAN + o.Transmitted + zeros[:11-len(o.Acquirer)] + o.Acquirer + zeros[:11-len(o.Forwarding)] + o.Forwarding
	if !classN.valid([]byte(v)) {
		return "", &FieldError{Field: 90, Err: ErrInvalidField, Reason: "original data elements not numeric"}
	}
	return v, nil
}

func parseOriginal(v []byte) (OriginalData, error) {
	if len(v) != 42 || !classN.valid(v) {
		return OriginalData{}, &FieldError{Field: 90, Err: ErrInvalidField, Reason: "want 42 digits"}
	}
	s := string(v)
	return OriginalData{
		MTI:         MTI(s[0:4]),
		STAN:        s[4:10],
		Transmitted: s[10:20],
		Acquirer:    trimZeros(s[20:31]),
		Forwarding:  trimZeros(s[31:42]),
	}, nil
}

func trimZeros(s string) string {
	return strings.TrimLeft(s, "0")
}

// A Reversal is an 0400 (reversal request) or an 0420 (reversal advice),
// with the repeats 0401 and 0421. It cancels an earlier authorization or
// financial transaction. Host interfaces name the original in field 90
// (Original); terminal protocols often match by STAN and terminal alone, so
// Original may be nil. It requires fields 2, 3, 4, 11 and 41 and may not
// carry track 2 or a PIN block, since it is stored and forwarded until the
// host acknowledges it.
type Reversal struct {
	Transaction
	Original *OriginalData
	Advice   bool // 0420 rather than 0400
	Repeat   bool // 0401 or 0421
}

// MTI returns the message type the reversal is sent as.
func (r *Reversal) MTI() MTI {
	mti := MTIReversalRequest
	if r.Advice {
		mti = MTIReversalAdvice
	}
	if r.Repeat {
		mti = mti.Repeat()
	}
	return mti
}

// Message builds and validates the reversal.
func (r *Reversal) Message() (*Message, error) {
	m := NewMessage(r.MTI())
	extra := 0
	if r.Original != nil {
		extra = 42
	}
	f, err := r.fill(m, true, extra)
	if err != nil {
		return nil, err
	}
	if r.Original != nil {
		v, err := r.Original.field()
		if err != nil {
			return nil, err
		}
		f.setS(m, 90, v)
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// ReadReversal reads an 0400, 0401, 0420 or 0421.
func ReadReversal(m *Message) (*Reversal, error) {
	r := &Reversal{Advice: m.MTI.Original() == MTIReversalAdvice, Repeat: m.MTI.IsRepeat()}
	if err := readAs(m, &r.Transaction, MTIReversalRequest, MTIReversalRequestRepeat, MTIReversalAdvice, MTIReversalAdviceRepeat); err != nil {
		return nil, err
	}
	if v, ok := m.Field(90); ok {
		o, err := parseOriginal(v)
		if err != nil {
			return nil, err
		}
		r.Original = &o
	}
	return r, nil
}

// NewReversal returns the reversal of the authorization or financial
// request orig (0100, 0200 or a repeat): the same card, amount, STAN and
// terminal, with field 90 naming the original. The PAN comes from field 2
// or, failing that, from track 2; track 2, the PIN block and the chip data
// are left out, because a reversal may be stored until acknowledged.
// advice selects 0420 over 0400.
func NewReversal(orig *Message, advice bool) (*Reversal, error) {
	switch orig.MTI.Original() {
	case MTIAuthorizationRequest, MTIFinancialRequest:
	default:
		return nil, &FieldError{Field: 0, Err: ErrInvalidMTI, Reason: "only 0100 and 0200 are reversed"}
	}
	var t Transaction
	if err := t.read(orig); err != nil {
		return nil, err
	}
	if t.PAN == "" {
		t.PAN = panFromTrack2(t.Track2)
	}
	t.Track2, t.PINBlock, t.ICC, t.AuthCode = "", nil, nil, ""
	r := &Reversal{
		Transaction: t,
		Advice:      advice,
		Original: &OriginalData{
			MTI:         orig.MTI.Original(),
			STAN:        t.STAN,
			Transmitted: t.Transmitted,
			Acquirer:    t.Acquirer,
		},
	}
	if len(r.Original.Transmitted) != 10 || len(r.Original.STAN) != 6 {
		// Without field 7 (as terminals send) field 90 cannot be built;
		// the reversal is matched by STAN and terminal instead.
		r.Original = nil
	}
	return r, nil
}

func panFromTrack2(t2 string) string {
	if i := strings.IndexByte(t2, '='); i > 0 {
		return t2[:i]
	}
	return ""
}
