// Package oda implements offline data authentication as specified by EMV
// 4.4 Book 2 (Security and Key Management), sections 5 to 7: the checks a
// terminal makes on a card's RSA certificates and signatures, and the
// signing side that produces them for test cards.
//
// # Terminal side
//
// A terminal holds the certification authority public keys of the
// schemes it accepts, by RID and index (section 5.1): [CAPK],
// checked against its SHA-1 checksum, kept in a [Store] that refuses a
// second key with the same RID and index. [ParseCAPKs] and [LoadStore]
// read keys from JSON; [TestKeys] returns the published test keys of
// Visa, Mastercard and American Express, which ship with the package.
//
// Certificates are checked in two calls that follow Book 2's steps.
// Recovery (RSA without padding, then length, trailer BC, header 6A and
// format) returns the parsed fields; Verify makes the remaining checks
// against the remainder and exponent read from the card and the
// terminal's [Checks] (PAN, transaction date, revocation list) and returns
// the certified [PublicKey]:
//
//   - [RecoverIssuerCertificate] and [IssuerCertificate.Verify]: the issuer
//     public key certificate (90) under a CA key (section 5.3);
//   - [RecoverICCCertificate] and [ICCCertificate.Verify]: the ICC public
//     key certificate (9F46), whose hash covers the static data to be
//     authenticated (section 6.4);
//   - [RecoverICCPINCertificate]: the ICC PIN encipherment public key
//     certificate (9F2D), whose hash does not (section 7.1); its Verify
//     takes nil static data.
//
// [AppendStaticData] and [AppendSDATagList] build the static data to be
// authenticated from the records as received (EMV 4.4 Book 3 10.3).
//
// Signatures are then checked with the certified keys:
//
//   - [VerifySSAD]: static data authentication, signed static
//     application data (93) and its data authentication code (5.4);
//   - [VerifyDDA]: dynamic data authentication, the signed dynamic
//     application data returned to INTERNAL AUTHENTICATE (6.5);
//   - [VerifyFDDA]: fast DDA of Book C-3 (kernel 3), versions 00 and 01;
//   - [VerifyCDA]: combined DDA/application cryptogram generation, with
//     the transaction data hash code over the PDOL data, the CDOL data and
//     the GENERATE AC response objects except 9F4B (6.6);
//     [TransactionDataHash] computes that code alone.
//
// Every failing check is an [*Error] naming the data object ([Item]) and
// wrapping a sentinel error distinct for each step — [ErrTrailer],
// [ErrHeader], [ErrFormat], [ErrHashAlgorithm], [ErrKeyLength],
// [ErrRemainder], [ErrExponent], [ErrHash], [ErrIssuerID], [ErrPAN],
// [ErrExpiryDate], [ErrExpired], [ErrRevoked], [ErrKeyAlgorithm],
// [ErrDynamicData], [ErrCID], [ErrTransactionDataHash] — so that a kernel
// can set the right TVR bit and a log can say which step failed. Errors
// never hold a PAN, a key or recovered data. Certificates and signatures
// keep the bytes received (Raw) and the recovered block (Recovered), and
// every hash is computed over exactly the bytes given: the static data,
// DDOL data and GENERATE AC response as received, padding and non-minimal
// lengths included.
//
// # Worked example
//
// A kernel doing CDA on the first GENERATE AC, with the data objects read
// from the card in tags (a map from tag to value here) and the records
// signed for ODA in signed:
//
//	ca, err := store.Lookup(rid, tags[0x8F][0])
//	ic, err := oda.RecoverIssuerCertificate(ca, tags[0x90])
//	chk := oda.Checks{PAN: tags[0x5A], Date: txnDate, Revoked: revoked}
//	issuer, err := ic.Verify(tags[0x92], tags[0x9F32], chk)
//	var static []byte
//	for _, r := range signed {
//		static, err = oda.AppendStaticData(static, r.SFI, r.Data)
//	}
//	static, err = oda.AppendSDATagList(static, tags[0x9F4A], tags[0x82])
//	cc, err := oda.RecoverICCCertificate(issuer, tags[0x9F46])
//	icc, err := cc.Verify(tags[0x9F48], tags[0x9F47], static, chk)
//	sdad, err := oda.VerifyCDA(icc, oda.CDA{
//		UN: un, PDOLData: pdolData, CDOL1Data: cdol1Data, Response: genacResponse,
//	})
//	// sdad.AC is the application cryptogram (9F26), sdad.IDN the ICC
//	// dynamic number (9F4C).
//
// Each err is checked in real code; errors.Is(err, oda.ErrExpired) and
// the like tell which step failed.
//
// # Signing side
//
// [GenerateKey] makes RSA keys with exponent 3 or 65537 from a caller's
// random source, so that a seeded reader gives the same keys on every run
// (crypto/rsa can no longer do that, nor use exponent 3).
// [SignIssuerCertificate], [SignICCCertificate], [SignICCPINCertificate],
// [SignSSAD], [SignDDA], [SignFDDA], [SignCDA] and [SignDynamicData]
// produce the data objects a card is personalised with or returns, for a
// private test RID. [NewTestPKI] does it all at once from a
// [TestPKIConfig] with an injected random source and clock. The private operation is not hardened against side
// channels: it is meant for test cards and simulators only.
//
// # Decisions where Book 2 is silent
//
//   - Moduli: every modulus must be odd, without leading zero byte, and
//     [MinModulusLen] (64) to [MaxModulusLen] (248) bytes long; exponents
//     must be exactly 03 or 010001. An issuer key may not be longer than
//     the CA key, nor an ICC key longer than the issuer key.
//   - Remainders: a remainder must be present, of exactly the missing
//     length, when the key does not fit the certificate, and absent or
//     empty when it does; a superfluous remainder is refused rather than
//     hashed.
//   - Dates: two-digit years 00-49 are 2000-2049 and 50-99 are 1950-1999,
//     as EMV terminals read them; a certificate is valid through the last
//     day of its expiry month. A zero [Checks.Date] means today. A CA key with an
//     expiry date is refused after that day ([ErrCAPKExpired]); the
//     published test keys carry none.
//   - Order of checks: the hash algorithm indicator, key length, remainder
//     and exponent are checked before the hash, because the hash cannot be
//     computed without them; the public key algorithm indicator last, as
//     in Book 2.
//   - The ICC dynamic data must begin with an ICC dynamic number of 2 to 8
//     bytes (DDA, fDDA and CDA alike); for CDA it must hold at least the
//     CID, the cryptogram and the transaction data hash code after it.
//   - CDA takes 9F27 and 9F4B from the response itself and requires each
//     exactly once; the response must be one template 77 with nothing
//     after it. Lengths in long form where a short one would do are
//     accepted in the response, since the hash covers them as received.
//   - fDDA: the version is the first byte of the card authentication
//     related data (9F69), 00 when it is absent; other versions are
//     refused ([ErrTerminalData]).
//   - Revocation applies to issuer certificates only (RID, CA key index,
//     certificate serial), as in Book 2; ICC certificates are not revoked
//     by serial.
//   - Only SHA-1 (hash algorithm indicator 01) and RSA (public key
//     algorithm indicator 01) exist in Book 2 Annex B; anything else is
//     refused.
package oda
