package oda

// An SSAD is signed static application data (tag 93) recovered with the
// issuer public key and verified (EMV 4.4 Book 2 5.4).
type SSAD struct {
	// Raw is the signature as received; Recovered is the recovered data,
	// N_I bytes from header 6A to trailer BC. Hash aliases Recovered.
	Raw           []byte
	Recovered     []byte
	HashAlgorithm byte
	// DAC is the data authentication code, which the terminal stores in
	// 9F45.
	DAC  [2]byte
	Hash []byte
}

// VerifySSAD performs static data authentication (Book 2 5.4): it
// recovers the signed static application data with the issuer public key
// and checks, in order, its length (ErrLength), trailer BC (ErrTrailer),
// header 6A (ErrHeader), format 03 (ErrFormat), hash algorithm indicator
// 01 (ErrHashAlgorithm), and the SHA-1 over format .. pad pattern ||
// staticData against the recovered hash (ErrHash). staticData is the
// static data to be authenticated exactly as read (Book 3 10.3).
func VerifySSAD(issuer *PublicKey, ssad, staticData []byte) (*SSAD, error) {
	const item = ItemSSAD
	rec, err := issuer.recoverItem(item, ssad, 0x03)
	if err != nil {
		return nil, err
	}
	n := len(rec)
	s := &SSAD{Raw: ssad, Recovered: rec, HashAlgorithm: rec[2], DAC: [2]byte{rec[3], rec[4]}, Hash: rec[n-21 : n-1]}
	if s.HashAlgorithm != hashSHA1 {
		return nil, fail(item, ErrHashAlgorithm, "indicator "+hexByte(s.HashAlgorithm))
	}
	if err := checkHash(item, s.Hash, rec[1:n-21], staticData); err != nil {
		return nil, err
	}
	return s, nil
}
