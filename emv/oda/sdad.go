package oda

// An SDAD is signed dynamic application data (tag 9F4B) recovered with
// the ICC public key (EMV 4.4 Book 2 6.5 and 6.6). It is
// produced by VerifyDDA, VerifyFDDA and VerifyCDA.
type SDAD struct {
	// Raw is the signature as received; Recovered is the recovered data,
	// N_IC bytes from header 6A to trailer BC. The other slices alias
	// Recovered.
	Raw           []byte
	Recovered     []byte
	HashAlgorithm byte
	// DynamicData is the ICC dynamic data, L_DD bytes.
	DynamicData []byte
	// IDN is the ICC dynamic number, which the terminal stores in 9F4C.
	IDN  []byte
	Hash []byte

	// CDA only: the cryptogram information data, the application
	// cryptogram (9F26; for CDA the card may return it only here) and the
	// transaction data hash code carried in the ICC dynamic data (Book 2
	// 6.6).
	CID  byte
	AC   []byte
	TDHC []byte
}

// recoverSDAD recovers signed dynamic application data and checks its
// framing: length, trailer BC, header 6A, format 05, hash algorithm
// indicator 01, an ICC dynamic data length that fits (L_DD <= N_IC-25)
// and an ICC dynamic number of 2 to 8 bytes inside it.
func recoverSDAD(icc *PublicKey, sdad []byte) (*SDAD, error) {
	const item = ItemSDAD
	rec, err := icc.recoverItem(item, sdad, 0x05)
	if err != nil {
		return nil, err
	}
	n := len(rec)
	s := &SDAD{Raw: sdad, Recovered: rec, HashAlgorithm: rec[2], Hash: rec[n-21 : n-1]}
	if s.HashAlgorithm != hashSHA1 {
		return nil, fail(item, ErrHashAlgorithm, "indicator "+hexByte(s.HashAlgorithm))
	}
	ldd := int(rec[3])
	if ldd > n-25 {
		return nil, fail(item, ErrDynamicData, "length exceeds the signature")
	}
	s.DynamicData = rec[4 : 4+ldd]
	if ldd < 1 {
		return nil, fail(item, ErrDynamicData, "no ICC dynamic number")
	}
	idnLen := int(s.DynamicData[0])
	if idnLen < 2 || idnLen > 8 || idnLen+1 > ldd {
		return nil, fail(item, ErrDynamicData, "ICC dynamic number length out of range")
	}
	s.IDN = s.DynamicData[1 : 1+idnLen]
	return s, nil
}

// checkHash verifies the SDAD hash over format .. pad pattern followed by
// the terminal data (Book 2 6.5.2, 6.6.2).
func (s *SDAD) checkHash(terminalData ...[]byte) error {
	parts := make([]([]byte), 0, 4)
	parts = append(parts, s.Recovered[1:len(s.Recovered)-21])
	parts = append(parts, terminalData...)
	return checkHash(ItemSDAD, s.Hash, parts...)
}
