package iso8583

// A BatchUpload is an 0320 (0321 when Repeat): after an out-of-balance
// reconciliation the terminal uploads each transaction of the batch, and
// then sends the 0500 again. It requires fields 2, 3, 4, 11, 37, 41 and 42
// and may not carry track 2 or a PIN block. Original carries the
// transaction's original data elements (field 90) when set.
type BatchUpload struct {
	Transaction
	Original *OriginalData
	Repeat   bool
}

// Message builds and validates the 0320 or 0321.
func (r *BatchUpload) Message() (*Message, error) {
	mti := MTIBatchUpload
	if r.Repeat {
		mti = MTIBatchUploadRepeat
	}
	m := NewMessage(mti)
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

// ReadBatchUpload reads an 0320 or 0321.
func ReadBatchUpload(m *Message) (*BatchUpload, error) {
	r := &BatchUpload{Repeat: m.MTI.IsRepeat()}
	if err := readAs(m, &r.Transaction, MTIBatchUpload, MTIBatchUploadRepeat); err != nil {
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
