package oda

// FDDA is the terminal data that fast dynamic data authentication signs
// (EMV Contactless Book C-3, kernel 3, fDDA): the signature returned with
// GET PROCESSING OPTIONS covers the unpredictable number alone in fDDA
// version 00, and in version 01 also the amount, the currency and the
// card authentication related data.
type FDDA struct {
	// UN is the terminal's unpredictable number (9F37), 4 bytes.
	UN []byte
	// Amount is the amount authorised (9F02), 6 bytes; version 01 only.
	Amount []byte
	// Currency is the transaction currency code (5F2A), 2 bytes; version
	// 01 only.
	Currency []byte
	// CardAuthData is the card authentication related data (9F69) as
	// returned by the card. Its first byte is the fDDA version number;
	// when it is absent the version is 00.
	CardAuthData []byte
}

// Version returns the fDDA version number: 00 without card
// authentication related data, otherwise its first byte.
func (d *FDDA) Version() byte {
	if len(d.CardAuthData) == 0 {
		return 0
	}
	return d.CardAuthData[0]
}

// appendTerminalData appends the data fDDA hashes after the signed
// fields, checking every length.
func (d *FDDA) appendTerminalData(dst []byte) ([]byte, error) {
	if len(d.UN) != 4 {
		return nil, fail(ItemSDAD, ErrTerminalData, "unpredictable number must be 4 bytes")
	}
	switch d.Version() {
	case 0x00:
		return append(dst, d.UN...), nil
	case 0x01:
		if len(d.Amount) != 6 || len(d.Currency) != 2 {
			return nil, fail(ItemSDAD, ErrTerminalData, "fDDA 01 needs a 6-byte amount and a 2-byte currency code")
		}
		dst = append(dst, d.UN...)
		dst = append(dst, d.Amount...)
		dst = append(dst, d.Currency...)
		return append(dst, d.CardAuthData...), nil
	}
	return nil, fail(ItemSDAD, ErrTerminalData, "fDDA version "+hexByte(d.Version()))
}

// VerifyFDDA performs fast dynamic data authentication: the checks of
// VerifyDDA with the terminal data of the fDDA version in d (00 or 01) in
// place of the DDOL data. An unknown version or terminal data of the
// wrong length is ErrTerminalData.
func VerifyFDDA(icc *PublicKey, sdad []byte, d FDDA) (*SDAD, error) {
	var buf [64]byte
	td, err := d.appendTerminalData(buf[:0])
	if err != nil {
		return nil, err
	}
	s, err := recoverSDAD(icc, sdad)
	if err != nil {
		return nil, err
	}
	if err := s.checkHash(td); err != nil {
		return nil, err
	}
	return s, nil
}
