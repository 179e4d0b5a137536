package oda

// VerifyDDA performs dynamic data authentication (EMV 4.4 Book 2 6.5.2):
// it recovers the signed dynamic application data returned by INTERNAL
// AUTHENTICATE with the ICC public key and checks, in order, its length
// (ErrLength), trailer BC (ErrTrailer), header 6A (ErrHeader), format 05
// (ErrFormat), hash algorithm indicator 01 (ErrHashAlgorithm), the ICC
// dynamic data lengths (ErrDynamicData) and the SHA-1 over format .. pad
// pattern || ddolData against the recovered hash (ErrHash). ddolData is
// the concatenated DDOL data sent with INTERNAL AUTHENTICATE, exactly as
// sent.
func VerifyDDA(icc *PublicKey, sdad, ddolData []byte) (*SDAD, error) {
	s, err := recoverSDAD(icc, sdad)
	if err != nil {
		return nil, err
	}
	if err := s.checkHash(ddolData); err != nil {
		return nil, err
	}
	return s, nil
}
